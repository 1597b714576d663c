"""Runs a scheduler the way the app does: sleep until its wake-up, tick, act."""

from __future__ import annotations

from collections.abc import Callable

from unclench.core.scheduler import BreakScheduler, Decision

from helpers.fakes import FakeClock

OnDecision = Callable[[Decision], None]


def run_for(
    scheduler: BreakScheduler,
    clock: FakeClock,
    seconds: float,
    on_decision: OnDecision | None = None,
) -> list[tuple[float, Decision]]:
    """Advance ``seconds``, ticking at each wake-up; returns the decisions with their times."""
    end = clock.monotonic() + seconds
    seen: list[tuple[float, Decision]] = []
    stuck = 0
    while True:
        wake = scheduler.next_wakeup()
        if wake > end:
            clock.advance_to(end)
            return seen
        stuck = stuck + 1 if wake <= clock.monotonic() else 0
        assert stuck < 10, "the scheduler keeps asking to wake up now: a busy loop"
        clock.advance_to(wake)
        decision = scheduler.tick()
        if decision is not None:
            seen.append((clock.monotonic(), decision))
            if on_decision is not None:
                on_decision(decision)
