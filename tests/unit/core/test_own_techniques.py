"""The person's own techniques: stored beside the settings, checked like the shipped ones."""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from unclench.core.catalogue import (
    STEP_MAX,
    STEPS_MAX,
    TITLE_MAX,
    Catalogue,
    load_catalogue,
)
from unclench.core.own_techniques import (
    OWN_ID_PREFIX,
    OwnTechniquesError,
    OwnTechniquesStore,
    TechniqueDraft,
    make_id,
)
from unclench.core.settings_store import SettingsStore

NECK = TechniqueDraft(
    area="neck_shoulders",
    title="Shoulder squeeze",
    steps=("Lift both shoulders to your ears.", "Let them drop, slowly."),
    seconds=40,
    discreet=True,
)
HANDS = TechniqueDraft(
    area="hands",
    title="Warm palms",
    steps=("Rub your palms together.", "Rest them over your eyes, not pressing.", "Breathe."),
    seconds=60,
    one_hand=False,
    seated=False,
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "techniques.toml"


@pytest.fixture
def store(path: Path, frozen_now: Callable[[], datetime]) -> OwnTechniquesStore:
    made = OwnTechniquesStore(path, now=frozen_now)
    made.load()
    return made


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def _entry(tid: str = "own-rub-1", **changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": tid,
        "area": "hands",
        "title": "Rub",
        "steps": ["Rub your hands.", "Shake them out."],
        "seconds": 30,
    }
    entry.update(changes)
    return entry


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# --------------------------------------------------------------------- round trip


def test_no_file_means_no_techniques_and_loading_creates_nothing(tmp_path: Path) -> None:
    store = OwnTechniquesStore(tmp_path / "config" / "techniques.toml")
    loaded = store.load()
    assert loaded.techniques == ()
    assert loaded.problems == ()
    assert loaded.notices == ()
    assert not (tmp_path / "config").exists()


def test_added_techniques_come_back_from_the_file(store: OwnTechniquesStore, path: Path) -> None:
    neck = store.add(NECK)
    hands = store.add(HANDS)
    again = OwnTechniquesStore(path).load()
    assert again.techniques == (neck, hands)
    assert again.problems == ()
    assert TechniqueDraft.of(neck) == NECK
    assert TechniqueDraft.of(hands) == HANDS
    assert all(t.custom for t in again.techniques)


def test_the_file_has_a_version_and_a_list_of_technique_tables(
    store: OwnTechniquesStore, path: Path
) -> None:
    added = store.add(NECK)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert doc["techniques"] == [
        {
            "id": added.id,
            "area": "neck_shoulders",
            "title": "Shoulder squeeze",
            "steps": ["Lift both shoulders to your ears.", "Let them drop, slowly."],
            "seconds": 40,
            "discreet": True,
            "seated": True,
            "one_hand": False,
        }
    ]


def test_the_saved_file_is_private(store: OwnTechniquesStore, path: Path) -> None:
    store.add(NECK)
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_file_sits_beside_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    own = OwnTechniquesStore.default().path
    assert own.parent == SettingsStore.default().path.parent
    assert own.name == "techniques.toml"


def test_an_edit_keeps_the_id_and_changes_the_rest(store: OwnTechniquesStore, path: Path) -> None:
    added = store.add(NECK)
    changed = TechniqueDraft(
        area="scalp", title="Scalp circles", steps=("One.", "Two."), seconds=90, one_hand=True
    )
    edited = store.update(added.id, changed)
    assert edited.id == added.id
    assert TechniqueDraft.of(edited) == changed
    assert OwnTechniquesStore(path).load().techniques == (edited,)


def test_remove_takes_only_that_technique(store: OwnTechniquesStore, path: Path) -> None:
    neck = store.add(NECK)
    hands = store.add(HANDS)
    store.remove(neck.id)
    assert store.current().techniques == (hands,)
    assert OwnTechniquesStore(path).load().techniques == (hands,)


def test_a_removed_id_is_never_given_out_again(store: OwnTechniquesStore, path: Path) -> None:
    """The history names breaks by id: a new technique must not inherit an old one's breaks."""
    first = store.add(NECK)
    store.remove(first.id)
    again = OwnTechniquesStore(path)
    again.load()
    second = again.add(NECK)  # same title, after a restart
    assert second.id != first.id
    assert second.title == first.title


def test_changing_a_technique_that_is_not_there_is_refused(store: OwnTechniquesStore) -> None:
    with pytest.raises(OwnTechniquesError, match="own-nothing"):
        store.update("own-nothing", NECK)
    with pytest.raises(OwnTechniquesError, match="own-nothing"):
        store.remove("own-nothing")


def test_a_hand_written_file_without_version_is_read(path: Path) -> None:
    _write(path, {"techniques": [_entry()]})
    loaded = OwnTechniquesStore(path).load()
    assert [t.id for t in loaded.techniques] == ["own-rub-1"]
    assert loaded.problems == ()


# --------------------------------------------------------------------- ids


def test_ids_come_from_the_title_and_never_repeat(store: OwnTechniquesStore) -> None:
    first = store.add(NECK)
    second = store.add(NECK)
    assert first.id == "own-shoulder-squeeze-1"
    assert second.id == "own-shoulder-squeeze-2"


def test_ids_never_clash_with_shipped_ones() -> None:
    shipped: Catalogue = load_catalogue()
    assert not any(t.id.startswith(OWN_ID_PREFIX) for t in shipped)
    for technique in shipped:
        assert make_id(technique.title, set()).startswith(OWN_ID_PREFIX)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Crème brûlée knead", "own-creme-brulee-knead-1"),
        ("!!!", "own-technique-1"),
        ("手のマッサージ", "own-technique-1"),
        ("A" * 80, f"own-{'a' * 40}-1"),
    ],
)
def test_any_title_gives_a_valid_id(title: str, expected: str) -> None:
    assert make_id(title, set()) == expected


