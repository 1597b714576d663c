"""SettingsStore under fuzzing: any file loads to valid settings, and nothing written is lost."""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import tomli_w
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from unclench.core.settings import (
    SECTIONS,
    SETTINGS_VERSION,
    OptionInfo,
    Settings,
    describe_options,
    with_changes,
)
from unclench.core.settings_store import LoadResult, SettingsSaveError, SettingsStore

from helpers.toml_strategies import (
    EDGE_LITERALS,
    HUGE_INTS,
    deeply_nested,
    toml_keys,
    toml_values,
)

#: Deterministic, and sized so this file runs in about 15 s; each test sets max_examples.
FUZZ = hypothesis.settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

OPTIONS: dict[str, OptionInfo] = {o.key: o for o in describe_options()}
#: What a notice may name: the version, a whole section, or one ``section.key``.
NOTICE_KEYS = {"version", *SECTIONS, *OPTIONS}
MOMENT = datetime(2026, 3, 2, 9, 30, 15, tzinfo=UTC)
BACKUP_NAME = "settings.toml.bad-20260302-093015"
_TOP_LEVEL_TAKEN = frozenset({"version", *SECTIONS})


def _now() -> datetime:
    return MOMENT


@contextmanager
def _folder() -> Iterator[Path]:
    # A fresh folder per example: pytest's tmp_path is one folder for the whole @given test.
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# --------------------------------------------------------------------- what every load promises


def assert_valid(settings: Settings) -> None:
    """Every option holds a value its declaration accepts."""
    for key, option in OPTIONS.items():
        section, name = key.split(".")
        value = getattr(getattr(settings, section), name)
        if isinstance(option.default, bool):
            assert isinstance(value, bool), key
        elif isinstance(option.default, int):
            assert option.lo is not None
            assert option.hi is not None
            assert type(value) is int, key
            assert option.lo <= value <= option.hi, key
        elif isinstance(option.default, str):
            assert option.choices is not None
            assert value in option.choices, key
        else:
            assert option.choices is not None
            assert isinstance(value, tuple), key
            assert set(value) <= set(option.choices), key
            assert len(set(value)) == len(value), key
            assert value or not option.default, f"{key} may not be empty"
    assert type(settings.version) is int
    assert settings.version >= SETTINGS_VERSION


def _tally(outcome: str) -> None:
    # Shown by --hypothesis-show-statistics: proof the examples reach every branch.
    if hypothesis.currently_in_test_context():
        hypothesis.event(outcome)


def _holds(doc: Mapping[str, Any], dotted: str) -> bool:
    node: Any = doc
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def load_and_check(folder: Path, original: bytes) -> LoadResult:
    """Load ``original`` as settings.toml and check every promise ``load`` makes about it."""
    path = folder / "settings.toml"
    path.write_bytes(original)
    result = SettingsStore(path, now=_now).load()
    assert_valid(result.settings)
    assert all(n.message for n in result.notices)
    if path.exists():
        _check_read(folder, original, result)
        _tally("read, with notices" if result.notices else "read cleanly")
    else:
        _check_set_aside(folder, original, result)
        _tally("set aside")
    return result


def _check_set_aside(folder: Path, original: bytes, result: LoadResult) -> None:
    assert result.settings == Settings()
    assert len(result.notices) == 1, result.notices
    notice = result.notices[0]
    assert notice.key == ""
    assert result.backup is not None
    assert re.fullmatch(rf"{re.escape(BACKUP_NAME)}(-\d+)?", result.backup.name)
    assert f"It was kept as {result.backup.name}." in notice.message
    assert "default settings" in notice.message
    assert result.backup.read_bytes() == original, "the set-aside file is the file, byte for byte"
    assert _names(folder) == {result.backup.name}


def _check_read(folder: Path, original: bytes, result: LoadResult) -> None:
    path = folder / "settings.toml"
    assert path.read_bytes() == original, "loading never rewrites the file"
    doc = tomllib.loads(original.decode("utf-8"))
    keyed = [n for n in result.notices if n.key]
    for notice in keyed:
        assert notice.key in NOTICE_KEYS, notice
        assert _holds(doc, notice.key), f"{notice.key} is not in the file"
    # Unknown keys nested deeper than the writer can go are dropped, with a notice.
    keyed += [n for n in result.notices if not n.key and "too deeply nested" in n.message]
    if not keyed:
        assert result.notices == []
        assert result.backup is None
        assert _names(folder) == {"settings.toml"}
        return
    assert result.backup is not None, "values were replaced, so the original is kept"
    assert result.backup.name == BACKUP_NAME
    assert result.backup.read_bytes() == original
    assert len(result.notices) == len(keyed) + 1
    assert result.notices[-1].key == ""
    assert BACKUP_NAME in result.notices[-1].message
    assert _names(folder) == {"settings.toml", BACKUP_NAME}


