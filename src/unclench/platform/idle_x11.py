"""Idle time on X11 from the MIT-SCREEN-SAVER extension, over python-xlib."""

from __future__ import annotations

import logging
from typing import Any

from unclench.platform.x11 import open_display, query_errors

log = logging.getLogger(__name__)

EXTENSION = "MIT-SCREEN-SAVER"


class X11IdleSource:
    """Asks the X server how long ago the last input was, over one connection kept open.

    Under XWayland the answer only covers input to X clients; ``choose_idle_source`` decides
    whether to trust it there.
    """

    def __init__(self, display: Any) -> None:
        self._display = display
        self._root = display.screen().root
        self._errors = query_errors()
        self._failed = False

    @property
    def name(self) -> str:
        return "x11"

    def idle_seconds(self) -> float | None:
        try:
            info = self._root.screensaver_query_info()
        except self._errors as exc:
            if not self._failed:  # a dead connection would otherwise log at every tick
                log.warning("X11 idle query failed: %s", exc)
                self._failed = True
            return None
        self._failed = False
        return float(info.idle) / 1000.0  # the server counts milliseconds


def create(display_name: str | None, display: Any | None = None) -> X11IdleSource | None:
    """An X11 idle source, or ``None`` when there is no display, no extension or no Xlib."""
    if display is None:
        display = open_display(display_name)
        if display is None:
            return None
    if not display.has_extension(EXTENSION):
        log.info("X display %s has no %s extension", display_name, EXTENSION)
        return None
    source = X11IdleSource(display)
    if source.idle_seconds() is None:
        return None
    return source
