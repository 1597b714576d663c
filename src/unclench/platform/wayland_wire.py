"""A small Wayland client over a plain socket: the few protocols the app reads itself.

Qt draws the windows on a connection of its own (or on XWayland); this second connection
asks the compositor for what Qt does not reach: idle notifications and, on wlroots, which
window is full screen. The wire format is simple (a header of object id, opcode and size,
then 32-bit arguments), and these protocols pass no file descriptors, so a hundred lines of
Python replace libwayland-client and a binding; nothing here blocks after the first
round trip, and a connection that breaks or speaks nonsense is closed, never fatal.

Not thread-safe: every call comes from the Qt main thread.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DISPLAY_ID = 1
HEADER = struct.Struct("<II")
#: The wire's largest message (libwayland's own limit); a bigger size means garbage.
MAX_MESSAGE = 4096
#: Objects the compositor creates get ids from here on (wayland.xml, wl_display).
SERVER_ID_BASE = 0xFF000000
#: How long the first round trip may take; a compositor answers in a millisecond or two.
ROUNDTRIP_TIMEOUT_S = 1.0

# wl_display and wl_registry requests and events (wayland.xml)
_SYNC, _GET_REGISTRY = 0, 1
_ERROR, _DELETE_ID = 0, 1
_BIND = 0
_GLOBAL, _GLOBAL_REMOVE = 0, 1
_CALLBACK_DONE = 0


class WaylandError(Exception):
    """The connection could not be made or was lost; the message says why."""


@dataclass(frozen=True, slots=True)
class Event:
    """One event as it came off the wire: the object it is for, its opcode and arguments."""

    object_id: int
    opcode: int
    payload: bytes

    def reader(self) -> ArgReader:
        return ArgReader(self.payload)


class ArgReader:
    """Reads an event's arguments in order; raises ``WaylandError`` on a short payload."""

    def __init__(self, payload: bytes) -> None:
        self._payload = payload
        self._at = 0

    def uint(self) -> int:
        if self._at + 4 > len(self._payload):
            raise WaylandError("an event is shorter than its arguments")
        (value,) = struct.unpack_from("<I", self._payload, self._at)
        self._at += 4
        return int(value)

    def array(self) -> bytes:
        size = self.uint()
        data = self._payload[self._at : self._at + size]
        if len(data) != size:
            raise WaylandError("an event's array runs past its end")
        self._at += _padded(size)
        return data

    def string(self) -> str:
        data = self.array()
        return data.rstrip(b"\0").decode("utf-8", "replace")

    def uints(self) -> list[int]:
        """An array of 32-bit values (a toplevel's states, say)."""
        data = self.array()
        return list(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))


def uint(value: int) -> bytes:
    return struct.pack("<I", value & 0xFFFFFFFF)


def string(text: str) -> bytes:
    data = text.encode() + b"\0"
    return uint(len(data)) + data + b"\0" * (_padded(len(data)) - len(data))


def _padded(size: int) -> int:
    return (size + 3) & ~3


Handler = Callable[[Event], None]


def socket_path(env: Mapping[str, str]) -> Path | None:
    """Where the compositor listens: ``WAYLAND_DISPLAY`` (a name or an absolute path)."""
    name = env.get("WAYLAND_DISPLAY")
    if not name:
        return None
    if name.startswith("/"):
        return Path(name)
    runtime = env.get("XDG_RUNTIME_DIR")
    return Path(runtime) / name if runtime else None


