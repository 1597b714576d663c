"""The period summary behind the History window and ``unclench history --json``."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction

import pytest

from unclench.core.history import BreakRecord
from unclench.core.history_report import (
    CSV_COLUMNS,
    Standout,
    build_report,
    period_start,
    records_to_csv,
)
from unclench.core.scheduler import Outcome

ZONE = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=ZONE)
NAMES = {"neck_shoulders": "Neck and shoulders", "temples": "Temples", "hands": "Hands"}


def at(days_ago: int, hour: int, outcome: Outcome = Outcome.DONE, **fields: object) -> BreakRecord:
    moment = datetime(2026, 11, 25, hour, 0, tzinfo=ZONE) - timedelta(days=days_ago)
    return BreakRecord(started_at=moment.astimezone(UTC), outcome=outcome, **fields)  # type: ignore[arg-type]


def report(records: list[BreakRecord], days: int = 30) -> object:
    return build_report(records, now=NOW, days=days, area_name=NAMES.__getitem__)


def test_days_are_counted_in_the_local_zone_and_cover_the_period() -> None:
    records = [
        at(0, 9),
        at(0, 23, Outcome.SNOOZED),  # 04:00 UTC the next day, but still today here
        at(1, 10, Outcome.SKIPPED),
        at(6, 10, Outcome.MISSED),
        at(7, 10),  # one day before a 7-day period
    ]
    result = build_report(records, now=NOW, days=7, area_name=str)
    assert [d.day for d in result.per_day] == [
        date(2026, 11, 19) + timedelta(days=i) for i in range(7)
    ]
    today = result.per_day[-1]
    assert (today.done, today.snoozed, today.skipped, today.missed) == (1, 1, 0, 0)
    assert result.per_day[-2].skipped == 1
    assert result.per_day[0].missed == 1
    totals = result.totals()
    assert (totals.done, totals.snoozed, totals.skipped, totals.missed) == (1, 1, 1, 1)


def test_the_area_with_the_biggest_average_drop_is_named_with_it() -> None:
    records = [
        *(at(i, 10, area="neck_shoulders", tension_before=7, tension_after=5) for i in range(9)),
        at(9, 10, area="neck_shoulders", tension_before=6, tension_after=3),
        *(at(i, 14, area="temples", tension_before=5, tension_after=4) for i in range(4)),
        at(2, 16, area="hands", tension_before=9, tension_after=1),  # one break: too few
    ]
    result = build_report(records, now=NOW, days=30, area_name=NAMES.__getitem__)
    assert result.summary[0] == "In the last 30 days: 15 breaks taken, 0 snoozed, 0 skipped."
    assert result.summary[1] == (
        "Your tension went from 6.5 to 4.3 on average over 15 breaks with both check-ins."
    )
    assert result.summary[2] == (
        "Biggest average drop: Neck and shoulders, 2.1 points over 10 breaks."
    )
    assert result.standout == Standout("neck_shoulders", "Neck and shoulders", 10, Fraction(21, 10))
    by_area = {a.area: a for a in result.per_area}
    assert by_area["temples"].relief is not None
    assert by_area["temples"].relief.change == pytest.approx(-1.0)


def test_the_summary_asks_for_check_ins_when_there_are_none() -> None:
    result = build_report([at(0, 9, area="hands")], now=NOW, days=7, area_name=str)
    assert result.summary == (
        "In the last 7 days: 1 break taken, 0 snoozed, 0 skipped.",
        "Answer the check-in before and after a break to see which areas help you most.",
    )
    assert result.standout is None


def checkins(area: str, *pairs: tuple[int, int]) -> list[BreakRecord]:
    """One break a day in ``area``, with these (before, after) check-ins."""
    return [
        at(i, 9, area=area, tension_before=before, tension_after=after)
        for i, (before, after) in enumerate(pairs)
    ]


def last_sentence(records: list[BreakRecord]) -> str:
    return build_report(records, now=NOW, days=30, area_name=NAMES.__getitem__).summary[-1]


def test_fewer_than_three_breaks_name_no_area_however_big_the_drop() -> None:
    assert last_sentence(checkins("hands", (9, 1), (8, 0))) == "No area stands out yet."


def test_a_drop_below_one_point_names_no_area_however_many_breaks() -> None:
    # 0.9 on average over 10 breaks: steady, but too small to stand out.
    pairs = [(5, 4)] * 9 + [(5, 5)]
    assert last_sentence(checkins("temples", *pairs)) == "No area stands out yet."


def test_no_relief_is_said_plainly_without_blame() -> None:
    records = checkins("hands", (4, 5), (4, 5), (4, 5))
    assert last_sentence(records) == "No area stands out yet."


def test_exactly_one_point_over_exactly_three_breaks_is_enough() -> None:
    # 8 and 5 in all: in floats 2.66… - 1.66… is 0.999…, but the drop is 1 exactly.
    records = checkins("temples", (3, 2), (3, 2), (2, 1))
    assert last_sentence(records) == "Biggest average drop: Temples, 1.0 points over 3 breaks."


def test_the_biggest_average_drop_wins_among_the_areas_that_qualify() -> None:
    records = [
        *checkins("neck_shoulders", *[(6, 4)] * 5),  # 2.0
        *checkins("temples", (7, 4), (6, 4), (7, 5), (6, 4)),  # 9 over 4: 2.25
        *checkins("hands", (9, 1), (9, 1)),  # 8.0, but over two breaks
    ]
    assert last_sentence(records) == "Biggest average drop: Temples, 2.2 points over 4 breaks."


def test_a_tie_goes_to_more_breaks_then_to_the_catalogue_order() -> None:
    more = [*checkins("temples", *[(5, 3)] * 4), *checkins("hands", *[(5, 3)] * 3)]
    assert last_sentence(more).startswith("Biggest average drop: Temples, 2.0 points over 4")
    same = [*checkins("hands", *[(5, 3)] * 3), *checkins("temples", *[(5, 3)] * 3)]
    order = ("temples", "hands")
    result = build_report(same, now=NOW, days=30, area_name=NAMES.__getitem__, area_order=order)
    assert result.summary[-1] == "Biggest average drop: Temples, 2.0 points over 3 breaks."
    result = build_report(
        same, now=NOW, days=30, area_name=NAMES.__getitem__, area_order=order[::-1]
    )
    assert result.summary[-1] == "Biggest average drop: Hands, 2.0 points over 3 breaks."


def test_an_empty_period_says_so() -> None:
    result = build_report([at(40, 9)], now=NOW, days=30, area_name=str)
    assert result.summary == (
        "No breaks in the last 30 days yet. They will show up here as they come.",
    )
    assert result.per_area == ()


def test_areas_follow_the_given_order_and_missed_breaks_are_not_counted_for_an_area() -> None:
    records = [
        at(0, 9, area="temples"),
        at(0, 10, area="hands"),
        at(0, 11, Outcome.MISSED, area="neck_shoulders"),
    ]
    result = build_report(records, now=NOW, days=7, area_name=str, area_order=("hands", "temples"))
    assert [a.area for a in result.per_area] == ["hands", "temples"]


def test_the_json_form_is_plain_data_that_round_trips() -> None:
    records = [
        at(0, 9, area="temples", tension_before=6, tension_after=4),
        at(1, 9, Outcome.SKIPPED, area="hands"),
    ]
    data = build_report(records, now=NOW, days=7, area_name=NAMES.__getitem__).to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["from"] == "2026-11-19"
    assert data["to"] == "2026-11-25"
    assert data["totals"] == {"done": 1, "snoozed": 0, "skipped": 1, "missed": 0}
    assert data["per_day"][-1] == {  # type: ignore[index]
        "date": "2026-11-25",
        "done": 1,
        "snoozed": 0,
        "skipped": 0,
        "missed": 0,
    }
    temples = next(a for a in data["per_area"] if a["area"] == "temples")  # type: ignore[attr-defined]
    assert temples == {
        "area": "temples",
        "name": "Temples",
        "breaks": 1,
        "checkins": 1,
        "tension_before": 6.0,
        "tension_after": 4.0,
        "change": -2.0,
    }
    assert data["standout"] is None  # one check-in: too few


def test_the_json_names_the_standout_area_by_its_id_and_numbers() -> None:
    records = [at(i, 9, area="temples", tension_before=7, tension_after=4) for i in range(3)]
    data = build_report(records, now=NOW, days=7, area_name=NAMES.__getitem__).to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["standout"] == {
        "area": "temples",
        "name": "Temples",
        "breaks": 3,
        "average_drop": 3.0,
    }


def test_the_period_starts_at_local_midnight() -> None:
    assert period_start(NOW, 7) == datetime(2026, 11, 19, tzinfo=ZONE)
    assert period_start(NOW, 1) == datetime(2026, 11, 25, tzinfo=ZONE)


def test_a_naive_now_or_an_empty_period_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        build_report([], now=NOW.replace(tzinfo=None), days=7, area_name=str)
    with pytest.raises(ValueError, match="at least one day"):
        build_report([], now=NOW, days=0, area_name=str)


def test_csv_has_one_row_per_break_with_empty_cells_for_missing_values() -> None:
    records = [
        BreakRecord(
            id=3,
            started_at=datetime(2026, 11, 25, 14, 0, tzinfo=UTC),
            outcome=Outcome.DONE,
            area="temples",
            technique_id="temples-circles",
            tension_before=6,
            tension_after=3,
            duration_s=61.26,
        ),
        BreakRecord(
            id=4, started_at=datetime(2026, 11, 25, 15, 0, tzinfo=UTC), outcome=Outcome.SKIPPED
        ),
    ]
    rows = list(csv.reader(io.StringIO(records_to_csv(records))))
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[1] == [
        "3",
        "2026-11-25T14:00:00+00:00",
        "temples",
        "temples-circles",
        "done",
        "6",
        "3",
        "61.3",
    ]
    assert rows[2] == ["4", "2026-11-25T15:00:00+00:00", "", "", "skipped", "", "", ""]
