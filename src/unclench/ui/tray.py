"""The tray: one interface, two backends (pystray and Qt's own), chosen in one place."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCursor, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from unclench.core.durations import PAUSE_CHOICES, SNOOZE_CHOICES, Duration
from unclench.core.i18n import N_, _
from unclench.core.plurals import plural
from unclench.ui.icons import TrayState

log = logging.getLogger(__name__)

#: Picks a backend for testing or for a desktop where auto-detection guesses wrong.
ENV_TRAY = "UNCLENCH_TRAY"
#: The menu's title when it opens as a window of its own (on Wayland); sway's rule for it
#: matches this title, so it is not translated (the menu's accessible name is).
MENU_WINDOW_TITLE = "Unclench menu"


@dataclass(frozen=True, slots=True)
class TrayModel:
    """What the tray shows; the app rebuilds it when something changes."""

    state: TrayState
    tooltip: str
    paused: bool
    can_snooze: bool


class TrayCommands(QObject):
    """What the person asked for from the tray. Emitted on the GUI thread, or queued to it."""

    break_now = Signal()
    calm = Signal()  # a calming break now
    snooze = Signal(object)  # a Duration
    pause = Signal(object)  # a Duration
    resume = Signal()
    settings = Signal()
    history = Signal()
    about = Signal()
    quit = Signal()
    menu_requested = Signal()  # a backend without its own menu was clicked


class TrayBackend(Protocol):
    @property
    def name(self) -> str: ...

    def start(self) -> bool:
        """Show the icon; False when this backend cannot show one here."""
        ...

    def update(self, model: TrayModel) -> None: ...

    def notify(self, title: str, message: str) -> None:
        """A passing message that takes no focus; silently nothing where unsupported."""
        ...

    def stop(self) -> None: ...

    def retranslate(self) -> None:
        """The language changed: the icon's menu (our ``TrayMenu`` and any native copy) in
        the new one."""
        ...


# Translators: the tray menu's entry for a calming break, for the moment someone is wound up
CALM_LABEL = N_("Calming break now")


def snooze_label(duration: Duration) -> str:
    """ "15 minutes", as the tray menus name a snooze."""
    return plural((duration.seconds or 0) // 60, "{n} minute", "{n} minutes")


def menu_texts() -> dict[str, str]:
    """The tray menu's words in the current language, by item: both backends' menus read
    them here when they are (re)built, so the two never differ."""
    return {
        # Translators: tray menu item: a break right away
        "break_now": _("Take a break now"),
        "calm": _(CALM_LABEL),
        # Translators: tray menu item: a submenu of how long to put the next break off
        "snooze": _("Snooze"),
        # Translators: tray menu item: a submenu of how long to stop reminders
        "pause": _("Pause"),
        # Translators: tray menu item: start reminders again after a pause
        "resume": _("Resume"),
        # Translators: tray menu item: opens the Settings window
        "settings": _("Settings…"),
        # Translators: tray menu item: opens the History window
        "history": _("History…"),
        # Translators: tray menu item: opens the About window
        "about": _("About"),
        # Translators: tray menu item: ends the app
        "quit": _("Quit"),
    }


class TrayMenu(QMenu):
    """The tray menu as Qt widgets: used by the Qt backend, and on click by pystray's xorg one."""

    def __init__(self, commands: TrayCommands, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._as_window = False
        # The items get their words from retranslate().
        self.break_now = self.addAction("")
        self.break_now.triggered.connect(commands.break_now.emit)
        self.calm = self.addAction("")
        self.calm.triggered.connect(commands.calm.emit)
        self.snooze_menu = self.addMenu("")
        self._snooze_actions: list[tuple[QAction, Duration]] = []
        for duration in SNOOZE_CHOICES:
            action = self.snooze_menu.addAction("")
            action.triggered.connect(lambda _checked=False, d=duration: commands.snooze.emit(d))
            self._snooze_actions.append((action, duration))
        self.pause_menu = self.addMenu("")
        self._pause_actions: list[tuple[QAction, str]] = []
        for duration, label in PAUSE_CHOICES:
            action = self.pause_menu.addAction("")
            action.triggered.connect(lambda _checked=False, d=duration: commands.pause.emit(d))
            self._pause_actions.append((action, label))
        self.resume: QAction = self.addAction("")
        self.resume.triggered.connect(commands.resume.emit)
        self.addSeparator()
        self.settings = self.addAction("")
        self.settings.triggered.connect(commands.settings.emit)
        self.history = self.addAction("")
        self.history.triggered.connect(commands.history.emit)
        self.about = self.addAction("")
        self.about.triggered.connect(commands.about.emit)
        self.addSeparator()
        self.quit = self.addAction("")
        self.quit.triggered.connect(commands.quit.emit)
        self.retranslate()
        self.update_model(TrayModel(TrayState.NORMAL, "", paused=False, can_snooze=True))

    def retranslate(self) -> None:
        """Every item's words again, in the current language; the constructor uses it too."""
        self.setAccessibleName(_("Unclench menu"))
        texts = menu_texts()
        items = {
            "break_now": self.break_now,
            "calm": self.calm,
            "resume": self.resume,
            "settings": self.settings,
            "history": self.history,
            "about": self.about,
            "quit": self.quit,
        }
        for key, action in items.items():
            action.setText(texts[key])
        # A submenu's title is the text of its item in this menu.
        self.snooze_menu.setTitle(texts["snooze"])
        self.pause_menu.setTitle(texts["pause"])
        for action, duration in self._snooze_actions:
            action.setText(snooze_label(duration))
        for action, label in self._pause_actions:
            action.setText(_(label))

    def open_at_pointer(self) -> None:
        """Opens the menu where the person clicked the tray icon."""
        if not QGuiApplication.platformName().startswith("wayland"):
            self.popup(QCursor.pos())
            return
        # A Wayland popup must hang from a window of ours that was just clicked, and a tray
        # icon is none: the menu opens as a small window of its own instead, which the
        # compositor places (sway, by our rule: at the pointer) and which closes once it
        # loses the focus, as a popup would.
        if not self._as_window:
            self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint)
            self.setWindowTitle(MENU_WINDOW_TITLE)
            self._as_window = True
        self.show()
        self.activateWindow()

    def event(self, event: QEvent) -> bool:
        if self._as_window and event.type() == QEvent.Type.WindowDeactivate:
            self.hide()
        return super().event(event)

    def update_model(self, model: TrayModel) -> None:
        self.pause_menu.menuAction().setVisible(not model.paused)
        self.resume.setVisible(model.paused)
        self.snooze_menu.setEnabled(model.can_snooze and not model.paused)


