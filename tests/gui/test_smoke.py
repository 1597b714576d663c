"""``unclench --smoke`` and switching start at login from the app, with a home of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from unclench import smoke
from unclench.app import AppOptions, UnclenchApp, make_qapplication
from unclench.core.settings import with_changes
from unclench.running_app import RunningApp

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support"),
]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, data and state folders under ``tmp_path``: no test reaches the real ones."""
    for name, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")):
        monkeypatch.setenv(name, str(tmp_path / sub))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def app(home: Path, qapp: QApplication) -> Iterator[RunningApp]:
    # What start() does once the tray shows, without a tray or a socket.
    made = UnclenchApp(make_qapplication(), AppOptions()).build()
    yield made
    for window in QApplication.topLevelWidgets():
        window.close()
    if made.history is not None:
        made.history.close()


def login_on(app: RunningApp) -> bool:
    return app.settings.system.start_at_login


def autostart_file(home: Path) -> Path:
    return home / "config" / "autostart" / "io.github.unclench.Unclench.desktop"


def test_smoke_checks_everything_and_exits_0(
    home: Path, qapp: QApplication, capsys: pytest.CaptureFixture[str]
) -> None:
    assert smoke.run() == 0
    line = capsys.readouterr().out
    assert "smoke test passed" in line
    assert "techniques" in line
    assert "windows: settings, about, history, break" in line
    assert str(home / "config" / "unclench" / "settings.toml") in line
    # Opening the history creates it; nothing else is written, and no login entry appears.
    assert (home / "data" / "unclench" / "history.sqlite3").exists()
    assert not (home / "config" / "unclench" / "settings.toml").exists()
    assert not autostart_file(home).exists()


def test_smoke_can_switch_start_at_login_on_and_off(home: Path, qapp: QApplication) -> None:
    assert smoke.run(start_at_login=True) == 0
    assert "X-Unclench-Autostart=true" in autostart_file(home).read_text()
    assert "start_at_login = true" in (home / "config/unclench/settings.toml").read_text()
    assert smoke.run(start_at_login=False) == 0
    assert not autostart_file(home).exists()
    assert list(autostart_file(home).parent.iterdir()) == []


def test_smoke_fails_when_start_at_login_cannot_be_written(
    home: Path, qapp: QApplication, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "config").mkdir()
    (home / "config" / "autostart").write_text("a file where the folder should be")
    assert smoke.run(start_at_login=True) == 1
    assert "start at login could not be switched" in capsys.readouterr().err


def test_turning_start_at_login_on_writes_the_entry_and_saves(app: RunningApp, home: Path) -> None:
    app.change_settings(with_changes(app.settings, system={"start_at_login": True}))
    assert login_on(app)
    assert autostart_file(home).is_file()
    app.change_settings(with_changes(app.settings, system={"start_at_login": False}))
    assert not login_on(app)
    assert not autostart_file(home).exists()


def test_other_changes_leave_the_login_entry_alone(app: RunningApp, home: Path) -> None:
    app.change_settings(with_changes(app.settings, schedule={"interval_minutes": 30}))
    assert not autostart_file(home).parent.exists()


def test_a_failure_reverts_the_setting_and_tells_the_person(
    app: RunningApp, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    tell = app.tell

    def tell_and_note(message: str, *, error: bool = False) -> None:
        told.append(message)
        tell(message, error=error)

    monkeypatch.setattr(app, "tell", tell_and_note)
    app.show_settings()
    (home / "config" / "autostart").parent.mkdir(parents=True, exist_ok=True)
    (home / "config" / "autostart").write_text("in the way")
    app.change_settings(with_changes(app.settings, system={"start_at_login": True}))
    assert not login_on(app)
    assert told
    assert "cannot be written" in told[0]
    window = app._settings_window
    assert window is not None
    assert window.banner.isVisible()
    assert window.banner.kind == "error"  # a problem, not drawn as a mere notice
    assert "cannot be written" in window.banner.text()
    assert not window._switches["system.start_at_login"].isChecked()


def test_the_command_smoke_runs_offscreen_with_no_display(home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [sys.executable, "-m", "unclench", "--smoke"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "smoke test passed" in result.stdout
    assert "Traceback" not in result.stderr
