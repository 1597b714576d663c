"""How Unclench words its state for people: the tray tooltip and ``unclench status`` say the
same things in the same words, from the same facts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from unclench.core.scheduler import Phase, SchedulerStatus


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """What there is to say. The tray fills it from the scheduler, the command line from the
    running app's answer (``ipc.results.StatusReport``)."""

    phase: Phase
    next_break_in_s: float | None
    paused_until: datetime | None = None
    #: What holds a due break (a full-screen window...), or ``None``.
    dnd: str | None = None
    idle_source: str = "none"
    counting_wall_time: bool = False
    #: The idle source's reading now, where known.
    idle_s: float | None = None
    snoozes_left: int = 0
    max_snoozes: int | None = None
    locked: bool = False
    #: How breaks appear on this desktop ("a window in a screen corner…"), where known.
    break_window_note: str | None = None

    @classmethod
    def of(cls, status: SchedulerStatus, dnd: str | None = None) -> StatusFacts:
        """The scheduler's own facts; the rest is not the scheduler's to know."""
        return cls(
            phase=status.phase,
            next_break_in_s=status.next_break_in_s,
            paused_until=status.paused_until,
            dnd=dnd,
            idle_source=status.idle_source,
            counting_wall_time=status.counting_wall_time,
            snoozes_left=status.snoozes_left,
            locked=status.locked,
        )


def status_lines(facts: StatusFacts, now: datetime, *, brief: bool = False) -> list[str]:
    """The state in a few lines, the most important first. ``brief`` (the tray's tooltip)
    keeps only what matters at a glance: the headline, what holds a due break, a screen
    that is locked, and an app that cannot tell whether anyone is there."""
    lines = [headline(facts, now)]
    if facts.dnd and facts.phase is Phase.DUE:
        lines.append(f"Waiting: {facts.dnd}")
    if facts.locked:
        lines.append("The screen is locked: that counts as time away")
    if facts.counting_wall_time:
        lines.append("No idle detection: counting clock time")
    if brief:
        return lines
    if facts.max_snoozes is not None and facts.snoozes_left < facts.max_snoozes:
        lines.append(f"Snoozes left: {facts.snoozes_left} of {facts.max_snoozes}")
    if not facts.counting_wall_time:
        lines.append(f"Idle detection: {facts.idle_source}{_idle_now(facts.idle_s)}")
    if facts.break_window_note:
        lines.append(f"Breaks appear as {facts.break_window_note}")
    return lines


def headline(facts: StatusFacts, now: datetime) -> str:
    """ "Next break in 23 min", "Paused until 15:30", "Break due", "A break is showing"."""
    if facts.phase is Phase.PAUSED:
        if facts.paused_until is None:
            return "Paused"
        return f"Paused until {clock_phrase(facts.paused_until, now)}"
    if facts.phase is Phase.BREAK:
        return "A break is showing"
    if facts.phase is Phase.DUE:
        return "Break due"
    if facts.next_break_in_s is None:
        return "Counting active time"
    return f"Next break in {minutes_phrase(facts.next_break_in_s)}"


def tooltip(facts: StatusFacts, now: datetime) -> str:
    """The tray icon's tooltip: the app's name, then the brief status."""
    return "Unclench: " + "\n".join(status_lines(facts, now, brief=True))


def minutes_phrase(seconds: float) -> str:
    """ "23 min", "1 h 5 min", "less than a minute"; rounds up so "0 min" never shows."""
    minutes = math.ceil(seconds / 60)
    if seconds < 60:
        return "less than a minute"
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{minutes} min"
    return f"{hours} h" if rest == 0 else f"{hours} h {rest} min"


def clock_phrase(moment: datetime, now: datetime) -> str:
    """ "15:30", or "Tue 04:00" when it is not today."""
    local = moment.astimezone(now.tzinfo)
    if local.date() == now.date():
        return local.strftime("%H:%M")
    return local.strftime("%a %H:%M")


def _idle_now(idle_s: float | None) -> str:
    if idle_s is None:
        return ""
    return f" ({round(idle_s)} s)" if idle_s >= 1 else " (in use now)"
