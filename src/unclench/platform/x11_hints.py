"""Keeps the break window out of taskbars and pagers on X11 and XWayland.

A Qt tool window carries no such hint: GNOME leaves tool windows out of its lists anyway,
but KWin (Plasma's task manager) lists one (seen on KWin 5.27). EWMH's way is
``_NET_WM_STATE_SKIP_TASKBAR`` and ``_SKIP_PAGER``, set before the window maps; the window
manager drops ``_NET_WM_STATE`` when a window is hidden, so it is set before every showing.
Qt adds its own states (above) to what it finds there rather than replacing them.
"""

from __future__ import annotations

import logging
from typing import Protocol

from unclench.platform.x11 import shared_display

log = logging.getLogger(__name__)

STATES = ("_NET_WM_STATE_SKIP_TASKBAR", "_NET_WM_STATE_SKIP_PAGER")


class HintDisplay(Protocol):
    """What this asks of the connection (``xlib_ctypes.XDisplay``; fakes in tests)."""

    def intern_atom(self, name: str) -> int | None: ...

    def set_atoms(self, window: int, atom: int, items: list[int]) -> bool: ...


class X11WindowHints:
    """A ``WindowPlacer`` for X11: the window manager places the window; this only hints."""

    def __init__(self, display: HintDisplay, state: int, atoms: list[int]) -> None:
        self._display = display
        self._state = state
        self._atoms = atoms
        self._hidden = True  # not shown yet: the next placing is before a showing

    @property
    def name(self) -> str:
        return "x11-hints"

    def place(self, window_id: int, corner: str, width: int, height: int) -> None:
        del corner, width, height  # Qt itself moves the window on X11
        if not self._hidden:
            return  # shown already (a new size): the state is the window manager's now
        self._hidden = False
        if not self._display.set_atoms(window_id, self._state, self._atoms):
            log.info("could not keep the break window out of the taskbar")

    def hidden(self) -> None:
        self._hidden = True


def create(display_name: str | None, display: HintDisplay | None = None) -> X11WindowHints | None:
    """The hints for this X display, or ``None`` without one."""
    if display is None:
        display = shared_display(display_name)
        if display is None:
            return None
    state = display.intern_atom("_NET_WM_STATE")
    atoms = [display.intern_atom(name) for name in STATES]
    if state is None or None in atoms:
        return None
    return X11WindowHints(display, state, [atom for atom in atoms if atom is not None])