def test_an_id_taken_by_a_broken_entry_is_not_reused(path: Path) -> None:
    _write(path, {"version": 1, "techniques": [_entry("own-rub-1", seconds=5)]})
    store = OwnTechniquesStore(path)
    store.load()
    added = store.add(TechniqueDraft("hands", "Rub", ("One.", "Two."), 30))
    assert added.id == "own-rub-2"


def test_an_id_with_a_long_title_passes_the_catalogue_rules(store: OwnTechniquesStore) -> None:
    added = store.add(TechniqueDraft("hands", "x" * TITLE_MAX, ("One.", "Two."), 30))
    assert len(added.id) <= 64


# --------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (TechniqueDraft("elbows", "T", ("One.", "Two."), 30), "area"),
        (TechniqueDraft("hands", "  ", ("One.", "Two."), 30), "title"),
        (TechniqueDraft("hands", "x" * (TITLE_MAX + 1), ("One.", "Two."), 30), "title"),
        (TechniqueDraft("hands", "T", ("Only one.",), 30), "steps"),
        (TechniqueDraft("hands", "T", ("Step.",) * (STEPS_MAX + 1), 30), "steps"),
        (TechniqueDraft("hands", "T", ("One.", "x" * (STEP_MAX + 1)), 30), "steps[2]"),
        (TechniqueDraft("hands", "T", ("One.", "Two."), 29), "seconds"),
        (TechniqueDraft("hands", "T", ("One.", "Two."), 91), "seconds"),
    ],
)
def test_a_draft_is_checked_by_the_catalogue_rules(
    store: OwnTechniquesStore, path: Path, draft: TechniqueDraft, field: str
) -> None:
    assert [p.field for p in draft.problems()] == [field]
    with pytest.raises(OwnTechniquesError, match=field.replace("[", r"\[")):
        store.add(draft)
    assert not path.exists(), "nothing is written for a refused technique"


