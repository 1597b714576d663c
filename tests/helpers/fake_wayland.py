"""A fake Wayland compositor on a socket pair: answers the registry and sync, records what the
client asks for, and sends the events a test chooses (or garbage)."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field

from unclench.platform.wayland_wire import HEADER, string, uint

from helpers.fakes import ClosesOnExit

SERVER_ID_BASE = 0xFF000000


@dataclass
class Request:
    object_id: int
    opcode: int
    payload: bytes

    def uints(self) -> list[int]:
        return list(struct.unpack(f"<{len(self.payload) // 4}I", self.payload))


@dataclass
class FakeCompositor(ClosesOnExit):
    """Serves one client on a thread of its own; ``client`` is the client's socket."""

    globals: dict[str, int]  # interface → version advertised
    answer_sync: bool = True
    requests: list[Request] = field(default_factory=list)
    bound: dict[str, int] = field(default_factory=dict)  # interface → the client's object id
    _registry: int | None = None
    _next_server_id: int = SERVER_ID_BASE

    def __post_init__(self) -> None:
        self._server, self.client = socket.socketpair()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        self._thread.join(timeout=2)
        self.client.close()  # the client's connection usually has; a test may not

    # -- what the test sends ------------------------------------------------------------------

    def send(self, object_id: int, opcode: int, args: bytes = b"") -> None:
        header = HEADER.pack(object_id, (HEADER.size + len(args)) << 16 | opcode)
        self._server.sendall(header + args)

    def send_raw(self, data: bytes) -> None:
        self._server.sendall(data)

    def new_server_id(self) -> int:
        self._next_server_id += 1
        return self._next_server_id

    def wait_for(self, count: int, timeout: float = 2.0) -> list[Request]:
        """Waits until the client has sent at least ``count`` requests; returns them all."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.requests) >= count, timeout)
            return list(self.requests)

    # -- serving ------------------------------------------------------------------------------

    def _serve(self) -> None:
        buffer = b""
        while True:
            try:
                data = self._server.recv(65536)
            except OSError:
                return
            if not data:
                return
            buffer += data
            while len(buffer) >= HEADER.size:
                object_id, word = HEADER.unpack_from(buffer)
                size = word >> 16
                if len(buffer) < size:
                    break
                request = Request(object_id, word & 0xFFFF, buffer[HEADER.size : size])
                buffer = buffer[size:]
                try:
                    self._answer(request)
                except OSError:  # the client hung up first: nobody to answer
                    return
                with self._changed:
                    self.requests.append(request)
                    self._changed.notify_all()

    def _answer(self, request: Request) -> None:
        if request.object_id == 1 and request.opcode == 1:  # wl_display.get_registry
            self._registry = request.uints()[0]
            for name, (interface, version) in enumerate(self.globals.items(), start=1):
                self.send(self._registry, 0, uint(name) + string(interface) + uint(version))
        elif request.object_id == 1 and request.opcode == 0 and self.answer_sync:
            callback = request.uints()[0]
            self.send(callback, 0, uint(0))  # wl_callback.done
            self.send(1, 1, uint(callback))  # wl_display.delete_id
        elif request.object_id == self._registry and request.opcode == 0:  # bind
            payload = request.payload
            (length,) = struct.unpack_from("<I", payload, 4)
            interface = payload[8 : 8 + length - 1].decode()
            offset = 8 + ((length + 3) & ~3)
            _version, object_id = struct.unpack_from("<II", payload, offset)
            self.bound[interface] = object_id
