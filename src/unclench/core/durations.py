"""How long to pause or snooze: one typed value from the tray, the break window and the
command line to the controller, and the snooze lengths they all offer."""

from __future__ import annotations

from dataclasses import dataclass


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
        return "".join(f"{n}{short}" for n, short, _ in _split(self.seconds))

    def describe(self) -> str:
        """For a person: ``1 h 30 min``, ``until tomorrow``."""
        if self.seconds is None:
            return "until tomorrow"
        return " ".join(f"{n} {long}" for n, _, long in _split(self.seconds))


def _split(seconds: int) -> list[tuple[int, str, str]]:
    """The non-zero hours, minutes and seconds, each with its wire and its spoken unit."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    units = ((hours, "h", "h"), (minutes, "m", "min"), (secs, "s", "s"))
    return [unit for unit in units if unit[0]]


TOMORROW = Duration(None)

#: The snooze lengths offered in the tray menu and in the break window's Snooze menu.
SNOOZE_CHOICES = (Duration(5 * 60), Duration(15 * 60), Duration(30 * 60))
#: The pauses the tray offers, with their menu labels.
PAUSE_CHOICES = (
    (Duration(30 * 60), "30 minutes"),
    (Duration(60 * 60), "1 hour"),
    (Duration(2 * 60 * 60), "2 hours"),
    (TOMORROW, "Until tomorrow"),
)
