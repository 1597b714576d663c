"""The control server on QLocalServer: what serves Windows' named pipes.

Python's socket module cannot serve a named pipe, so Windows keeps Qt's local server (with
the user's ACL from UserAccessOption). It runs on POSIX too, where the tests keep it honest;
the app uses ``posix`` there, which spares it QtNetwork.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from unclench.ipc.protocol import MAX_MESSAGE_BYTES
from unclench.ipc.server.common import (
    READ_CHUNK,
    Connection,
    ControlServerBase,
    Terms,
    busy_reply,
)

log = logging.getLogger(__name__)


class QtControlServer(ControlServerBase):
    """Listens with QLocalServer and answers each request with ``handler``'s result."""

    def _prepare(self) -> None:
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def _listening_at(self) -> str | None:
        return self._server.fullServerName() if self._server.isListening() else None

    def _open_listener(self, address: str) -> str | None:
        QLocalServer.removeServer(address)
        return None if self._server.listen(address) else self._server.errorString()

    def _close_listener(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        try:
            while self._server.hasPendingConnections():
                self._take(self._server.nextPendingConnection())
        except Exception:  # a slot must never raise into the Qt loop
            log.exception("control socket: accepting a connection failed")

    def _take(self, socket: QLocalSocket) -> None:
        if not self._has_room():
            # Best effort: the refusal is written once, without waiting for the reader.
            socket.write(busy_reply())
            socket.flush()
            socket.abort()
            socket.deleteLater()
            return
        self._adopt(_QtConnection(socket, self, self._terms))


class _QtConnection(Connection):
    def __init__(self, socket: QLocalSocket, parent: QObject, terms: Terms) -> None:
        super().__init__(parent, terms)
        self._socket = socket
        socket.setParent(self)
        # Qt stops reading from the OS once this much waits, so a flood stays in the kernel.
        socket.setReadBufferSize(MAX_MESSAGE_BYTES + 1)
        socket.readyRead.connect(self._on_ready_read)
        socket.disconnected.connect(self._finish)
        self._on_ready_read()  # data may have arrived with the connection

    def _on_ready_read(self) -> None:
        self._safely(self._read)

    def _read(self) -> None:
        if not self.answered:
            self._received(bytes(self._socket.read(READ_CHUNK).data()))

    def _send(self, payload: bytes) -> None:
        self._socket.write(payload)
        self._socket.flush()  # hands it to the OS now, without waiting for the reader
        self._socket.disconnectFromServer()  # closes once the rest is written

    def _close(self) -> None:
        self._socket.abort()
