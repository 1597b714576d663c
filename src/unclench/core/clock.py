"""Time as the core sees it: a monotonic clock for intervals and a wall clock for "until 15:30"."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """A source of time the scheduler can be given; tests pass a fake one."""

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps; only differences mean anything."""
        ...

    def now(self) -> datetime:
        """The wall-clock time, timezone-aware, for display and "until tomorrow"."""
        ...


class SystemClock:
    """The real clocks.

    On Linux the monotonic clock is CLOCK_BOOTTIME, which keeps counting while the machine
    is suspended: a night's suspend then shows up as a long gap between two ticks (an
    absence), instead of vanishing as it does with CLOCK_MONOTONIC. Windows' monotonic
    clock already includes sleep.
    """

    def __init__(self) -> None:
        clock_id = getattr(time, "CLOCK_BOOTTIME", None)
        self._clock_id: int | None = clock_id

    def monotonic(self) -> float:
        if self._clock_id is not None:
            return time.clock_gettime(self._clock_id)
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone()
