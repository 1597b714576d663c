"""A fake sway IPC socket: records commands, answers workspaces, and pushes window events
to the clients that subscribed."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from pathlib import Path
from typing import Any

from unclench.platform.sway_ipc import (
    GET_WORKSPACES,
    HEADER,
    RUN_COMMAND,
    SUBSCRIBE,
    WINDOW_EVENT,
    encode,
)

from helpers.fakes import ClosesOnExit

WORKSPACE = {"name": "1", "focused": True, "rect": {"x": 0, "y": 25, "width": 1280, "height": 775}}


class FakeSway(ClosesOnExit):
    """Listens at ``path``; ``refuse`` makes every command fail with that message."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.commands: list[str] = []
        self.workspaces: list[dict[str, Any]] = [WORKSPACE]
        self.refuse: str | None = None
        self._subscribers: list[socket.socket] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(path))
        self._server.listen()
        self._threads: list[threading.Thread] = []
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        with self._lock:
            for client in self._subscribers:
                client.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def subscribers(self) -> int:
        with self._lock:
            return sum(1 for s in self._subscribers if s.fileno() != -1)

    def wait_for_subscriber(self, timeout: float = 2.0) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: bool(self._subscribers), timeout)

    def wait_for_commands(self, count: int, timeout: float = 2.0) -> list[str]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.commands) >= count, timeout)
            return list(self.commands)

    def window_event(self, change: str, container: dict[str, Any]) -> None:
        message = encode(WINDOW_EVENT, json.dumps({"change": change, "container": container}))
        with self._lock:
            for client in self._subscribers:
                with contextlib.suppress(OSError):
                    client.sendall(message)

    def send_raw(self, data: bytes) -> None:
        with self._lock:
            for client in self._subscribers:
                with contextlib.suppress(OSError):
                    client.sendall(data)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, client: socket.socket) -> None:
        buffer = b""
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                return
            if not data:
                client.close()
                return
            buffer += data
            # Requests carry plain text (commands), not JSON: cut them by their header.
            while len(buffer) >= HEADER.size:
                _, length, kind = HEADER.unpack_from(buffer)
                if len(buffer) < HEADER.size + length:
                    break
                body = buffer[HEADER.size : HEADER.size + length].decode()
                buffer = buffer[HEADER.size + length :]
                with contextlib.suppress(OSError):
                    client.sendall(encode(kind, json.dumps(self._answer(kind, body, client))))

    def _answer(self, kind: int, body: str, client: socket.socket) -> Any:
        if kind == RUN_COMMAND:
            with self._changed:
                self.commands.append(body)
                self._changed.notify_all()
            if self.refuse is not None:
                return [{"success": False, "error": self.refuse}]
            return [{"success": True}]
        if kind == GET_WORKSPACES:
            return self.workspaces
        if kind == SUBSCRIBE:
            with self._changed:
                self._subscribers.append(client)
                self._changed.notify_all()
            return {"success": True}
        return {"success": False}
