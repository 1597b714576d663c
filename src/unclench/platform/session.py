"""Screen lock and suspend as Qt signals, so the scheduler hears of an absence at once."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class SessionWatcher(QObject):
    """Emits ``locked_changed(locked)`` and ``sleep_changed(about_to_sleep)``.

    This base class watches nothing: it is what platforms without a backend get. Each
    signal fires only on a change, however many sources report it.
    """

    locked_changed = Signal(bool)
    sleep_changed = Signal(bool)  # True: about to sleep; False: resumed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._locked: bool | None = None
        self._asleep: bool | None = None

    def start(self) -> bool:
        """Begin listening; ``False`` when nothing could be connected (never raises)."""
        log.info("screen lock and suspend events are not supported here")
        return False

    def report_locked(self, locked: bool) -> None:
        if locked != self._locked:
            self._locked = locked
            self.locked_changed.emit(locked)

    def report_sleep(self, about_to_sleep: bool) -> None:
        if about_to_sleep != self._asleep:
            self._asleep = about_to_sleep
            self.sleep_changed.emit(about_to_sleep)


def create_session_watcher(
    parent: QObject | None = None, platform: str = sys.platform
) -> SessionWatcher:
    """The watcher for this platform (not started yet)."""
    if platform == "win32":
        from unclench.platform.session_windows import WindowsSessionWatcher  # noqa: PLC0415

        return WindowsSessionWatcher(parent)
    if platform == "darwin":
        from unclench.platform.session_macos import create_macos_watcher  # noqa: PLC0415

        return create_macos_watcher(parent)
    from unclench.platform.session_linux import LinuxSessionWatcher  # noqa: PLC0415

    return LinuxSessionWatcher(parent)
