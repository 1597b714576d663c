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
from unclench.core.plurals import plural
from unclench.ui.icons import TrayState

log = logging.getLogger(__name__)

#: Picks a backend for testing or for a desktop where auto-detection guesses wrong.
ENV_TRAY = "UNCLENCH_TRAY"
#: The menu's title when it opens as a window of its own (on Wayland); sway's rule for it
#: matches this title.
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


#: The menu entry for a calming break, for the moment someone is wound up.
CALM_LABEL = "Calming break now"


def snooze_label(duration: Duration) -> str:
    """ "15 minutes", as the tray menus name a snooze."""
    return plural((duration.seconds or 0) // 60, "minute", "minutes")


class TrayMenu(QMenu):
    """The tray menu as Qt widgets: used by the Qt backend, and on click by pystray's xorg one."""

    def __init__(self, commands: TrayCommands, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._as_window = False
        self.setAccessibleName("Unclench menu")
        self.break_now = self.addAction("Take a break now")
        self.break_now.triggered.connect(commands.break_now.emit)
        self.calm = self.addAction(CALM_LABEL)
        self.calm.triggered.connect(commands.calm.emit)
        self.snooze_menu = self.addMenu("Snooze")
        for duration in SNOOZE_CHOICES:
            action = self.snooze_menu.addAction(snooze_label(duration))
            action.triggered.connect(lambda _=False, d=duration: commands.snooze.emit(d))
        self.pause_menu = self.addMenu("Pause")
        for duration, label in PAUSE_CHOICES:
            action = self.pause_menu.addAction(label)
            action.triggered.connect(lambda _=False, d=duration: commands.pause.emit(d))
        self.resume: QAction = self.addAction("Resume")
        self.resume.triggered.connect(commands.resume.emit)
        self.addSeparator()
        self.addAction("Settings…").triggered.connect(commands.settings.emit)
        self.addAction("History…").triggered.connect(commands.history.emit)
        self.addAction("About").triggered.connect(commands.about.emit)
        self.addSeparator()
        self.addAction("Quit").triggered.connect(commands.quit.emit)
        self.update_model(TrayModel(TrayState.NORMAL, "", paused=False, can_snooze=True))

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