class Connection:
    """One client connection: the registry's globals, our objects and their handlers."""

    def __init__(self, sock: socket.socket, clock: Callable[[], float] = time.monotonic) -> None:
        self._sock = sock
        self._clock = clock
        self._buffer = b""
        self._next_id = DISPLAY_ID + 1
        self._handlers: dict[int, Handler] = {DISPLAY_ID: self._on_display}
        self._callbacks_done: set[int] = set()
        self.globals: dict[str, tuple[int, int]] = {}  # interface → (name, version)
        self.closed_because: str | None = None
        registry = self.new_id(self._on_registry)
        self._registry = registry
        self.request(DISPLAY_ID, _GET_REGISTRY, uint(registry))

    @classmethod
    def connect(cls, env: Mapping[str, str]) -> Connection:
        """Connects and learns the compositor's globals; raises ``WaylandError``."""
        path = socket_path(env)
        if path is None:
            raise WaylandError("no Wayland display (WAYLAND_DISPLAY is not set)")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        try:
            sock.connect(str(path))
        except OSError as exc:
            sock.close()
            raise WaylandError(f"cannot reach the compositor at {path}: {exc}") from exc
        connection = cls(sock)
        connection.roundtrip()
        return connection

    # -- objects and requests ------------------------------------------------------------------

    def new_id(self, handler: Handler) -> int:
        """A fresh client-side object id, whose events go to ``handler``."""
        object_id = self._next_id
        self._next_id += 1
        self._handlers[object_id] = handler
        return object_id

    def adopt(self, object_id: int, handler: Handler) -> None:
        """Routes the events of an object the compositor created (a ``new_id`` in an event)."""
        self._handlers[object_id] = handler

    def forget(self, object_id: int) -> None:
        self._handlers.pop(object_id, None)

    def bind(self, interface: str, version: int, handler: Handler) -> int:
        """Binds a global at ``min(version, advertised)``; raises ``KeyError`` if absent."""
        name, advertised = self.globals[interface]
        object_id = self.new_id(handler)
        args = uint(name) + string(interface) + uint(min(version, advertised)) + uint(object_id)
        self.request(self._registry, _BIND, args)
        return object_id

    def request(self, object_id: int, opcode: int, args: bytes = b"") -> None:
        if self.closed_because is not None:
            return
        header = HEADER.pack(object_id, (HEADER.size + len(args)) << 16 | opcode)
        try:
            self._sock.sendall(header + args)
        except OSError as exc:
            self.close(f"the compositor stopped listening: {exc}")

    def roundtrip(self, timeout_s: float = ROUNDTRIP_TIMEOUT_S) -> None:
        """Waits until the compositor has answered every request so far."""
        callback = self.new_id(lambda event: self._callbacks_done.add(event.object_id))
        self.request(DISPLAY_ID, _SYNC, uint(callback))
        deadline = self._clock() + timeout_s
        while callback not in self._callbacks_done:
            if self.closed_because is not None:
                raise WaylandError(self.closed_because)
            left = deadline - self._clock()
            if left <= 0:
                self.close("the compositor did not answer in time")
                raise WaylandError("the compositor did not answer in time")
            readable, _, _ = select.select([self._sock], [], [], left)
            if readable:
                self.dispatch()
        self._callbacks_done.discard(callback)
        self.forget(callback)

    # -- events --------------------------------------------------------------------------------

    def fileno(self) -> int:
        return self._sock.fileno()

    @property
    def open(self) -> bool:
        return self.closed_because is None

    def dispatch(self) -> bool:
        """Reads what has arrived without waiting and hands out its events; ``False`` once
        the connection is closed (the compositor left, or sent something we cannot read)."""
        if self.closed_because is not None:
            return False
        while True:
            try:
                data = self._sock.recv(65536, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                break
            except OSError as exc:
                self.close(f"the connection to the compositor broke: {exc}")
                return False
            if not data:
                self.close("the compositor closed the connection")
                return False
            self._buffer += data
        try:
            self._handle_buffer()
        except WaylandError as exc:
            self.close(str(exc))
            return False
        return self.closed_because is None

    def _handle_buffer(self) -> None:
        while len(self._buffer) >= HEADER.size:
            object_id, word = HEADER.unpack_from(self._buffer)
            size, opcode = word >> 16, word & 0xFFFF
            if size < HEADER.size or size > MAX_MESSAGE or size % 4:
                raise WaylandError(f"the compositor sent a message of impossible size {size}")
            if len(self._buffer) < size:
                return
            event = Event(object_id, opcode, self._buffer[HEADER.size : size])
            self._buffer = self._buffer[size:]
            handler = self._handlers.get(object_id)
            if handler is not None:  # events for objects we dropped are harmless
                handler(event)
            if self.closed_because is not None:
                return

    def _on_display(self, event: Event) -> None:
        args = event.reader()
        if event.opcode == _ERROR:
            object_id, code, message = args.uint(), args.uint(), args.string()
            raise WaylandError(f"protocol error {code} on object {object_id}: {message}")
        if event.opcode == _DELETE_ID:
            self._handlers.pop(args.uint(), None)

    def _on_registry(self, event: Event) -> None:
        args = event.reader()
        if event.opcode == _GLOBAL:
            name, interface, version = args.uint(), args.string(), args.uint()
            self.globals.setdefault(interface, (name, version))
        elif event.opcode == _GLOBAL_REMOVE:
            name = args.uint()
            self.globals = {k: v for k, v in self.globals.items() if v[0] != name}

    def close(self, reason: str = "closed") -> None:
        if self.closed_because is None:
            self.closed_because = reason
            if reason != "closed":
                log.warning("Wayland connection closed: %s", reason)
        with contextlib.suppress(OSError):
            self._sock.close()
