"""What one break shows, worked out from the technique, its area and what the person told us.

The window only lays these words out; which cautions apply, which steps (firm or light) and
which lines frame the technique are decided here, where a test can check them without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from unclench.core.catalogue import Area, Catalogue, Technique
from unclench.core.i18n import N_, _
from unclench.core.settings import AboutMeSettings

#: Shown in the break when discreet-only is on and none of the chosen areas has a discreet
#: technique left: the person learns why this one is not discreet. English, marked for
#: translation: :func:`compose` translates it.
NOTHING_DISCREET = N_(
    "None of your areas has a discreet technique you can do right now, so here is one "
    "that may be seen."
)


@dataclass(frozen=True, slots=True)
class BreakContent:
    """Every word of one break, in the order a person (or a screen reader) meets them."""

    technique: Technique
    area_name: str
    steps: tuple[str, ...]
    #: Safety notes that apply to this person: the area's, the technique's, their conditions'.
    cautions: tuple[str, ...]
    stop_rule: str
    #: A line that brings attention back to the body, shown while the timer runs.
    grounding: str | None = None
    closing_title: str = ""
    closing: tuple[str, ...] = ()
    #: Something the person should know about this choice (see NOTHING_DISCREET).
    notice: str | None = None
    #: A calming break, asked for: the breathing guide shows whatever the settings say.
    calm: bool = False


def is_offered(technique: Technique, area: Area | None, about: AboutMeSettings) -> bool:
    """Whether this technique may be offered to this person at all."""
    conditions = about.conditions()
    if not conditions:
        return True  # nothing told, or nothing that applies: nothing is held back
    avoided = set(technique.avoid_with) | set(area.avoid_with if area else ())
    return not avoided & conditions


def cautions_for(
    technique: Technique, area: Area | None, about: AboutMeSettings
) -> tuple[str, ...]:
    """The area's safety note, the technique's, and each condition caution that applies.

    Until the person tailors them, every condition caution applies: better one line too many
    than a pregnant person who never opened Settings missing hers.
    """
    conditions = about.conditions()
    notes: list[str] = []
    if area is not None and area.safety:
        notes.append(area.safety)
    if technique.safety:
        notes.append(technique.safety)
    if area is not None:
        notes.extend(
            text
            for condition, text in area.cautions
            if conditions is None or condition in conditions
        )
    return tuple(notes)


def reasons_left_out(area: Area) -> tuple[str, ...]:
    """Why an area may not be for everyone: its safety note and the cautions for the
    conditions it is left out for (what Settings shows beside an area that is off)."""
    notes = [area.safety] if area.safety else []
    notes += [text for condition, text in area.cautions if condition in area.avoid_with]
    return tuple(notes)


def steps_for(technique: Technique, about: AboutMeSettings) -> tuple[str, ...]:
    """The lighter-pressure steps for someone with less feeling, where the technique has them."""
    conditions = about.conditions()
    if conditions and "low_sensation" in conditions and technique.light_steps:
        return technique.light_steps
    return technique.steps


def compose(
    catalogue: Catalogue,
    technique: Technique,
    about: AboutMeSettings,
    *,
    turn: int = 0,
    notice: str | None = None,
    calm: bool = False,
) -> BreakContent:
    """The break for ``technique``; ``turn`` picks the grounding line (they take turns).

    ``notice`` is an English message marked with ``N_`` (such as NOTHING_DISCREET); the
    content carries it in the current language.
    """
    area = catalogue.area(technique.area)
    grounding = (
        catalogue.grounding[turn % len(catalogue.grounding)] if catalogue.grounding else None
    )
    return BreakContent(
        technique=technique,
        area_name=area.name if area else technique.area,
        steps=steps_for(technique, about),
        cautions=cautions_for(technique, area, about),
        stop_rule=catalogue.stop_rule,
        grounding=grounding,
        closing_title=catalogue.closing_title,
        closing=catalogue.closing,
        notice=None if notice is None else _(notice),
        calm=calm,
    )
