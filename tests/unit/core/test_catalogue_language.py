"""The catalogue in each shipped language: every word replaced, shapes kept, English as fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from unclench.core.catalogue import Catalogue, Technique, load_catalogue
from unclench.core.catalogue_language import in_language, language_file
from unclench.core.i18n import LANGUAGES, SOURCE_LANGUAGE

TRANSLATED = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]


@pytest.fixture(scope="module")
def english() -> Catalogue:
    return load_catalogue()


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_shipped_word_is_in_the_language_and_nothing_else_changes(
    english: Catalogue, code: str
) -> None:
    assert language_file(code).is_file()
    translated = in_language(english, code)
    for mine, theirs in zip(translated, english, strict=True):
        assert (mine.id, mine.area, mine.seconds, mine.discreet) == (
            theirs.id,
            theirs.area,
            theirs.seconds,
            theirs.discreet,
        )
        assert len(mine.steps) == len(theirs.steps)
        assert mine.steps != theirs.steps, (code, mine.id)
        assert len(mine.light_steps) == len(theirs.light_steps)
        assert (mine.safety is None) == (theirs.safety is None)
    for mine_area, their_area in zip(translated.areas, english.areas, strict=True):
        assert mine_area.name != their_area.name, (code, mine_area.id)
        assert [c for c, _t in mine_area.cautions] == [c for c, _t in their_area.cautions]
        assert mine_area.avoid_with == their_area.avoid_with
    assert translated.stop_rule != english.stop_rule
    assert len(translated.grounding) == len(english.grounding)
    assert len(translated.closing) == len(english.closing)


def test_english_is_the_catalogue_itself(english: Catalogue) -> None:
    assert in_language(english, SOURCE_LANGUAGE) is english


def test_a_missing_or_broken_file_leaves_english(english: Catalogue, tmp_path: Path) -> None:
    assert in_language(english, "de", tmp_path / "none.toml") == english
    broken = tmp_path / "broken.toml"
    broken.write_text("stop_rule = [", encoding="utf-8")
    assert in_language(english, "de", broken) == english


def test_a_gap_or_a_wrong_shape_keeps_the_english_words_only_there(
    english: Catalogue, tmp_path: Path
) -> None:
    path = tmp_path / "techniques.toml"
    path.write_text(
        '[techniques.hands-thumb-palm]\ntitle = "Daumen"\nsteps = ["nur einer"]\n'
        '[areas.hands]\nname = "Hände"\n',
        encoding="utf-8",
    )
    translated = in_language(english, "de", path)
    thumb = translated.get("hands-thumb-palm")
    original = english.get("hands-thumb-palm")
    assert thumb is not None
    assert original is not None
    assert thumb.title == "Daumen"
    assert thumb.steps == original.steps  # one step for four: kept English
    assert translated.area_name("hands") == "Hände"
    assert translated.area_name("feet") == "Feet"


def test_the_persons_own_techniques_stay_as_written(english: Catalogue) -> None:
    own = Technique("hands-thumb-palm", "hands", "Mine", ("A.", "B."), 60, custom=True)
    translated = in_language(english.with_techniques([own]), "de")
    assert translated.get("hands-thumb-palm") == own