def test_a_broken_entry_costs_only_itself_and_stays_in_the_file(path: Path) -> None:
    _write(
        path,
        {
            "version": 1,
            "techniques": [
                _entry("own-good-1"),
                _entry("own-bad-1", title=""),
                _entry("own-also-bad-1", area="elbows"),
                _entry("own-good-2", area="feet"),
            ],
        },
    )
    store = OwnTechniquesStore(path)
    loaded = store.load()
    assert [t.id for t in loaded.techniques] == ["own-good-1", "own-good-2"]
    assert [(p.technique, p.field) for p in loaded.problems] == [
        ("own-bad-1", "title"),
        ("own-also-bad-1", "area"),
    ]
    assert all(p.source == str(path) for p in loaded.problems)
    assert str(path) in str(loaded.problems[0])
    assert "own-bad-1" in str(loaded.problems[0])

    store.add(NECK)  # a save keeps the broken entries as they were
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [e["id"] for e in doc["techniques"]][:4] == [
        "own-good-1",
        "own-bad-1",
        "own-also-bad-1",
        "own-good-2",
    ]
    assert doc["techniques"][1]["title"] == ""


def test_an_entry_that_is_not_a_table_is_reported_by_position(path: Path) -> None:
    path.write_text('techniques = ["hello", { id = "own-rub-1", area = "hands" }]\n')
    loaded = OwnTechniquesStore(path).load()
    assert loaded.techniques == ()
    assert ("#1", "(entry)") in [(p.technique, p.field) for p in loaded.problems]


def test_a_repeated_id_is_reported_and_the_first_one_kept(path: Path) -> None:
    _write(path, {"techniques": [_entry(), _entry(title="Second")]})
    loaded = OwnTechniquesStore(path).load()
    assert [t.title for t in loaded.techniques] == ["Rub"]
    assert [(p.technique, p.field) for p in loaded.problems] == [("own-rub-1", "id")]


def test_own_techniques_may_name_a_prop_and_a_safety_note_by_hand(path: Path) -> None:
    _write(path, {"techniques": [_entry(area="feet", props=["ball"], safety="Go gently.")]})
    [technique] = OwnTechniquesStore(path).load().techniques
    assert technique.props == ("ball",)
    assert technique.safety == "Go gently."


def test_a_bad_version_is_reported_and_the_techniques_still_read(path: Path) -> None:
    _write(path, {"version": "one", "techniques": [_entry()]})
    loaded = OwnTechniquesStore(path).load()
    assert [t.id for t in loaded.techniques] == ["own-rub-1"]
    assert [p.field for p in loaded.problems] == ["version"]


# --------------------------------------------------------------------- unknown keys


def test_unknown_keys_are_kept_in_the_file_and_in_each_entry(path: Path) -> None:
    _write(
        path,
        {
            "version": 1,
            "sort": "by-area",
            "later": {"feature": [1, 2]},
            "techniques": [_entry(picture="rub.svg", props=["ball"], area="feet")],
        },
    )
    store = OwnTechniquesStore(path)
    loaded = store.load()
    assert loaded.problems == (), "a key from a newer version does not break the entry"
    [technique] = loaded.techniques
    store.update(technique.id, TechniqueDraft("feet", "New", ("A.", "B."), 45))
    store.add(NECK)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc["sort"] == "by-area"
    assert doc["later"] == {"feature": [1, 2]}
    assert doc["techniques"][0]["picture"] == "rub.svg"
    assert doc["techniques"][0]["props"] == ["ball"]
    assert doc["techniques"][0]["title"] == "New"


def test_a_newer_version_number_is_kept(path: Path) -> None:
    _write(path, {"version": 3, "techniques": [_entry()]})
    store = OwnTechniquesStore(path)
    store.load()
    store.add(NECK)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["version"] == 3


