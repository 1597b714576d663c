"""The catalogue under fuzzing: a damaged file costs techniques, never a crash or a bad one."""

from __future__ import annotations

import copy
import functools
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import tomli_w
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st

from unclench.core.areas import AREA_IDS, PROP_IDS
from unclench.core.catalogue import (
    SAFETY_MAX,
    SECONDS_MAX,
    SECONDS_MIN,
    STEP_MAX,
    STEPS_MAX,
    STEPS_MIN,
    TITLE_MAX,
    Catalogue,
    CatalogueError,
    CatalogueProblem,
    Technique,
    default_catalogue_path,
    load_catalogue_lenient,
)

from helpers.toml_strategies import HUGE_INTS, toml_keys, toml_values

#: Deterministic, and sized so this file runs in well under 15 s; each test sets max_examples.
FUZZ = hypothesis.settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
FLAGS = ("discreet", "seated", "one_hand")
TECHNIQUE_FIELDS = ("id", "area", "title", "steps", "seconds", "props", "safety", *FLAGS)
AREA_FIELDS = ("id", "name", "blurb", "safety")
#: Problems about the file or its area list name no technique; every other one does.
FILE_LEVEL = re.compile(r"\(file\)|schema|techniques|areas(\..+)?")
_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")


@functools.cache
def _shipped_text() -> str:
    return default_catalogue_path().read_text(encoding="utf-8")


def _shipped() -> dict[str, Any]:
    return copy.deepcopy(tomllib.loads(_shipped_text()))


@contextmanager
def _catalogue_file(data: bytes) -> Iterator[Path]:
    # A fresh folder per example: pytest's tmp_path is one folder for the whole @given test.
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "techniques.toml"
        path.write_bytes(data)
        yield path


# --------------------------------------------------------------------- what every load promises


def load_and_check(path: Path) -> tuple[Catalogue, list[CatalogueProblem]] | None:
    """Load leniently and check the promises; ``None`` when the whole file was refused."""
    source = str(path)
    loaded = _load(path)
    if isinstance(loaded, CatalogueError):
        assert loaded.problems
        assert source in str(loaded)
        for problem in loaded.problems:
            assert problem.source == source
            assert problem.field
            assert problem.message
        _tally("refused")
        return None
    catalogue, problems = loaded
    for problem in problems:
        assert problem.source == source
        assert source in str(problem)
        assert isinstance(problem.field, str), problem  # '' for a key written as ""
        assert problem.message, problem
        if not FILE_LEVEL.fullmatch(problem.field):
            assert problem.technique, f"{problem} names no technique"
            assert f"technique {problem.technique!r}" in str(problem)
    ids = [t.id for t in catalogue]
    assert len(ids) == len(set(ids)), "ids are unique"
    areas = {a.id for a in catalogue.areas}
    assert areas <= set(AREA_IDS)
    for technique in catalogue:
        assert _ID_RE.fullmatch(technique.id), technique
        assert technique.area in areas, technique
        assert technique.title.strip() == technique.title, technique
        assert 1 <= len(technique.title) <= TITLE_MAX, technique
        assert STEPS_MIN <= len(technique.steps) <= STEPS_MAX, technique
        assert all(isinstance(s, str) and s.strip() for s in technique.steps), technique
        assert all(len(s) <= STEP_MAX for s in technique.steps), technique
        assert type(technique.seconds) is int, technique
        assert SECONDS_MIN <= technique.seconds <= SECONDS_MAX, technique
        assert all(type(getattr(technique, f)) is bool for f in FLAGS), technique
        assert set(technique.props) <= set(PROP_IDS), technique
        assert technique.safety is None or 1 <= len(technique.safety) <= SAFETY_MAX, technique
        assert not technique.custom
    _tally("loaded, with problems" if problems else "loaded cleanly")
    return catalogue, problems


def _load(path: Path) -> tuple[Catalogue, list[CatalogueProblem]] | CatalogueError:
    try:
        return load_catalogue_lenient(path)
    except CatalogueError as exc:  # the one exception allowed: checked by the caller
        return exc


def _tally(outcome: str) -> None:
    # Shown by --hypothesis-show-statistics: proof the examples reach every branch.
    if hypothesis.currently_in_test_context():
        hypothesis.event(outcome)


# --------------------------------------------------------------------- mutations

