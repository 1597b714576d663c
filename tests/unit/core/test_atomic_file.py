"""write_atomic: the new bytes or the old ones, never half of either, and no temp file left."""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from unclench.core.atomic_file import write_atomic

OLD = b"version = 1\n\n[schedule]\ninterval_minutes = 50\n"
NEW = b"version = 1\n\n[schedule]\ninterval_minutes = 30\n" + b"# padding\n" * 500


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_creates_missing_parent_folders_and_writes_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "settings.toml"
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert _names(target.parent) == {"settings.toml"}, "no temporary file is left behind"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    target.write_bytes(OLD)
    target.chmod(0o644)
    write_atomic(target, NEW)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_mode_can_be_chosen(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    write_atomic(target, b"x", mode=0o640)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    target.write_bytes(NEW)
    write_atomic(target, OLD)
    assert target.read_bytes() == OLD
    assert _names(tmp_path) == {"settings.toml"}


def test_writes_empty_content(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    target.write_bytes(OLD)
    write_atomic(target, b"")
    assert target.read_bytes() == b""


# --------------------------------------------------------------------- interrupted writes


class _HalfWritingHandle:
    """A file handle that writes half of what it is given, then finds the disk full."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __enter__(self) -> _HalfWritingHandle:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._real.close()

    def write(self, data: bytes) -> int:
        self._real.write(data[: len(data) // 2])
        self._real.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        self._real.flush()

    def fileno(self) -> int:
        return int(self._real.fileno())


def _disk_full_on_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)


def _disk_full_half_way_through_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen

    def fdopen(fd: int, mode: str) -> _HalfWritingHandle:
        return _HalfWritingHandle(real_fdopen(fd, mode))

    monkeypatch.setattr(os, "fdopen", fdopen)


def _rename_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def replace(self: Path, target: Path) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # the folder cannot grow

    monkeypatch.setattr(Path, "replace", replace)


FAULTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "fsync": _disk_full_on_fsync,
    "write": _disk_full_half_way_through_write,
    "rename": _rename_refused,
}


@pytest.fixture(params=list(FAULTS))
def fault(request: pytest.FixtureRequest) -> Callable[[pytest.MonkeyPatch], None]:
    """One way for a write to fail half-way."""
    return FAULTS[request.param]


def test_an_interrupted_write_leaves_the_old_file_intact_and_no_temp_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: Callable[[pytest.MonkeyPatch], None],
) -> None:
    target = tmp_path / "settings.toml"
    target.write_bytes(OLD)
    fault(monkeypatch)
    with pytest.raises(OSError, match=os.strerror(errno.ENOSPC)):
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert _names(tmp_path) == {"settings.toml"}


def test_an_interrupted_first_write_leaves_no_file_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full_on_fsync(monkeypatch)
    with pytest.raises(OSError, match=os.strerror(errno.ENOSPC)):
        write_atomic(tmp_path / "settings.toml", NEW)
    monkeypatch.undo()
    assert _names(tmp_path) == set()


def test_a_keyboard_interrupt_mid_write_also_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clean-up runs for any exception, not only OSError."""
    target = tmp_path / "settings.toml"
    target.write_bytes(OLD)

    def fsync(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert _names(tmp_path) == {"settings.toml"}


def test_temporary_files_left_by_a_killed_writer_are_cleared_later(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    old = tmp_path / ".settings.toml.abc123.tmp"
    fresh = tmp_path / ".settings.toml.def456.tmp"  # perhaps another writer, right now
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    write_atomic(target, b"new")
    assert not old.exists()
    assert fresh.exists()
    assert target.read_bytes() == b"new"
