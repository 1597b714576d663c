"""The app's own Wayland connection, shared by the backends that read the compositor and
watched by the Qt loop, so each event is handled (and timed) the moment it arrives."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from PySide6.QtCore import QSocketNotifier

from unclench.platform.wayland_wire import Connection, WaylandError

log = logging.getLogger(__name__)


class SharedConnection:
    """One connection, opened on first use and closed on quit; a failed one is not retried."""

    def __init__(self) -> None:
        self._connection: Connection | None = None
        self._notifier: QSocketNotifier | None = None
        self._tried = False

    def get(self, env: Mapping[str, str]) -> Connection | None:
        if not self._tried:
            self._tried = True
            try:
                self._connection = Connection.connect(env)
            except WaylandError as exc:
                log.info("no Wayland connection of our own: %s", exc)
                return None
            notifier = QSocketNotifier(self._connection.fileno(), QSocketNotifier.Type.Read)
            notifier.activated.connect(self._readable)
            self._notifier = notifier
        connection = self._connection
        return connection if connection is not None and connection.open else None

    def _readable(self) -> None:
        if self._connection is not None and not self._connection.dispatch():
            self._stop_watching()  # closed: a closed socket would be "readable" forever

    def _stop_watching(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None

    def close(self) -> None:
        self._stop_watching()
        if self._connection is not None:
            self._connection.close()
        self._connection = None
        self._tried = False


#: The process's connection: like the X11 one, shared by idle time and the full-screen check.
SHARED = SharedConnection()


def shared_connection(env: Mapping[str, str] = os.environ) -> Connection | None:
    """The process's own connection to the compositor, or ``None`` where there is none."""
    return SHARED.get(env)


def close_shared_connection() -> None:
    SHARED.close()
