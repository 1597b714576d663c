"""The machine's zone with its daylight-saving rules, for showing and grouping past moments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from unclench.core.history import BreakRecord
from unclench.core.history_report import build_report, period_start
from unclench.core.local_zone import LOCAL
from unclench.core.scheduler import Outcome
from unclench.core.status_text import clock_phrase

HOUR = timedelta(hours=1)
SUMMER_NOW = datetime(2026, 4, 2, 12, 0, tzinfo=LOCAL)
# 23:30 on Saturday 28 March, the last evening before clocks go forward, in winter time.
WINTER_EVENING = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)


def test_each_moment_gets_the_offset_in_force_then(central_europe: None) -> None:
    assert datetime(2026, 1, 15, 12, tzinfo=LOCAL).utcoffset() == HOUR
    assert datetime(2026, 7, 15, 12, tzinfo=LOCAL).utcoffset() == 2 * HOUR
    assert WINTER_EVENING.astimezone(LOCAL).strftime("%d %H:%M %Z") == "28 23:30 CET"
    # The fixed offset of a summer "now" would put the same moment on the next day.
    assert WINTER_EVENING.astimezone(SUMMER_NOW.astimezone().tzinfo).day == 29


def test_the_hour_that_repeats_in_autumn_keeps_both_moments_apart(central_europe: None) -> None:
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time
    second = first + HOUR  # 02:30 again, winter time
    shown = [moment.astimezone(LOCAL) for moment in (first, second)]
    assert [m.strftime("%H:%M") for m in shown] == ["02:30", "02:30"]
    assert [m.fold for m in shown] == [0, 1]
    assert [m.astimezone(UTC) for m in shown] == [first, second]


def test_a_winter_break_stays_on_its_day_in_a_summer_report(central_europe: None) -> None:
    record = BreakRecord(started_at=WINTER_EVENING, outcome=Outcome.DONE)
    report = build_report([record], now=SUMMER_NOW, days=7, area_name=str)
    counts = {day.day: day.done for day in report.per_day}
    assert counts[date(2026, 3, 28)] == 1
    assert counts[date(2026, 3, 29)] == 0


def test_the_period_starts_at_local_midnight_in_winter_time(central_europe: None) -> None:
    start = period_start(SUMMER_NOW, 7)
    assert start.astimezone(UTC) == datetime(2026, 3, 26, 23, 0, tzinfo=UTC)


def test_a_time_is_named_with_the_offset_it_will_have(central_europe: None) -> None:
    winter_now = datetime(2026, 3, 28, 20, 0, tzinfo=LOCAL)
    after_the_change = datetime(2026, 3, 29, 7, 0, tzinfo=UTC)  # 09:00 summer time
    assert clock_phrase(after_the_change, winter_now) == "Sun 09:00"
