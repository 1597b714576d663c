"""Break contents for window tests: a technique framed as the app frames it, without a file."""

from __future__ import annotations

from unclench.core.break_content import BreakContent, compose
from unclench.core.catalogue import Area, Catalogue, Technique
from unclench.core.settings import AboutMeSettings

STOP_RULE = "Stop if it hurts or you feel dizzy."
CLOSING = ("Teeth apart.", "Shoulders down.", "Hands open.")
GROUNDING = ("Notice the warmth under your hands.",)


def content_of(
    technique: Technique,
    area: Area | None = None,
    *,
    about: AboutMeSettings | None = None,
    notice: str | None = None,
    calm: bool = False,
) -> BreakContent:
    catalogue = Catalogue(
        (area,) if area else (),
        (technique,),
        stop_rule=STOP_RULE,
        closing_title="Last look",
        closing=CLOSING,
        grounding=GROUNDING,
    )
    return compose(catalogue, technique, about or AboutMeSettings(), notice=notice, calm=calm)
