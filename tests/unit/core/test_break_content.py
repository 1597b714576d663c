"""What a break shows and offers, tailored by About me: cautions, light steps, left-out areas."""

from __future__ import annotations

import random

import pytest

from unclench.core.areas import AREA_IDS
from unclench.core.break_content import cautions_for, compose, is_offered, steps_for
from unclench.core.catalogue import Catalogue, Technique, load_catalogue
from unclench.core.chooser import TechniqueChooser
from unclench.core.settings import AboutMeSettings, TechniqueSettings

UNTOLD = AboutMeSettings()
NONE_APPLY = AboutMeSettings(tailored=True)
ALL_AREAS = TechniqueSettings(areas=AREA_IDS)


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(strict=True)


def _get(catalogue: Catalogue, tid: str) -> Technique:
    technique = catalogue.get(tid)
    assert technique is not None
    return technique


def _cautions(catalogue: Catalogue, tid: str, about: AboutMeSettings) -> str:
    technique = _get(catalogue, tid)
    return " ".join(cautions_for(technique, catalogue.area(technique.area), about))


def _offered(catalogue: Catalogue, about: AboutMeSettings) -> set[str]:
    chooser = TechniqueChooser(catalogue, random.Random(1))
    return {t.id for t in chooser.candidates(ALL_AREAS, about)}


# --------------------------------------------------------------------- cautions shown


def test_until_tailored_every_caution_shows(shipped: Catalogue) -> None:
    text = _cautions(shipped, "calves-knee-press", UNTOLD)
    assert "pregnant" in text
    assert "diabetes" in text
    assert "blood clot" in text
    assert "long flight" in text  # for everyone


def test_tailored_with_nothing_that_applies_only_the_cautions_for_everyone_show(
    shipped: Catalogue,
) -> None:
    text = _cautions(shipped, "calves-knee-press", NONE_APPLY)
    assert "long flight" in text
    for other in ("pregnant", "diabetes", "blood clot"):
        assert other not in text
    assert _cautions(shipped, "hands-thumb-palm", NONE_APPLY) == ""


@pytest.mark.parametrize(
    ("switch", "tid", "words"),
    [
        ("pregnancy", "hands-thumb-palm", "web between your thumb"),
        ("pregnancy", "neck-opposite-shoulder", "tops of your shoulders"),
        ("pregnancy", "feet-toe-circles", "outer ankle"),
        ("low_sensation", "feet-sole-press", "less feeling in your feet"),
        ("low_sensation", "thighs-fist-tap", "less feeling in your legs"),
        ("low_sensation", "hands-wrist-fingers", "keep the pressure light"),
    ],
)
def test_each_switch_shows_its_own_caution_and_no_other(
    shipped: Catalogue, switch: str, tid: str, words: str
) -> None:
    told = AboutMeSettings(tailored=True, **{switch: True})
    assert words in _cautions(shipped, tid, told)
    assert words not in _cautions(shipped, tid, NONE_APPLY)


def test_an_own_technique_carries_its_areas_cautions(shipped: Catalogue) -> None:
    own = Technique("own-hand-rub", "hands", "My rub", ("Rub.", "Rest."), 60, custom=True)
    told = AboutMeSettings(tailored=True, pregnancy=True)
    assert "web between your thumb" in " ".join(cautions_for(own, shipped.area("hands"), told))


# --------------------------------------------------------------------- what is offered


def test_clots_leave_every_calves_technique_out(shipped: Catalogue) -> None:
    offered = _offered(shipped, AboutMeSettings(tailored=True, clots=True))
    assert not [tid for tid in offered if tid.startswith("calves-")]
    assert "calves-knee-press" in _offered(shipped, NONE_APPLY)
    # Until the person says, calves stay a choice they make (off by default) knowingly.
    assert "calves-knee-press" in _offered(shipped, UNTOLD)


