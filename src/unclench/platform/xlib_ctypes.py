"""A small ctypes binding over libX11 and libXss: the few requests the X11 backends make.

python-xlib speaks the X protocol in Python and loads a module for each of the server's
extensions on connecting (about 4 MB of RSS with its import); libX11 is already mapped by
Qt's xcb platform plugin and libXss is a 20 kB library, so this costs next to nothing.

Xlib's defaults end the process. On an X error (a window that closed between two requests)
the default handler prints and calls ``exit(1)``: ours records the error and lets the
request fail. On a lost connection (the server went away) Xlib calls the process-wide I/O
error handler, whose default prints "XIO: fatal IO error" and calls ``exit(1)``, then the
display's exit handler, whose default calls ``exit(1)`` too. Ours mark our display lost and
return; Xlib then fails the request under way, and we send nothing more on that display. A
lost connection of another library's display (Qt's) goes on to the handler that was there
before ours, which ends the process as it always did: Qt's own connection to the same server
breaks at the same moment anyway. The per-display exit handler came with libX11 1.7 (2020);
without it the binding says unsupported, as a lost server would end the app.

Not thread-safe (no ``XInitThreads``): every call comes from the Qt main thread.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

_SUCCESS = 0
_XA_ATOM = 4  # X11/Xatom.h
_PROP_MODE_REPLACE = 0
#: How many 32-bit items one property read asks for: ``_NET_WM_STATE`` holds a handful.
_PROPERTY_ITEMS = 64

Window = ctypes.c_ulong
Atom = ctypes.c_ulong


class _XErrorEvent(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("resourceid", ctypes.c_ulong),
        ("serial", ctypes.c_ulong),
        ("error_code", ctypes.c_ubyte),
        ("request_code", ctypes.c_ubyte),
        ("minor_code", ctypes.c_ubyte),
    )


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", Window),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    )


_ErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_XErrorEvent))
_IOErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_ExitHandler = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


class _Trap:
    """Xlib's process-wide handlers, replaced by ones that record what went wrong.

    One per process (see ``_x11``): it keeps the C callbacks alive for as long as Xlib may
    call them.
    """

    def __init__(self) -> None:
        self.ours: set[int] = set()  # our open displays
        self.errors: dict[int, int] = {}  # display -> code of its latest X error
        self.lost: set[int] = set()  # displays whose connection broke
        self._chained_io: Callable[[int | None], int] | None = None
        self.on_error = _ErrorHandler(self._record_error)
        self.on_io_error = _IOErrorHandler(self._record_io_error)
        self.on_exit = _ExitHandler(self._record_exit)

    def install(self, x11: ctypes.CDLL) -> None:
        """Makes our handlers the current ones; called at each connection, as Qt's xcb plugin
        sets its own when it opens its Xlib display, which may happen after ours."""
        x11.XSetErrorHandler(self.on_error)
        previous = x11.XSetIOErrorHandler(self.on_io_error)
        if previous and previous != ctypes.cast(self.on_io_error, ctypes.c_void_p).value:
            self._chained_io = _IOErrorHandler(previous)

    def _record_error(self, display: int | None, event: Any) -> int:
        # Errors on displays not ours are dropped as well: the handler Qt installs for its
        # own Xlib display ignores them too (xcb reports Qt's errors its own way).
        self.errors[display or 0] = int(event.contents.error_code)
        return 0

    def _record_io_error(self, display: int | None) -> int:
        if display in self.ours:
            self.lost.add(display)
            return 0  # Xlib then calls the display's exit handler: ``_record_exit``
        # Another library's display (Qt's) is left to the handler ours replaced, which,
        # like Xlib's default, ends the process: as if we had never been loaded.
        if self._chained_io is not None:
            return self._chained_io(display)
        return 0

    def _record_exit(self, display: int | None, _data: int | None) -> None:
        self.lost.add(display or 0)


@dataclass(frozen=True)
class _Libraries:
    x11: ctypes.CDLL
    xss: ctypes.CDLL | None  # None: libXss is not installed, so no idle time
    trap: _Trap


def _load(name: str, version: int) -> ctypes.CDLL | None:
    """``libNAME.so.VERSION``, else whatever ``find_library`` finds under the name.

    The versioned name first: ``find_library`` runs ``ldconfig -p`` in a child process.
    """
    for path in (f"lib{name}.so.{version}", ctypes.util.find_library(name)):
        if path is None:
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            log.debug("cannot load %s: %s", path, exc)
    return None


def _declare_x11(x11: ctypes.CDLL) -> None:
    """Argument and result types: ctypes would otherwise pass pointers as 32-bit ints."""
    vp, c_int, c_long = ctypes.c_void_p, ctypes.c_int, ctypes.c_long
    x11.XOpenDisplay.argtypes, x11.XOpenDisplay.restype = [ctypes.c_char_p], vp
    x11.XCloseDisplay.argtypes, x11.XCloseDisplay.restype = [vp], c_int
    x11.XDefaultRootWindow.argtypes, x11.XDefaultRootWindow.restype = [vp], Window
    x11.XQueryExtension.argtypes = [vp, ctypes.c_char_p, *[ctypes.POINTER(c_int)] * 3]
    x11.XQueryExtension.restype = c_int
    x11.XInternAtom.argtypes, x11.XInternAtom.restype = [vp, ctypes.c_char_p, c_int], Atom
    x11.XGetWindowProperty.argtypes = [
        vp, Window, Atom, c_long, c_long, c_int, Atom,
        ctypes.POINTER(Atom), ctypes.POINTER(c_int), ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p),
    ]  # fmt: skip
    x11.XGetWindowProperty.restype = c_int
    x11.XChangeProperty.argtypes = [
        vp, Window, Atom, Atom, c_int, c_int, ctypes.POINTER(ctypes.c_ulong), c_int,
    ]  # fmt: skip
    x11.XChangeProperty.restype = c_int
    x11.XSync.argtypes, x11.XSync.restype = [vp, c_int], c_int
    x11.XFree.argtypes, x11.XFree.restype = [vp], c_int
    x11.XSetErrorHandler.argtypes, x11.XSetErrorHandler.restype = [_ErrorHandler], vp
    x11.XSetIOErrorHandler.argtypes, x11.XSetIOErrorHandler.restype = [_IOErrorHandler], vp
    x11.XSetIOErrorExitHandler.argtypes = [vp, _ExitHandler, vp]
    x11.XSetIOErrorExitHandler.restype = None


@functools.cache
def _x11() -> tuple[ctypes.CDLL, _Trap] | None:
    """libX11, declared and with the error handler installed: once per process."""
    x11 = _load("X11", 6)
    if x11 is None:
        log.info("libX11 is not installed")
        return None
    if not hasattr(x11, "XSetIOErrorExitHandler"):
        log.info("libX11 is older than 1.7: a lost X server would end the app, so no X11 checks")
        return None
    _declare_x11(x11)
    return x11, _Trap()


@functools.cache
def _xss(name: str) -> ctypes.CDLL | None:
    xss = _load(name, 1)
    if xss is None:
        log.info("libXss is not installed (Debian package libxss1): no X11 idle time")
        return None
    xss.XScreenSaverQueryInfo.argtypes = [
        ctypes.c_void_p,
        Window,
        ctypes.POINTER(_XScreenSaverInfo),
    ]
    xss.XScreenSaverQueryInfo.restype = ctypes.c_int
    return xss


class XDisplay:
    """One open ``Display*``. Every request answers ``None`` (or ``False``) when it fails.

    After the connection is lost or closed nothing more is sent: Xlib would only report the
    loss again.
    """

    def __init__(self, libs: _Libraries, pointer: int, name: str) -> None:
        self._libs = libs
        self._x11 = libs.x11
        self._pointer: int | None = pointer
        self.name = name
        self.root = int(self._x11.XDefaultRootWindow(pointer))

    @property
    def usable(self) -> bool:
        """Open, and the connection has not broken."""
        return self._pointer is not None and self._pointer not in self._libs.trap.lost

    @property
    def has_idle_time(self) -> bool:
        """libXss is there to ask for idle time (the server may still lack the extension)."""
        return self._libs.xss is not None

    def has_extension(self, name: str) -> bool:
        if not self.usable:
            return False
        unused = [ctypes.c_int() for _ in range(3)]
        found = self._x11.XQueryExtension(self._pointer, name.encode(), *map(ctypes.byref, unused))
        return bool(found) and self.usable

    def intern_atom(self, name: str) -> int | None:
        if not self.usable:
            return None
        self._libs.trap.errors.pop(self._pointer or 0, None)
        atom = int(self._x11.XInternAtom(self._pointer, name.encode(), 0))
        return atom if atom and self._succeeded() else None

    def idle_ms(self) -> int | None:
        """Milliseconds since the last input (MIT-SCREEN-SAVER), or ``None``."""
        xss = self._libs.xss
        if xss is None or not self.usable:
            return None
        self._libs.trap.errors.pop(self._pointer or 0, None)
        info = _XScreenSaverInfo()
        status = xss.XScreenSaverQueryInfo(self._pointer, self.root, ctypes.byref(info))
        if not status or not self._succeeded():
            return None
        return int(info.idle)

    def window_property(self, window: int, atom: int, kind: int) -> list[int] | None:
        """A 32-bit property's items (ids of windows or atoms), ``None`` if missing or failed.

        ``kind`` is the expected type (``XA_WINDOW`` = 33, ``XA_ATOM`` = 4); a property of
        another type counts as missing.
        """
        if not self.usable:
            return None
        self._libs.trap.errors.pop(self._pointer or 0, None)
        actual, format_ = Atom(), ctypes.c_int()
        count, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        status = self._x11.XGetWindowProperty(
            self._pointer, window, atom, 0, _PROPERTY_ITEMS, 0, kind,
            ctypes.byref(actual), ctypes.byref(format_), ctypes.byref(count),
            ctypes.byref(after), ctypes.byref(data),
        )  # fmt: skip
        try:
            if status != _SUCCESS or not self._succeeded() or actual.value != kind:
                return None
            if format_.value != 32 or not data.value:
                return None
            # Xlib hands 32-bit items over as C longs, 8 bytes each on 64-bit systems, and
            # sign-extends them: 0xFFFFFFFF arrives as 2**64 - 1 unless masked.
            items = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))
            return [int(items[i]) & 0xFFFFFFFF for i in range(count.value)]
        finally:
            if data.value:
                self._x11.XFree(data)

    def set_atoms(self, window: int, atom: int, items: list[int]) -> bool:
        """Replaces a window's 32-bit ``XA_ATOM`` property with ``items`` and waits until the
        server has it (``XSync``), so a client that reads it next sees it; ``False`` on error."""
        if not self.usable:
            return False
        self._libs.trap.errors.pop(self._pointer or 0, None)
        data = (ctypes.c_ulong * len(items))(*items)
        self._x11.XChangeProperty(
            self._pointer, window, atom, _XA_ATOM, 32, _PROP_MODE_REPLACE, data, len(items)
        )
        self._x11.XSync(self._pointer, 0)
        return self._succeeded()

    def close(self) -> None:
        """Closes the connection (a lost one too: this frees Xlib's memory for it)."""
        if self._pointer is None:
            return
        pointer, self._pointer = self._pointer, None
        self._x11.XCloseDisplay(pointer)
        trap = self._libs.trap
        trap.ours.discard(pointer)
        trap.lost.discard(pointer)
        trap.errors.pop(pointer, None)

    def _succeeded(self) -> bool:
        """No X error and no broken connection since the request was made."""
        return self.usable and self._libs.trap.errors.pop(self._pointer or 0, None) is None


def open_display(name: str, *, xss_name: str = "Xss") -> XDisplay | None:
    """A connection to the X display ``name`` (``":0"``), or ``None`` if it cannot be made.

    ``xss_name`` is the library to look for libXss under (tests name a missing one).
    """
    loaded = _x11()
    if loaded is None:
        return None
    x11, trap = loaded
    pointer = x11.XOpenDisplay(name.encode())
    if not pointer:
        log.debug("cannot open X display %s", name)
        return None
    trap.install(x11)
    trap.ours.add(pointer)
    x11.XSetIOErrorExitHandler(pointer, trap.on_exit, None)
    return XDisplay(_Libraries(x11, _xss(xss_name), trap), pointer, name)
