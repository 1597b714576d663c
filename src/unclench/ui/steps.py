"""A numbered list of steps as plain labels, which measure their wrapped height exactly.

(A rich-text <ol> in one label under-reports its height at some scale factors, and the
last steps were cut off at 200%.)
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from unclench.core.i18n import _

MAX_STEPS = 5  # the catalogue allows 2-5; the labels are made once and reused


class StepsList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0  # steps showing
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        self._rows: list[tuple[QLabel, QLabel]] = []
        for row in range(MAX_STEPS):
            number = QLabel(f"{row + 1}.", self)
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            text = QLabel(self)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            # Top, as the number is: a row given spare height must not center its text
            # (seen on GNOME's theme, where a one-line step sat lower than its number).
            text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            # Tab reaches each step once the window has the keyboard, to read it aloud.
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            text.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            grid.addWidget(number, row, 0)
            grid.addWidget(text, row, 1)
            self._rows.append((number, text))
        self.retranslate()

    def retranslate(self) -> None:
        """Its own words again, in the current language (the steps are the content's)."""
        # Translators: what a screen reader says the numbered list of a technique's steps is
        self.setAccessibleDescription(_("Steps"))
        for row, (_number, text) in enumerate(self._rows):
            # The name stays the text itself, so a screen reader reads the step's words.
            # Translators: a screen reader's description of one step, "Step 2 of 4"
            description = _("Step {number} of {count}")
            text.setAccessibleDescription(description.format(number=row + 1, count=self._count))

    def set_steps(self, steps: Sequence[str]) -> None:
        self._count = len(steps)
        for row, (number, text) in enumerate(self._rows):
            shown = row < len(steps)
            number.setVisible(shown)
            text.setVisible(shown)
            text.setText(steps[row] if shown else "")
        self.retranslate()

    def texts(self) -> list[str]:
        return [text.text() for _number, text in self._rows if not text.isHidden()]
