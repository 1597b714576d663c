"""How long to pause or snooze: one typed value from the tray, the break window and the
command line to the controller, and the snooze lengths they all offer."""

from __future__ import annotations

from dataclasses import dataclass

from unclench.core.i18n import N_, _


@dataclass(frozen=True, slots=True)
class Duration:
    """How long to pause or snooze: whole seconds, or ``None`` for "until the next day starts"."""

    seconds: int | None

    @property
    def until_tomorrow(self) -> bool:
        return self.seconds is None

    def __str__(self) -> str:
        """The wire form, which :func:`parse_duration` reads back: ``1h30m``, ``tomorrow``."""
        if self.seconds is None:
            return "tomorrow"
        return "".join(f"{n}{short}" for n, short in _split(self.seconds))

    def describe(self) -> str:
        """For a person: ``1 h 30 min``, ``until tomorrow``."""
        if self.seconds is None:
            # Translators: how long a pause or snooze lasts, as in "Reminders paused until tomorrow"
            return _("until tomorrow")
        hours, rest = divmod(self.seconds, 3600)
        minutes, secs = divmod(rest, 60)
        shape = (bool(hours), bool(minutes), bool(secs))
        if shape not in _SPOKEN:
            return ""  # no time at all: nothing a person is ever shown
        return _(_SPOKEN[shape]).format(hours=hours, minutes=minutes, seconds=secs)


def _split(seconds: int) -> list[tuple[int, str]]:
    """The non-zero hours, minutes and seconds, each with its wire unit."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    units = ((hours, "h"), (minutes, "m"), (secs, "s"))
    return [unit for unit in units if unit[0]]


#: A length for a person, by which of hours, minutes and seconds it has ("h": hours,
#: "min": minutes, "s": seconds, all abbreviated).
_SPOKEN: dict[tuple[bool, bool, bool], str] = {
    (True, False, False): N_("{hours} h"),
    (False, True, False): N_("{minutes} min"),
    (False, False, True): N_("{seconds} s"),
    (True, True, False): N_("{hours} h {minutes} min"),
    (True, False, True): N_("{hours} h {seconds} s"),
    (False, True, True): N_("{minutes} min {seconds} s"),
    (True, True, True): N_("{hours} h {minutes} min {seconds} s"),
}


TOMORROW = Duration(None)

#: The snooze lengths offered in the tray menu and in the break window's Snooze menu.
SNOOZE_CHOICES = (Duration(5 * 60), Duration(15 * 60), Duration(30 * 60))
#: The pauses the tray offers, with their menu labels.
PAUSE_CHOICES = (
    # Translators: tray menu items under "Pause reminders"
    (Duration(30 * 60), N_("30 minutes")),
    (Duration(60 * 60), N_("1 hour")),
    (Duration(2 * 60 * 60), N_("2 hours")),
    (TOMORROW, N_("Until tomorrow")),
)
