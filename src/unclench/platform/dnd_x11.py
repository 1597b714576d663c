"""Do-not-disturb on X11: the window in front is full screen (a video, a game, slides)."""

from __future__ import annotations

import logging
from typing import Any

from unclench.platform.x11 import open_display, query_errors

log = logging.getLogger(__name__)

REASON = "a full-screen window is in front"


class X11FullscreenDnd:
    """Reads the EWMH hints the window manager keeps on the root and on the active window."""

    def __init__(self, display: Any) -> None:
        self._display = display
        self._root = display.screen().root
        self._errors = query_errors()
        self._active = display.intern_atom("_NET_ACTIVE_WINDOW")
        self._state = display.intern_atom("_NET_WM_STATE")
        self._fullscreen = display.intern_atom("_NET_WM_STATE_FULLSCREEN")

    @property
    def name(self) -> str:
        return "x11-fullscreen"

    def reason(self) -> str | None:
        from Xlib import Xatom  # noqa: PLC0415  # present: we hold an open display

        try:
            active = self._root.get_full_property(self._active, Xatom.WINDOW)
            # No window manager, or none focused: the property is missing or 0.
            if active is None or not active.value or not active.value[0]:
                return None
            window = self._display.create_resource_object("window", active.value[0])
            state = window.get_full_property(self._state, Xatom.ATOM)
        except self._errors as exc:  # the window closed between the two requests
            log.debug("cannot read the active window's state: %s", exc)
            return None
        if state is None or self._fullscreen not in state.value:
            return None
        return REASON


def create(display_name: str | None, display: Any | None = None) -> X11FullscreenDnd | None:
    """The X11 full-screen check, or ``None`` when there is no X display."""
    if display is None:
        display = open_display(display_name)
        if display is None:
            return None
    try:
        return X11FullscreenDnd(display)
    except query_errors() as exc:
        log.info("X11 full-screen check unavailable: %s", exc)
        return None
