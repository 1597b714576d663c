"""A simulated month of desk work: the scheduler's invariants hold every step of the way."""

from __future__ import annotations

import random

import pytest

from unclench.core.scheduler import BreakScheduler, Decision, Phase, ScheduleConfig

from helpers.fakes import FakeClock
from helpers.workpattern import DAY, month_of_work

CONFIG = ScheduleConfig(interval_s=50 * 60, break_s=60, idle_s=5 * 60, snooze_s=10 * 60)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_month_of_work_keeps_every_invariant(seed: int) -> None:
    rng = random.Random(seed)
    clock = FakeClock()
    person = month_of_work(clock, rng)
    scheduler = BreakScheduler(CONFIG, clock, person)
    end = clock.monotonic() + 30 * DAY
    showing = False
    shown = ticks = 0
    answers = {"done": 0, "skip": 0, "snooze": 0}
    while True:
        wake = scheduler.next_wakeup()
        assert wake >= clock.monotonic() - 1e-6, "a wake-up in the past"
        if wake > end:
            break
        clock.advance_to(wake)
        decision = scheduler.tick()
        ticks += 1
        status = scheduler.status()
        assert status.active_s >= 0
        if status.phase is Phase.RUNNING:
            assert status.next_break_in_s is not None
            limit = CONFIG.interval_s + CONFIG.max_snoozes * CONFIG.snooze_s
            assert 0 <= status.next_break_in_s <= limit
        if decision is Decision.SHOW_BREAK:
            assert not showing, "two break windows at once"
            showing = True
            shown += 1
            answer = rng.choices(["done", "skip", "snooze"], weights=[6, 2, 2])[0]
            if answer == "snooze" and not status.can_snooze:
                answer = "skip"
            answers[answer] += 1
            getattr(scheduler, answer)()
            showing = False
        elif decision is Decision.CLOSE_BREAK:
            showing = False

    active_hours = person.active_seconds() / 3600
    # At most one break per interval of active time (snoozes only add reminders of the same
    # break); natural breaks (meetings, lunch) make the real count lower.
    assert shown <= active_hours * 60 / 50 + answers["snooze"] + 1
    assert shown >= active_hours * 60 / 50 * 0.25
    # The scheduler sleeps between decisions: a few hundred wake-ups a working day at most.
    assert ticks / 30 < 500
