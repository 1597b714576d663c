"""Do-not-disturb on wlroots compositors (sway and others): the focused window is full screen.

``zwlr_foreign_toplevel_manager_v1`` tells a client about every window and its state
(maximized, minimized, activated, full screen) as it changes; we keep the latest state of
each and answer from that, so a question costs no round trip.
"""

from __future__ import annotations

import functools
import logging

from unclench.core.i18n import N_
from unclench.platform.wayland_wire import Connection, Event

log = logging.getLogger(__name__)

# Translators: why a due break waits, shown after "Waiting:" in the tray and status.
REASON = N_("a full-screen window is in front")
MANAGER = "zwlr_foreign_toplevel_manager_v1"
#: Version 2 added the full-screen state; 3 (sway 1.7's) adds only a parent event.
VERSION = 3

# zwlr_foreign_toplevel_manager_v1: the event that announces a window, and the stop request
_TOPLEVEL, _FINISHED = 0, 1
# zwlr_foreign_toplevel_handle_v1 events and its destroy request
_STATE, _CLOSED = 4, 6
_DESTROY = 7
# zwlr_foreign_toplevel_handle_v1.state values
_ACTIVATED, _FULLSCREEN = 2, 3


class WlrootsFullscreenDnd:
    """Follows every window's state; the answer is whether the focused one is full screen."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._states: dict[int, frozenset[int]] = {}  # handle id → its current states
        connection.bind(MANAGER, VERSION, self._on_manager)

    @property
    def name(self) -> str:
        return "wayland-fullscreen"

    def reason(self) -> str | None:
        self._connection.dispatch()
        for states in self._states.values():
            if {_ACTIVATED, _FULLSCREEN} <= states:
                return REASON
        return None

    def _on_manager(self, event: Event) -> None:
        if event.opcode == _TOPLEVEL:
            handle = event.reader().uint()
            self._states[handle] = frozenset()
            self._connection.adopt(handle, functools.partial(self._on_handle, handle))
        elif event.opcode == _FINISHED:
            self._states.clear()

    def _on_handle(self, handle: int, event: Event) -> None:
        if event.opcode == _STATE:
            self._states[handle] = frozenset(event.reader().uints())
        elif event.opcode == _CLOSED:
            self._states.pop(handle, None)
            self._connection.request(handle, _DESTROY)
            self._connection.forget(handle)


def create(connection: Connection | None) -> WlrootsFullscreenDnd | None:
    """The check, or ``None`` where the compositor does not list its windows."""
    if connection is None or MANAGER not in connection.globals:
        return None
    return WlrootsFullscreenDnd(connection)
