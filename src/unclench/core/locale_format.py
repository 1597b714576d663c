"""Numbers, times and dates in the person's language: "4,5", "15:30", "Fr. 4. Dez.".

English keeps its own short forms and never loads anything. Other languages use Babel's
copy of the Unicode locale data (CLDR), imported on the first number or date shown, so
starting the app costs nothing more in any language.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from unclench.core.i18n import SOURCE_LANGUAGE, current_language

#: The date shapes the app shows, as CLDR skeletons (each language orders them its own way).
DayShape = Literal["weekday", "day-month", "weekday-day-month"]
_SKELETONS: dict[str, str] = {"weekday": "EEE", "day-month": "dMMM", "weekday-day-month": "MMMEd"}
_ENGLISH: dict[str, str] = {"weekday": "%a", "day-month": "%-d %b", "weekday-day-month": "%a %d %b"}


def _babel_locale() -> str:
    return current_language()


def format_decimal(value: float, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals, with the language's decimal sign."""
    if current_language() == SOURCE_LANGUAGE:
        return f"{value:.{digits}f}"
    from babel.numbers import format_decimal as babel_decimal  # noqa: PLC0415 - only when used

    pattern = "0." + "0" * digits if digits else "0"
    return babel_decimal(round(value, digits), format=pattern, locale=_babel_locale())


def format_clock(moment: datetime) -> str:
    """The time of day, as the language writes it ("15:30", "下午3:30")."""
    if current_language() == SOURCE_LANGUAGE:
        return moment.strftime("%H:%M")
    from babel.dates import format_time  # noqa: PLC0415 - only when used

    return format_time(moment, format="short", locale=_babel_locale())


def format_day(day: date, shape: DayShape) -> str:
    """A day in one of the app's shapes, in the language's own order and names."""
    if current_language() == SOURCE_LANGUAGE:
        return day.strftime(_ENGLISH[shape])
    from babel.dates import format_skeleton  # noqa: PLC0415 - only when used

    return format_skeleton(_SKELETONS[shape], day, locale=_babel_locale())
