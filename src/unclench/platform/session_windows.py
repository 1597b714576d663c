"""Screen lock and suspend on Windows, from the window messages the system sends.

Lock and unlock arrive as ``WM_WTSSESSION_CHANGE`` once a window has asked for them with
``WTSRegisterSessionNotification``; suspend and resume arrive as ``WM_POWERBROADCAST`` at
every top-level window. A hidden ``QWindow`` provides that window; a native event filter
reads the messages before Qt does.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from ctypes import wintypes
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QCoreApplication, QObject

from unclench.platform.session import SessionWatcher

log = logging.getLogger(__name__)

WM_POWERBROADCAST = 0x0218
WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 7
WTS_SESSION_UNLOCK = 8
PBT_APMSUSPEND = 4
PBT_APMRESUMEAUTOMATIC = 0x12  # sent on every resume, with or without user input
NOTIFY_FOR_THIS_SESSION = 0
#: The event type Qt gives the filter for a Win32 ``MSG``.
WINDOWS_MSG = b"windows_generic_MSG"


@dataclass(frozen=True, slots=True)
class SessionEvent:
    """One decoded message: ``locked`` or ``sleep`` (about to sleep), and its new value."""

    kind: Literal["locked", "sleep"]
    value: bool


def decode(message: int, wparam: int) -> SessionEvent | None:
    """What a window message says about the session, if anything."""
    if message == WM_WTSSESSION_CHANGE:
        if wparam == WTS_SESSION_LOCK:
            return SessionEvent("locked", True)
        if wparam == WTS_SESSION_UNLOCK:
            return SessionEvent("locked", False)
    elif message == WM_POWERBROADCAST:
        if wparam == PBT_APMSUSPEND:
            return SessionEvent("sleep", True)
        if wparam == PBT_APMRESUMEAUTOMATIC:
            return SessionEvent("sleep", False)
    return None


class SessionMessageFilter(QAbstractNativeEventFilter):
    """Hands session messages to the watcher and lets every message through to Qt."""

    def __init__(self, watcher: SessionWatcher) -> None:
        super().__init__()
        self._watcher = watcher

    def nativeEventFilter(  # Qt's name and signature
        self, eventType: QByteArray | bytes | bytearray | memoryview, message: int
    ) -> object:
        kind = eventType.data() if isinstance(eventType, QByteArray) else bytes(eventType)
        if kind == WINDOWS_MSG and message:
            msg = wintypes.MSG.from_address(int(message))
            event = decode(int(msg.message), int(msg.wParam))
            if event is not None and event.kind == "locked":
                self._watcher.report_locked(event.value)
            elif event is not None:
                self._watcher.report_sleep(event.value)
        return False, 0


class WindowsSessionWatcher(SessionWatcher):
    """Registers a window for session notifications and filters the app's native events."""

    def __init__(self, parent: QObject | None = None, hwnd: int | None = None) -> None:
        super().__init__(parent)
        self._hwnd = hwnd
        self._filter = SessionMessageFilter(self)
        self._window: object | None = None  # the hidden window, kept alive with the watcher

    def start(self) -> bool:
        app = QCoreApplication.instance()
        if sys.platform == "win32" and app is not None:
            hwnd = self._hwnd if self._hwnd is not None else self._hidden_window()
            app.installNativeEventFilter(self._filter)
            if not ctypes.windll.wtsapi32.WTSRegisterSessionNotification(
                wintypes.HWND(hwnd), NOTIFY_FOR_THIS_SESSION
            ):
                log.warning("WTSRegisterSessionNotification failed: lock shows only as idle time")
            return True
        return super().start()

    def _hidden_window(self) -> int:
        from PySide6.QtGui import QWindow  # noqa: PLC0415  # needs a QGuiApplication

        window = QWindow()
        self._window = window
        return int(window.winId())  # creates the native window without showing it