# --------------------------------------------------------------------- documents


def _valid_value(option: OptionInfo) -> st.SearchStrategy[Any]:
    default = option.default
    if isinstance(default, bool):
        return st.booleans()
    if isinstance(default, int):
        assert option.lo is not None
        assert option.hi is not None
        whole = st.integers(option.lo, option.hi)
        return st.one_of(whole, whole.map(float))  # 30.0 is read as 30
    assert option.choices is not None
    if isinstance(default, str):
        return st.sampled_from(option.choices)
    return st.lists(st.sampled_from(option.choices), min_size=1 if default else 0, max_size=6)


def _wrong_value(option: OptionInfo) -> st.SearchStrategy[Any]:
    edges: list[Any] = [*HUGE_INTS, float("inf"), float("-inf"), float("nan"), 0.5, -1, "", []]
    if option.lo is not None and option.hi is not None:
        edges += [option.lo - 1, option.hi + 1, float(option.hi) + 0.5]
    if option.choices is not None:
        edges += [option.choices[0].upper(), [option.choices[0], 1], ["nowhere"], option.choices]
    return st.one_of(st.sampled_from(edges), toml_values(max_leaves=6))


def _unknown_keys(taken: frozenset[str], *, allow_nan: bool) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        toml_keys().filter(lambda k: k not in taken),
        toml_values(allow_nan=allow_nan, max_leaves=5),
        max_size=3,
    )


# Built once: building strategies inside every draw costs far more than drawing from them.
VALID = {key: _valid_value(option) for key, option in OPTIONS.items()}
WRONG = {key: _wrong_value(option) for key, option in OPTIONS.items()}
KNOWN = {
    section: frozenset(f.name for f in dataclasses.fields(cls)) for section, cls in SECTIONS.items()
}
UNKNOWN = {
    (where, allow_nan): _unknown_keys(KNOWN.get(where, _TOP_LEVEL_TAKEN), allow_nan=allow_nan)
    for where in [*SECTIONS, ""]
    for allow_nan in (True, False)
}
NOT_A_TABLE = toml_values(max_leaves=3).filter(lambda v: not isinstance(v, dict))
VERSIONS = st.integers(0, 10) | st.just(HUGE_INTS[0])
ANY_VERSION = VERSIONS | toml_values(max_leaves=3)
SHAPES = st.sampled_from(["absent", "table", "table", "not a table"])
MODES = st.sampled_from(["absent", "valid", "wrong"])


@st.composite
def settings_documents(draw: st.DrawFn, *, valid: bool = False) -> dict[str, Any]:
    """A document with every section present, missing or wrong, and unknown keys at each level.

    ``valid``: known keys get only values the settings accept (unknown keys stay wild, but
    without NaN, which never equals itself after a round trip).
    """
    doc: dict[str, Any] = {}
    if draw(st.booleans()):
        doc["version"] = draw(VERSIONS if valid else ANY_VERSION)
    for section in SECTIONS:
        shape = draw(SHAPES)
        if shape == "absent":
            continue
        if shape == "not a table" and not valid:
            doc[section] = draw(NOT_A_TABLE)
            continue
        table: dict[str, Any] = {}
        for name in sorted(KNOWN[section]):
            key = f"{section}.{name}"
            mode = draw(MODES)
            if mode == "valid" or (mode == "wrong" and valid):
                table[name] = draw(VALID[key])
            elif mode == "wrong":
                table[name] = draw(WRONG[key])
        table.update(draw(UNKNOWN[section, not valid]))
        doc[section] = table
    doc.update(draw(UNKNOWN["", not valid]))
    return doc


