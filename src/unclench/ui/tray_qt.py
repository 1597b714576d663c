"""The tray through Qt's own QSystemTrayIcon (XEmbed or StatusNotifierItem on Linux)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSystemTrayIcon

from unclench.ui.icons import TrayState, tray_icon
from unclench.ui.tray import TrayCommands, TrayMenu, TrayModel


class QtTray:
    """``activate_opens_settings``: a left click that the desktop's tray reports without
    drawing our menu opens Settings instead, as on KDE Plasma; for when the app cannot know
    where the pointer is (on XWayland, the click was on a Wayland panel)."""

    def __init__(
        self, commands: TrayCommands, menu: TrayMenu, *, activate_opens_settings: bool = False
    ) -> None:
        self._commands = commands
        self._menu = menu
        self._activate_opens_settings = activate_opens_settings
        self._icon: QSystemTrayIcon | None = None
        self._state: TrayState | None = None
        self._status_notifier = False

    @property
    def name(self) -> str:
        return "qt"

    def start(self) -> bool:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        icon = QSystemTrayIcon(tray_icon(TrayState.NORMAL))
        icon.setContextMenu(self._menu)
        icon.activated.connect(self._activated)
        icon.setToolTip("Unclench")
        icon.show()
        self._icon = icon
        self._state = TrayState.NORMAL
        self._status_notifier = uses_status_notifier()
        return True

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # A left click opens the same menu as a right click: there is nothing else to show.
        # Two clicks in quick succession arrive as a double click: that is a click too.
        clicks = [
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ]
        # An XEmbed tray's right click opens the menu in Qt itself; a StatusNotifierItem
        # host either draws the menu we export (KDE, GNOME) or, like swaybar, asks us to.
        if self._status_notifier:
            clicks.append(QSystemTrayIcon.ActivationReason.Context)
            if self._activate_opens_settings and reason in clicks[:2]:
                self._commands.settings.emit()
                return
        if reason in clicks:
            self._menu.open_at_pointer()

    def update(self, model: TrayModel) -> None:
        if self._icon is None:
            return
        if model.state != self._state:
            self._icon.setIcon(tray_icon(model.state))
            self._state = model.state
        self._icon.setToolTip(model.tooltip)
        self._menu.update_model(model)

    def retranslate(self) -> None:
        """The language changed: the menu's words follow (the desktop's copy of an exported
        menu follows the actions' changes)."""
        self._menu.retranslate()

    def notify(self, title: str, message: str) -> None:
        if self._icon is not None and QSystemTrayIcon.supportsMessages():
            self._icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 15_000)

    def stop(self) -> None:
        if self._icon is not None:
            self._icon.hide()
            self._icon.deleteLater()
            self._icon = None


def uses_status_notifier() -> bool:
    """Whether Qt's tray icon is a StatusNotifierItem here: always off X11, and on X11 when a
    watcher is on the session bus (Qt's own rule, in its Unix platform theme)."""
    if QGuiApplication.platformName() != "xcb":
        return True
    from PySide6.QtDBus import QDBusConnection  # noqa: PLC0415 - X11 only, after the icon shows

    bus = QDBusConnection.sessionBus()
    interface = bus.interface() if bus.isConnected() else None
    if interface is None:
        return False
    return bool(interface.isServiceRegistered("org.kde.StatusNotifierWatcher").value())
