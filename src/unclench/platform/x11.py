"""The X11 connection the backends that ask the X server share (idle time, front window)."""

from __future__ import annotations

import logging

from unclench.platform.xlib_ctypes import XDisplay, open_display

log = logging.getLogger(__name__)


class SharedDisplays:
    """One connection per display name, opened on first use and closed on quit.

    Idle time and the full-screen check ask the same server a few times a minute from the
    main thread: one ``Display*`` serves both. A name that failed to open is not retried.
    """

    def __init__(self) -> None:
        self._open: dict[str, XDisplay | None] = {}

    def get(self, name: str | None) -> XDisplay | None:
        if not name:
            return None
        if name not in self._open:
            self._open[name] = open_display(name)
        display = self._open[name]
        return display if display is not None and display.usable else None

    def close(self) -> None:
        for display in self._open.values():
            if display is not None:
                display.close()
        self._open.clear()


#: The process's connections: Xlib's error handlers, which these rely on, are process-wide too.
SHARED = SharedDisplays()


def shared_display(name: str | None) -> XDisplay | None:
    """The process's connection to ``name`` (``":0"``), or ``None`` when there is none."""
    return SHARED.get(name)


def close_shared_displays() -> None:
    """Closes the connections on quit; a later ``shared_display`` would open a new one."""
    SHARED.close()
