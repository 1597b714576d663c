"""Crashes and full disks: a killed writer or a refused write never costs committed data.

Real processes and a real (tiny) file system: the children are killed with SIGKILL at
random moments, and "disk full" is a tmpfs of 64-256 KiB filled to the last byte.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from unclench.core.history import BreakRecord, History, HistoryError
from unclench.core.scheduler import Outcome
from unclench.core.settings import Settings, with_changes
from unclench.core.settings_store import SettingsSaveError, SettingsStore

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL, file modes and tmpfs")

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SETTINGS_A = with_changes(Settings(), schedule={"interval_minutes": 30})
SETTINGS_B = with_changes(
    Settings(), schedule={"interval_minutes": 90}, popup={"theme": "dark", "sound": True}
)


def _record(n: int) -> BreakRecord:
    return BreakRecord(
        started_at=START + timedelta(minutes=n),
        outcome=Outcome.DONE,
        technique_id=f"technique-{n}",
        area="hands",
        tension_before=n % 11,
        duration_s=60.0,
    )


# --------------------------------------------------------------------- the writer in a child

# umask 0: the history must be private because it makes itself so, not thanks to the umask.
# Every line is written only after the write it reports has returned, i.e. is committed; one
# os.write per line, as print() may split a line over two writes and a kill between them.
_WRITER = """
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from unclench.core.history import BreakRecord, History
from unclench.core.scheduler import Outcome
from unclench.core.settings import Settings, with_changes
from unclench.core.settings_store import SettingsStore



def say(*words):
    os.write(1, (" ".join(map(str, words)) + "\\n").encode())


os.umask(0)
history = History.open(Path(sys.argv[1]))
store = SettingsStore(Path(sys.argv[2])) if len(sys.argv) > 2 else None
a = with_changes(Settings(), schedule={"interval_minutes": 30})
b = with_changes(
    Settings(), schedule={"interval_minutes": 90}, popup={"theme": "dark", "sound": True}
)
start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
n = history.count()
say("ready", n)
while True:
    if store is not None:
        chosen = a if n % 2 else b
        store.save(chosen)
        say("settings", chosen.schedule.interval_minutes)
    n += 1
    row = history.add(
        BreakRecord(
            started_at=start + timedelta(minutes=n),
            outcome=Outcome.DONE,
            technique_id=f"technique-{n}",
            area="hands",
            tension_before=n % 11,
            duration_s=60.0,
        )
    )
    say("added", row)
