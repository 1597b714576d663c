"""Do-not-disturb on X11: the window in front is full screen (a video, a game, slides)."""

from __future__ import annotations

import logging
from typing import Protocol

from unclench.core.i18n import N_
from unclench.platform.x11 import shared_display

log = logging.getLogger(__name__)

# Translators: why a due break waits, shown after "Waiting:" in the tray and status.
REASON = N_("a full-screen window is in front")
#: Predefined atoms of the core protocol (X11/Xatom.h): the properties' types.
XA_ATOM = 4
XA_WINDOW = 33


class PropertyDisplay(Protocol):
    """What this check asks of the connection (``xlib_ctypes.XDisplay``; fakes in tests)."""

    @property
    def root(self) -> int: ...

    def intern_atom(self, name: str) -> int | None: ...

    def window_property(self, window: int, atom: int, kind: int) -> list[int] | None: ...


class X11FullscreenDnd:
    """Reads the EWMH hints the window manager keeps on the root and on the active window."""

    def __init__(self, display: PropertyDisplay, active: int, state: int, fullscreen: int) -> None:
        self._display = display
        self._active = active
        self._state = state
        self._fullscreen = fullscreen

    @property
    def name(self) -> str:
        return "x11-fullscreen"

    def reason(self) -> str | None:
        active = self._display.window_property(self._display.root, self._active, XA_WINDOW)
        # No window manager, or none focused: the property is missing or 0.
        if not active or not active[0]:
            return None
        # None as well when the window closed between the two requests (BadWindow).
        state = self._display.window_property(active[0], self._state, XA_ATOM)
        if state is None or self._fullscreen not in state:
            return None
        return REASON


def create(
    display_name: str | None, display: PropertyDisplay | None = None
) -> X11FullscreenDnd | None:
    """The X11 full-screen check, or ``None`` when there is no X display."""
    if display is None:
        display = shared_display(display_name)
        if display is None:
            return None
    active = display.intern_atom("_NET_ACTIVE_WINDOW")
    state = display.intern_atom("_NET_WM_STATE")
    fullscreen = display.intern_atom("_NET_WM_STATE_FULLSCREEN")
    if active is None or state is None or fullscreen is None:
        log.info("X11 full-screen check unavailable: the server did not name its atoms")
        return None
    return X11FullscreenDnd(display, active, state, fullscreen)
