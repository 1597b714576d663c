"""Shown when Unclench starts on a desktop without a tray: it runs, and here is how to reach it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from unclench import APP_NAME
from unclench.core.i18n import N_, _
from unclench.ui.about_window import heading, paragraph
from unclench.ui.kept_window import KeptWindow

#: Each command (typed as it is, never translated) and what it does ({app}: the app's name).
COMMANDS = (
    # Translators: what the command "unclench status" tells, beside it in a table
    ("unclench status", N_("when the next break comes")),
    # Translators: what the command "unclench now" does, beside it in a table
    ("unclench now", N_("a break right away")),
    # Translators: what the command "unclench pause 1h" does, beside it in a table
    ("unclench pause 1h", N_("no reminders for an hour")),
    # Translators: what the command "unclench settings" does, beside it in a table
    ("unclench settings", N_("open Settings")),
    # Translators: what the command "unclench quit" does, beside it in a table
    ("unclench quit", N_("stop {app}")),
)


def tray_advice(desktop: str) -> str:
    """How to get a tray icon on this desktop (``XDG_CURRENT_DESKTOP``), in a sentence or two."""
    names = desktop.upper().split(":")
    if "GNOME" in names:
        # Translators: keep the extension's name and the package's name as they are; use
        # GNOME's own words for "Extensions" (the app's name in your language)
        advice = _(
            "GNOME shows tray icons once the “AppIndicator and KStatusNotifierItem Support” "
            "extension is on: install it (on Debian and Ubuntu, the package "
            "gnome-shell-extension-appindicator), turn it on in the Extensions app, then log "
            "out and back in. {app}'s icon then appears in the top bar."
        )
    elif "KDE" in names:
        # Translators: use KDE's own words for "System Tray" and "Add Widgets"
        advice = _("Add the “System Tray” widget to a panel: right-click the panel, Add Widgets.")
    elif "SWAY" in names:
        # Translators: rich text: keep the <code> parts as they are (sway's own words)
        advice = _(
            "Add <code>tray_output *</code> to the <code>bar</code> block of your sway config."
        )
    else:
        advice = _(
            "Add a system tray (a “status notifier” or “tray” area) to your panel or bar; "
            "{app}'s icon appears there the next time it starts."
        )
    return advice.format(app=APP_NAME)


class NoTrayWindow(KeptWindow):
    """Says that Unclench runs, how to reach it without an icon, and how to get one."""

    settings_requested = Signal()

    def __init__(self, desktop: str, parent: QWidget | None = None) -> None:
        running = _("{app} is running").format(app=APP_NAME)
        super().__init__(running, parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(18, 16, 18, 12)
        column.setSpacing(6)
        column.addWidget(heading(running, scale=1.4))
        column.addWidget(
            paragraph(
                _(
                    "It counts your active screen time and offers a short break when it's "
                    "time. This desktop shows no tray icons, so there is no icon to click."
                )
            )
        )
        column.addSpacing(8)
        # Translators: a heading: how to reach the app without a tray icon
        column.addWidget(heading(_("To reach {app}").format(app=APP_NAME)))
        commands = "".join(
            f"<tr><td><code>{escape(c)}</code>&nbsp;&nbsp;</td>"
            f"<td>{escape(_(what).format(app=APP_NAME))}</td></tr>"
            for c, what in COMMANDS
        )
        start_again = _(
            "Start {app} again from your applications menu: that opens Settings. "
            "Or type one of these in a terminal:"
        ).format(app=APP_NAME)
        column.addWidget(paragraph(f"{start_again}<table>{commands}</table>"))
        column.addSpacing(8)
        # Translators: a heading
        column.addWidget(heading(_("To get a tray icon")))
        column.addWidget(paragraph(tray_advice(desktop)))
        column.addStretch(1)
        # Translators: a button that opens the Settings window
        self.settings_button = QPushButton(_("Open Settings"))
        self.settings_button.setAccessibleName(self.settings_button.text())
        self.settings_button.clicked.connect(self.settings_requested.emit)
        self.settings_button.clicked.connect(self.close)
        # Translators: the button that closes this window
        self.close_button = QPushButton(_("Close"))
        self.close_button.setAccessibleName(self.close_button.text())
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        buttons.addWidget(self.close_button)
        column.addLayout(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 72, self.sizeHint().height())
