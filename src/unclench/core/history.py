"""The local break history: a small SQLite file that never leaves the machine.

It holds health-related data (tension check-ins), so the file is readable by its owner only
(0600, folder 0700) and lives in the user's data folder. Schema changes go through
MIGRATIONS, one transaction each, recorded in ``PRAGMA user_version``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from unclench.core.atomic_file import backup_path
from unclench.core.i18n import _
from unclench.core.scheduler import Outcome

log = logging.getLogger(__name__)

HISTORY_FILE = "history.sqlite3"

Migration = Callable[[sqlite3.Connection], None]


def _v1(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE breaks (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,            -- ISO 8601, UTC
            technique_id TEXT,
            area TEXT,
            outcome TEXT NOT NULL
                CHECK (outcome IN ('done', 'skipped', 'snoozed', 'missed')),
            tension_before INTEGER CHECK (tension_before BETWEEN 0 AND 10),
            tension_after INTEGER CHECK (tension_after BETWEEN 0 AND 10),
            duration_s REAL CHECK (duration_s >= 0)
        )
        """
    )
    db.execute("CREATE INDEX breaks_started_at ON breaks (started_at)")


#: MIGRATIONS[n] takes a database from version n to n+1.
MIGRATIONS: tuple[Migration, ...] = (_v1,)


def default_data_dir() -> Path:
    """The platform's data folder for Unclench (``XDG_DATA_HOME`` moves it on Linux)."""
    return platformdirs.user_data_path("unclench", appauthor=False)


class HistoryError(Exception):
    """The history cannot be used; the message is for the person."""


@dataclass(frozen=True, slots=True)
class BreakRecord:
    """One break as it ended."""

    started_at: datetime
    outcome: Outcome
    technique_id: str | None = None
    area: str | None = None
    tension_before: int | None = None
    tension_after: int | None = None
    duration_s: float | None = None
    id: int | None = None


def record_to_json(record: BreakRecord) -> dict[str, object]:
    """One break as plain JSON types, its time in ISO 8601 with the offset it was stored with."""
    return {
        "id": record.id,
        "started_at": record.started_at.isoformat(),
        "technique_id": record.technique_id,
        "area": record.area,
        "outcome": record.outcome.value,
        "tension_before": record.tension_before,
        "tension_after": record.tension_after,
        "duration_s": record.duration_s,
    }