#: Wrong or borderline values, field by field (a few of them are valid, on purpose).
BAD_VALUES: dict[str, list[Any]] = {
    "id": ["", "a", "A-b", "x" * 65, "ok\n", "-lead", "über", 7, ["hands-one"], {}],
    "area": ["elbows", "Hands", "", 1, ["hands"], {"id": "hands"}, *AREA_IDS],
    "title": ["", "   ", "x" * 41, " " + "x" * 40 + " ", 5, ["Title"]],
    "steps": [
        [],
        ["One."],
        ["Step."] * 6,
        ["", "Two."],
        ["  ", "Two."],
        ["x" * 111, "y"],
        [1, 2],
        [["a"], "b"],
        "One. Two.",
        ["One.", "Two."],
    ],
    "seconds": [29, 30, 90, 91, 0, -60, 60.0, 59.5, True, "60", *HUGE_INTS, float("nan")],
    "props": [["towel"], "ball", [["ball"]], [0], ["ball", "ball"], [], ["ball"]],
    "safety": ["", " ", "x" * 241, 3, ["Careful."], "Careful."],
    "discreet": ["yes", 1, 0, [], True],
    "seated": ["no", 1.0, {}, False],
    "one_hand": ["true", True],
}
BAD_AREA_VALUES: dict[str, list[Any]] = {
    "id": ["elbows", "", 1, "HANDS", *AREA_IDS, ["hands"], {"id": "hands"}],
    "name": ["", " ", 5, ["Hands"]],
    "blurb": ["", 0.5],
    "safety": ["", 1, "Be gentle."],
}


class Mutated:
    """The shipped document with some things changed; shown in a failure as the list of changes."""

    def __init__(self) -> None:
        self.doc = _shipped()
        self.changes: list[str] = []

    def __repr__(self) -> str:
        return "shipped catalogue with " + "; ".join(self.changes or ["no change"])

    def log(self, change: str) -> None:
        self.changes.append(change if len(change) < 200 else change[:200] + "…")

    def entry(self, draw: st.DrawFn, key: str) -> tuple[str, dict[str, Any]] | None:
        """One table from the ``areas`` or ``techniques`` list, and where it is."""
        entries = self.doc.get(key)
        if not isinstance(entries, list) or not entries:
            return None
        index = draw(st.integers(0, len(entries) - 1))
        found = entries[index]
        if not isinstance(found, dict):
            return None
        return f"{key}[{index}] ({found.get('id')!r})", found


Mutation = Callable[[st.DrawFn, Mutated], None]
_ANY = toml_values(max_leaves=6)
_LISTS = st.sampled_from(["techniques", "techniques", "areas"])


def _drop_field(draw: st.DrawFn, m: Mutated) -> None:
    found = m.entry(draw, draw(_LISTS))
    if found and found[1]:
        where, entry = found
        name = draw(st.sampled_from(sorted(entry)))
        del entry[name]
        m.log(f"{where}: {name} dropped")


def _bad_value(draw: st.DrawFn, m: Mutated) -> None:
    key = draw(_LISTS)
    found = m.entry(draw, key)
    if found:
        where, entry = found
        table = BAD_VALUES if key == "techniques" else BAD_AREA_VALUES
        name = draw(st.sampled_from(sorted(table)))
        entry[name] = draw(st.sampled_from(table[name]) | _ANY)
        m.log(f"{where}.{name} = {entry[name]!r}")


def _unknown_field(draw: st.DrawFn, m: Mutated) -> None:
    found = m.entry(draw, draw(_LISTS))
    if found:
        where, entry = found
        name = draw(toml_keys().filter(lambda k: k not in TECHNIQUE_FIELDS))
        entry[name] = draw(_ANY)
        m.log(f"{where}[{name!r}] = {entry[name]!r}")


def _duplicate(draw: st.DrawFn, m: Mutated) -> None:
    """Copy one entry to the end, or give one entry another's id."""
    key = draw(_LISTS)
    first, second = m.entry(draw, key), m.entry(draw, key)
    if first is None or second is None:
        return
    if draw(st.booleans()):
        m.doc[key].append(copy.deepcopy(first[1]))
        m.log(f"{first[0]} repeated at the end")
    elif "id" in first[1]:
        second[1]["id"] = first[1]["id"]
        m.log(f"{second[0]}.id = {first[1]['id']!r}")


def _replace_entry(draw: st.DrawFn, m: Mutated) -> None:
    key = draw(_LISTS)
    entries = m.doc.get(key)
    if isinstance(entries, list) and entries:
        index = draw(st.integers(0, len(entries) - 1))
        entries[index] = draw(_ANY)
        m.log(f"{key}[{index}] = {entries[index]!r}")


def _drop_entries(draw: st.DrawFn, m: Mutated) -> None:
    key = draw(_LISTS)
    entries = m.doc.get(key)
    if isinstance(entries, list) and entries:
        keep = draw(st.lists(st.booleans(), min_size=len(entries), max_size=len(entries)))
        m.doc[key] = [e for e, kept in zip(entries, keep, strict=True) if kept]
        m.log(f"{key}: kept only {[i for i, k in enumerate(keep) if k]}")


