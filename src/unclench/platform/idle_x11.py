"""Idle time on X11 from the MIT-SCREEN-SAVER extension, over libX11 and libXss."""

from __future__ import annotations

import logging
from typing import Protocol

from unclench.platform.x11 import shared_display

log = logging.getLogger(__name__)

EXTENSION = "MIT-SCREEN-SAVER"


class IdleDisplay(Protocol):
    """What this backend asks of the connection (``xlib_ctypes.XDisplay``; fakes in tests)."""

    @property
    def has_idle_time(self) -> bool: ...

    def has_extension(self, name: str) -> bool: ...

    def idle_ms(self) -> int | None: ...


class X11IdleSource:
    """Asks the X server how long ago the last input was, over one connection kept open.

    Under XWayland the answer only covers input to X clients; ``choose_idle_source`` decides
    whether to trust it there.
    """

    def __init__(self, display: IdleDisplay) -> None:
        self._display = display
        self._failed = False

    @property
    def name(self) -> str:
        return "x11"

    def idle_seconds(self) -> float | None:
        idle_ms = self._display.idle_ms()
        if idle_ms is None:
            if not self._failed:  # a dead connection would otherwise log at every tick
                log.warning("X11 idle query failed")
                self._failed = True
            return None
        self._failed = False
        return idle_ms / 1000.0  # the server counts milliseconds


def create(display_name: str | None, display: IdleDisplay | None = None) -> X11IdleSource | None:
    """An X11 idle source, or ``None`` when there is no display, no extension or no libXss."""
    if display is None:
        display = shared_display(display_name)
        if display is None:
            return None
    if not display.has_idle_time:
        return None  # libXss is missing; xlib_ctypes has said so in the log
    if not display.has_extension(EXTENSION):
        log.info("X display %s has no %s extension", display_name, EXTENSION)
        return None
    source = X11IdleSource(display)
    if source.idle_seconds() is None:
        return None
    return source