def choose_backend(
    requested: str,
    commands: TrayCommands,
    menu: TrayMenu,
    *,
    platform: str = sys.platform,
    activate_opens_settings: bool = False,
) -> TrayBackend | None:
    """The one place that picks the tray.

    ``auto``: pystray where its backend has a real menu (Windows, macOS); on Linux, Qt's tray
    when a tray host is there (it has a keyboard-navigable menu, and uses StatusNotifierItem
    where the desktop offers it), else pystray. ``pystray`` or ``qt`` force one. Returns
    ``None`` when no tray can be shown at all. ``activate_opens_settings``: see ``QtTray``.
    """
    from unclench.ui.tray_pystray import PystrayTray  # noqa: PLC0415 - imports pystray late
    from unclench.ui.tray_qt import QtTray  # noqa: PLC0415

    qt_ok = QSystemTrayIcon.isSystemTrayAvailable()
    qt = QtTray(commands, menu, activate_opens_settings=activate_opens_settings)
    if requested == "qt":
        order: list[TrayBackend] = [qt]
    elif requested == "pystray":
        order = [PystrayTray(commands, menu)]
    elif platform.startswith(("win", "darwin")):
        order = [PystrayTray(commands, menu), qt]
    else:
        order = [qt] if qt_ok else [PystrayTray(commands, menu)]
    for backend in order:
        if backend.start():
            log.info("tray: %s", backend.name)
            return backend
        log.warning("tray: %s could not show an icon here", backend.name)
    return None
