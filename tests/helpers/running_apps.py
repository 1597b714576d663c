"""A running app for GUI tests: built as start() builds it, without a tray or a socket."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from unclench.app import AppOptions, UnclenchApp
from unclench.running_app import RunningApp

MakeApp = Callable[[], RunningApp]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    # Qt is connected already; without these the app opens no X11 idle or DnD connections of
    # its own, which these tests do not need and would leave open.
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return tmp_path / "config" / "unclench"


@pytest.fixture
def make_app(qapp: QApplication, config: Path) -> Iterator[MakeApp]:
    made: list[RunningApp] = []

    def make() -> RunningApp:
        # What start() does once the tray shows, without a tray or a socket.
        app = UnclenchApp(qapp, AppOptions()).build()
        made.append(app)
        return app

    yield make
    for app in made:
        if app.history is not None:
            app.history.close()
        for window in (app.controller.window, app._settings_window, app._own_window):
            if window is not None:
                window.hide()
                window.deleteLater()
