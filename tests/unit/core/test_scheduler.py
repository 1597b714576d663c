"""The break scheduler's rules, each on a fake clock with a scripted person."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from unclench.core.presence import NoIdleSource
from unclench.core.scheduler import (
    ABANDON_MIN_S,
    LULL_CAP_S,
    BreakScheduler,
    Decision,
    Phase,
    ScheduleConfig,
    SchedulerError,
    next_day_start,
)

from helpers.drive import run_for
from helpers.fakes import FakeClock, ScriptedPerson

MIN = 60.0
CONFIG = ScheduleConfig(interval_s=50 * MIN, break_s=60, idle_s=5 * MIN, snooze_s=10 * MIN)


def make(
    config: ScheduleConfig = CONFIG,
) -> tuple[BreakScheduler, FakeClock, ScriptedPerson]:
    clock = FakeClock()
    person = ScriptedPerson(clock)
    scheduler = BreakScheduler(config, clock, person)
    scheduler.tick()
    return scheduler, clock, person


def work(
    scheduler: BreakScheduler, clock: FakeClock, person: ScriptedPerson, seconds: float
) -> list[tuple[float, Decision]]:
    """The person types non-stop with a short pause every 20 s (a lull)."""
    decisions: list[tuple[float, Decision]] = []
    end = clock.monotonic() + seconds
    while clock.monotonic() < end:
        chunk = min(20.0, end - clock.monotonic())
        person.typing_for(max(0.0, chunk - 6))
        decisions += run_for(scheduler, clock, chunk)
    return decisions


# ------------------------------------------------------------------ counting active time


def test_active_time_grows_while_the_person_works() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 20 * MIN)
    assert scheduler.active_seconds() == pytest.approx(20 * MIN, abs=1)
    assert scheduler.status().next_break_in_s == pytest.approx(30 * MIN, abs=1)


def test_a_break_is_offered_after_the_interval_of_active_time() -> None:
    scheduler, clock, person = make()
    start = clock.monotonic()
    decisions = work(scheduler, clock, person, 51 * MIN)
    assert [d for _, d in decisions] == [Decision.SHOW_BREAK]
    shown_at = decisions[0][0] - start
    assert 50 * MIN <= shown_at <= 50 * MIN + 20
    assert scheduler.phase is Phase.BREAK


def test_being_away_stops_the_count_and_the_idle_minutes_are_not_counted() -> None:
    config = ScheduleConfig(interval_s=50 * MIN, break_s=300, idle_s=2 * MIN)
    scheduler, clock, person = make(config)
    work(scheduler, clock, person, 10 * MIN)
    person.stop()
    run_for(scheduler, clock, 4 * MIN)  # away (idle >= 2 min) but shorter than the 5-min break
    assert scheduler.status().present is False
    assert scheduler.active_seconds() == pytest.approx(10 * MIN, abs=7)  # last key at 9:54


def test_short_pauses_below_the_idle_threshold_count_as_active() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 10 * MIN)
    person.stop()
    run_for(scheduler, clock, 4 * MIN)  # reading, under the 5-min threshold
    person.typing_for(MIN)
    run_for(scheduler, clock, MIN)
    assert scheduler.active_seconds() == pytest.approx(15 * MIN, abs=1)


def test_an_absence_as_long_as_a_break_resets_the_count() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 40 * MIN)
    person.stop()
    run_for(scheduler, clock, 6 * MIN)  # away for 6 min >= break length
    assert scheduler.active_seconds() == 0
    assert scheduler.status().next_break_in_s == pytest.approx(50 * MIN)
    work(scheduler, clock, person, 5 * MIN)
    assert scheduler.active_seconds() == pytest.approx(5 * MIN, abs=35)


def test_an_absence_shorter_than_the_break_keeps_the_count() -> None:
    config = ScheduleConfig(interval_s=50 * MIN, break_s=300, idle_s=1 * MIN)
    scheduler, clock, person = make(config)
    work(scheduler, clock, person, 30 * MIN)
    person.stop()
    run_for(scheduler, clock, 3 * MIN)  # away after 1 min, back before the 5-min break
    person.typing_for(MIN)
    run_for(scheduler, clock, MIN)
    assert scheduler.active_seconds() == pytest.approx(31 * MIN, abs=35)


def test_with_no_idle_source_wall_time_is_counted_and_status_says_so() -> None:
    clock = FakeClock()
    scheduler = BreakScheduler(CONFIG, clock, NoIdleSource())
    scheduler.tick()
    decisions = run_for(scheduler, clock, 50 * MIN + 1)
    assert [d for _, d in decisions] == [Decision.SHOW_BREAK]
    status = scheduler.status()
    assert status.counting_wall_time
    assert status.idle_source == "none"


# ------------------------------------------------------------------ lock, suspend, clock jumps


def test_a_screen_lock_counts_as_absence_and_as_a_natural_break() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 45 * MIN)
    scheduler.set_locked(True)
    run_for(scheduler, clock, 2 * MIN)
    assert scheduler.status().locked
    assert scheduler.active_seconds() == 0  # 2 min locked >= 1-min break
    scheduler.set_locked(False)
    person.typing_for(10)
    decisions = work(scheduler, clock, person, 10 * MIN)
    assert decisions == []


def test_a_short_lock_keeps_the_count_when_shorter_than_the_break() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 20 * MIN)
    scheduler.set_locked(True)
    clock.advance(30)
    scheduler.set_locked(False)
    person.typing_for(MIN)
    run_for(scheduler, clock, MIN)
    assert scheduler.active_seconds() == pytest.approx(21 * MIN, abs=1)


def test_suspend_and_resume_notifications_count_as_absence() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 49 * MIN)
    scheduler.suspended()
    clock.advance(8 * 3600)
    scheduler.resumed()
    person.typing_for(30)
    assert run_for(scheduler, clock, 30) == []
    assert scheduler.active_seconds() == pytest.approx(30, abs=1)


def test_a_late_tick_after_an_unannounced_sleep_is_an_absence_not_a_burst() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 49 * MIN)
    clock.advance(10 * 3600)  # the machine slept; nobody told us
    person.typing_for(2 * MIN)
    decisions = run_for(scheduler, clock, 2 * MIN)
    assert decisions == []
    assert scheduler.active_seconds() < 3 * MIN


def test_a_sleep_while_a_break_is_due_gives_at_most_one_break() -> None:
    config = ScheduleConfig(interval_s=10 * MIN, break_s=60, idle_s=5 * MIN)
    scheduler, clock, person = make(config)
    person.typing_for(10 * MIN + 30)
    run_for(scheduler, clock, 10 * MIN + 30)  # due, waiting for a lull
    assert scheduler.phase is Phase.DUE
    clock.advance(3 * 24 * 3600)
    person.typing_for(5 * MIN)
    decisions = run_for(scheduler, clock, 5 * MIN)
    assert len(decisions) <= 1


@pytest.mark.parametrize("jump", [timedelta(days=3), timedelta(hours=-5)])
def test_a_wall_clock_jump_does_not_move_the_next_break(jump: timedelta) -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 20 * MIN)
    clock.jump_wall(jump)
    decisions = work(scheduler, clock, person, 10 * MIN)
    assert decisions == []
    assert scheduler.active_seconds() == pytest.approx(30 * MIN, abs=1)


# ------------------------------------------------------------------ waiting for a good moment


def test_a_due_break_waits_for_a_lull_in_typing() -> None:
    config = ScheduleConfig(interval_s=10 * MIN, break_s=60, idle_s=5 * MIN)
    scheduler, clock, person = make(config)
    person.typing_for(10 * MIN + 40)
    decisions = run_for(scheduler, clock, 10 * MIN + 40)
    assert decisions == []
    assert scheduler.phase is Phase.DUE
    decisions = run_for(scheduler, clock, 10)  # typing stopped: a lull
    assert [d for _, d in decisions] == [Decision.SHOW_BREAK]
    assert decisions[0][0] - clock.monotonic() >= -10


def test_the_wait_for_a_lull_is_capped() -> None:
    config = ScheduleConfig(interval_s=10 * MIN, break_s=60, idle_s=5 * MIN)
    scheduler, clock, person = make(config)
    due_at = clock.monotonic() + 10 * MIN
    person.typing_for(30 * MIN)  # never a pause
    decisions = run_for(scheduler, clock, 15 * MIN)
    assert len(decisions) == 1
    assert decisions[0][0] - due_at == pytest.approx(LULL_CAP_S, abs=1)


def test_do_not_disturb_holds_the_break_until_it_ends() -> None:
    config = ScheduleConfig(interval_s=10 * MIN, break_s=60, idle_s=5 * MIN)
    scheduler, clock, person = make(config)
    scheduler.set_dnd(True)
    decisions = work(scheduler, clock, person, 30 * MIN)
    assert decisions == []
    assert scheduler.phase is Phase.DUE
    assert scheduler.status().dnd
    scheduler.set_dnd(False)
    decisions = work(scheduler, clock, person, MIN)
    assert [d for _, d in decisions] == [Decision.SHOW_BREAK]


# ------------------------------------------------------------------ the person's answers


def show_break(scheduler: BreakScheduler, clock: FakeClock, person: ScriptedPerson) -> None:
    decisions = work(scheduler, clock, person, scheduler.status().next_break_in_s or 0)
    decisions += run_for(scheduler, clock, 10)
    assert scheduler.phase is Phase.BREAK, decisions


@pytest.mark.parametrize("answer", ["done", "skip"])
def test_done_and_skip_start_a_new_interval(answer: str) -> None:
    scheduler, clock, person = make()
    show_break(scheduler, clock, person)
    getattr(scheduler, answer)()
    assert scheduler.phase is Phase.RUNNING
    assert scheduler.active_seconds() == 0
    assert scheduler.status().next_break_in_s == pytest.approx(50 * MIN)


def test_snooze_puts_the_break_off_by_the_snooze_length() -> None:
    scheduler, clock, person = make()
    show_break(scheduler, clock, person)
    scheduler.snooze()
    assert scheduler.phase is Phase.RUNNING
    assert scheduler.status().next_break_in_s == pytest.approx(10 * MIN)
    decisions = work(scheduler, clock, person, 9 * MIN)
    assert decisions == []
    decisions = work(scheduler, clock, person, 2 * MIN)
    assert [d for _, d in decisions] == [Decision.SHOW_BREAK]


def test_snooze_with_a_custom_length() -> None:
    scheduler, clock, person = make()
    show_break(scheduler, clock, person)
    scheduler.snooze(30 * MIN)
    assert scheduler.status().next_break_in_s == pytest.approx(30 * MIN)


def test_snoozes_run_out_after_max_snoozes_then_only_done_or_skip() -> None:
    config = ScheduleConfig(interval_s=10 * MIN, break_s=60, idle_s=5 * MIN, max_snoozes=2)
    scheduler, clock, person = make(config)
    for left in (2, 1):
        show_break(scheduler, clock, person)
        assert scheduler.status().snoozes_left == left
        scheduler.snooze()
    show_break(scheduler, clock, person)
    assert not scheduler.status().can_snooze
    with pytest.raises(SchedulerError, match="No snoozes left"):
        scheduler.snooze()
    scheduler.done()
    assert scheduler.status().snoozes_left == 2


def test_there_is_nothing_to_snooze_before_a_break_is_due() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 10 * MIN)
    assert not scheduler.status().can_snooze
    with pytest.raises(SchedulerError, match="No break is due"):
        scheduler.snooze(5 * MIN)
    assert scheduler.status().next_break_in_s == pytest.approx(40 * MIN, abs=7)


def test_done_is_refused_when_no_break_is_showing() -> None:
    scheduler, _, _ = make()
    with pytest.raises(SchedulerError):
        scheduler.done()


def test_break_now_shows_a_break_at_once() -> None:
    scheduler, _, _ = make()
    assert scheduler.break_now() is Decision.SHOW_BREAK
    assert scheduler.phase is Phase.BREAK
    with pytest.raises(SchedulerError):
        scheduler.break_now()


def test_a_break_left_alone_while_the_person_is_away_closes_itself() -> None:
    scheduler, clock, person = make()
    show_break(scheduler, clock, person)
    person.stop()
    decisions = run_for(scheduler, clock, 3 * MIN)  # doing the massage, hands off the keys
    assert decisions == []
    assert scheduler.phase is Phase.BREAK
    decisions = run_for(scheduler, clock, ABANDON_MIN_S + 2 * MIN)
    assert [d for _, d in decisions] == [Decision.CLOSE_BREAK]
    assert scheduler.status().phase is Phase.RUNNING
    assert scheduler.active_seconds() == 0


# ------------------------------------------------------------------ pause and resume


def test_pause_for_a_duration_shows_nothing_then_starts_again() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 45 * MIN)
    scheduler.pause_for(30 * MIN)
    status = scheduler.status()
    assert status.phase is Phase.PAUSED
    assert status.paused_until == clock.now() + timedelta(minutes=30)
    assert status.next_break_in_s is None
    assert work(scheduler, clock, person, 29 * MIN) == []
    work(scheduler, clock, person, 2 * MIN)
    assert scheduler.phase is Phase.RUNNING
    assert scheduler.active_seconds() < 2 * MIN


def test_resume_ends_a_pause_early_with_a_fresh_count() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 45 * MIN)
    scheduler.pause_for(2 * 3600)
    work(scheduler, clock, person, 10 * MIN)
    scheduler.resume()
    assert scheduler.phase is Phase.RUNNING
    assert scheduler.status().next_break_in_s == pytest.approx(50 * MIN)


def test_pause_until_tomorrow_ends_at_four_in_the_morning() -> None:
    scheduler, clock, person = make()
    until = scheduler.pause_until_tomorrow()
    assert (until.day, until.hour, until.minute) == (clock.now().day + 1, 4, 0)
    assert scheduler.status().paused_until == until
    work(scheduler, clock, person, 8 * 3600)
    assert scheduler.phase is Phase.PAUSED
    run_for(scheduler, clock, 12 * 3600)
    assert scheduler.status().phase is Phase.RUNNING


def test_a_wall_pause_ends_on_time_when_the_clock_is_changed() -> None:
    scheduler, clock, _ = make()
    scheduler.pause_until(clock.now() + timedelta(hours=3))
    clock.jump_wall(timedelta(hours=4))  # the clock is set forward by hand
    run_for(scheduler, clock, 16 * MIN)
    assert scheduler.phase is Phase.RUNNING


def test_pause_until_a_time_in_the_past_is_refused() -> None:
    scheduler, clock, _ = make()
    with pytest.raises(SchedulerError):
        scheduler.pause_until(clock.now() - timedelta(minutes=1))


ZONE = FakeClock().now().tzinfo


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 3, 2, 15, 0, tzinfo=ZONE), datetime(2026, 3, 3, 4, 0, tzinfo=ZONE)),
        (datetime(2026, 3, 2, 2, 30, tzinfo=ZONE), datetime(2026, 3, 2, 4, 0, tzinfo=ZONE)),
        (datetime(2026, 3, 2, 4, 0, tzinfo=ZONE), datetime(2026, 3, 3, 4, 0, tzinfo=ZONE)),
        # The night the clocks go forward in Berlin: still 04:00 local.
        (datetime(2026, 3, 28, 23, 0, tzinfo=ZONE), datetime(2026, 3, 29, 4, 0, tzinfo=ZONE)),
    ],
)
def test_next_day_start(now: datetime, expected: datetime) -> None:
    assert next_day_start(now) == expected


# ------------------------------------------------------------------ settings and wake-ups


def test_a_shorter_interval_applies_at_once() -> None:
    scheduler, clock, person = make()
    work(scheduler, clock, person, 20 * MIN)
    scheduler.update_config(ScheduleConfig(interval_s=15 * MIN))
    decisions = work(scheduler, clock, person, 30)
    assert [d for _, d in decisions] == [Decision.SHOW_BREAK]


def test_the_scheduler_sleeps_while_nothing_can_change() -> None:
    scheduler, clock, person = make()
    person.typing_for(40 * MIN)
    before = person.readings
    run_for(scheduler, clock, 40 * MIN)
    # Typing steadily: one look when the person could first count as away, and so on.
    assert person.readings - before <= 40 / 5 + 1


def test_while_away_it_looks_for_the_person_only_now_and_then() -> None:
    scheduler, clock, person = make()
    person.stop()
    before = person.readings
    run_for(scheduler, clock, 3600)
    # It backs off: every 30 s at first, then a tenth of the absence, at most 5 min apart.
    assert person.readings - before <= 40


def test_the_next_wakeup_is_never_in_the_past_and_never_beyond_the_break() -> None:
    scheduler, clock, person = make()
    person.typing_for(10)
    scheduler.tick()
    wake = scheduler.next_wakeup()
    assert clock.monotonic() <= wake <= clock.monotonic() + 50 * MIN


def test_a_due_moment_lost_to_float_rounding_still_fires_instead_of_spinning() -> None:
    """Regression: start + 3000 - start == 2999.9999999999964 made the due moment "now" forever."""
    clock = FakeClock(mono=32489.77850335297)
    scheduler = BreakScheduler(CONFIG, clock, NoIdleSource())
    scheduler.tick()
    decisions = run_for(scheduler, clock, 50 * MIN + 1)
    assert [d for _, d in decisions] == [Decision.SHOW_BREAK]


def test_the_config_comes_from_the_settings_in_seconds() -> None:
    from unclench.core.settings import ScheduleSettings

    config = ScheduleConfig.from_settings(
        ScheduleSettings(
            interval_minutes=45, break_seconds=90, idle_minutes=3, snooze_minutes=7, max_snoozes=1
        )
    )
    assert config == ScheduleConfig(
        interval_s=2700, break_s=90, idle_s=180, snooze_s=420, max_snoozes=1
    )


def test_snoozing_a_break_asked_for_early_brings_it_back_after_the_snooze() -> None:
    """Regression: a snoozed "take a break now" came back only after the full interval."""
    scheduler, clock, person = make()
    work(scheduler, clock, person, 5 * MIN)
    scheduler.break_now()
    scheduler.snooze()
    assert scheduler.status().next_break_in_s == pytest.approx(10 * MIN)


def test_a_break_asked_for_while_paused_and_locked_does_not_count_the_locked_time() -> None:
    """Regression (found by the property tests): break_now from a pause assumed presence."""
    scheduler, clock, _ = make()
    scheduler.pause_for(30 * MIN)
    scheduler.set_locked(True)
    scheduler.break_now()
    status = scheduler.status()
    assert status.locked
    assert not status.present
    clock.advance(10 * MIN)
    assert scheduler.active_seconds() == 0
