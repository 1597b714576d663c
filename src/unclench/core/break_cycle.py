"""The break cycle's words: its phases, what a tick decides, how a break ends, the numbers
it runs on and a snapshot of it. ``scheduler`` runs the cycle; the rest of the app reads
these (and imports them from ``scheduler``, which re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, StrEnum

from unclench.core.settings import ScheduleSettings

#: Local hour at which "until tomorrow" ends.
DAY_STARTS_AT_HOUR = 4


class Phase(StrEnum):
    """What the scheduler is doing; shown by the tray and ``unclench status``."""

    RUNNING = "running"  # counting active time towards the next break
    DUE = "due"  # the break is due, waiting for a lull or for do-not-disturb to end
    BREAK = "break"  # the break window is showing
    PAUSED = "paused"  # reminders are off for a while


class Decision(Enum):
    """What the shell must do after a tick."""

    SHOW_BREAK = "show_break"
    CLOSE_BREAK = "close_break"  # the person left while the window was up


class Outcome(StrEnum):
    """How a shown break ended; recorded in the history."""

    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"
    MISSED = "missed"  # closed by itself after the person walked away


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """The numbers the scheduler needs, in seconds."""

    interval_s: float = 50 * 60
    break_s: float = 60
    idle_s: float = 5 * 60
    snooze_s: float = 10 * 60
    max_snoozes: int = 3

    @classmethod
    def from_settings(cls, schedule: ScheduleSettings) -> ScheduleConfig:
        return cls(
            interval_s=schedule.interval_minutes * 60.0,
            break_s=float(schedule.break_seconds),
            idle_s=schedule.idle_minutes * 60.0,
            snooze_s=schedule.snooze_minutes * 60.0,
            max_snoozes=schedule.max_snoozes,
        )


@dataclass(frozen=True, slots=True)
class SchedulerStatus:
    """A snapshot for the tray tooltip and ``unclench status``."""

    phase: Phase
    active_s: float
    next_break_in_s: float | None
    paused_until: datetime | None
    snoozes_left: int
    present: bool
    dnd: bool
    locked: bool
    idle_source: str
    counting_wall_time: bool

    @property
    def can_snooze(self) -> bool:
        """A break is due or showing and snoozes are left for it."""
        return self.snoozes_left > 0 and self.phase in (Phase.DUE, Phase.BREAK)


class SchedulerError(Exception):
    """An action that is not possible in the current state (for example a fourth snooze)."""


def next_day_start(now: datetime) -> datetime:
    """The next 04:00 local time after ``now``: "until tomorrow" ends when a new day starts."""
    start = now.replace(hour=DAY_STARTS_AT_HOUR, minute=0, second=0, microsecond=0)
    if start <= now:
        start += timedelta(days=1)
    return start