# --------------------------------------------------------------------- corrupt files


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"techniques = [", "is not valid TOML"),
        (b"\xff\xfe\x00garbage", "is not UTF-8"),
        (b'techniques = "all of them"\n', "has no list of techniques"),
    ],
)
def test_a_corrupt_file_is_set_aside_with_a_notice(
    path: Path,
    tmp_path: Path,
    frozen_now: Callable[[], datetime],
    frozen_stamp: str,
    content: bytes,
    reason: str,
) -> None:
    path.write_bytes(content)
    store = OwnTechniquesStore(path, now=frozen_now)
    loaded = store.load()
    backup = tmp_path / f"techniques.toml.bad-{frozen_stamp}"
    assert loaded.techniques == ()
    [notice] = loaded.notices
    assert reason in notice
    assert backup.name in notice
    assert str(path) in notice
    assert backup.read_bytes() == content, "the person's file is never lost"
    assert not path.exists()

    added = store.add(NECK)  # a fresh file, beside the kept one
    assert OwnTechniquesStore(path).load().techniques == (added,)
    assert backup.read_bytes() == content
    assert store.current().notices == (), "the notice is told once"


def test_a_file_that_cannot_be_moved_aside_is_never_overwritten(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path.write_bytes(b"not = [toml")

    def refuse(self: Path, target: Path) -> Path:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(Path, "rename", refuse)
    store = OwnTechniquesStore(path)
    [notice] = store.load().notices
    assert "left as it is" in notice
    with pytest.raises(OwnTechniquesError, match="not saved over it"):
        store.add(NECK)
    assert path.read_bytes() == b"not = [toml"


def test_a_file_with_a_bom_is_read(path: Path) -> None:
    path.write_bytes(b"\xef\xbb\xbf" + tomli_w.dumps({"techniques": [_entry()]}).encode())
    assert len(OwnTechniquesStore(path).load().techniques) == 1


# --------------------------------------------------------------------- failed saves


def test_a_failed_save_raises_and_leaves_the_old_file_whole(
    store: OwnTechniquesStore, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    neck = store.add(NECK)
    before = path.read_bytes()

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OwnTechniquesError, match="file is unchanged") as caught:
        store.add(HANDS)
    with pytest.raises(OwnTechniquesError):
        store.remove(neck.id)
    with pytest.raises(OwnTechniquesError):
        store.update(neck.id, HANDS)
    monkeypatch.undo()

    assert os.strerror(errno.ENOSPC) in str(caught.value)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before
    assert _names(tmp_path) == {"techniques.toml"}
    assert store.current().techniques == (neck,), "memory matches the file"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="file modes; root ignores them")
def test_a_read_only_folder_gives_a_clear_error(
    store: OwnTechniquesStore, path: Path, tmp_path: Path
) -> None:
    store.add(NECK)
    before = path.read_bytes()
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(OwnTechniquesError, match="could not be saved"):
            store.add(HANDS)
    finally:
        tmp_path.chmod(0o700)
    assert path.read_bytes() == before


# --------------------------------------------------------------------- killed mid-save

_SAVER = """
import sys
from pathlib import Path

from unclench.core.own_techniques import OwnTechniquesStore, TechniqueDraft

store = OwnTechniquesStore(Path(sys.argv[1]))
store.load()
draft = TechniqueDraft("hands", "Rub", ("Rub your palms.", "Shake them out."), 30)
first = store.add(draft)
print("ready", flush=True)
while True:
    second = store.add(draft)
    store.remove(second.id)
    print("saved", flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_save_killed_at_any_moment_leaves_a_whole_file(tmp_path: Path) -> None:
    """A child adds and removes a technique in a loop; each SIGKILL leaves one or two, whole."""
    path = tmp_path / "techniques.toml"
    rng = random.Random(20260306)
    for _ in range(8):
        path.unlink(missing_ok=True)
        child = subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(path)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "ready\n"
            for _ in range(rng.randint(0, 20)):
                assert child.stdout.readline() == "saved\n"
            time.sleep(rng.uniform(0, 0.004))  # spread the kill over the whole save
        finally:
            child.kill()
            child.wait(timeout=10)
            if child.stdout is not None:
                child.stdout.close()
        loaded = OwnTechniquesStore(path).load()
        assert loaded.notices == (), "never half a file"
        assert loaded.problems == ()
        ids = [t.id for t in loaded.techniques]
        assert ids[0] == "own-rub-1"
        assert len(ids) in (1, 2)
        assert ids[-1].startswith("own-rub-")  # removed ids are not reused: -2, -3, ...
