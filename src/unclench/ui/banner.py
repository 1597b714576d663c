"""A dismissible message line at the top of a window, read out to screen readers."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStyle, QWidget

from unclench.core.i18n import N_, _
from unclench.ui.accessible_roles import announce

_BANNER_STYLES = {
    # Text and background are both set, so the banner stays readable under any theme.
    "error": "#banner {background: #fdecee; border: 1px solid #d68c95; border-radius: 6px;}"
    " #banner QLabel {color: #5c1119;}",
    "notice": "#banner {background: #e8f1fb; border: 1px solid #8fb3df; border-radius: 6px;}"
    " #banner QLabel {color: #0d355e;}",
}

#: What a screen reader calls the message, by kind.
_SPOKEN_KIND = {
    # Translators: what a screen reader calls a message at the top of a window that says
    # something went wrong
    "error": N_("Problem"),
    # Translators: what a screen reader calls a message at the top of a window that says
    # something worth knowing
    "notice": N_("Notice"),
}


class MessageBanner(QFrame):
    """A dismissible line of text at the top of the window, for problems and notices."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._icon = QLabel(self)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # Translators: the button that hides a message shown at the top of a window
        self.dismiss_button = QPushButton(_("Dismiss"), self)
        self.dismiss_button.setAccessibleName(_("Dismiss message"))
        self.dismiss_button.clicked.connect(self.hide)
        self.kind: Literal["error", "notice"] = "notice"
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 8, 8)
        row.setSpacing(10)
        row.addWidget(self._icon)
        row.addWidget(self._text, 1)
        row.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def text(self) -> str:
        return self._text.text()

    def show_message(self, message: str, kind: Literal["error", "notice"]) -> None:
        self.kind = kind
        self.setStyleSheet(_BANNER_STYLES[kind])
        icon = (
            QStyle.StandardPixmap.SP_MessageBoxWarning
            if kind == "error"
            else QStyle.StandardPixmap.SP_MessageBoxInformation
        )
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        self._text.setText(message)
        self._text.setAccessibleName(_(_SPOKEN_KIND[kind]))
        self.show()
        announce(self._text, message)