def test_pregnancy_leaves_out_the_inner_shin_technique(shipped: Catalogue) -> None:
    pregnant = AboutMeSettings(tailored=True, pregnancy=True)
    assert "calves-inner-thumbs" not in _offered(shipped, pregnant)
    assert "calves-knee-press" in _offered(shipped, pregnant)
    assert "calves-inner-thumbs" in _offered(shipped, NONE_APPLY)


def test_less_feeling_swaps_in_the_light_steps(shipped: Catalogue) -> None:
    light = AboutMeSettings(tailored=True, low_sensation=True)
    technique = _get(shipped, "thighs-palm-press")
    assert steps_for(technique, light) == technique.light_steps
    assert "firmer" not in " ".join(steps_for(technique, light))
    assert steps_for(technique, NONE_APPLY) == technique.steps
    assert steps_for(technique, UNTOLD) == technique.steps
    no_light = _get(shipped, "thighs-fist-tap")
    assert steps_for(no_light, light) == no_light.steps


def test_an_area_or_technique_to_avoid_is_not_offered() -> None:
    technique = Technique("x-one", "calves", "X", ("a", "b"), 60, avoid_with=("pregnancy",))
    assert not is_offered(technique, None, AboutMeSettings(tailored=True, pregnancy=True))
    assert is_offered(technique, None, AboutMeSettings(tailored=True, clots=True))
    assert is_offered(technique, None, UNTOLD)


# --------------------------------------------------------------------- the whole break


def test_compose_frames_the_technique_with_stop_rule_grounding_and_closing(
    shipped: Catalogue,
) -> None:
    technique = _get(shipped, "temples-palm-press")
    first = compose(shipped, technique, UNTOLD, turn=0)
    second = compose(shipped, technique, UNTOLD, turn=1)
    assert first.area_name == "Temples"
    assert first.steps == technique.steps
    assert first.cautions == ("Use gentle pressure only, and never press on your eyes.",)
    assert first.stop_rule == shipped.stop_rule
    assert first.closing == shipped.closing
    assert first.grounding == shipped.grounding[0]
    assert second.grounding == shipped.grounding[1]
    wrapped = compose(shipped, technique, UNTOLD, turn=len(shipped.grounding))
    assert wrapped.grounding == shipped.grounding[0]


# --------------------------------------------------------------------- calm and discreet


def test_a_calming_break_draws_only_calming_techniques_from_the_chosen_areas(
    shipped: Catalogue,
) -> None:
    chooser = TechniqueChooser(shipped, random.Random(3))
    prefs = TechniqueSettings(areas=("temples", "forearms"))
    pool = chooser.candidates(prefs, calming=True)
    assert pool
    assert all(t.calming and t.area == "temples" for t in pool)


def test_a_calming_break_looks_beyond_the_chosen_areas_when_they_have_none(
    shipped: Catalogue,
) -> None:
    chooser = TechniqueChooser(shipped, random.Random(3))
    prefs = TechniqueSettings(areas=("forearms",))  # no calming technique there
    pool = chooser.candidates(prefs, calming=True)
    assert pool
    assert all(t.calming for t in pool)
    assert chooser.choose(prefs, calming=True).calming


def test_discreet_only_with_nothing_discreet_left_says_so(shipped: Catalogue) -> None:
    chooser = TechniqueChooser(shipped, random.Random(3))
    discreet_calves = TechniqueSettings(areas=("calves",), discreet_only=True)
    assert not chooser.lacks_discreet(discreet_calves)
    # A catalogue whose calves have nothing discreet...
    only_loud = Catalogue(
        shipped.areas,
        tuple(t for t in shipped if t.area != "calves" or not t.discreet),
    )
    chooser = TechniqueChooser(only_loud, random.Random(3))
    assert chooser.lacks_discreet(discreet_calves)
    assert chooser.candidates(discreet_calves)  # ...so the others still show
    assert not chooser.lacks_discreet(TechniqueSettings(areas=("calves",)))
