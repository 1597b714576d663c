"""The running app's control server: answers ``unclench <command>`` on a local socket.

Only the same user can connect (a 0600 socket in a 0700 folder on POSIX; a pipe with the
user's ACL on Windows). Everything runs in the Qt event loop without ever blocking it: each
connection is read as data arrives, under a size cap and a deadline, and a client that stops
reading is cut off after a second deadline. Nothing a client sends can raise into the loop.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from unclench.ipc.address import ensure_private_folder, lock_path, server_address
from unclench.ipc.client import probe
from unclench.ipc.protocol import (
    MAX_MESSAGE_BYTES,
    CommandError,
    ProtocolError,
    Reply,
    Request,
    encode_reply,
    parse_request,
)

__all__ = ["CommandError", "ControlServer", "Handler"]

log = logging.getLogger(__name__)

#: Runs one checked request in the event loop and returns the result object. Raise
#: CommandError to refuse with a message for the person. A handler for ``quit`` should
#: quit on a zero timer, so that its reply leaves first.
Handler = Callable[[Request], dict[str, object]]

#: Said when the handler failed in a way it did not foresee; the traceback goes to the log.
INTERNAL_ERROR = "Unclench could not do that because of an internal error; see its log."
BUSY = "Unclench is busy with other commands; try again in a moment."


class ControlServer(QObject):
    """Listens on the control socket and answers each request with ``handler``'s result."""

    def __init__(
        self,
        handler: Handler,
        parent: QObject | None = None,
        *,
        read_timeout_s: float = 2.0,
        write_timeout_s: float = 2.0,
        max_connections: int = 16,
    ) -> None:
        super().__init__(parent)
        self._handler = handler
        self._read_timeout_ms = round(read_timeout_s * 1000)
        self._write_timeout_ms = round(write_timeout_s * 1000)
        self._max_connections = max_connections
        self._connections: set[_Connection] = set()
        self._lock: QLockFile | None = None
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    @property
    def address(self) -> str | None:
        """Where it listens (a path on POSIX), or ``None`` when it does not."""
        return self._server.fullServerName() if self._server.isListening() else None

    @property
    def active_connections(self) -> int:
        return len(self._connections)

    def listen(self, address: str | None = None) -> bool:
        """Start listening; ``False`` (with the reason logged) when another app already
        listens there or the socket cannot be made private. A socket left behind by an app
        that died is replaced.
        """
        if self._server.isListening():
            return True
        try:
            if address is None:
                address = server_address()
            if os.name != "nt":
                ensure_private_folder(Path(address).parent)
        except OSError as exc:
            log.error("control socket: cannot prepare its folder: %s", exc)
            return False
        lock = QLockFile(str(lock_path(address)))
        lock.setStaleLockTime(0)  # held for the app's lifetime; stale only if its owner died
        if not lock.tryLock(0):
            log.info("control socket: another Unclench holds %s", lock_path(address))
            return False
        if probe(address):
            lock.unlock()
            log.info("control socket: another Unclench answers at %s", address)
            return False
        QLocalServer.removeServer(address)
        if not self._server.listen(address):
            lock.unlock()
            log.error(
                "control socket: cannot listen at %s: %s", address, self._server.errorString()
            )
            return False
        if os.name != "nt" and not _is_private_socket(self._server.fullServerName()):
            self._server.close()
            lock.unlock()
            log.error("control socket: %s is open to other users; not listening", address)
            return False
        self._lock = lock
        log.info("control socket: listening at %s", self._server.fullServerName())
        return True

    def close(self) -> None:
        """Stop listening (removing the socket file) and drop open connections."""
        self._server.close()
        for connection in list(self._connections):
            connection.drop()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # ------------------------------------------------------------------ connections

    def _accept(self) -> None:
        try:
            while self._server.hasPendingConnections():
                self._take(self._server.nextPendingConnection())
        except Exception:  # a slot must never raise into the Qt loop
            log.exception("control socket: accepting a connection failed")

    def _take(self, socket: QLocalSocket) -> None:
        if len(self._connections) >= self._max_connections:
            # Best effort: the refusal is written once, without waiting for the reader.
            socket.write(encode_reply(Reply.failure(BUSY)))
            socket.flush()
            socket.abort()
            socket.deleteLater()
            log.warning("control socket: %d connections open; refused one", self._max_connections)
            return
        connection = _Connection(
            socket,
            self,
            answer=self._answer,
            on_finished=self._connections.discard,
            read_timeout_ms=self._read_timeout_ms,
            write_timeout_ms=self._write_timeout_ms,
        )
        if not connection.finished:  # it may have been answered and closed already
            self._connections.add(connection)

    def _answer(self, line: bytes) -> bytes:
        """The reply to one request line; never raises."""
        try:
            request = parse_request(line)
        except ProtocolError as exc:
            return encode_reply(Reply.failure(str(exc)))
        try:
            result = self._handler(request)
            return encode_reply(Reply(result=result))
        except CommandError as exc:
            return encode_reply(Reply.failure(str(exc)))
        except Exception:  # the loop must survive any bug in a command
            log.exception("control socket: %r failed", request)
            return encode_reply(Reply.failure(INTERNAL_ERROR))


