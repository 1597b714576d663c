"""The list of your own techniques: Add, Edit, Remove (after a question), by keyboard too."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from unclench.core.catalogue import Catalogue, CatalogueProblem, Technique, load_catalogue
from unclench.core.own_techniques import OwnTechniques, TechniqueDraft
from unclench.ui.own_techniques_window import OwnTechniquesWindow
from unclench.ui.technique_editor import TechniqueEditor

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

LOCATION = "/home/you/.config/unclench/techniques.toml"
SQUEEZE = Technique(
    id="own-shoulder-squeeze-1",
    area="neck_shoulders",
    title="Shoulder squeeze",
    steps=("Lift both shoulders to your ears.", "Let them drop, slowly."),
    seconds=40,
    discreet=True,
    custom=True,
)
PALMS = Technique(
    id="own-warm-palms-1",
    area="hands",
    title="Warm palms",
    steps=("Rub your palms together.", "Rest them on your cheeks."),
    seconds=60,
    custom=True,
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def window(qtbot: QtBot, catalogue: Catalogue) -> OwnTechniquesWindow:
    made = OwnTechniquesWindow(catalogue.areas, LOCATION)
    qtbot.addWidget(made)
    made.set_techniques(OwnTechniques((SQUEEZE, PALMS)))
    made.show()
    qtbot.waitExposed(made)
    return made


def titles(window: OwnTechniquesWindow) -> list[str]:
    return [window.list.item(i).text() for i in range(window.list.count())]


def open_editor(qtbot: QtBot, window: OwnTechniquesWindow, button: QPushButton) -> TechniqueEditor:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.editor is not None and window.editor.isVisible())
    assert window.editor is not None
    return window.editor


def fill(editor: TechniqueEditor, title: str, steps: str) -> None:
    editor.title.setText(title)
    editor.steps.setPlainText(steps)


def confirm_box(qtbot: QtBot, window: OwnTechniquesWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: window.confirm is not None and window.confirm.isVisible())
    assert window.confirm is not None
    return window.confirm


def test_each_technique_is_listed_with_its_area_name(window: OwnTechniquesWindow) -> None:
    assert titles(window) == ["Shoulder squeeze · Neck and shoulders", "Warm palms · Hands"]
    assert window.findChild(QLabel, "location") is not None
    assert LOCATION in window.findChild(QLabel, "location").text()  # type: ignore[union-attr]


def test_an_empty_list_says_so_and_only_add_works(qtbot: QtBot, catalogue: Catalogue) -> None:
    window = OwnTechniquesWindow(catalogue.areas, LOCATION)
    qtbot.addWidget(window)
    window.show()
    assert window.empty.isVisible()
    assert not window.list.isVisible()
    assert window.add_button.isEnabled()
    assert not window.edit_button.isEnabled()
    assert not window.remove_button.isEnabled()


def test_add_sends_the_new_technique_and_closes_the_form(
    qtbot: QtBot, window: OwnTechniquesWindow
) -> None:
    editor = open_editor(qtbot, window, window.add_button)
    assert editor.draft().title == ""
    fill(editor, "Ear rub", "Hold your ear lobes.\nRub them in small circles.")
    with qtbot.waitSignal(window.add_requested, timeout=1000) as sent:
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    draft = sent.args[0] if sent.args else None
    assert isinstance(draft, TechniqueDraft)
    assert draft.title == "Ear rub"
    assert draft.steps == ("Hold your ear lobes.", "Rub them in small circles.")
    qtbot.waitUntil(lambda: window.editor is None or not window.editor.isVisible())


def test_edit_opens_the_chosen_one_and_sends_its_id(
    qtbot: QtBot, window: OwnTechniquesWindow
) -> None:
    window.list.setCurrentRow(1)
    editor = open_editor(qtbot, window, window.edit_button)
    assert editor.draft() == TechniqueDraft.of(PALMS)
    editor.seconds.setValue(80)
    with qtbot.waitSignal(window.edit_requested, timeout=1000) as sent:
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert sent.args is not None
    assert sent.args[0] == PALMS.id
    assert sent.args[1].seconds == 80


def test_a_failed_save_keeps_the_form_open_with_the_message(
    qtbot: QtBot, window: OwnTechniquesWindow
) -> None:
    message = "Your techniques could not be saved (No space left on device)."
    window.add_requested.connect(lambda _draft: window.show_error(message))
    editor = open_editor(qtbot, window, window.add_button)
    fill(editor, "Ear rub", "One.\nTwo.")
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.save_error.isVisible()
    assert editor.save_error.text() == message
    assert editor.draft().title == "Ear rub", "what was typed is still there"


def test_remove_asks_first_and_keep_sends_nothing(
    qtbot: QtBot, window: OwnTechniquesWindow
) -> None:
    window.list.setCurrentRow(0)
    with qtbot.assertNotEmitted(window.remove_requested):
        QTest.mouseClick(window.remove_button, Qt.MouseButton.LeftButton)
        box = confirm_box(qtbot, window)
        assert "Shoulder squeeze" in box.text()
        keep = box.findChild(QPushButton, "keep")
        assert keep is not None
        QTest.mouseClick(keep, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.confirm is None)


def test_remove_confirmed_sends_the_id(qtbot: QtBot, window: OwnTechniquesWindow) -> None:
    window.list.setCurrentRow(0)
    QTest.mouseClick(window.remove_button, Qt.MouseButton.LeftButton)
    box = confirm_box(qtbot, window)
    confirm = box.findChild(QPushButton, "confirm")
    assert confirm is not None
    with qtbot.waitSignal(window.remove_requested, timeout=1000) as sent:
        QTest.mouseClick(confirm, Qt.MouseButton.LeftButton)
    assert sent.args == [SQUEEZE.id]


def test_a_new_list_keeps_the_chosen_row(window: OwnTechniquesWindow) -> None:
    window.list.setCurrentRow(1)
    window.set_techniques(OwnTechniques((PALMS,)))
    assert titles(window) == ["Warm palms · Hands"]
    assert window.list.currentRow() == 0
    window.set_techniques(OwnTechniques((SQUEEZE, PALMS)))
    assert window.list.currentItem().text().startswith("Warm palms")


def test_unusable_entries_are_named_with_their_field(window: OwnTechniquesWindow) -> None:
    problem = CatalogueProblem(LOCATION, "own-rub-1", "seconds", "must be a whole number")
    window.set_techniques(OwnTechniques((PALMS,), (problem,)))
    assert window.broken.isVisible()
    assert "own-rub-1, seconds: must be a whole number" in window.broken.text()
    window.set_techniques(OwnTechniques((PALMS,)))
    assert not window.broken.isVisible()


def test_a_save_error_with_no_form_open_shows_in_the_banner(window: OwnTechniquesWindow) -> None:
    window.show_error("Could not remove it: the disk is read-only.")
    assert window.banner.isVisible()
    assert "read-only" in window.banner.text()


def test_keyboard_enter_edits_delete_removes_escape_keeps(
    qtbot: QtBot, window: OwnTechniquesWindow
) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.list.setFocus(Qt.FocusReason.TabFocusReason)
    window.list.setCurrentRow(0)

    QTest.keyClick(window.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.editor is not None and window.editor.isVisible())
    assert window.editor is not None
    assert window.editor.draft() == TechniqueDraft.of(SQUEEZE)
    QTest.keyClick(window.editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.editor is None or not window.editor.isVisible())

    window.activateWindow()
    window.list.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.assertNotEmitted(window.remove_requested):
        QTest.keyClick(window.list, Qt.Key.Key_Delete)
        box = confirm_box(qtbot, window)
        QTest.keyClick(box, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: window.confirm is None)


def test_tab_goes_list_add_edit_remove(qtbot: QtBot, window: OwnTechniquesWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.list.setFocus(Qt.FocusReason.TabFocusReason)
    visited: list[Any] = []
    for _ in range(4):
        focus = QApplication.focusWidget()
        assert focus is not None
        visited.append(focus)
        QTest.keyClick(focus, Qt.Key.Key_Tab)
    assert visited == [window.list, window.add_button, window.edit_button, window.remove_button]


def test_every_button_has_a_spoken_name(window: OwnTechniquesWindow) -> None:
    for button in (window.add_button, window.edit_button, window.remove_button):
        assert button.accessibleName().strip()
    assert window.list.accessibleName() == "Your techniques"
