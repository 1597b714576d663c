"""The break history: private SQLite file, round trips, migrations, and damaged files."""

from __future__ import annotations

import dataclasses
import functools
import os
import random
import sqlite3
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from unclench.core.history import (
    MIGRATIONS,
    BreakRecord,
    History,
    HistoryError,
    default_data_dir,
)
from unclench.core.scheduler import Outcome

Now = Callable[[], datetime]
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _raw(path: Path) -> sqlite3.Connection:
    """A second, plain connection, to look at the file without going through History."""
    return sqlite3.connect(path)


def _user_version(path: Path) -> int:
    db = _raw(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def _columns(path: Path) -> list[str]:
    db = _raw(path)
    try:
        return [row[1] for row in db.execute("PRAGMA table_info(breaks)")]
    finally:
        db.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def history(path: Path, frozen_now: Now) -> Iterator[History]:
    with History.open(path, now=frozen_now) as opened:
        yield opened


def _record(minutes: int, **fields: Any) -> BreakRecord:
    """A finished break ``minutes`` after Monday 09:00 Berlin, with any field changed."""
    start = BreakRecord(started_at=MONDAY + timedelta(minutes=minutes), outcome=Outcome.DONE)
    return dataclasses.replace(start, **fields)


def _fill(history: History) -> None:
    history.add(_record(0, technique_id="hands-thumb-palm", area="hands", tension_before=6))
    history.add(_record(50, outcome=Outcome.SKIPPED, technique_id="face-jaw-cheek", area="face"))
    history.add(_record(100, outcome=Outcome.MISSED))


# --------------------------------------------------------------------- opening


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_opening_creates_a_private_file_in_a_private_folder(history: History, path: Path) -> None:
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_opening_makes_an_existing_file_private(path: Path) -> None:
    path.parent.mkdir()
    History.open(path).close()
    path.chmod(0o644)
    History.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_database_uses_wal_and_is_at_the_latest_schema(history: History, path: Path) -> None:
    assert history.schema_version == len(MIGRATIONS)
    db = _raw(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()
    assert history.notice is None
    assert history.count() == 0


def test_the_default_folder_follows_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "unclench"


# --------------------------------------------------------------------- writing and reading


def test_a_break_round_trips_with_its_time_and_check_in(history: History) -> None:
    record = _record(
        0,
        technique_id="neck-hold-and-roll",
        area="neck_shoulders",
        tension_before=7,
        tension_after=3,
        duration_s=62.5,
    )
    row_id = history.add(record)
    [stored] = history.recent()
    assert stored.id == row_id
    assert stored.started_at == MONDAY
    assert stored.started_at.tzinfo is not None
    assert stored.started_at.utcoffset() == timedelta(0), "stored in UTC"
    assert (stored.outcome, stored.technique_id, stored.area) == (
        Outcome.DONE,
        "neck-hold-and-roll",
        "neck_shoulders",
    )
    assert (stored.tension_before, stored.tension_after, stored.duration_s) == (7, 3, 62.5)


def test_recent_is_newest_first_and_limited(history: History) -> None:
    _fill(history)
    assert [r.started_at for r in history.recent()] == [
        MONDAY + timedelta(minutes=100),
        MONDAY + timedelta(minutes=50),
        MONDAY,
    ]
    assert [r.outcome for r in history.recent(limit=2)] == [Outcome.MISSED, Outcome.SKIPPED]
    assert history.count() == 3


def test_between_is_oldest_first_and_excludes_the_end(history: History) -> None:
    _fill(history)
    end_in_utc = (MONDAY + timedelta(minutes=100)).astimezone(UTC)
    found = history.between(MONDAY, end_in_utc)
    assert [r.started_at for r in found] == [MONDAY, MONDAY + timedelta(minutes=50)]
    assert history.between(MONDAY + timedelta(minutes=1), MONDAY + timedelta(minutes=2)) == []


def test_times_from_different_zones_sort_by_the_moment(history: History) -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    later = (MONDAY + timedelta(hours=1)).astimezone(tokyo)  # a bigger wall-clock hour
    history.add(_record(0, started_at=later))
    history.add(_record(0, started_at=MONDAY + timedelta(hours=2)))
    assert [r.started_at for r in history.between(MONDAY, MONDAY + timedelta(days=1))] == [
        later,
        MONDAY + timedelta(hours=2),
    ]


def test_a_naive_time_is_refused(history: History) -> None:
    naive = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone"):
        history.add(_record(0, started_at=naive))
    with pytest.raises(ValueError, match="timezone"):
        history.between(naive, MONDAY)
    assert history.count() == 0


@pytest.mark.parametrize("value", [-1, 11, True, 5.0])
def test_a_tension_outside_0_to_10_is_refused(history: History, value: Any) -> None:
    with pytest.raises(ValueError, match="tension"):
        history.add(_record(0, tension_before=value))
    with pytest.raises(ValueError, match="tension"):
        history.add(_record(0, tension_after=value))
    assert history.count() == 0


def test_tensions_at_the_ends_of_the_scale_are_kept(history: History) -> None:
    history.add(_record(0, tension_before=0, tension_after=10))
    [stored] = history.recent()
    assert (stored.tension_before, stored.tension_after) == (0, 10)


def test_set_tension_after_updates_that_break_only(history: History) -> None:
    first = history.add(_record(0, tension_before=8))
    second = history.add(_record(50, tension_before=5))
    history.set_tension_after(first, 2)
    by_id = {r.id: r for r in history.recent()}
    assert by_id[first].tension_after == 2
    assert by_id[second].tension_after is None
    with pytest.raises(ValueError, match="tension"):
        history.set_tension_after(second, 12)


def test_recent_technique_ids_are_oldest_first_and_skip_breaks_without_one(
    history: History,
) -> None:
    _fill(history)
    history.add(_record(150, technique_id="feet-ball-roll"))
    assert history.recent_technique_ids() == [
        "hands-thumb-palm",
        "face-jaw-cheek",
        "feet-ball-roll",
    ]
    assert history.recent_technique_ids(limit=2) == ["face-jaw-cheek", "feet-ball-roll"]


def test_delete_all_empties_the_history(history: History) -> None:
    _fill(history)
    assert history.delete_all() == 3
    assert history.count() == 0
    assert history.recent() == []
    assert history.recent_technique_ids() == []


def test_the_data_survives_closing_and_reopening(path: Path, frozen_now: Now) -> None:
    with History.open(path, now=frozen_now) as first:
        _fill(first)
        before = first.recent()
    with History.open(path, now=frozen_now) as again:
        assert again.recent() == before
        assert again.notice is None
        assert again.schema_version == len(MIGRATIONS)


# --------------------------------------------------------------------- migrations


def _v1_with_rows(path: Path) -> list[BreakRecord]:
    with History.open(path) as history:
        _fill(history)
        return history.recent()


def test_a_new_migration_runs_once_on_an_existing_database_and_keeps_the_rows(
    path: Path,
) -> None:
    rows = _v1_with_rows(path)
    calls: list[int] = []

    def add_note(db: sqlite3.Connection) -> None:
        calls.append(1)
        db.execute("ALTER TABLE breaks ADD COLUMN note TEXT")

    migrations = (*MIGRATIONS, add_note)
    with History.open(path, migrations=migrations) as history:
        assert calls == [1]
        assert history.schema_version == len(MIGRATIONS) + 1
        assert history.recent() == rows
    assert "note" in _columns(path)
    with History.open(path, migrations=migrations) as history:
        assert calls == [1], "an applied step does not run again"


def test_a_migration_that_fails_after_changing_rows_leaves_the_old_version(path: Path) -> None:
    rows = _v1_with_rows(path)

    def half_done(db: sqlite3.Connection) -> None:
        db.execute("UPDATE breaks SET area = 'changed'")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        History.open(path, migrations=(*MIGRATIONS, half_done))
    assert _user_version(path) == len(MIGRATIONS)
    with History.open(path) as history:
        assert history.recent() == rows


def test_a_migration_that_fails_after_changing_the_schema_is_rolled_back(path: Path) -> None:
    """One transaction per step: a half-done ALTER TABLE is undone with the rest."""
    _v1_with_rows(path)

    def half_done(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE breaks ADD COLUMN note TEXT")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        History.open(path, migrations=(*MIGRATIONS, half_done))
    assert _user_version(path) == len(MIGRATIONS)
    assert "note" not in _columns(path)


def test_a_migration_retried_after_a_failure_keeps_the_history(path: Path, frozen_now: Now) -> None:
    """The next start runs the step again; the person's breaks must still be there."""
    rows = _v1_with_rows(path)

    def add_note(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE breaks ADD COLUMN note TEXT")

    def add_note_then_crash(db: sqlite3.Connection) -> None:
        add_note(db)
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        History.open(path, migrations=(*MIGRATIONS, add_note_then_crash))
    with History.open(path, migrations=(*MIGRATIONS, add_note), now=frozen_now) as history:
        assert history.notice is None
        assert history.recent() == rows


def test_a_newer_database_is_refused_and_left_untouched(path: Path, tmp_path: Path) -> None:
    def from_the_future(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE moods (id INTEGER PRIMARY KEY)")

    with History.open(path, migrations=(*MIGRATIONS, from_the_future)) as newer:
        _fill(newer)
    before = path.read_bytes()
    names = _names(path.parent)

    with pytest.raises(HistoryError, match="newer") as caught:
        History.open(path)

    assert f"schema {len(MIGRATIONS) + 1}" in str(caught.value)
    assert "untouched" in str(caught.value)
    assert path.read_bytes() == before
    assert _names(path.parent) == names
    assert _user_version(path) == len(MIGRATIONS) + 1


# --------------------------------------------------------------------- damaged files


def _damage(path: Path, seed: int) -> bytes:
    junk = random.Random(seed).randbytes(8192)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(junk)
    return junk


def test_a_damaged_file_is_set_aside_and_a_new_history_started(
    path: Path, frozen_now: Now, frozen_stamp: str
) -> None:
    junk = _damage(path, seed=1)
    backup = path.with_name(f"history.sqlite3.bad-{frozen_stamp}")

    with History.open(path, now=frozen_now) as history:
        assert history.count() == 0
        assert history.schema_version == len(MIGRATIONS)
        assert history.notice is not None
        assert "damaged" in history.notice
        assert backup.name in history.notice
        history.add(_record(0))

    assert backup.read_bytes() == junk
    with History.open(path, now=frozen_now) as reopened:
        assert reopened.count() == 1
        assert reopened.notice is None


def test_a_second_damaged_file_does_not_overwrite_the_first_backup(
    path: Path, frozen_now: Now
) -> None:
    """Both set-aside files are kept, even when the clock gives the same stamp."""
    first = _damage(path, seed=1)
    History.open(path, now=frozen_now).close()
    second = _damage(path, seed=2)
    History.open(path, now=frozen_now).close()
    kept = {p.read_bytes() for p in path.parent.glob("history.sqlite3.bad-*") if p.is_file()}
    assert first in kept
    assert second in kept


def test_a_busy_database_is_not_mistaken_for_a_damaged_one(
    path: Path, frozen_now: Now, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holding the write lock during a migration: refuse, move nothing."""
    rows = _v1_with_rows(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        # Wait 50 ms for the lock instead of SQLite's default 5 s; nothing else changes.
        monkeypatch.setattr(sqlite3, "connect", functools.partial(sqlite3.connect, timeout=0.05))

        def add_note(db: sqlite3.Connection) -> None:
            db.execute("ALTER TABLE breaks ADD COLUMN note TEXT")

        with pytest.raises(HistoryError):
            History.open(path, migrations=(*MIGRATIONS, add_note), now=frozen_now).close()
        monkeypatch.undo()
        assert not list(path.parent.glob("*.bad-*"))
    finally:
        other.rollback()
        other.close()
    with History.open(path) as history:
        assert history.recent() == rows