"""


@dataclass
class Round:
    """What one killed child reported before it died."""

    ready_count: int
    added: list[int] = field(default_factory=list)
    settings: list[int] = field(default_factory=list)


def _run_and_kill(rng: random.Random, args: list[str]) -> Round:
    """Start a writer, let it run a random while, SIGKILL it, and collect what it reported."""
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, *args], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    with child.stdout:
        try:
            lines = [child.stdout.readline()]
            if lines[0].startswith("ready"):
                for _ in range(rng.randint(0, 40)):
                    lines.append(child.stdout.readline())
                # A random few ms more spread the kill over every step of a write.
                time.sleep(rng.uniform(0, 0.004))
        finally:
            child.kill()
            child.wait(timeout=10)
        # Lines already in the pipe when the kill came were written after their commit too.
        lines += child.stdout.readlines()
    assert child.returncode == -signal.SIGKILL, "the child died of the kill, not of an error"
    first = lines.pop(0).split()
    assert first[:1] == ["ready"], first
    report = Round(ready_count=int(first[1]))
    for line in lines:
        assert line.endswith("\n"), f"one write per line, yet {line!r} came cut"
        kind, value = line.split()
        (report.added if kind == "added" else report.settings).append(int(value))
    return report


def _modes(path: Path) -> dict[str, int]:
    """The permission bits of the database and its -wal/-shm companions, where they exist."""
    found = {}
    for suffix in ("", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            found[side.name] = stat.S_IMODE(side.stat().st_mode)
    return found


def _check_history(path: Path, report: Round) -> int:
    """The history opens, holds every reported record, and holds nothing half-written."""
    modes = _modes(path)  # before History.open, which would make them private itself
    assert set(modes.values()) == {0o600}, modes
    with History.open(path) as history:
        assert history.notice is None, "a kill never makes the history look damaged"
        count = history.count()
        reported = max(report.added, default=report.ready_count)
        # At most one record can be committed without its line having been printed.
        assert reported <= count <= reported + 1, (reported, count)
        records = history.recent(count + 1)
    assert sorted(r.id for r in records if r.id is not None) == list(range(1, count + 1))
    assert {r.technique_id for r in records} == {f"technique-{n}" for n in range(1, count + 1)}
    if count:
        assert records[0] == dataclasses.replace(_record(count), id=count), "the newest is whole"
    return count


def test_a_history_writer_killed_at_random_moments_loses_no_committed_record(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data" / "history.sqlite3"
    rng = random.Random(20260305)
    count = 0
    for _ in range(24):
        report = _run_and_kill(rng, [str(path)])
        assert report.ready_count == count, "the next run starts from every record there is"
        count = _check_history(path, report)
    assert count >= 24, "the children got real work done between kills"


def test_a_writer_of_settings_and_history_killed_at_random_leaves_both_whole(
    tmp_path: Path,
) -> None:
    history_path = tmp_path / "data" / "history.sqlite3"
    settings_path = tmp_path / "config" / "settings.toml"
    rng = random.Random(20260306)
    count = 0
    seen: set[int] = set()
    for _ in range(20):
        report = _run_and_kill(rng, [str(history_path), str(settings_path)])
        assert report.ready_count == count
        count = _check_history(history_path, report)

        if not settings_path.exists():
            continue  # killed before its first save finished
        assert stat.S_IMODE(settings_path.stat().st_mode) == 0o600
        loaded = SettingsStore(settings_path).load()
        assert loaded.notices == [], "never half a file"
        assert loaded.backup is None
        assert loaded.settings in (SETTINGS_A, SETTINGS_B)
        if report.settings:
            # The last reported save, or the next one if it finished before the kill.
            last = report.settings[-1]
            assert loaded.settings.schedule.interval_minutes in {last, 120 - last}
        seen.add(loaded.settings.schedule.interval_minutes)
        strays = {p.name for p in settings_path.parent.iterdir()} - {"settings.toml"}
        assert all(name.endswith(".tmp") for name in strays), strays
    assert count >= 20
    assert seen, "at least one round saved settings"


# --------------------------------------------------------------------- a full disk


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mounts tmpfs file systems of a given size; each is unmounted at the end of the test."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if mount is None or umount is None:
        pytest.skip("no mount/umount command on this system")
    mounted: list[Path] = []

    def make(size: str) -> Path:
        folder = tmp_path / f"disk{len(mounted)}"
        folder.mkdir()
        done = subprocess.run(
            [mount, "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (container?): {done.stderr.strip()}")
        mounted.append(folder)
        return folder

    try:
        yield make
    finally:
        for folder in mounted:
            if subprocess.run([umount, str(folder)], check=False).returncode != 0:
                subprocess.run([umount, "-l", str(folder)], check=False)


def _fill(folder: Path) -> Path:
    """Write a filler file until the file system has not one byte left."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:
        for chunk in (4096, 512, 1):
            try:
                while True:
                    handle.write(b"\0" * chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    return filler


def test_saving_settings_on_a_full_disk_raises_and_keeps_the_old_file(
    small_disk: Callable[[str], Path],
) -> None:
    disk = small_disk("64k")
    path = disk / "settings.toml"
    store = SettingsStore(path)
    store.save(SETTINGS_B)
    before = path.read_bytes()
    filler = _fill(disk)

    with pytest.raises(SettingsSaveError) as caught:
        store.save(SETTINGS_A)

    message = str(caught.value)
    assert "previous settings are unchanged" in message
    assert os.strerror(errno.ENOSPC) in message
    assert path.read_bytes() == before
    assert {p.name for p in disk.iterdir()} == {"settings.toml", "filler"}, "no temp file left"
    assert store.load().settings == SETTINGS_B
    filler.unlink()
    store.save(SETTINGS_A)
    assert store.load().settings == SETTINGS_A


def test_adding_to_the_history_on_a_full_disk_raises_history_error_and_keeps_earlier_records(
    small_disk: Callable[[str], Path],
) -> None:
    # 256 KiB: SQLite's -shm alone takes 32 KiB and each WAL frame a page.
    disk = small_disk("256k")
    path = disk / "history.sqlite3"
    with History.open(path) as history:
        for n in range(1, 6):
            history.add(_record(n))
        filler = _fill(disk)

        with pytest.raises(HistoryError, match="could not be saved") as caught:
            history.add(_record(6))
        assert "full" in str(caught.value)
        assert history.count() == 5, "the refused record is not half there"
        assert history.recent(1)[0].technique_id == "technique-5"

        filler.unlink()
        history.add(_record(6))
    with History.open(path) as reopened:
        assert reopened.notice is None
        assert reopened.count() == 6
        assert [r.tension_before for r in reopened.between(START, START + timedelta(days=1))] == [
            n % 11 for n in range(1, 7)
        ]


def test_opening_a_new_history_on_a_full_disk_raises_history_error_and_sets_nothing_aside(
    small_disk: Callable[[str], Path],
) -> None:
    disk = small_disk("256k")
    _fill(disk)
    with pytest.raises(HistoryError, match="cannot be used right now"):
        History.open(disk / "history.sqlite3")
    assert not [p for p in disk.iterdir() if ".bad-" in p.name], "a full disk is not damage"
