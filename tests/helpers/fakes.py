"""A controllable clock and a scripted person, for the core's tests; ``with`` for fakes."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import TracebackType
from typing import Self
from zoneinfo import ZoneInfo

#: A Monday morning, in a zone with daylight saving so date arithmetic is exercised.
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


class FakeClock:
    """Monotonic and wall time that move only when a test says so."""

    def __init__(self, start: datetime = START, mono: float = 10_000.0) -> None:
        self._mono = mono
        self._wall = start

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        """Time passes: both clocks move together."""
        assert seconds >= 0, "time does not run backwards on the monotonic clock"
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)

    def advance_to(self, mono: float) -> None:
        self.advance(max(0.0, mono - self._mono))

    def jump_wall(self, delta: timedelta) -> None:
        """Someone changes the system clock (or the timezone database moves it)."""
        self._wall += delta


class ScriptedPerson:
    """An idle source driven by the test: the person types, stops, leaves, comes back.

    ``typing_for(s)`` means continuous input for ``s`` seconds from now (idle stays 0);
    after that, idle grows from the end of the typing.
    """

    def __init__(self, clock: FakeClock, *, known: bool = True) -> None:
        self._clock = clock
        self._last_input = clock.monotonic()
        self._busy_until = clock.monotonic()
        self.known = known
        self.readings = 0

    @property
    def name(self) -> str:
        return "scripted"

    def idle_seconds(self) -> float | None:
        self.readings += 1
        if not self.known:
            return None
        now = self._clock.monotonic()
        if now <= self._busy_until:
            return 0.0
        return now - max(self._last_input, self._busy_until)

    def touch(self) -> None:
        """One key press or mouse move, now."""
        self._last_input = self._clock.monotonic()

    def typing_for(self, seconds: float) -> None:
        self._busy_until = self._clock.monotonic() + seconds
        self._last_input = self._clock.monotonic()

    def stop(self) -> None:
        """Stop all input now (busy stretches end here)."""
        now = self._clock.monotonic()
        if self._busy_until > now:
            self._busy_until = now
            self._last_input = now


class ClosesOnExit:
    """``with`` support for a fake that has ``close``."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
