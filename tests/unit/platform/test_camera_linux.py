"""The Linux camera check, over a fake /proc built from real symlinks."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from unclench.platform import camera_linux
from unclench.platform.camera_linux import LinuxCameraDnd

OWN_PID = 4242


def add_process(proc: Path, pid: int, targets: list[str]) -> Path:
    fd = proc / str(pid) / "fd"
    fd.mkdir(parents=True)
    for number, target in enumerate(targets):
        (fd / str(number)).symlink_to(target)
    return fd


@pytest.fixture
def proc(tmp_path: Path) -> Path:
    root = tmp_path / "proc"
    add_process(root, 1, ["/dev/null", "socket:[1234]"])
    add_process(root, 200, ["/dev/pts/0", "/home/someone/notes.txt"])
    (root / "self").symlink_to(str(OWN_PID))
    (root / "meminfo").write_text("not a process\n", encoding="utf-8")
    return root


def check(proc: Path) -> LinuxCameraDnd:
    return LinuxCameraDnd(proc, own_pid=OWN_PID)


def test_no_video_device_open_means_no_reason(proc: Path) -> None:
    assert check(proc).reason() is None


def test_a_process_holding_a_video_device_means_a_camera_is_in_use(proc: Path) -> None:
    add_process(proc, 3001, ["/dev/null", "/dev/video0"])
    assert check(proc).reason() == "a camera is in use"
    assert check(proc).name == "camera"


def test_our_own_process_is_not_counted(proc: Path) -> None:
    add_process(proc, OWN_PID, ["/dev/video2"])
    assert check(proc).reason() is None


def test_unreadable_processes_of_other_users_are_skipped(
    proc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hidden = add_process(proc, 5000, ["/dev/video0"])
    real_open = os.open

    def open_(path: str, flags: int) -> int:
        if path == str(hidden):  # what /proc answers for another user's process
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags)

    monkeypatch.setattr(os, "open", open_)
    assert check(proc).reason() is None


def test_a_process_that_exits_mid_scan_is_skipped(proc: Path) -> None:
    (proc / "6000").mkdir()  # its fd folder is already gone
    assert check(proc).reason() is None


def test_a_missing_proc_means_unsupported(tmp_path: Path) -> None:
    assert camera_linux.create(tmp_path / "nowhere") is None
    assert check(tmp_path / "nowhere").reason() is None


def test_create_accepts_a_proc_with_self(proc: Path) -> None:
    add_process(proc, OWN_PID, [])
    assert camera_linux.create(proc) is not None


def test_the_device_prefix_is_injectable(proc: Path) -> None:
    add_process(proc, 3001, ["/dev/fake-camera0"])
    assert LinuxCameraDnd(proc, device_prefix="/dev/fake-camera", own_pid=OWN_PID).reason()


def test_a_scan_of_the_real_proc_is_cheap() -> None:
    """Runs once per scheduler tick: it must stay far below a frame's worth of time."""
    source = camera_linux.create()
    assert source is not None
    started = time.perf_counter()
    source.reason()
    assert time.perf_counter() - started < 0.5
