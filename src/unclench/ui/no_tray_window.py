"""Shown when Unclench starts on a desktop without a tray: it runs, and here is how to reach it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from unclench import APP_NAME
from unclench.ui.about_window import heading, paragraph
from unclench.ui.kept_window import KeptWindow

COMMANDS = (
    ("unclench status", "when the next break comes"),
    ("unclench now", "a break right away"),
    ("unclench pause 1h", "no reminders for an hour"),
    ("unclench settings", "open Settings"),
    ("unclench quit", f"stop {APP_NAME}"),
)


def tray_advice(desktop: str) -> str:
    """How to get a tray icon on this desktop (``XDG_CURRENT_DESKTOP``), in a sentence or two."""
    names = desktop.upper().split(":")
    if "GNOME" in names:
        return (
            "GNOME shows tray icons once the “AppIndicator and KStatusNotifierItem Support” "
            "extension is on: install it (on Debian and Ubuntu, the package "
            "gnome-shell-extension-appindicator), turn it on in the Extensions app, then log "
            f"out and back in. {APP_NAME}'s icon then appears in the top bar."
        )
    if "KDE" in names:
        return "Add the “System Tray” widget to a panel: right-click the panel, Add Widgets."
    if "SWAY" in names:
        return "Add <code>tray_output *</code> to the <code>bar</code> block of your sway config."
    return (
        "Add a system tray (a “status notifier” or “tray” area) to your panel or bar; "
        f"{APP_NAME}'s icon appears there the next time it starts."
    )


class NoTrayWindow(KeptWindow):
    """Says that Unclench runs, how to reach it without an icon, and how to get one."""

    settings_requested = Signal()

    def __init__(self, desktop: str, parent: QWidget | None = None) -> None:
        super().__init__(f"{APP_NAME} is running", parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(18, 16, 18, 12)
        column.setSpacing(6)
        column.addWidget(heading(f"{APP_NAME} is running", scale=1.4))
        column.addWidget(
            paragraph(
                "It counts your active screen time and offers a short break when it's time. "
                "This desktop shows no tray icons, so there is no icon to click."
            )
        )
        column.addSpacing(8)
        column.addWidget(heading(f"To reach {APP_NAME}"))
        commands = "".join(
            f"<tr><td><code>{escape(c)}</code>&nbsp;&nbsp;</td><td>{escape(what)}</td></tr>"
            for c, what in COMMANDS
        )
        column.addWidget(
            paragraph(
                f"Start {APP_NAME} again from your applications menu: that opens Settings. "
                f"Or type one of these in a terminal:<table>{commands}</table>"
            )
        )
        column.addSpacing(8)
        column.addWidget(heading("To get a tray icon"))
        column.addWidget(paragraph(tray_advice(desktop)))
        column.addStretch(1)
        self.settings_button = QPushButton("Open Settings")
        self.settings_button.setAccessibleName("Open Settings")
        self.settings_button.clicked.connect(self.settings_requested.emit)
        self.settings_button.clicked.connect(self.close)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        buttons.addWidget(self.close_button)
        column.addLayout(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 72, self.sizeHint().height())
