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

from unclench.core.i18n import _

SCALE = range(11)

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
    """Asks how tense or stressed the person feels; :attr:`picked` carries the number tapped.

    ``question`` is the English message (marked with ``N_``): the row translates it, now and
    on :meth:`retranslate`.
    """

    picked = Signal(int)

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self._question = question
        self.question = QLabel(self)
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
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self._group.addButton(button, value)
            row.addWidget(button)
            self.buttons.append(button)
        self._group.idClicked.connect(self.picked.emit)
        ends = QHBoxLayout()
        self._low = QLabel(self)
        self._high = QLabel(self)
        for label in (self._low, self._high):
            label.setObjectName("scaleEnds")
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * 0.9)
            label.setFont(font)
        ends.addWidget(self._low)
        ends.addStretch(1)
        ends.addWidget(self._high)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.question)
        layout.addLayout(row)
        layout.addLayout(ends)
        self.retranslate()

    def retranslate(self) -> None:
        """Every word of the row again, in the current language."""
        question = _(self._question)
        self.question.setText(question)
        self.setAccessibleName(question)
        for value, button in enumerate(self.buttons):
            button.setAccessibleName(_describe(value))
            button.setToolTip(_describe(value))
        # Translators: the low end of the 0-10 tension scale, under its first button
        self._low.setText(_("0 = not at all"))
        # Translators: the high end of the 0-10 tension scale, under its last button
        self._high.setText(_("10 = extremely"))

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
    """A scale button's name for a screen reader: "0 out of 10, not at all tense"."""
    top = max(SCALE)
    if value == 0:
        # Translators: a screen reader's name for the lowest button of the tension scale
        return _("{value} out of {top}, not at all tense").format(value=value, top=top)
    if value == top:
        # Translators: a screen reader's name for the highest button of the tension scale
        return _("{value} out of {top}, extremely tense").format(value=value, top=top)
    # Translators: a screen reader's name for a button of the tension scale, "4 out of 10"
    return _("{value} out of {top}").format(value=value, top=top)


class AfterCheckIn(QWidget):
    """What Done turns the break window into when the check-in is on: one question, then gone.
    ``answered`` carries the number; the window closes itself on ``close_button``."""

    answered = Signal(int)

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thanks = QLabel(self)
        self._thanks.setObjectName("afterTitle")
        make_title(self._thanks)
        self.checkin = CheckInRow(question, self)
        self.checkin.setObjectName("afterCheckin")
        self.checkin.picked.connect(self.answered.emit)
        self.close_button = QPushButton(self)
        self.close_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._thanks)
        layout.addWidget(self.checkin)
        layout.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        """Every word of the panel again, in the current language."""
        self._thanks.setText(_("Nicely done."))
        # Translators: the button that closes the break window without answering the check-in
        self.close_button.setText(_("Close"))
        self.close_button.setAccessibleName(_("Close without answering"))
        self.checkin.retranslate()


def make_title(label: QLabel) -> None:
    """A title: the label's font, a third larger and bold."""
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