@st.composite
def edge_literal_texts(draw: st.DrawFn) -> str:
    """TOML text with literals tomli-w would never write: 4301-digit ints, nan, 1e400…"""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(f"version = {draw(st.sampled_from(EDGE_LITERALS))}")
    for section in draw(st.lists(st.sampled_from(list(SECTIONS)), unique=True, max_size=4)):
        lines.append(f"[{section}]")
        names = [k.split(".")[1] for k in OPTIONS if k.startswith(f"{section}.")]
        for name in draw(st.lists(st.sampled_from([*names, "unknown"]), unique=True)):
            lines.append(f"{name} = {draw(st.sampled_from(EDGE_LITERALS))}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------- any file loads


@hypothesis.settings(FUZZ, max_examples=150)
@given(
    st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        # Bytes that start as a valid document and then have a few bytes changed.
        st.tuples(
            settings_documents().map(lambda d: tomli_w.dumps(d).encode("utf-8")),
            st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4),
        ).map(lambda pair: _poke(*pair)),
    )
)
def test_any_bytes_load_to_valid_settings_and_nothing_is_lost(data: bytes) -> None:
    with _folder() as folder:
        load_and_check(folder, data)


def _poke(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for where, value in changes:
        if buffer:
            buffer[where % len(buffer)] = value
    return bytes(buffer)


@hypothesis.settings(FUZZ, max_examples=120)
@given(settings_documents())
def test_any_toml_document_loads_with_notices_naming_the_keys(doc: dict[str, Any]) -> None:
    with _folder() as folder:
        load_and_check(folder, tomli_w.dumps(doc).encode("utf-8"))


@hypothesis.settings(FUZZ, max_examples=200)
@given(edge_literal_texts())
@hypothesis.example(f"[schedule]\ninterval_minutes = {'1' * 4301}\n")
def test_literals_at_the_edges_of_toml_load_without_raising(text: str) -> None:
    """Past Python's 4300-digit limit, tomllib raises ValueError, not TOMLDecodeError."""
    with _folder() as folder:
        load_and_check(folder, text.encode("utf-8"))


@hypothesis.settings(FUZZ, max_examples=80)
@given(
    value=deeply_nested(max_depth=200),
    where=st.sampled_from(["top", "section", "known key", "dotted"]),
)
def test_nesting_up_to_200_levels_loads_and_round_trips(value: Any, where: str) -> None:
    if where == "top":
        doc: dict[str, Any] = {"plugins": value}
    elif where == "section":
        doc = {"popup": {"layout": value}}
    elif where == "known key":
        doc = {"schedule": {"interval_minutes": value}}
    else:
        doc = {"a": {"b": {"c": value}}}
    with _folder() as folder:
        first = load_and_check(folder, tomli_w.dumps(doc).encode("utf-8"))
        if first.notices:
            return
        store = SettingsStore(folder / "settings.toml", now=_now)
        store.save(first.settings)
        again = store.load()
        assert again.notices == []
        assert again.settings.extra == first.settings.extra


def _nested_text(kind: str, depth: int) -> str:
    if kind == "arrays":
        return "x = " + "[" * depth + "1" + "]" * depth + "\n"
    if kind == "inline tables":
        return "x = " + "{ a = " * depth + "1" + " }" * depth + "\n"
    return ".".join(["a"] * depth) + " = 1\n"  # dotted keys: tables without brackets


@pytest.mark.parametrize("depth", [250, 350, 450, 1000, 5000])
@pytest.mark.parametrize("kind", ["arrays", "inline tables", "dotted keys"])
def test_nesting_past_the_writers_limit_loads_and_a_save_fails_cleanly(
    kind: str, depth: int, tmp_path: Path
) -> None:
    """Deeper than tomli-w recurses: the load works, and so does every later save.

    tomllib reads deeper than tomli-w writes (on 3.11: arrays 250-450 deep, dotted keys 1000+
    deep). Such unknown keys are dropped at load with a notice, the original kept as a copy,
    so saving never fails afterwards. Deeper arrays are set aside at load.
    """
    original = _nested_text(kind, depth).encode("utf-8")
    first = load_and_check(tmp_path, original)
    if not (tmp_path / "settings.toml").exists():
        return  # set aside: nothing left to save over
    if any("too deeply nested" in n.message for n in first.notices):
        store = SettingsStore(tmp_path / "settings.toml", now=_now)
        store.save(first.settings)
        again = store.load()
        assert again.notices == []
        assert again.settings == first.settings
        return
    store = SettingsStore(tmp_path / "settings.toml", now=_now)
    try:
        store.save(first.settings)
    except SettingsSaveError as exc:
        refused: str | None = str(exc)
    else:
        refused = None
    if refused is None:
        assert store.load().settings.extra == first.settings.extra
    else:
        assert "could not be written" in refused
        assert (tmp_path / "settings.toml").read_bytes() == original
        assert _names(tmp_path) == {"settings.toml"}


# --------------------------------------------------------------------- round trip


def _as_read(option: OptionInfo, value: Any) -> Any:
    """The value settings hold for an accepted value in the file."""
    if isinstance(option.default, bool | str):
        return value
    if isinstance(option.default, int):
        return int(value)
    assert option.choices is not None
    return tuple(c for c in option.choices if c in value)


@hypothesis.settings(FUZZ, max_examples=80)
@given(settings_documents(valid=True))
def test_load_save_load_keeps_unknown_keys_and_known_values(doc: dict[str, Any]) -> None:
    with _folder() as folder:
        path = folder / "settings.toml"
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        store = SettingsStore(path, now=_now)
        first = store.load()
        assert first.notices == []

        store.save(first.settings)
        again = store.load()
        saved = tomllib.loads(path.read_text(encoding="utf-8"))

    assert again.notices == []
    assert again.settings == first.settings
    assert again.settings.extra == first.settings.extra
    for key, option in OPTIONS.items():
        section, name = key.split(".")
        if name in doc.get(section, {}):
            expected = _as_read(option, doc[section][name])
            assert getattr(getattr(again.settings, section), name) == expected, key
    for key, value in doc.items():
        if key in SECTIONS:
            known = {f.name for f in dataclasses.fields(SECTIONS[key])}
            for name, kept in value.items():
                if name not in known:
                    assert saved[key][name] == kept, f"{key}.{name}"
        elif key != "version":
            assert saved[key] == value, key
    assert saved["version"] == max(doc.get("version", 0), SETTINGS_VERSION)


# --------------------------------------------------------------------- files that cannot be read


def test_a_folder_in_place_of_the_file_is_moved_aside_and_the_next_save_works(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.toml"
    path.mkdir()
    (path / "notes.txt").write_bytes(b"\x00kept\xff")
    store = SettingsStore(path, now=_now)

    result = store.load()

    assert result.settings == Settings()
    [notice] = result.notices
    assert "could not be read" in notice.message
    assert f"kept as {BACKUP_NAME}" in notice.message
    assert (tmp_path / BACKUP_NAME / "notes.txt").read_bytes() == b"\x00kept\xff"
    changed = with_changes(Settings(), popup={"theme": "dark"})
    store.save(changed)
    assert store.load().settings == changed


def test_a_folder_that_cannot_be_moved_aside_gives_defaults_and_saves_refuse_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.toml"
    path.mkdir()
    store = SettingsStore(path, now=_now)

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(Path, "rename", refuse)
    result = store.load()
    monkeypatch.undo()

    assert result.settings == Settings()
    assert result.backup is None
    [notice] = result.notices
    assert "could not be read" in notice.message
    assert "could not be moved aside" in notice.message
    assert "default settings" in notice.message
    assert path.is_dir()
    with pytest.raises(SettingsSaveError, match="previous settings are unchanged"):
        store.save(Settings())
    assert _names(tmp_path) == {"settings.toml"}, "no temp file is left beside the folder"


PRIVATE = b"version = 1\n[popup]\nsound = true\n# \xc3\xa9 and no trailing newline"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_set_aside_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(PRIVATE)
    path.chmod(0o000)
    result = SettingsStore(path, now=_now).load()
    backup = tmp_path / BACKUP_NAME
    for left in (path, backup):
        if left.exists():
            left.chmod(0o600)
    assert result.settings == Settings()
    [notice] = result.notices
    assert "could not be read" in notice.message
    assert os.strerror(errno.EACCES) in notice.message
    assert result.backup == backup
    assert backup.read_bytes() == PRIVATE


def test_a_permission_error_while_reading_is_reported_even_when_running_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path as above, reached by refusing ``open`` (root would read a 0000 file)."""
    path = tmp_path / "settings.toml"
    path.write_bytes(PRIVATE)
    real_open = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    result = SettingsStore(path, now=_now).load()
    monkeypatch.undo()

    assert result.settings == Settings()
    [notice] = result.notices
    assert f"could not be read ({os.strerror(errno.EACCES)})" in notice.message
    assert f"kept as {BACKUP_NAME}" in notice.message
    assert (tmp_path / BACKUP_NAME).read_bytes() == PRIVATE
