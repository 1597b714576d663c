"""The form for one of the person's techniques: messages next to the field, Save only when valid."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from unclench.core.catalogue import STEP_MAX, TITLE_MAX, Catalogue, load_catalogue
from unclench.core.own_techniques import TechniqueDraft
from unclench.ui.technique_editor import TechniqueEditor, steps_from_text

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

GOOD = TechniqueDraft(
    area="temples",
    title="Slow temple circles",
    steps=("Rest two fingers on each temple.", "Draw slow, small circles."),
    seconds=45,
    discreet=True,
    seated=True,
    one_hand=False,
)


def named(parent: QWidget, name: str) -> QWidget:
    found = parent.findChild(QWidget, name)
    assert found is not None, f"no widget named {name!r}"
    return found


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def editor(qtbot: QtBot, catalogue: Catalogue) -> TechniqueEditor:
    made = TechniqueEditor(catalogue.areas)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def test_a_new_form_explains_itself_and_cannot_be_saved_yet(editor: TechniqueEditor) -> None:
    assert not editor.save_button.isEnabled()
    assert editor.title.placeholderText()
    assert "one step per line" in editor.steps.placeholderText().lower()
    assert all(editor.error_text(f) == "" for f in ("area", "title", "steps", "seconds"))
    assert editor.seconds.value() == 60
    assert editor.flags["seated"].isChecked()


def test_areas_are_offered_by_name_in_catalogue_order(
    editor: TechniqueEditor, catalogue: Catalogue
) -> None:
    combo = editor.area
    assert [combo.itemText(i) for i in range(combo.count())] == [a.name for a in catalogue.areas]
    assert [combo.itemData(i) for i in range(combo.count())] == [a.id for a in catalogue.areas]


def test_the_seconds_keep_to_the_catalogue_bounds(editor: TechniqueEditor) -> None:
    assert (editor.seconds.minimum(), editor.seconds.maximum()) == (30, 90)


def test_one_step_blocks_save_and_says_why_next_to_the_steps(editor: TechniqueEditor) -> None:
    QTest.keyClicks(editor.title, "Palm press")
    editor.steps.setPlainText("Press your palms together.")
    assert not editor.save_button.isEnabled()
    assert editor.error_text("steps") == "Write at least 2 steps, one per line."
    assert named(editor, "steps-error").isVisible()
    editor.steps.setPlainText("Press your palms together.\n\nHold, then let go.\n")
    assert editor.save_button.isEnabled()
    assert editor.error_text("steps") == ""


def test_too_many_steps_are_counted_in_the_message(editor: TechniqueEditor) -> None:
    QTest.keyClicks(editor.title, "Long one")
    editor.steps.setPlainText("\n".join(f"Step {n}." for n in range(1, 7)))
    assert editor.error_text("steps") == "Keep it to 5 steps at most; you have 6."
    assert not editor.save_button.isEnabled()


def test_a_long_step_is_named_by_its_number(editor: TechniqueEditor) -> None:
    QTest.keyClicks(editor.title, "Wordy")
    editor.steps.setPlainText("Fine.\n" + "x" * (STEP_MAX + 1))
    assert editor.error_text("steps") == (
        f"Step 2 is too long: keep each step to {STEP_MAX} characters."
    )
    assert not editor.save_button.isEnabled()


def test_an_emptied_title_blocks_save_and_says_why(editor: TechniqueEditor) -> None:
    editor.steps.setPlainText("One.\nTwo.")
    QTest.keyClicks(editor.title, "x")
    assert editor.save_button.isEnabled()
    QTest.keyClick(editor.title, Qt.Key.Key_Backspace)
    assert editor.error_text("title") == f"Give it a short title, up to {TITLE_MAX} characters."
    assert not editor.save_button.isEnabled()


def test_the_title_cannot_grow_past_the_limit(editor: TechniqueEditor) -> None:
    QTest.keyClicks(editor.title, "y" * (TITLE_MAX + 5))
    assert len(editor.title.text()) == TITLE_MAX


def test_an_area_with_a_safety_note_shows_it(editor: TechniqueEditor, catalogue: Catalogue) -> None:
    note = named(editor, "area-note")
    editor.area.setCurrentIndex(editor.area.findData("hands"))
    assert not note.isVisible()
    editor.area.setCurrentIndex(editor.area.findData("neck_shoulders"))
    neck = catalogue.area("neck_shoulders")
    assert neck is not None
    assert neck.safety
    assert note.isVisible()
    assert neck.safety in editor.area_note.text()


def test_save_sends_what_the_form_holds(qtbot: QtBot, editor: TechniqueEditor) -> None:
    editor.area.setCurrentIndex(editor.area.findData("temples"))
    QTest.keyClicks(editor.title, "  Slow temple circles ")
    editor.steps.setPlainText("  Rest two fingers on each temple.\n\nDraw slow, small circles.\n")
    editor.seconds.setValue(45)
    editor.flags["discreet"].click()
    with qtbot.waitSignal(editor.submitted, timeout=1000) as sent:
        QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert sent.args == [GOOD]


def test_editing_fills_the_form(qtbot: QtBot, catalogue: Catalogue) -> None:
    editor = TechniqueEditor(catalogue.areas, GOOD)
    qtbot.addWidget(editor)
    assert editor.draft() == GOOD
    assert editor.save_button.isEnabled()
    assert "Edit" in editor.windowTitle()


def test_a_save_error_is_shown_in_the_form(editor: TechniqueEditor) -> None:
    editor.show_save_error("The disk is full; nothing was changed.")
    label = named(editor, "save-error")
    assert label.isVisible()
    assert editor.save_error.text() == "The disk is full; nothing was changed."
    QTest.keyClicks(editor.title, "x")
    assert not label.isVisible(), "typing again clears the old failure"


def test_steps_from_text_skips_blank_lines() -> None:
    assert steps_from_text(" a \n\n  \nb\n") == ("a", "b")


def test_the_whole_form_works_from_the_keyboard(qtbot: QtBot, editor: TechniqueEditor) -> None:
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.area.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(editor.area, Qt.Key.Key_Down)  # Hands -> Forearms
    QTest.keyClick(editor.area, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.title
    QTest.keyClicks(editor.title, "Arm glide")
    QTest.keyClick(editor.title, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.steps
    QTest.keyClicks(editor.steps, "Lay one arm on the desk.")
    QTest.keyClick(editor.steps, Qt.Key.Key_Return)
    QTest.keyClicks(editor.steps, "Glide from elbow to wrist.")
    QTest.keyClick(editor.steps, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.seconds
    QTest.keyClick(editor.seconds, Qt.Key.Key_Up)  # one step of 5 s
    order = [editor.flags["discreet"], editor.flags["seated"], editor.flags["one_hand"]]
    for box in order:
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is box
    QTest.keyClick(editor.flags["one_hand"], Qt.Key.Key_Space)
    QTest.keyClick(editor.flags["one_hand"], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.save_button
    with qtbot.waitSignal(editor.submitted, timeout=1000) as sent:
        QTest.keyClick(editor.save_button, Qt.Key.Key_Space)
    assert sent.args == [
        TechniqueDraft(
            area="forearms",
            title="Arm glide",
            steps=("Lay one arm on the desk.", "Glide from elbow to wrist."),
            seconds=65,
            one_hand=True,
        )
    ]


def test_every_field_has_a_label_and_a_spoken_name(editor: TechniqueEditor) -> None:
    for field in (editor.area, editor.title, editor.steps, editor.seconds, *editor.flags.values()):
        assert field.accessibleName().strip(), field.objectName()
