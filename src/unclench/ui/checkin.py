"""The tension check-in: one question and one row of 0-10 buttons, answered with one tap;
and the panel that asks it again after Done.

It never blocks anything: the break goes on whether or not the row is answered, and a tap
can be changed by tapping another number.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

SCALE = range(11)
LOW_WORDS = "not at all"
HIGH_WORDS = "extremely"

# The picked number is drawn like the window's primary button, so the answer is plain to see.
STYLE = """
QPushButton[scale="true"] { padding: 3px 0; min-width: 1.9em; }
QPushButton[scale="true"]:checked {
    background: palette(highlight); color: palette(highlighted-text);
    border: 1px solid palette(highlight); border-radius: 3px; font-weight: 600;
}
#scaleEnds { color: palette(placeholder-text); }
"""


class CheckInRow(QWidget):
    """Asks how tense or stressed the person feels; :attr:`picked` carries the number tapped."""

    picked = Signal(int)

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.question = QLabel(question, self)
        self.question.setObjectName("checkinQuestion")
        self.question.setWordWrap(True)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        row = QHBoxLayout()
        row.setSpacing(2)
        self.buttons: list[QPushButton] = []
        for value in SCALE:
            button = QPushButton(str(value), self)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setProperty("scale", True)
            button.setAccessibleName(_describe(value))
            button.setToolTip(_describe(value))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self._group.addButton(button, value)
            row.addWidget(button)
            self.buttons.append(button)
        self._group.idClicked.connect(self.picked.emit)
        ends = QHBoxLayout()
        low = QLabel(f"0 = {LOW_WORDS}", self)
        high = QLabel(f"10 = {HIGH_WORDS}", self)
        for label in (low, high):
            label.setObjectName("scaleEnds")
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * 0.9)
            label.setFont(font)
        ends.addWidget(low)
        ends.addStretch(1)
        ends.addWidget(high)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.question)
        layout.addLayout(row)
        layout.addLayout(ends)
        self.setAccessibleName(question)

    @property
    def value(self) -> int | None:
        """The number tapped, or ``None`` while unanswered."""
        checked = self._group.checkedId()
        return None if checked < 0 else checked

    def pick(self, value: int) -> None:
        """Answer as if ``value`` was tapped (the digit keys use this)."""
        if value not in SCALE:
            raise ValueError(f"the scale is 0 to 10, not {value}")
        self.buttons[value].click()

    def reset(self) -> None:
        """Unanswered again, for the next break."""
        # An exclusive group never lets the last checked button go; lift that for a moment.
        self._group.setExclusive(False)
        for button in self.buttons:
            button.setChecked(False)
        self._group.setExclusive(True)

    def focus_first(self) -> None:
        self.buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)


def _describe(value: int) -> str:
    words = {0: f", {LOW_WORDS} tense", max(SCALE): f", {HIGH_WORDS} tense"}
    return f"{value} out of {max(SCALE)}{words.get(value, '')}"


class AfterCheckIn(QWidget):
    """What Done turns the break window into when the check-in is on: one question, then gone.
    ``answered`` carries the number; the window closes itself on ``close_button``."""

    answered = Signal(int)

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        thanks = QLabel("Nicely done.", self)
        thanks.setObjectName("afterTitle")
        make_title(thanks)
        self.checkin = CheckInRow(question, self)
        self.checkin.setObjectName("afterCheckin")
        self.checkin.picked.connect(self.answered.emit)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAccessibleName("Close without answering")
        self.close_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(thanks)
        layout.addWidget(self.checkin)
        layout.addLayout(row)


def make_title(label: QLabel) -> None:
    """A title: the label's font, a third larger and bold."""
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
