"""How the core learns whether someone is at the screen: the idle-time source interface."""

from __future__ import annotations

from typing import Protocol


class IdleSource(Protocol):
    """Reports how long ago the last keyboard or mouse input happened.

    Backends live in ``unclench.platform``; the scheduler queries one reading per decision,
    never in a fast loop. A backend that cannot answer right now returns ``None``.
    """

    @property
    def name(self) -> str:
        """A short name for logs and ``unclench status`` (for example ``"x11"``)."""
        ...

    def idle_seconds(self) -> float | None:
        """Seconds since the last input, or ``None`` when it cannot be known."""
        ...


class NoIdleSource:
    """Used when the desktop offers no idle time: the scheduler then counts wall time."""

    @property
    def name(self) -> str:
        return "none"

    def idle_seconds(self) -> float | None:
        return None


class DndSource(Protocol):
    """Says whether the person should not be interrupted right now, and why.

    Queried once per scheduler tick (a few hundred times a day), never in a fast loop.
    Examples: a full-screen window in front, a camera in use (a call).
    """

    @property
    def name(self) -> str:
        """A short name for logs (for example ``"x11-fullscreen"``)."""
        ...

    def reason(self) -> str | None:
        """``None`` when nothing stands in the way; else a short phrase such as
        ``"a full-screen window is in front"``, shown in ``unclench status``."""
        ...