class _Connection(QObject):
    """One client: read one line under a deadline, answer it, close."""

    def __init__(
        self,
        socket: QLocalSocket,
        parent: QObject,
        *,
        answer: Callable[[bytes], bytes],
        on_finished: Callable[[_Connection], None],
        read_timeout_ms: int,
        write_timeout_ms: int,
    ) -> None:
        super().__init__(parent)
        self._socket = socket
        self._answer = answer
        self._on_finished = on_finished
        self._write_timeout_ms = write_timeout_ms
        self._buffer = bytearray()
        self._answered = False
        self._finished = False
        socket.setParent(self)
        # Qt stops reading from the OS once this much waits, so a flood stays in the kernel.
        socket.setReadBufferSize(MAX_MESSAGE_BYTES + 1)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._on_timeout)
        socket.readyRead.connect(self._on_ready_read)
        socket.disconnected.connect(self._finish)
        self._deadline.start(read_timeout_ms)
        self._on_ready_read()  # data may have arrived with the connection

    @property
    def finished(self) -> bool:
        return self._finished

    def drop(self) -> None:
        """Cut the connection now, unsent data and all."""
        self._socket.abort()
        self._finish()

    def _on_ready_read(self) -> None:
        try:
            if self._answered:
                return
            self._buffer += bytes(self._socket.read(MAX_MESSAGE_BYTES + 1).data())
            end = self._buffer.find(b"\n")
            if end >= 0:
                self._reply(self._answer(bytes(self._buffer[: end + 1])))
            elif len(self._buffer) >= MAX_MESSAGE_BYTES:
                message = f"The request is too long (at most {MAX_MESSAGE_BYTES} bytes, one line)."
                self._reply(encode_reply(Reply.failure(message)))
        except Exception:
            log.exception("control socket: answering a request failed")
            self.drop()

    def _reply(self, payload: bytes) -> None:
        self._answered = True
        self._socket.write(payload)
        self._socket.flush()  # hands it to the OS now, without waiting for the reader
        self._socket.disconnectFromServer()  # closes once the rest is written
        if not self._finished:
            self._deadline.start(self._write_timeout_ms)

    def _on_timeout(self) -> None:
        if self._answered:
            log.info("control socket: a client did not read its answer in time; closed")
        else:
            log.info("control socket: a client sent no full request in time; closed")
        self.drop()

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._deadline.stop()
        self._on_finished(self)
        self.deleteLater()


def _is_private_socket(path: str) -> bool:
    """Whether the socket file is ours and closed to group and others."""
    try:
        info = Path(path).lstat()
    except OSError:
        return False
    return (
        stat.S_ISSOCK(info.st_mode)
        and info.st_uid == os.getuid()
        and not stat.S_IMODE(info.st_mode) & 0o077
    )