class History:
    """Reads and writes the break history. Open with :meth:`open`; close when done."""

    def __init__(self, db: sqlite3.Connection, path: Path, notice: str | None = None) -> None:
        self._db = db
        self.path = path
        #: Set when the file had to be replaced; worded for the person.
        self.notice = notice

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        migrations: Sequence[Migration] = MIGRATIONS,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> History:
        """Open (creating if needed) and migrate. A damaged file is set aside, not lost."""
        notice = None
        try:
            db = _connect(path, migrations)
        except _NewerSchemaError as exc:
            raise HistoryError(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) not in _DAMAGED:
                # Busy, locked, read-only, a failed migration: the file may be fine. Leave it.
                raise HistoryError(
                    _("The history file {path} cannot be used right now ({error}).").format(
                        path=path, error=exc
                    )
                ) from exc
            backup = backup_path(path, now())
            try:
                _move_database(path, backup)
            except OSError as move_exc:
                raise HistoryError(
                    _(
                        "The history file {path} is damaged and could not be moved aside ({error})."
                    ).format(path=path, error=move_exc)
                ) from exc
            log.warning("history file damaged (%s); kept as %s, new history started", exc, backup)
            notice = _(
                "The history file was damaged ({error}); it was kept as {backup} "
                "and a new history was started."
            ).format(error=exc, backup=backup.name)
            db = _connect(path, migrations)
        except OSError as exc:
            raise HistoryError(
                _("The history file {path} cannot be opened ({error}).").format(
                    path=path, error=exc
                )
            ) from exc
        return cls(db, path, notice)

    @classmethod
    def open_default(cls) -> History:
        return cls.open(default_data_dir() / HISTORY_FILE)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # ------------------------------------------------------------------ writing

    def add(self, record: BreakRecord) -> int:
        """Store one break; returns its id (to add the after-break check-in later)."""
        with self._write() as db:
            cursor = db.execute(
                """
                INSERT INTO breaks (started_at, technique_id, area, outcome,
                                    tension_before, tension_after, duration_s)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    _to_text(record.started_at),
                    record.technique_id,
                    record.area,
                    record.outcome.value,
                    _tension(record.tension_before),
                    _tension(record.tension_after),
                    record.duration_s,
                ),
            )
            row_id = cursor.lastrowid
        assert row_id is not None
        return row_id

    def set_tension_after(self, break_id: int, value: int) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE breaks SET tension_after = ? WHERE id = ?", (_tension(value), break_id)
            )

    def delete_all(self) -> int:
        """Remove every record; returns how many there were."""
        with self._write() as db:
            count = db.execute("DELETE FROM breaks").rowcount
        self._db.execute("VACUUM")  # so the deleted check-ins do not linger in free pages
        return count

    # ------------------------------------------------------------------ reading

    def recent(self, limit: int = 20) -> list[BreakRecord]:
        """The latest breaks, newest first."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM breaks ORDER BY started_at DESC, id DESC LIMIT ?",  # noqa: S608
            (limit,),
        )
        return [_record(row) for row in rows]

    def between(self, start: datetime, end: datetime) -> list[BreakRecord]:
        """Breaks that started in ``[start, end)``, oldest first."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM breaks WHERE started_at >= ? AND started_at < ? "  # noqa: S608
            "ORDER BY started_at, id",
            (_to_text(start), _to_text(end)),
        )
        return [_record(row) for row in rows]

    def all(self) -> list[BreakRecord]:
        """Every break, oldest first (for an export)."""
        rows = self._rows(f"SELECT {_COLUMNS} FROM breaks ORDER BY started_at, id")  # noqa: S608
        return [_record(row) for row in rows]

    def recent_technique_ids(self, limit: int = 64) -> list[str]:
        """Techniques shown lately, oldest first: seeds the chooser's rotation after a restart."""
        rows = self._rows(
            "SELECT technique_id FROM breaks WHERE technique_id IS NOT NULL "
            "ORDER BY started_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [str(row[0]) for row in reversed(rows)]

    def count(self) -> int:
        return int(str(self._rows("SELECT COUNT(*) FROM breaks")[0][0]))

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:  # damaged since it was opened, or the disk went away
            raise HistoryError(
                _("The history could not be read ({error}).").format(error=exc)
            ) from exc

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._db:
                yield self._db
        except sqlite3.OperationalError as exc:  # disk full, read-only folder, locked
            raise HistoryError(
                _("The history could not be saved ({error}).").format(error=exc)
            ) from exc


# --------------------------------------------------------------------- internals

_COLUMNS = "id, started_at, technique_id, area, outcome, tension_before, tension_after, duration_s"


#: SQLite's own word that a file is damaged; any other error leaves the file where it is.
_DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


class _NewerSchemaError(Exception):
    pass


def _connect(path: Path, migrations: Sequence[Migration]) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Create the file ourselves so it is never, even briefly, readable by others;
    # SQLite gives its -wal and -shm files the same mode.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    if os.name == "posix":
        path.chmod(0o600)
    db = sqlite3.connect(path, isolation_level="DEFERRED", check_same_thread=True)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across app crashes
        db.execute("PRAGMA foreign_keys=ON")
        _migrate(db, migrations)
        db.execute("SELECT COUNT(*) FROM breaks").fetchone()  # reads a page: finds damage now
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection, migrations: Sequence[Migration]) -> None:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > len(migrations):
        raise _NewerSchemaError(
            _(
                "The history was written by a newer Unclench (schema {version}, this version "
                "knows {known}); it is left untouched."
            ).format(version=version, known=len(migrations))
        )
    for target in range(version + 1, len(migrations) + 1):
        # One explicit transaction per step: the sqlite3 module would commit DDL at once,
        # and a step that failed half-way must leave the previous version, whole.
        db.execute("BEGIN IMMEDIATE")
        try:
            migrations[target - 1](db)
            db.execute(f"PRAGMA user_version = {target}")
        except BaseException:
            db.rollback()
            raise
        db.commit()
        log.info("history schema migrated to version %d", target)


def _move_database(path: Path, backup: Path) -> None:
    path.rename(backup)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(backup.with_name(backup.name + suffix))


def _to_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("history times must carry a timezone")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _tension(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"tension must be a whole number from 0 to 10, not {value!r}")
    return value


def _record(row: tuple[object, ...]) -> BreakRecord:
    rid, started, technique, area, outcome, before, after, duration = row
    return BreakRecord(
        id=int(str(rid)),
        started_at=datetime.fromisoformat(str(started)),
        technique_id=None if technique is None else str(technique),
        area=None if area is None else str(area),
        outcome=Outcome(str(outcome)),
        tension_before=None if before is None else int(str(before)),
        tension_after=None if after is None else int(str(after)),
        duration_s=None if duration is None else float(str(duration)),
    )
