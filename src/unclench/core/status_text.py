"""How Unclench words its state for people: the tray tooltip and ``unclench status`` say the
same things in the same words, from the same facts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from unclench.core.i18n import _
from unclench.core.locale_format import format_clock, format_day
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
        # Translators: {reason} is what holds a due break back ("a full-screen window")
        lines.append(_("Waiting: {reason}").format(reason=_(facts.dnd)))
    if facts.locked:
        lines.append(_("The screen is locked: that counts as time away"))
    if facts.counting_wall_time:
        lines.append(_("No idle detection: counting clock time"))
    if brief:
        return lines
    if facts.max_snoozes is not None and facts.snoozes_left < facts.max_snoozes:
        lines.append(
            _("Snoozes left: {left} of {most}").format(
                left=facts.snoozes_left, most=facts.max_snoozes
            )
        )
    if not facts.counting_wall_time:
        lines.append(_idle_line(facts.idle_source, facts.idle_s))
    if facts.break_window_note:
        # Translators: {how} is how a break shows on this desktop ("a window in a screen corner")
        lines.append(_("Breaks appear as {how}").format(how=_(facts.break_window_note)))
    return lines


def headline(facts: StatusFacts, now: datetime) -> str:
    """ "Next break in 23 min", "Paused until 15:30", "Break due", "A break is showing"."""
    if facts.phase is Phase.PAUSED:
        if facts.paused_until is None:
            # Translators: the app's state: reminders are paused
            return _("Paused")
        # Translators: {time} is a time of day, with the weekday when it is not today
        return _("Paused until {time}").format(time=clock_phrase(facts.paused_until, now))
    if facts.phase is Phase.BREAK:
        return _("A break is showing")
    if facts.phase is Phase.DUE:
        return _("Break due")
    if facts.next_break_in_s is None:
        return _("Counting active time")
    # Translators: {time} is a length of time ("23 min", "1 h 5 min", "less than a minute")
    return _("Next break in {time}").format(time=minutes_phrase(facts.next_break_in_s))


def tooltip(facts: StatusFacts, now: datetime) -> str:
    """The tray icon's tooltip: the app's name, then the brief status."""
    # Translators: the tray icon's tooltip; {status} is one or more lines about the app's state
    return _("Unclench: {status}").format(status="\n".join(status_lines(facts, now, brief=True)))


def minutes_phrase(seconds: float) -> str:
    """ "23 min", "1 h 5 min", "less than a minute"; rounds up so "0 min" never shows."""
    minutes = math.ceil(seconds / 60)
    if seconds < 60:
        # Translators: as in "Next break in less than a minute"
        return _("less than a minute")
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        # Translators: a length of time in minutes, abbreviated
        return _("{minutes} min").format(minutes=minutes)
    if rest == 0:
        # Translators: a length of time in hours, abbreviated
        return _("{hours} h").format(hours=hours)
    # Translators: a length of time in hours and minutes, abbreviated
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


def clock_phrase(moment: datetime, now: datetime) -> str:
    """ "15:30", or "Tue 04:00" when it is not today."""
    local = moment.astimezone(now.tzinfo)
    if local.date() == now.date():
        return format_clock(local)
    # Translators: a time on another day, "Tue 04:00"; {weekday} is abbreviated
    return _("{weekday} {time}").format(
        weekday=format_day(local.date(), "weekday"), time=format_clock(local)
    )


def _idle_line(source: str, idle_s: float | None) -> str:
    """Which idle detection is in use, and what it reads now where known."""
    if idle_s is None:
        # Translators: {source} names how idle time is detected (a program or system service)
        return _("Idle detection: {source}").format(source=source)
    if idle_s >= 1:
        # Translators: {seconds} is how long the computer has not been used, in seconds
        return _("Idle detection: {source} ({seconds} s)").format(
            source=source, seconds=round(idle_s)
        )
    return _("Idle detection: {source} (in use now)").format(source=source)
