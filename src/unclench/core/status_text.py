"""Short words for the scheduler's state: the tray tooltip and the first line of `status`."""

from __future__ import annotations

import math
from datetime import datetime

from unclench.core.scheduler import Phase, SchedulerStatus


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


def headline(status: SchedulerStatus, now: datetime) -> str:
    """ "Next break in 23 min", "Paused until 15:30", "Break due", "Break time"."""
    if status.phase is Phase.PAUSED:
        if status.paused_until is None:
            return "Paused"
        return f"Paused until {clock_phrase(status.paused_until, now)}"
    if status.phase is Phase.BREAK:
        return "Break time"
    if status.phase is Phase.DUE:
        return "Break due"
    assert status.next_break_in_s is not None
    return f"Next break in {minutes_phrase(status.next_break_in_s)}"


def tooltip(status: SchedulerStatus, now: datetime, dnd_reason: str | None = None) -> str:
    lines = [f"Unclench: {headline(status, now)}"]
    if dnd_reason and status.phase is Phase.DUE:
        lines.append(f"Waiting: {dnd_reason}")
    if status.counting_wall_time:
        lines.append("No idle detection: counting wall time")
    return "\n".join(lines)
