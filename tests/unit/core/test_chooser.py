"""Choosing the technique: preferred areas only, rotating, never the same one twice running."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from unclench.core.catalogue import Catalogue, load_catalogue
from unclench.core.chooser import NoTechniqueError, TechniqueChooser, floor_span
from unclench.core.settings import TechniqueSettings


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def picks(chooser: TechniqueChooser, prefs: TechniqueSettings, n: int) -> list[str]:
    return [chooser.choose(prefs).id for _ in range(n)]


def test_only_the_preferred_areas_are_used(catalogue: Catalogue) -> None:
    prefs = TechniqueSettings(areas=("hands", "temples"))
    chooser = TechniqueChooser(catalogue, random.Random(1))
    areas = {catalogue.get(t).area for t in picks(chooser, prefs, 50)}  # type: ignore[union-attr]
    assert areas == {"hands", "temples"}


def test_never_the_same_technique_twice_in_a_row(catalogue: Catalogue) -> None:
    chooser = TechniqueChooser(catalogue, random.Random(2))
    for prefs in (TechniqueSettings(), TechniqueSettings(areas=("temples",))):
        ids = picks(chooser, prefs, 300)
        assert all(a != b for a, b in itertools.pairwise(ids))


def test_it_rotates_through_every_preferred_area_before_repeating_one(catalogue: Catalogue) -> None:
    prefs = TechniqueSettings()
    chooser = TechniqueChooser(catalogue, random.Random(3))
    ids = picks(chooser, prefs, 8 * 5)
    areas = [catalogue.get(t).area for t in ids]  # type: ignore[union-attr]
    for start in range(0, len(areas), 8):
        assert sorted(areas[start : start + 8]) == sorted(prefs.areas)


def test_within_an_area_it_rotates_across_techniques(catalogue: Catalogue) -> None:
    prefs = TechniqueSettings(areas=("hands",))
    chooser = TechniqueChooser(catalogue, random.Random(4))
    in_area = {t.id for t in catalogue.in_area("hands") if not t.props}
    assert set(picks(chooser, prefs, len(in_area))) == in_area


def test_discreet_only_keeps_to_discreet_techniques(catalogue: Catalogue) -> None:
    prefs = TechniqueSettings(discreet_only=True)
    chooser = TechniqueChooser(catalogue, random.Random(5))
    assert all(catalogue.get(t).discreet for t in picks(chooser, prefs, 40))  # type: ignore[union-attr]


def test_discreet_only_gives_way_when_no_preferred_area_has_a_discreet_technique(
    catalogue: Catalogue,
) -> None:
    fuller = tuple(t for t in catalogue.in_area("forearms") if not t.discreet)
    assert fuller
    chooser = TechniqueChooser(Catalogue(catalogue.areas, fuller), random.Random(6))
    prefs = TechniqueSettings(areas=("forearms",), discreet_only=True)
    assert chooser.choose(prefs) in fuller


def test_techniques_needing_a_ball_come_only_when_the_person_has_one(catalogue: Catalogue) -> None:
    needs_ball = {t.id for t in catalogue if "ball" in t.props}
    assert needs_ball
    without = TechniqueChooser(catalogue, random.Random(7))
    assert not needs_ball & set(picks(without, TechniqueSettings(areas=("feet",)), 30))
    with_ball = TechniqueChooser(catalogue, random.Random(7))
    prefs = TechniqueSettings(areas=("feet",), props=("ball",))
    assert needs_ball & set(picks(with_ball, prefs, 30))


def test_another_one_gives_a_different_technique(catalogue: Catalogue) -> None:
    chooser = TechniqueChooser(catalogue, random.Random(8))
    prefs = TechniqueSettings()
    first = chooser.choose(prefs)
    for _ in range(20):
        other = chooser.choose(prefs, exclude=[first.id])
        assert other.id != first.id
        first = other


def test_the_same_seed_gives_the_same_sequence(catalogue: Catalogue) -> None:
    prefs = TechniqueSettings()
    one = picks(TechniqueChooser(catalogue, random.Random(9)), prefs, 30)
    two = picks(TechniqueChooser(catalogue, random.Random(9)), prefs, 30)
    others = {
        tuple(picks(TechniqueChooser(catalogue, random.Random(s)), prefs, 30)) for s in range(5)
    }
    assert one == two
    assert len(others) > 1


def test_recent_history_carries_the_rotation_across_a_restart(catalogue: Catalogue) -> None:
    prefs = TechniqueSettings(areas=("temples", "scalp"))
    last = catalogue.in_area("temples")[0].id
    chooser = TechniqueChooser(catalogue, random.Random(10), recent=[last])
    assert chooser.choose(prefs).area == "scalp"


def test_a_single_fitting_technique_is_still_offered(catalogue: Catalogue) -> None:
    only = catalogue.in_area("temples")[0]
    small = Catalogue(catalogue.areas, (only,))
    chooser = TechniqueChooser(small, random.Random(11))
    assert picks(chooser, TechniqueSettings(areas=("temples",)), 3) == [only.id] * 3


def test_no_fitting_technique_raises_a_clear_error(catalogue: Catalogue) -> None:
    small = Catalogue(catalogue.areas, catalogue.in_area("temples"))
    chooser = TechniqueChooser(small, random.Random(12))
    with pytest.raises(NoTechniqueError):
        chooser.choose(TechniqueSettings(areas=("feet",)))


# ----------------------------------------------------------------------------- adaptive choice


def area_sequence(chooser: TechniqueChooser, prefs: TechniqueSettings, n: int) -> list[str]:
    return [chooser.choose(prefs).area for _ in range(n)]


def longest_absence(sequence: list[str], area: str) -> int:
    """The longest run of picks without ``area`` (counting from the start and to the end)."""
    marks = [-1, *(i for i, a in enumerate(sequence) if a == area), len(sequence)]
    return max(b - a - 1 for a, b in itertools.pairwise(marks))


@pytest.mark.parametrize("seed", range(5))
def test_an_area_that_helped_comes_up_more_often(catalogue: Catalogue, seed: int) -> None:
    prefs = TechniqueSettings()
    even = Counter(area_sequence(TechniqueChooser(catalogue, random.Random(seed)), prefs, 400))
    chooser = TechniqueChooser(catalogue, random.Random(seed), weights={"temples": 2.0})
    weighted = Counter(area_sequence(chooser, prefs, 400))
    assert max(even.values()) - min(even.values()) <= 1  # no data: an even rotation
    assert weighted["temples"] >= 1.6 * even["temples"]
    others = [count for area, count in weighted.items() if area != "temples"]
    assert max(others) - min(others) <= 2


@pytest.mark.parametrize("seed", range(5))
def test_the_floor_keeps_every_preferred_area_in_the_rotation(
    catalogue: Catalogue, seed: int
) -> None:
    prefs = TechniqueSettings()
    weights = dict.fromkeys(prefs.areas[1:], 2.0)  # all but one helped
    chooser = TechniqueChooser(catalogue, random.Random(seed), weights=weights)
    sequence = area_sequence(chooser, prefs, 500)
    span = floor_span(len(prefs.areas))
    for area in prefs.areas:
        assert longest_absence(sequence, area) < span


def test_the_floor_holds_against_extreme_weights(catalogue: Catalogue) -> None:
    prefs = TechniqueSettings(areas=("hands", "temples", "scalp", "feet"))
    weights = {"hands": 1000.0, "temples": 1000.0}  # alone they would take turns for ever
    chooser = TechniqueChooser(catalogue, random.Random(3), weights=weights)
    sequence = area_sequence(chooser, prefs, 300)
    assert all(longest_absence(sequence, area) < floor_span(4) for area in prefs.areas)
    assert Counter(sequence)["hands"] > 300 / 4


def test_weights_never_bring_the_same_area_twice_in_a_row(catalogue: Catalogue) -> None:
    prefs = TechniqueSettings(areas=("hands", "temples", "scalp"))
    chooser = TechniqueChooser(catalogue, random.Random(4), weights={"hands": 2.0})
    sequence = area_sequence(chooser, prefs, 300)
    assert all(a != b for a, b in itertools.pairwise(sequence))


def test_new_weights_take_effect_on_the_next_pick(catalogue: Catalogue) -> None:
    prefs = TechniqueSettings(areas=("hands", "temples", "scalp"))
    chooser = TechniqueChooser(catalogue, random.Random(5))
    area_sequence(chooser, prefs, 30)
    chooser.set_weights({"scalp": 2.0})
    assert chooser.weights == {"scalp": 2.0}
    assert Counter(area_sequence(chooser, prefs, 300))["scalp"] > 130
