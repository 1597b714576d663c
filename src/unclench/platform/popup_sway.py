"""The break window on sway: a native window that sway floats, keeps on every workspace and
leaves unfocused, placed in its corner through sway's IPC.

Rules set once at start (``no_focus`` and ``for_window`` for our app id and the break
window's title) take effect when the window appears; sway has no rule for a corner of a given
size, so each time the window appears we wait for sway's ``window`` event and move it. The
event stream is open only from just before the window shows until it has been placed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from unclench.core.corner import corner_origin
from unclench.platform import sway_ipc
from unclench.platform.sway_ipc import SwayError

log = logging.getLogger(__name__)

#: How long to wait for the window to appear before giving up on placing it.
PLACE_TIMEOUT_MS = 3000


class SwayPlacer(QObject):
    """Places our break window (matched by app id, title and our pid) through sway's IPC."""

    def __init__(
        self,
        ipc: Path,
        app_id: str,
        title: str,
        menu_title: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ipc = ipc
        self._criteria = sway_ipc.criteria(app_id, title)
        self._menu_criteria = sway_ipc.criteria(app_id, menu_title) if menu_title else None
        self._title = title
        self._pid = os.getpid()
        self._con_id: int | None = None
        self._wanted: tuple[str, int, int] | None = None  # corner, width, height
        self._events: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._reader = sway_ipc.MessageReader()
        self._give_up = QTimer(self)
        self._give_up.setSingleShot(True)
        self._give_up.setInterval(PLACE_TIMEOUT_MS)
        self._give_up.timeout.connect(self._gave_up)

    @property
    def name(self) -> str:
        return "sway"

    def configure(self) -> bool:
        """Sets sway's rules for the break window and the tray menu's window (floating, at the
        pointer: swaybar draws no menus); ``False`` (logged) when sway refuses."""
        try:
            sway_ipc.command(self._ipc, f"no_focus {self._criteria}")
            sway_ipc.command(
                self._ipc,
                f'for_window {self._criteria} "floating enable, sticky enable, border none"',
            )
            if self._menu_criteria:
                rule = "floating enable, border pixel 1, move position cursor"
                sway_ipc.command(self._ipc, f'for_window {self._menu_criteria} "{rule}"')
        except SwayError as exc:
            log.warning("sway rules for the break window could not be set: %s", exc)
            return False
        return True

    def place(self, window_id: int, corner: str, width: int, height: int) -> None:
        """Called before the window shows, and again when it changes size while shown.
        sway knows the window by its app id, title and our pid, not by ``window_id``."""
        del window_id
        self._wanted = (corner, width, height)
        if self._con_id is not None:
            self._move()
        elif self._events is None:
            self._watch()

    def hidden(self) -> None:
        self._con_id = None
        self._stop_watching()

    # -- the event stream ---------------------------------------------------------------------

    def _watch(self) -> None:
        try:
            sock = sway_ipc.connect(self._ipc)
            sock.sendall(sway_ipc.encode(sway_ipc.SUBSCRIBE, '["window"]'))
        except (OSError, SwayError) as exc:
            log.warning("cannot follow sway's windows to place the break: %s", exc)
            return
        sock.setblocking(False)
        self._events = sock
        self._reader = sway_ipc.MessageReader()
        self._notifier = QSocketNotifier(sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._readable)
        self._give_up.start()

    def _readable(self) -> None:
        if self._events is None:
            return
        try:
            data = self._events.recv(65536)
            if not data:
                raise SwayError("sway closed the event stream")
            messages = self._reader.feed(data)
        except BlockingIOError:
            return
        except (OSError, SwayError) as exc:
            log.warning("sway's window events failed: %s", exc)
            self._stop_watching()
            return
        for kind, body in messages:
            if kind == sway_ipc.WINDOW_EVENT and self._is_ours_floating(body):
                self._con_id = int(body["container"]["id"])
                self._stop_watching()
                self._move()
                return

    def _is_ours_floating(self, body: Any) -> bool:
        """Our window, floated by our rule: sway announces it new, then names it, then floats
        it; only a floating window can be moved to a position."""
        container = body.get("container") if isinstance(body, dict) else None
        return (
            isinstance(container, dict)
            and container.get("pid") == self._pid
            and container.get("type") == "floating_con"
            and str(container.get("name") or "").startswith(self._title)
            and isinstance(container.get("id"), int)
        )

    def _move(self) -> None:
        if self._wanted is None or self._con_id is None:
            return
        corner, width, height = self._wanted
        try:
            area = sway_ipc.focused_area(self._ipc)
            if area is None:
                log.warning("sway named no focused workspace: the break stays where it is")
                return
            x, y = corner_origin(corner, area, width, height)
            sway_ipc.command(self._ipc, f"[con_id={self._con_id}] move absolute position {x} {y}")
        except SwayError as exc:
            log.warning("sway could not place the break window: %s", exc)

    def _gave_up(self) -> None:
        log.warning("the break window did not appear in sway's tree: it is not placed")
        self._stop_watching()

    def _stop_watching(self) -> None:
        self._give_up.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._events is not None:
            with contextlib.suppress(OSError):
                self._events.close()
            self._events = None
