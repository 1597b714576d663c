"""The control server on a plain Unix socket, watched by QSocketNotifier on the Qt loop.

Linux and macOS use this rather than QLocalServer: QtNetwork, whose only user the server
was, costs the tray app ~2.8 MB of idle memory (it maps the Kerberos libraries) and 10-25 ms
of start-up (docs/performance.md). Every socket is non-blocking and nothing runs on a thread:
the loop says when a socket can be read or written, and each step takes what is there.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from unclench.ipc.server.common import (
    READ_CHUNK,
    Connection,
    ControlServerBase,
    Terms,
    busy_reply,
)

log = logging.getLogger(__name__)

#: Connections the kernel holds for us between two turns of the loop; more wait in connect().
BACKLOG = 64
#: Accepted per wake-up, so that a crowd at the door cannot hold the loop.
ACCEPT_BATCH = 16
#: After accept() fails for want of resources (file descriptors, memory), wait this long
#: before trying again instead of waking at once for the same pending connection.
ACCEPT_RETRY_MS = 1000
#: The socket's own mode; the 0700 folder around it already keeps others out.
SOCKET_MODE = 0o600
#: A reader that has gone is an EPIPE error, never a SIGPIPE, even where the interpreter was
#: started without ignoring that signal. macOS has no such flag; Python ignores SIGPIPE there.
NO_SIGPIPE: int = getattr(socket, "MSG_NOSIGNAL", 0)


class PosixControlServer(ControlServerBase):
    """Listens on a Unix socket and answers each request with ``handler``'s result."""

    def _prepare(self) -> None:
        self._listener: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._path: str | None = None
        self._inode: tuple[int, int] | None = None  # the file we bound, to remove only that

    def _listening_at(self) -> str | None:
        return self._path if self._listener is not None else None

    def _open_listener(self, address: str) -> str | None:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            Path(address).unlink(missing_ok=True)  # left by an app that died (see listen())
            listener.bind(address)
            # bind() used the umask; nobody else could reach the file meanwhile, as its
            # folder is 0700, and listen() checks the mode once this returns.
            Path(address).chmod(SOCKET_MODE)
            listener.listen(BACKLOG)
            listener.setblocking(False)
            info = Path(address).lstat()
        except OSError as exc:
            listener.close()
            return exc.strerror or str(exc)  # "AF_UNIX path too long" has no strerror
        self._listener = listener
        self._path = address
        self._inode = (info.st_dev, info.st_ino)
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_acceptable)
        return None

    def _close_listener(self) -> None:
        if self._listener is None:
            return
        if self._notifier is not None:
            self._notifier.setEnabled(False)  # before its descriptor goes
            self._notifier.deleteLater()
            self._notifier = None
        self._listener.close()
        self._listener = None
        path, self._path = self._path, None
        if path is not None:
            with contextlib.suppress(OSError):
                info = Path(path).lstat()
                if (info.st_dev, info.st_ino) == self._inode:  # not a successor's socket
                    Path(path).unlink()

    def _on_acceptable(self) -> None:
        try:
            self._accept()
        except Exception:  # a slot must never raise into the Qt loop
            log.exception("control socket: accepting a connection failed")

    def _accept(self) -> None:
        for _ in range(ACCEPT_BATCH):
            if self._listener is None:
                return
            try:
                client, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:  # the client gave up while waiting
                continue
            except OSError as exc:
                self._pause_accepting(exc)
                return
            self._take(client)

    def _pause_accepting(self, error: OSError) -> None:
        """Stop watching for a while: the pending connection would wake the loop at once."""
        log.warning(
            "control socket: cannot accept a connection (%s); trying again in %d ms",
            error.strerror or error,
            ACCEPT_RETRY_MS,
        )
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            QTimer.singleShot(ACCEPT_RETRY_MS, self, self._resume_accepting)

    def _resume_accepting(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(True)

    def _take(self, client: socket.socket) -> None:
        client.setblocking(False)
        if not self._has_room():
            # Best effort: the refusal is written once, without waiting for the reader.
            with contextlib.suppress(OSError):
                client.send(busy_reply(), NO_SIGPIPE)
            client.close()
            return
        self._adopt(_PosixConnection(client, self, self._terms))


class _PosixConnection(Connection):
    """A non-blocking client socket with a notifier for reading and one for writing."""

    def __init__(self, client: socket.socket, parent: QObject, terms: Terms) -> None:
        super().__init__(parent, terms)
        self._socket = client
        self._unsent = memoryview(b"")
        descriptor = client.fileno()
        self._reader = QSocketNotifier(descriptor, QSocketNotifier.Type.Read, self)
        self._writer = QSocketNotifier(descriptor, QSocketNotifier.Type.Write, self)
        self._writer.setEnabled(False)  # only while a reply waits for the client to read
        self._reader.activated.connect(self._on_readable)
        self._writer.activated.connect(self._on_writable)

    def _on_readable(self) -> None:
        self._safely(self._read)

    def _on_writable(self) -> None:
        self._safely(self._write)

    def _read(self) -> None:
        if self.answered or self.finished:
            return
        try:
            data = self._socket.recv(READ_CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            log.debug("control socket: reading from a client failed: %s", exc)
            self.drop()
            return
        if not data:  # the client hung up before a whole line
            self.drop()
            return
        self._received(data)

    def _send(self, payload: bytes) -> None:
        # One request per connection: whatever else the client sends stays unread, and a
        # flood stays in the kernel's buffer, which it bounds.
        self._reader.setEnabled(False)
        self._unsent = memoryview(payload)
        self._write()

    def _write(self) -> None:
        while self._unsent:
            try:
                sent = self._socket.send(self._unsent, NO_SIGPIPE)
            except (BlockingIOError, InterruptedError):
                self._writer.setEnabled(True)  # go on when the client has read some
                return
            except OSError as exc:  # the client went away
                log.debug("control socket: writing to a client failed: %s", exc)
                self.drop()
                return
            self._unsent = self._unsent[sent:]
        self.drop()  # all written: the protocol closes after the reply

    def _close(self) -> None:
        # Notifiers go quiet before the descriptor is closed, and maybe reused by the next.
        self._reader.setEnabled(False)
        self._writer.setEnabled(False)
        self._unsent = memoryview(b"")
        with contextlib.suppress(OSError):
            self._socket.close()
