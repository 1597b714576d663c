"""Start at login: which backend each system gets, the command it runs, and switching it."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from unclench.platform import autostart
from unclench.platform.autostart import AutostartError, choose_backend, launch_command
from unclench.platform.autostart_macos import LaunchAgent
from unclench.platform.autostart_xdg import XdgAutostart

ENTRY = "io.github.unclench.Unclench.desktop"


def test_a_bundle_starts_itself() -> None:
    assert launch_command(frozen=True, executable="/opt/unclench/unclench", env={}) == [
        "/opt/unclench/unclench"
    ]


def test_an_appimage_starts_the_appimage_file_not_its_mount_point() -> None:
    command = launch_command(
        frozen=True,
        executable="/tmp/.mount_UnclenXYZ/unclench",  # noqa: S108 - where AppImages mount
        env={"APPIMAGE": "/home/ann/Apps/Unclench.AppImage"},
    )
    assert command == ["/home/ann/Apps/Unclench.AppImage"]


def test_from_source_the_interpreter_runs_the_package() -> None:
    command = launch_command(frozen=False, executable="/home/ann/.venv/bin/python", env={})
    assert command == ["/home/ann/.venv/bin/python", "-m", "unclench"]


def test_from_source_on_windows_the_windowless_interpreter_is_used(tmp_path: Path) -> None:
    (tmp_path / "python.exe").touch()
    (tmp_path / "pythonw.exe").touch()
    command = launch_command(
        frozen=False, executable=str(tmp_path / "python.exe"), env={}, platform="win32"
    )
    assert command == [str(tmp_path / "pythonw.exe"), "-m", "unclench"]


def test_linux_writes_into_xdg_config_home(tmp_path: Path) -> None:
    backend = choose_backend(
        env={"XDG_CONFIG_HOME": str(tmp_path / "cfg")}, platform="linux", home=tmp_path
    )
    assert isinstance(backend, XdgAutostart)
    assert backend.path == tmp_path / "cfg" / "autostart" / ENTRY


def test_linux_without_xdg_config_home_uses_dot_config(tmp_path: Path) -> None:
    backend = choose_backend(env={"XDG_CONFIG_HOME": "relative"}, platform="linux", home=tmp_path)
    assert isinstance(backend, XdgAutostart)
    assert backend.path == tmp_path / ".config" / "autostart" / ENTRY


def test_inside_flatpak_it_is_unsupported(tmp_path: Path) -> None:
    env = {"FLATPAK_ID": "io.github.unclench.Unclench"}
    assert choose_backend(env=env, platform="linux", home=tmp_path) is None


def test_macos_uses_a_launch_agent_in_the_home_library(tmp_path: Path) -> None:
    backend = choose_backend(env={}, platform="darwin", home=tmp_path)
    assert isinstance(backend, LaunchAgent)
    assert backend.path.parent == tmp_path / "Library" / "LaunchAgents"


@pytest.mark.skipif(sys.platform == "win32", reason="off Windows there is no registry")
def test_windows_backend_is_absent_off_windows(tmp_path: Path) -> None:
    assert choose_backend(env={}, platform="win32", home=tmp_path) is None


def test_an_unknown_system_is_unsupported(tmp_path: Path) -> None:
    assert choose_backend(env={}, platform="sunos5", home=tmp_path) is None


class RecordingBackend:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, list[str]]] = []
        self.fail = fail

    @property
    def name(self) -> str:
        return "recording"

    @property
    def location(self) -> str:
        return "nowhere"

    def is_enabled(self) -> bool:
        return bool(self.calls) and self.calls[-1][0] == "enable"

    def enable(self, command: Sequence[str]) -> None:
        if self.fail:
            raise AutostartError("cannot")
        self.calls.append(("enable", list(command)))

    def disable(self) -> None:
        self.calls.append(("disable", []))


def test_set_enabled_writes_the_launch_command() -> None:
    backend = RecordingBackend()
    autostart.set_enabled(True, backend)
    autostart.set_enabled(False, backend)
    assert backend.calls == [("enable", launch_command()), ("disable", [])]


def test_set_enabled_passes_failures_on() -> None:
    with pytest.raises(AutostartError):
        autostart.set_enabled(True, RecordingBackend(fail=True))


def test_set_enabled_where_unsupported_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autostart, "choose_backend", lambda: None)
    autostart.set_enabled(True)  # no error, nothing written
    assert not autostart.is_supported()
