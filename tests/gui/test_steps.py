"""The numbered steps: each step's text starts on the line of its number."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from unclench.ui.steps import StepsList


def test_a_row_with_spare_height_keeps_its_text_beside_its_number(qtbot: QtBot) -> None:
    steps = StepsList()
    qtbot.addWidget(steps)
    steps.set_steps(["Short.", "A much longer step that wraps onto a second line at this width."])
    steps.resize(220, steps.sizeHint().height() + 120)  # more height than the text needs
    steps.show()
    qtbot.waitExposed(steps)
    for number, text in steps._rows[:2]:
        # Where the first line of text is drawn: the label's top plus its centring offset.
        drawn_top = text.mapTo(steps, QPoint(0, 0)).y() + _text_offset(text)
        assert abs(drawn_top - number.mapTo(steps, QPoint(0, 0)).y()) <= 2


def _text_offset(label: QLabel) -> int:
    """How far below its top a label draws its text block (0 when aligned to the top)."""
    if label.alignment() & Qt.AlignmentFlag.AlignTop:
        return 0
    needed = label.heightForWidth(label.width())
    return max(0, (label.height() - needed) // 2)
