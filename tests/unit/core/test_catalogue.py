"""The technique catalogue: the shipped file's content, and validation that names what is wrong."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from unclench.core.areas import AREA_IDS, PROP_IDS
from unclench.core.catalogue import (
    Catalogue,
    CatalogueError,
    Technique,
    default_catalogue_path,
    load_catalogue,
    load_catalogue_lenient,
)
from unclench.core.resources import resource_dir, resource_path

REPO_ROOT = Path(__file__).resolve().parents[3]
SHIPPED_FILE = REPO_ROOT / "resources" / "techniques.toml"


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(strict=True)


# --------------------------------------------------------------------- the shipped catalogue


def test_resource_dir_finds_the_shipped_techniques_in_the_checkout() -> None:
    found = resource_dir() / "techniques.toml"
    assert found.is_file()
    assert found.read_bytes() == SHIPPED_FILE.read_bytes()
    assert default_catalogue_path() == resource_path("techniques.toml") == found


def test_the_shipped_catalogue_loads_strictly_without_problems() -> None:
    catalogue, problems = load_catalogue_lenient()
    assert problems == []
    assert len(catalogue) > 0


def test_the_shipped_catalogue_has_exactly_the_nine_areas_in_order(shipped: Catalogue) -> None:
    assert [a.id for a in shipped.areas] == [
        "hands",
        "forearms",
        "scalp",
        "temples",
        "face",
        "neck_shoulders",
        "thighs",
        "calves",
        "feet",
    ]
    assert tuple(a.id for a in shipped.areas) == AREA_IDS
    assert {t.area for t in shipped} == set(AREA_IDS)


def test_an_area_is_named_for_a_person_and_an_unknown_one_by_its_id(shipped: Catalogue) -> None:
    assert shipped.area_name("neck_shoulders") == "Neck and shoulders"
    assert shipped.area_name("elbows") == "elbows"


def test_every_area_has_a_technique_that_needs_no_props(shipped: Catalogue) -> None:
    for area in AREA_IDS:
        assert any(not t.props for t in shipped.in_area(area)), area


def test_every_area_offers_three_techniques_and_a_discreet_one_without_props(
    shipped: Catalogue,
) -> None:
    for area in AREA_IDS:
        no_props = [t for t in shipped.in_area(area) if not t.props]
        assert len(no_props) >= 3, area
        assert any(t.discreet for t in no_props), area


def test_a_soothing_touch_technique_and_calming_ones_in_most_areas(shipped: Catalogue) -> None:
    """Soothing self-touch (docs/evidence.md): a hand resting warm on the body, held."""
    hold = shipped.get("neck-self-hold")
    assert hold is not None
    assert hold.calming
    assert hold.discreet
    assert any("warmth under your hands" in step for step in hold.steps)
    calming_areas = {t.area for t in shipped if t.calming}
    assert len(calming_areas) >= 6


@pytest.mark.parametrize(
    ("tid", "words"),
    [
        ("face-jaw-hold", "teeth part"),
        ("face-brow-bone", "eye below it gets no pressure"),
        ("face-ears", "ear"),
        ("forearms-mouse-side", "top of the forearm"),
        ("feet-rooted", "feet flat on the floor"),
    ],
)
def test_the_new_techniques_are_there(shipped: Catalogue, tid: str, words: str) -> None:
    technique = shipped.get(tid)
    assert technique is not None
    assert words in " ".join(technique.steps)


def test_every_break_is_framed_by_a_stop_rule_a_closing_check_and_grounding(
    shipped: Catalogue,
) -> None:
    for word in ("pain", "tingling", "numbness", "dizziness"):
        assert word in shipped.stop_rule
    assert shipped.closing_title == "Unclench check"
    closing = " ".join(shipped.closing)
    for words in ("teeth", "shoulders", "hands"):
        assert words in closing
    assert any("feet on the floor" in line for line in shipped.grounding)
    assert any("warmth under your hands" in line for line in shipped.grounding)


@pytest.mark.parametrize(
    ("area", "words"),
    [
        ("hands", "web between your thumb"),
        ("neck_shoulders", "tops of your shoulders"),
        ("calves", "inner shin"),
        ("feet", "outer ankle"),
    ],
)
def test_pregnancy_cautions_belong_to_their_areas(
    shipped: Catalogue, area: str, words: str
) -> None:
    found = shipped.area(area)
    assert found is not None
    assert words in dict(found.cautions)["pregnancy"]


def test_no_technique_repeats_a_caution_its_area_carries(shipped: Catalogue) -> None:
    for technique in shipped:
        assert "pregnant" not in (technique.safety or ""), technique.id


def test_the_vague_steps_were_made_clear(shipped: Catalogue) -> None:
    def text(tid: str) -> str:
        technique = shipped.get(tid)
        assert technique is not None
        return " ".join(technique.steps) + " " + (technique.safety or "")

    assert "Slip off your shoes" in text("feet-sole-press")
    assert "cross" not in text("scalp-skull-lift").lower()
    assert "dizzy" in text("scalp-skull-lift")
    assert "fleshy underside" in text("forearms-arm-on-arm")
    assert "keep breathing" in text("temples-palm-press")
    assert "little of your head's weight" in text("temples-palm-press")
    assert "big toe" in text("feet-toe-circles")
    assert "either side of the spine" in text("neck-back-of-neck")
    assert "never into pain" in text("neck-back-of-neck")
    assert "foot flat on the floor" in text("calves-inner-thumbs")


def test_every_technique_is_a_micro_break(shipped: Catalogue) -> None:
    """2-5 steps of text, 30-90 seconds."""
    for t in shipped:
        assert 2 <= len(t.steps) <= 5, t.id
        assert 30 <= t.seconds <= 90, t.id
        assert all(step.strip() for step in t.steps), t.id
        assert t.title.strip(), t.id
        assert t.custom is False


def test_a_ball_technique_is_offered(shipped: Catalogue) -> None:
    with_ball = [t for t in shipped if t.props == ("ball",)]
    assert with_ball
    assert set(PROP_IDS) == {"ball"}


@pytest.mark.parametrize("area", ["neck_shoulders", "face", "temples", "calves"])
def test_sensitive_areas_carry_a_safety_note(shipped: Catalogue, area: str) -> None:
    found = shipped.area(area)
    assert found is not None
    assert found.safety is not None
    assert found.safety.strip()


def test_calves_carry_the_clot_caution_and_are_left_out_for_clots(shipped: Catalogue) -> None:
    calves = shipped.area("calves")
    assert calves is not None
    assert "clot" in dict(calves.cautions)["clots"]
    assert calves.avoid_with == ("clots",)
    assert calves.safety is not None
    assert "long flight" in calves.safety


def test_the_shipped_technique_ids_are_unique() -> None:
    """Checked on the raw file: the loader drops a repeat, so the catalogue alone cannot tell."""
    raw = tomllib.loads(SHIPPED_FILE.read_text(encoding="utf-8"))
    counts = Counter(t["id"] for t in raw["techniques"])
    assert [i for i, n in counts.items() if n > 1] == []
    assert len(counts) == len(load_catalogue())


def test_lookup_by_id_and_area(shipped: Catalogue) -> None:
    first = shipped.techniques[0]
    assert shipped.get(first.id) is first
    assert shipped.get("no-such-technique") is None
    assert shipped.area("elbows") is None
    assert first in shipped.in_area(first.area)


# --------------------------------------------------------------------- validation


def _technique(tid: str, area: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": tid,
        "area": area,
        "title": f"Rub the {area}",
        "steps": ["Rest your hand there.", "Make slow circles."],
        "seconds": 60,
        **fields,
    }


PER_AREA = 4  # one more than an area needs, so losing one technique breaks nothing else


def _valid_doc() -> dict[str, Any]:
    """A small, valid catalogue: every area with four techniques (the first discreet), one
    more needing a ball, and the words around every break."""
    areas = [{"id": a, "name": a.title(), "blurb": f"All about {a}."} for a in AREA_IDS]
    names = ("one", "two", "three", "four")[:PER_AREA]
    techniques = [
        _technique(f"{a.replace('_', '-')}-{n}", a, discreet=n == "one")
        for n in names
        for a in AREA_IDS
    ]
    techniques.append(_technique("feet-ball", "feet", props=["ball"], discreet=True))
    return {
        "schema": 1,
        "stop_rule": "Stop if it hurts.",
        "grounding": ["Feel the chair."],
        "closing": {"title": "Last look", "steps": ["Teeth apart.", "Hands open."]},
        "areas": areas,
        "techniques": techniques,
    }


def _find(doc: dict[str, Any], tid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in doc["techniques"] if t["id"] == tid)
    return found


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def test_the_test_catalogue_is_valid(tmp_path: Path) -> None:
    """Guards the cases below: each breaks exactly one thing of a valid file."""
    catalogue = load_catalogue(_write(tmp_path / "ok.toml", _valid_doc()))
    assert len(catalogue) == PER_AREA * len(AREA_IDS) + 1


Edit = Callable[[dict[str, Any]], None]


def _drop(tid: str, key: str) -> Edit:
    return lambda doc: _find(doc, tid).pop(key)


def _set(tid: str, key: str, value: Any) -> Edit:
    return lambda doc: _find(doc, tid).__setitem__(key, value)


def _repeat_id(doc: dict[str, Any]) -> None:
    _find(doc, "hands-two")["id"] = "hands-one"


def _drop_area(doc: dict[str, Any]) -> None:
    doc["areas"] = [a for a in doc["areas"] if a["id"] != "thighs"]


BROKEN_TECHNIQUES: dict[str, tuple[Edit, str, str]] = {
    "missing title": (_drop("hands-two", "title"), "hands-two", "title"),
    "blank title": (_set("hands-two", "title", "   "), "hands-two", "title"),
    "six steps": (_set("scalp-two", "steps", ["Step."] * 6), "scalp-two", "steps"),
    "one step": (_set("scalp-two", "steps", ["Step."]), "scalp-two", "steps"),
    "a step too long": (_set("scalp-two", "steps", ["x" * 111, "y"]), "scalp-two", "steps[1]"),
    "200 seconds": (_set("face-two", "seconds", 200), "face-two", "seconds"),
    "seconds as text": (_set("face-two", "seconds", "60"), "face-two", "seconds"),
    "seconds as bool": (_set("face-two", "seconds", True), "face-two", "seconds"),
    "unknown area": (_set("feet-two", "area", "elbows"), "feet-two", "area"),
    "bad prop": (_set("feet-two", "props", ["towel"]), "feet-two", "props"),
    "duplicate id": (_repeat_id, "hands-one", "id"),
    "bad id": (_set("calves-two", "id", "Calves Two"), "Calves Two", "id"),
    "unknown field": (_set("calves-two", "colour", "red"), "calves-two", "colour"),
    "non-bool flag": (_set("thighs-two", "discreet", "yes"), "thighs-two", "discreet"),
    "non-bool one_hand": (_set("thighs-two", "one_hand", 1), "thighs-two", "one_hand"),
    "blank safety": (_set("thighs-two", "safety", " "), "thighs-two", "safety"),
    "non-bool calming": (_set("thighs-two", "calming", "yes"), "thighs-two", "calming"),
    "bad avoid_with": (_set("thighs-two", "avoid_with", ["flu"]), "thighs-two", "avoid_with"),
    "one light step": (
        _set("thighs-two", "light_steps", ["Only."]),
        "thighs-two",
        "light_steps",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_TECHNIQUES))
def test_a_broken_technique_is_named_with_its_file_and_field(case: str, tmp_path: Path) -> None:
    edit, tid, field = BROKEN_TECHNIQUES[case]
    doc = _valid_doc()
    edit(doc)
    path = _write(tmp_path / "techniques.toml", doc)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"technique {tid!r}" in message
    assert f"field {field!r}" in message


@pytest.mark.parametrize("case", list(BROKEN_TECHNIQUES))
def test_lenient_loading_skips_only_the_broken_technique(case: str, tmp_path: Path) -> None:
    edit, tid, field = BROKEN_TECHNIQUES[case]
    doc = _valid_doc()
    edit(doc)
    catalogue, problems = load_catalogue_lenient(_write(tmp_path / "techniques.toml", doc))
    assert len(catalogue) == PER_AREA * len(AREA_IDS)  # one of them is gone
    assert len(catalogue.areas) == len(AREA_IDS)
    assert [(p.technique, p.field) for p in problems] == [(tid, field)]


def test_every_problem_of_one_technique_is_listed(tmp_path: Path) -> None:
    doc = _valid_doc()
    entry = _find(doc, "hands-two")
    entry.update(seconds=5, props=["towel"])
    del entry["title"]
    _, problems = load_catalogue_lenient(_write(tmp_path / "techniques.toml", doc))
    assert {p.field for p in problems} == {"title", "seconds", "props"}
    assert {p.technique for p in problems} == {"hands-two"}


def test_a_technique_without_an_id_is_named_by_its_position(tmp_path: Path) -> None:
    doc = _valid_doc()
    del doc["techniques"][2]["id"]
    path = _write(tmp_path / "techniques.toml", doc)
    with pytest.raises(CatalogueError, match=r"technique '#3', field 'id'"):
        load_catalogue(path)


def test_an_area_left_with_only_prop_techniques_is_reported(tmp_path: Path) -> None:
    doc = _valid_doc()
    for tid in ("feet-one", "feet-two"):
        _find(doc, tid)["props"] = ["ball"]
    path = _write(tmp_path / "techniques.toml", doc)
    with pytest.raises(CatalogueError, match=r"field 'areas': area 'feet' needs at least 3"):
        load_catalogue(path)


def test_an_area_with_nothing_discreet_is_reported(tmp_path: Path) -> None:
    doc = _valid_doc()
    _find(doc, "temples-one")["discreet"] = False
    path = _write(tmp_path / "techniques.toml", doc)
    with pytest.raises(CatalogueError, match=r"area 'temples' has no discreet technique"):
        load_catalogue(path)


BROKEN_FRAMING: dict[str, tuple[Edit, str]] = {
    "no stop rule": (lambda doc: doc.pop("stop_rule"), "stop_rule"),
    "blank stop rule": (lambda doc: doc.__setitem__("stop_rule", " "), "stop_rule"),
    "closing not a table": (lambda doc: doc.__setitem__("closing", ["x"]), "closing"),
    "closing of one step": (
        lambda doc: doc["closing"].__setitem__("steps", ["Only."]),
        "closing.steps",
    ),
    "no grounding": (lambda doc: doc.pop("grounding"), "grounding"),
    "grounding too long": (lambda doc: doc.__setitem__("grounding", ["x" * 111]), "grounding"),
    "caution for an unknown condition": (
        lambda doc: doc["areas"][0].__setitem__("cautions", {"flu": "Rest."}),
        "areas.hands.cautions",
    ),
    "avoid_with an unknown condition": (
        lambda doc: doc["areas"][1].__setitem__("avoid_with", ["flu"]),
        "areas.forearms.avoid_with",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_FRAMING))
def test_broken_words_around_the_techniques_are_named(case: str, tmp_path: Path) -> None:
    edit, field = BROKEN_FRAMING[case]
    doc = _valid_doc()
    edit(doc)
    path = _write(tmp_path / "techniques.toml", doc)
    catalogue, problems = load_catalogue_lenient(path)
    assert field in [p.field for p in problems]
    assert len(catalogue) >= PER_AREA * (len(AREA_IDS) - 1)  # the techniques still load


def test_conditions_flags_and_light_steps_are_read(tmp_path: Path) -> None:
    doc = _valid_doc()
    doc["areas"][8]["cautions"] = {"clots": "Not for you.", "pregnancy": "Gently."}
    _find(doc, "feet-two").update(
        calming=True, avoid_with=["pregnancy"], light_steps=["Lightly.", "Softly."]
    )
    catalogue = load_catalogue(_write(tmp_path / "techniques.toml", doc))
    feet = catalogue.area("feet")
    assert feet is not None
    assert feet.cautions == (("pregnancy", "Gently."), ("clots", "Not for you."))
    technique = catalogue.get("feet-two")
    assert technique is not None
    assert technique.calming
    assert technique.avoid_with == ("pregnancy",)
    assert technique.light_steps == ("Lightly.", "Softly.")


def test_a_missing_area_table_is_reported(tmp_path: Path) -> None:
    doc = _valid_doc()
    _drop_area(doc)
    path = _write(tmp_path / "techniques.toml", doc)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    message = str(caught.value)
    assert str(path) in message
    assert "field 'areas': missing thighs" in message


def test_an_area_without_a_name_is_reported(tmp_path: Path) -> None:
    doc = _valid_doc()
    del doc["areas"][0]["name"]
    path = _write(tmp_path / "techniques.toml", doc)
    with pytest.raises(CatalogueError, match=r"field 'areas\.hands'"):
        load_catalogue(path)


def test_an_unknown_area_table_is_reported(tmp_path: Path) -> None:
    doc = _valid_doc()
    doc["areas"].append({"id": "elbows", "name": "Elbows", "blurb": "Pointy."})
    path = _write(tmp_path / "techniques.toml", doc)
    with pytest.raises(CatalogueError, match=r"field 'areas\.id': unknown area 'elbows'"):
        load_catalogue(path)


def test_a_repeated_area_table_is_reported(tmp_path: Path) -> None:
    """Like a repeated technique id: the second 'hands' table would list Hands twice."""
    doc = _valid_doc()
    doc["areas"].append({"id": "hands", "name": "Hands again", "blurb": "A second copy."})
    path = _write(tmp_path / "techniques.toml", doc)
    with pytest.raises(CatalogueError, match=r"field 'areas"):
        load_catalogue(path)


def _schema_2(doc: dict[str, Any]) -> None:
    doc["schema"] = 2


def _no_schema(doc: dict[str, Any]) -> None:
    del doc["schema"]


def _no_areas(doc: dict[str, Any]) -> None:
    del doc["areas"]


def _techniques_not_a_list(doc: dict[str, Any]) -> None:
    doc["techniques"] = {"hands-one": _find(doc, "hands-one")}


BROKEN_FILES: dict[str, tuple[Edit, str]] = {
    "wrong schema": (_schema_2, "schema"),
    "no schema": (_no_schema, "schema"),
    "no area tables": (_no_areas, "areas"),
    "techniques not a list": (_techniques_not_a_list, "techniques"),
}


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_a_file_level_problem_raises_even_when_lenient(case: str, tmp_path: Path) -> None:
    edit, field = BROKEN_FILES[case]
    doc = _valid_doc()
    edit(doc)
    path = _write(tmp_path / "techniques.toml", doc)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue_lenient(path)
    assert str(path) in str(caught.value)
    assert f"field {field!r}" in str(caught.value)


def test_invalid_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "techniques.toml"
    path.write_text('schema = 1\n[[techniques]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path, strict=False)
    assert str(path) in str(caught.value)
    assert "not valid TOML" in str(caught.value)
    assert caught.value.problems[0].field == "(file)"


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "techniques.toml"
    path.write_bytes(b"schema = 1\ntitle = '\xff'\n")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        load_catalogue(path)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(CatalogueError, match="cannot be read") as caught:
        load_catalogue(path, strict=False)
    assert str(path) in str(caught.value)


def test_a_list_for_the_area_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    """An unhashable value must be reported like any other wrong value (custom techniques too)."""
    doc = _valid_doc()
    _find(doc, "hands-two")["area"] = ["hands"]
    catalogue, problems = load_catalogue_lenient(_write(tmp_path / "techniques.toml", doc))
    assert [(p.technique, p.field) for p in problems] == [("hands-two", "area")]
    assert catalogue.get("hands-two") is None


def test_an_id_with_a_trailing_newline_is_refused(tmp_path: Path) -> None:
    """Ids are letters, digits and '-' only: a '\\n' at the end slips past a '$' anchor."""
    doc = _valid_doc()
    _find(doc, "hands-two")["id"] = "hands-two\n"
    catalogue, problems = load_catalogue_lenient(_write(tmp_path / "techniques.toml", doc))
    assert [p.field for p in problems] == ["id"]
    assert catalogue.get("hands-two\n") is None


# --------------------------------------------------------------------- custom techniques


def _custom(tid: str, area: str = "hands") -> Technique:
    return Technique(
        id=tid,
        area=area,
        title="My own",
        steps=("Do this.", "Then that."),
        seconds=45,
        custom=True,
    )


def test_with_techniques_adds_a_custom_technique(shipped: Catalogue) -> None:
    mine = _custom("my-hand-rub")
    combined = shipped.with_techniques([mine])
    assert len(combined) == len(shipped) + 1
    assert combined.get("my-hand-rub") is mine
    assert mine in combined.in_area("hands")
    assert combined.areas == shipped.areas
    assert shipped.get("my-hand-rub") is None, "the shipped catalogue is not changed"


def test_with_techniques_lets_a_custom_technique_replace_a_shipped_one(
    shipped: Catalogue,
) -> None:
    shipped_one = shipped.techniques[0]
    mine = _custom(shipped_one.id, shipped_one.area)
    combined = shipped.with_techniques([mine])
    assert len(combined) == len(shipped)
    assert combined.get(shipped_one.id) is mine
    assert [t for t in combined if t.id == shipped_one.id] == [mine]
