"""The running app uses the person's own techniques: merged at start and after every change."""

from __future__ import annotations

import errno
import os
import tomllib
from pathlib import Path

import pytest
import tomli_w
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from unclench.core.settings import Settings, with_changes
from unclench.running_app import RunningApp
from unclench.ui.own_techniques_window import OwnTechniquesWindow
from unclench.ui.technique_editor import TechniqueEditor

from helpers.break_contents import content_of
from helpers.running_apps import MakeApp

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.qt_log_ignore("This plugin does not support raise"),
]

#: With discreet-only on, a discreet foot technique of the person's own joins the one shipped.
FEET_DISCREET = with_changes(Settings(), techniques={"areas": ["feet"], "discreet_only": True})


def own_window(app: RunningApp) -> OwnTechniquesWindow:
    app.show_own_techniques()
    assert app._own_window is not None
    return app._own_window


def add(qtbot: QtBot, window: OwnTechniquesWindow, title: str, area: str, discreet: bool) -> None:
    QTest.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.editor is not None and window.editor.isVisible())
    editor = window.editor
    assert isinstance(editor, TechniqueEditor)
    editor.area.setCurrentIndex(editor.area.findData(area))
    editor.title.setText(title)
    editor.steps.setPlainText("Press the sole of your foot into the floor.\nRoll onto your toes.")
    editor.flags["discreet"].setChecked(discreet)
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)


def test_techniques_in_the_file_are_in_the_catalogue_from_the_start(
    make_app: MakeApp, config: Path
) -> None:
    config.mkdir(parents=True)
    entry = {
        "id": "own-sole-press-1",
        "area": "feet",
        "title": "Sole press",
        "steps": ["Press.", "Release."],
        "seconds": 30,
    }
    (config / "techniques.toml").write_text(tomli_w.dumps({"version": 1, "techniques": [entry]}))
    app = make_app()
    technique = app.catalogue.get("own-sole-press-1")
    assert technique is not None
    assert technique.custom
    assert app.controller.chooser.catalogue is app.catalogue
    assert len(app.catalogue) == len(app.shipped) + 1


def test_a_broken_entry_at_start_is_told_and_left_out(make_app: MakeApp, config: Path) -> None:
    config.mkdir(parents=True)
    bad = {"id": "own-x-1", "area": "elbows", "title": "X", "steps": ["a", "b"], "seconds": 30}
    (config / "techniques.toml").write_text(tomli_w.dumps({"techniques": [bad]}))
    app = make_app()
    assert app.catalogue.get("own-x-1") is None
    assert any("your techniques file" in n for n in app.notices)


def test_an_added_technique_is_saved_listed_and_drawn_for_a_break(
    qtbot: QtBot, make_app: MakeApp, config: Path
) -> None:
    app = make_app()
    app.change_settings(FEET_DISCREET)
    window = own_window(app)
    add(qtbot, window, "Quiet sole press", "feet", discreet=True)

    assert "own-quiet-sole-press-1" in (config / "techniques.toml").read_text()
    assert [window.list.item(i).text() for i in range(window.list.count())] == [
        "Quiet sole press · Feet"
    ]
    mine = app.catalogue.get("own-quiet-sole-press-1")
    assert mine is not None
    assert app.controller.chooser.catalogue.get(mine.id) is mine
    candidates = app.controller.chooser.candidates(FEET_DISCREET.techniques)
    assert [t.id for t in candidates] == ["feet-rooted", mine.id]

    app.controller.chooser.remember("feet-rooted")  # the last one shown is not shown again
    app.controller.break_now()
    assert app.controller.window.technique is mine
    assert app.controller.window.title_label.text() == "Quiet sole press"
    assert app.controller.window.area_label.text() == "FEET"


def test_the_area_safety_note_comes_with_an_own_technique(qtbot: QtBot, make_app: MakeApp) -> None:
    app = make_app()
    add(qtbot, own_window(app), "Neck ease", "neck_shoulders", discreet=False)
    [mine] = [t for t in app.catalogue if t.custom]
    neck = app.catalogue.area("neck_shoulders")
    assert neck is not None
    assert neck.safety
    app.controller.window.show_content(content_of(mine, neck), breathing=False, snoozes_left=1)
    assert neck.safety in app.controller.window.safety_label.text()


def test_an_edit_and_a_remove_reach_the_catalogue(
    qtbot: QtBot, make_app: MakeApp, config: Path
) -> None:
    app = make_app()
    window = own_window(app)
    add(qtbot, window, "Quiet sole press", "feet", discreet=True)
    window.list.setCurrentRow(0)
    QTest.mouseClick(window.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.editor is not None and window.editor.isVisible())
    assert window.editor is not None
    window.editor.title.setText("Sole press, seated")
    QTest.mouseClick(window.editor.save_button, Qt.MouseButton.LeftButton)
    edited = app.catalogue.get("own-quiet-sole-press-1")
    assert edited is not None
    assert edited.title == "Sole press, seated"

    QTest.mouseClick(window.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.confirm is not None and window.confirm.isVisible())
    assert window.confirm is not None
    confirm = window.confirm.findChild(QPushButton, "confirm")
    assert confirm is not None
    QTest.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.catalogue.get("own-quiet-sole-press-1") is None)
    assert app.controller.chooser.catalogue.get("own-quiet-sole-press-1") is None
    assert window.list.count() == 0
    saved = tomllib.loads((config / "techniques.toml").read_text())
    assert saved["techniques"] == []
    assert saved["removed_ids"] == ["own-quiet-sole-press-1"]  # never given out again


def test_a_failed_save_changes_nothing_and_says_so_in_the_form(
    qtbot: QtBot, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, config: Path
) -> None:
    app = make_app()
    window = own_window(app)
    before = len(app.catalogue)

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    add(qtbot, window, "Quiet sole press", "feet", discreet=True)
    monkeypatch.undo()
    editor = window.editor
    assert editor is not None
    assert editor.isVisible()
    assert os.strerror(errno.ENOSPC) in editor.save_error.text()
    assert len(app.catalogue) == before
    assert not (config / "techniques.toml").exists()


def test_settings_opens_the_window(qtbot: QtBot, make_app: MakeApp) -> None:
    app = make_app()
    app.show_settings()
    assert app._settings_window is not None
    button = app._settings_window.findChild(QPushButton, "own-techniques")
    assert button is not None
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert app._own_window is not None
    assert app._own_window.isVisible()
