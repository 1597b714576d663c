"""Screen lock and suspend on Linux, from D-Bus signals.

* suspend: logind's ``PrepareForSleep(b)`` on the system bus;
* lock: ``ActiveChanged(b)`` of the screen saver on the session bus (KDE and others at
  ``org.freedesktop.ScreenSaver``, GNOME at ``org.gnome.ScreenSaver``), plus logind's
  ``Lock``/``Unlock`` requests for our own session, which some lockers act on without a
  screen-saver service.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from PySide6.QtCore import QObject, Slot
from PySide6.QtDBus import QDBusConnection, QDBusObjectPath

from unclench.platform import dbus_call
from unclench.platform.session import SessionWatcher

log = logging.getLogger(__name__)

LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"
LOGIN1_SESSION = "org.freedesktop.login1.Session"
#: (service, path, interface) of each screen saver that announces ``ActiveChanged(b)``;
#: KDE's locker serves the same object at two paths.
SCREENSAVERS = (
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)


class LinuxSessionWatcher(SessionWatcher):
    """Connects to the session and system buses given (the real ones by default)."""

    def __init__(
        self,
        parent: QObject | None = None,
        session_bus: QDBusConnection | None = None,
        system_bus: QDBusConnection | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._session_bus = session_bus
        self._system_bus = system_bus
        self._env = os.environ if env is None else env

    def start(self) -> bool:
        session_bus = self._session_bus or QDBusConnection.sessionBus()
        system_bus = self._system_bus or QDBusConnection.systemBus()
        connected: list[str] = []
        if session_bus.isConnected():
            for service, path, interface in SCREENSAVERS:
                if session_bus.connect(
                    service,
                    path,
                    interface,
                    "ActiveChanged",
                    self,
                    dbus_call.slot("_on_active_changed(bool)"),
                ):
                    connected.append(f"{service} at {path}")
        if system_bus.isConnected():
            if system_bus.connect(
                LOGIN1,
                LOGIN1_PATH,
                LOGIN1_MANAGER,
                "PrepareForSleep",
                self,
                dbus_call.slot("_on_prepare_for_sleep(bool)"),
            ):
                connected.append("logind sleep")
            connected += self._connect_session_lock(system_bus)
        if not connected:
            log.info("no D-Bus session or system bus: lock and suspend are seen only as idle time")
            return False
        log.info("listening for lock and suspend: %s", ", ".join(connected))
        return True

    def _connect_session_lock(self, system_bus: QDBusConnection) -> list[str]:
        path = self._own_session_path(system_bus)
        if path is None:
            return []
        lock = system_bus.connect(
            LOGIN1, path, LOGIN1_SESSION, "Lock", self, dbus_call.slot("_on_lock()")
        )
        unlock = system_bus.connect(
            LOGIN1, path, LOGIN1_SESSION, "Unlock", self, dbus_call.slot("_on_unlock()")
        )
        return [f"logind lock requests for {path}"] if lock and unlock else []

    def _own_session_path(self, system_bus: QDBusConnection) -> str | None:
        """Our logind session's object path, or ``None`` when logind does not know it."""
        # "auto": logind's name for the caller's session, or else its user's graphical one.
        session_id = self._env.get("XDG_SESSION_ID") or "auto"
        answer = dbus_call.call(
            system_bus, LOGIN1, LOGIN1_PATH, LOGIN1_MANAGER, "GetSession", session_id
        )
        if not answer or not isinstance(answer[0], QDBusObjectPath):
            return None
        return answer[0].path()

    @Slot(bool)
    def _on_active_changed(self, active: bool) -> None:
        self.report_locked(active)

    @Slot(bool)
    def _on_prepare_for_sleep(self, about_to_sleep: bool) -> None:
        self.report_sleep(about_to_sleep)

    @Slot()
    def _on_lock(self) -> None:
        self.report_locked(True)

    @Slot()
    def _on_unlock(self) -> None:
        self.report_locked(False)