def _top_level(draw: st.DrawFn, m: Mutated) -> None:
    key = draw(st.sampled_from(["schema", "areas", "techniques", "extra"]))
    if draw(st.booleans()):
        m.doc.pop(key, None)
        m.log(f"{key} dropped")
    else:
        m.doc[key] = draw(st.sampled_from([0, 1, 1.0, 2, True, "1", [], {}]) | _ANY)
        m.log(f"{key} = {m.doc[key]!r}")


MUTATIONS: tuple[Mutation, ...] = (
    _drop_field,
    _bad_value,
    _bad_value,
    _bad_value,
    _unknown_field,
    _duplicate,
    _replace_entry,
    _drop_entries,
    _top_level,
)


@st.composite
def mutated_catalogues(draw: st.DrawFn) -> Mutated:
    """The shipped catalogue with one to four things broken."""
    mutated = Mutated()
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        mutation(draw, mutated)
    return mutated


#: Mostly bytes that mean something in TOML, so a changed file often still parses.
_BYTES = st.sampled_from(b"0123456789-_.,=#[]{}'\" \naz") | st.integers(0, 255)


def _poke(changes: list[tuple[int, int]], cut: int | None) -> bytes:
    data = _shipped_text().encode("utf-8")
    buffer = bytearray(data if cut is None else data[: cut % (len(data) + 1)])
    for where, value in changes:
        if buffer:
            buffer[where % len(buffer)] = value
    return bytes(buffer)


# --------------------------------------------------------------------- fuzzing


def test_the_shipped_document_passes_the_checks_unchanged() -> None:
    """Guards the fuzzing below: with no mutation, nothing is refused or reported."""
    with _catalogue_file(_shipped_text().encode("utf-8")) as path:
        loaded = load_and_check(path)
    assert loaded is not None
    assert loaded[1] == []


# No shrinking: a failing example is already a short list of changes, and shrinking it
# would take longer than this whole file may.
@hypothesis.settings(FUZZ, max_examples=300, phases=NO_SHRINK)
@given(mutated_catalogues())
def test_a_mutated_catalogue_loads_what_is_valid_and_names_every_problem(
    mutated: Mutated,
) -> None:
    doc = mutated.doc
    with _catalogue_file(tomli_w.dumps(doc).encode("utf-8")) as path:
        loaded = load_and_check(path)
    if loaded is None:
        return
    catalogue, _ = loaded
    # What survives is what the file says, not something the loader made up.
    written = [t for t in doc["techniques"] if isinstance(t, dict)]
    for technique in catalogue:
        assert any(_matches(technique, entry) for entry in written), technique


def _matches(technique: Technique, entry: dict[str, Any]) -> bool:
    return (
        entry.get("id") == technique.id
        and entry.get("area") == technique.area
        and entry.get("seconds") == technique.seconds
        and [s.strip() for s in entry.get("steps", [])] == list(technique.steps)
    )


@hypothesis.settings(FUZZ, max_examples=200)
@given(
    st.one_of(
        st.binary(max_size=800),
        # The shipped file with a few bytes changed, perhaps cut short.
        st.builds(
            _poke,
            st.lists(st.tuples(st.integers(0, 40_000), _BYTES), max_size=6),
            st.none() | st.integers(0, 40_000),
        ),
    )
)
def test_damaged_bytes_are_refused_naming_the_file_or_load_valid_techniques(data: bytes) -> None:
    with _catalogue_file(data) as path:
        load_and_check(path)


# --------------------------------------------------------------------- cases the fuzzing found


@pytest.mark.parametrize("bad_id", [["hands"], {"id": "hands"}], ids=["a list", "a table"])
def test_an_area_id_that_is_a_list_or_table_is_a_problem_not_a_crash(
    bad_id: Any, tmp_path: Path
) -> None:
    """Found by the fuzzing: the repeat check puts the id in a set, so an unhashable id raised."""
    doc = _shipped()
    doc["areas"][0]["id"] = bad_id
    path = tmp_path / "techniques.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    loaded = load_and_check(path)
    assert loaded is not None
    assert any(p.field == "areas.id" for p in loaded[1])


def test_a_number_too_long_for_python_is_refused_naming_the_file(tmp_path: Path) -> None:
    """Past 4300 digits tomllib raises a bare ValueError (int-from-text limit), not a TOML error."""
    text = _shipped_text().replace("seconds = 60", "seconds = " + "6" * 4301, 1)
    assert text != _shipped_text()
    path = tmp_path / "techniques.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue_lenient(path)
    assert str(path) in str(caught.value)
