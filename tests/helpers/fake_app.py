"""A stand-in for the running app's control socket: a plain Unix socket served from a thread.

The real server is a Qt object and cannot answer from another thread while a test blocks in
the client, so command-line and client tests talk to this instead.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from unclench.ipc.protocol import Reply, encode_reply

Respond = Callable[[bytes], bytes | None]


def private_runtime_dir(base: Path) -> Path:
    """A folder fit to be XDG_RUNTIME_DIR: ours, mode 0700 (platformdirs checks both)."""
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    base.chmod(0o700)
    return base


class FakeApp:
    """Accepts connections at ``address``; for each, reads one line and answers ``respond(line)``.

    ``respond`` returning ``None`` closes without an answer. Every line read is kept in
    ``requests``. Use as a context manager.
    """

    def __init__(self, address: str, respond: Respond | None = None) -> None:
        self.address = address
        self.respond: Respond = respond or (lambda line: encode_reply(Reply(result={})))
        self.requests: list[bytes] = []
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._stopping = False

    def reply_with(self, result: dict[str, object]) -> None:
        self.respond = lambda line: encode_reply(Reply(result=result))

    def __enter__(self) -> FakeApp:
        Path(self.address).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._listener.bind(self.address)
        self._listener.listen()
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # Closing a listener does not wake a thread blocked in accept(); a last caller does.
        self._stopping = True
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as wake:
            wake.connect(self.address)
        self._thread.join(timeout=5)
        self._listener.close()
        Path(self.address).unlink(missing_ok=True)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            if self._stopping:
                connection.close()
                return
            # OSError: the client gave up first; its test checks that side.
            with connection, contextlib.suppress(OSError):
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        line = bytearray()
        while b"\n" not in line and (chunk := connection.recv(4096)):
            line += chunk
        self.requests.append(bytes(line))
        answer = self.respond(bytes(line))
        if answer is not None:
            connection.sendall(answer)


def socket_in(runtime_dir: Path) -> str:
    """Where the client looks for the app when XDG_RUNTIME_DIR is ``runtime_dir``."""
    return os.fspath(runtime_dir / "unclench" / "unclench.sock")
