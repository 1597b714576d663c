"""Opening an X11 connection for the backends that ask the X server (idle time, front window)."""

from __future__ import annotations

import logging
import warnings
from typing import Any

log = logging.getLogger(__name__)


def open_display(name: str | None) -> Any | None:
    """A python-xlib ``Display`` for ``name`` (``":0"``), or ``None`` when there is none to open.

    python-xlib is a Linux-only dependency and there may be no X server at all (a Wayland
    session without XWayland, a console), so every failure here means "unsupported".
    """
    if not name:
        return None
    try:
        from Xlib import display, error  # noqa: PLC0415  # absent off Linux: import only on demand
    except ImportError:
        log.debug("python-xlib is not installed")
        return None
    # python-xlib leaves the sockets of a failed attempt to the garbage collector, which
    # would warn about them once the exception is dropped.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return display.Display(name)
        except (error.DisplayError, OSError) as exc:
            log.debug("cannot open X display %s: %s", name, exc)
            return None


def query_errors() -> tuple[type[BaseException], ...]:
    """The exceptions an X request can raise once the display is open.

    A window vanishing between two requests gives ``XError`` (BadWindow); a server that
    went away gives ``ConnectionClosedError`` or an ``OSError`` from the socket.
    """
    from Xlib import error  # noqa: PLC0415  # callers hold an open display, so Xlib is present

    return (error.XError, error.ConnectionClosedError, OSError)
