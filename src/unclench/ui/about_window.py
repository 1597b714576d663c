"""The About window: what Unclench is, when to stop, where to find help, privacy and licenses."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from unclench import APP_NAME, __version__
from unclench.core.i18n import N_, _
from unclench.ui.kept_window import KeptWindow, fit_to_screen, scroll_area

#: The libraries a bundle ships, with their licenses; keep in step with the installers.
#: Names and license ids, never translated.
LIBRARIES: tuple[tuple[str, str], ...] = (
    ("Qt / PySide6", "LGPL-3.0"),
    ("pystray", "LGPL-3.0"),
    ("python-xlib", "LGPL-2.1"),
    ("Pillow", "MIT-CMU (HPND)"),
    ("platformdirs", "MIT"),
    ("tomli-w", "MIT"),
    ("six", "MIT"),
    ("jeepney", "MIT"),
)

_WHAT_IT_IS = N_(
    "{app} helps you relax and take a break. After a stretch of screen time it offers one "
    "short self-massage, then gets out of your way. It's a relaxation aid, not a treatment, and "
    "nothing in it is medical advice."
)
_WHEN_TO_STOP = N_(
    "Stop straight away if you feel pain, numbness, tingling or dizziness. If you're not sure a "
    "technique suits you, for example because you're pregnant, have had a blood clot or have "
    "diabetes, ask your doctor first."
)
# Translators: rich text: keep the tags and the links. 988 is the US crisis line; the last
# line points everyone else to a list of free helplines by country.
_CRISIS = N_(
    "If you're in danger or thinking about harming yourself, reach out now:"
    "<ul>"
    "<li>Call your local emergency number.</li>"
    "<li>In the US, call or text <b>988</b> for the 988 Suicide &amp; Crisis Lifeline "
    '(<a href="https://988lifeline.org">988lifeline.org</a>).</li>'
    '<li>Anywhere else, <a href="https://findahelpline.com">findahelpline.com</a> lists free '
    "helplines country by country.</li>"
    "</ul>"
)
_PRIVACY = N_(
    "Your break history and check-ins stay on this device, in a file only your user account "
    "can read. {app} never sends them anywhere. In History you can export them, or "
    "delete them all, whenever you like."
)


def idle_text(idle_source: str, counting_wall_time: bool) -> str:
    """One line on how Unclench notices that you stepped away, or that it cannot."""
    if counting_wall_time:
        return _(
            "Idle detection: none. {app} counts clock time here, so a break may come "
            "while you're away."
        ).format(app=APP_NAME)
    # Translators: {source} names the way idle time is read, such as "x11" (never translated)
    message = _("Idle detection: {source}. When you step away, {app} stops counting.")
    return message.format(source=idle_source, app=APP_NAME)


class AboutWindow(KeptWindow):
    """A plain, non-modal window to read at leisure."""

    def __init__(
        self,
        idle_source: str,
        counting_wall_time: bool,
        break_window_note: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        # Translators: the About window's title; {app} is the app's name, Unclench
        super().__init__(_("About {app}").format(app=APP_NAME), parent)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(18, 16, 18, 16)
        column.setSpacing(6)
        column.addWidget(heading(APP_NAME, scale=1.6))
        # Translators: under the app's name in About, such as "Version 1.2.0"
        version = _("Version {version}").format(version=escape(__version__))
        column.addWidget(paragraph(version))
        # Translators: the first section heading of the About window
        self._section(column, _("What it is"), _(_WHAT_IT_IS).format(app=APP_NAME))
        self._section(column, _("When to stop"), _(_WHEN_TO_STOP))
        self._section(column, _("If you need help now"), _(_CRISIS))
        self._section(column, _("Your data"), _(_PRIVACY).format(app=APP_NAME))
        away = escape(idle_text(idle_source, counting_wall_time))
        self._section(column, _("Noticing when you're away"), away)
        if break_window_note:
            # Translators: {description} says how a break appears on this desktop: a phrase
            # such as "a desktop notification with Start, Snooze and Skip", as translated
            appear = _("Breaks appear as {description}.")
            desktop = escape(appear.format(description=_(break_window_note)))
            self._section(column, _("On this desktop"), desktop)
        column.addSpacing(10)
        self._add_licences(column)
        column.addStretch(1)
        self._scroll = scroll_area(content)

        # Translators: the button that closes the About window
        close = QPushButton(_("Close"))
        close.setAccessibleName(close.text())
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(12, 8, 12, 12)
        buttons.addStretch(1)
        buttons.addWidget(close)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._scroll, 1)
        outer.addLayout(buttons)
        fit_to_screen(self, self._scroll)

    def _add_licences(self, column: QVBoxLayout) -> None:
        """A collapsed list: most people never need it, and it would push the rest down."""
        self.licences_button = QToolButton()
        self.licences_button.setText(_("Libraries and their licenses"))
        self.licences_button.setAccessibleName(self.licences_button.text())
        self.licences_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.licences_button.setArrowType(Qt.ArrowType.RightArrow)
        self.licences_button.setCheckable(True)
        self.licences_button.setAutoRaise(True)
        self.licences_button.toggled.connect(self._show_licences)
        column.addWidget(self.licences_button)
        rows = "".join(
            f"<tr><td>{escape(name)}</td><td>&nbsp;&nbsp;{escape(licence)}</td></tr>"
            for name, licence in LIBRARIES
        )
        # Translators: "GPL-3.0-or-later" is the license's id: keep it as it is
        free = _(
            "{app} is free software under the GPL-3.0-or-later. It ships with these libraries:"
        )
        self.licences = paragraph(f"{free.format(app=APP_NAME)}<table>{rows}</table>")
        self.licences.setObjectName("licences")
        self.licences.setContentsMargins(12, 0, 0, 0)
        self.licences.hide()
        column.addWidget(self.licences)

    def _section(self, column: QVBoxLayout, title: str, body: str) -> None:
        column.addSpacing(10)
        column.addWidget(heading(title))
        column.addWidget(paragraph(body))

    def _show_licences(self, shown: bool) -> None:
        self.licences.setVisible(shown)
        self.licences_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        if shown:
            # Once the layout has made room, bring the list into view; it opens below the fold.
            QTimer.singleShot(0, self, self._reveal_licences)

    def _reveal_licences(self) -> None:
        self._scroll.ensureWidgetVisible(self.licences)


def heading(text: str, *, scale: float = 1.0) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def paragraph(html: str) -> QLabel:
    """A wrapped, selectable paragraph whose links open in the browser and work by keyboard."""
    label = QLabel(html)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(True)
    flags = Qt.TextInteractionFlag.TextSelectableByMouse
    if "<a " in html:
        # Only paragraphs with links become tab stops; plain ones would just slow Tab down.
        flags |= (
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
    label.setTextInteractionFlags(flags)
    return label
