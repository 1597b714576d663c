"""What both control servers share: claiming the address, the caps, the deadlines, the answers.

A server listens on one address per user and serves each connection the same way: read one
line under a size cap and a read deadline, answer it, and cut off a client that does not take
its answer before the write deadline. How bytes move (a Unix socket or a Qt local socket) is
left to the subclasses in ``posix`` and ``qt``. Only QtCore is used here.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer

from unclench.core.i18n import N_, _
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

log = logging.getLogger(__name__)

#: Runs one checked request in the event loop and returns the result object. Raise
#: CommandError to refuse with a message for the person. A handler for ``quit`` should
#: quit on a zero timer, so that its reply leaves first.
Handler = Callable[[Request], dict[str, object]]

#: Said when the handler failed in a way it did not foresee; the traceback goes to the log.
#: Marked with N_ (like BUSY): the replies translate them when they are sent.
INTERNAL_ERROR = N_("Unclench could not do that because of an internal error; see its log.")
BUSY = N_("Unclench is busy with other commands; try again in a moment.")
#: Read at most this much at a time: one byte past the cap shows a request is too long.
READ_CHUNK = MAX_MESSAGE_BYTES + 1


def answer(handler: Handler, line: bytes) -> bytes:
    """The reply to one request line; never raises."""
    try:
        request = parse_request(line)
    except ProtocolError as exc:
        return encode_reply(Reply.failure(str(exc)))
    try:
        result = handler(request)
        return encode_reply(Reply(result=result))
    except CommandError as exc:
        return encode_reply(Reply.failure(str(exc)))
    except Exception:  # the loop must survive any bug in a command
        log.exception("control socket: %r failed", request)
        return encode_reply(Reply.failure(_(INTERNAL_ERROR)))


def busy_reply() -> bytes:
    """The reply to a client turned away because too many are being served."""
    return encode_reply(Reply.failure(_(BUSY)))


def too_long_reply() -> bytes:
    """The reply to a request longer than the protocol allows."""
    return encode_reply(
        Reply.failure(
            _("The request is too long (at most {most} bytes, one line).").format(
                most=MAX_MESSAGE_BYTES
            )
        )
    )


@dataclass(frozen=True, slots=True)
class Terms:
    """What a server tells each of its connections."""

    answer: Callable[[bytes], bytes]
    on_finished: Callable[[Connection], None]
    read_timeout_ms: int
    write_timeout_ms: int


class ControlServerBase(QObject):
    """Listens on the control socket and answers each request with ``handler``'s result.

    Subclasses move the bytes: they open and close the listener and make a
    :class:`Connection` for each client they accept (after :meth:`_has_room`).
    """

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
        self._max_connections = max_connections
        self._connections: set[Connection] = set()
        self._lock: QLockFile | None = None
        self._terms = Terms(
            answer=lambda line: answer(handler, line),
            on_finished=self._connections.discard,
            read_timeout_ms=round(read_timeout_s * 1000),
            write_timeout_ms=round(write_timeout_s * 1000),
        )
        self._prepare()

    @property
    def address(self) -> str | None:
        """Where it listens (a path on POSIX), or ``None`` when it does not."""
        return self._listening_at()

    @property
    def active_connections(self) -> int:
        return len(self._connections)

    def listen(self, address: str | None = None) -> bool:
        """Start listening; ``False`` (with the reason logged) when another app already
        listens there or the socket cannot be made private. A socket left behind by an app
        that died is replaced.
        """
        if self._listening_at() is not None:
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
        # The lock is ours and nobody answers: whatever is at the address was left by an app
        # that died, and the listener may replace it.
        error = self._open_listener(address)
        listening = self._listening_at()
        if error is not None or listening is None:
            lock.unlock()
            log.error("control socket: cannot listen at %s: %s", address, error)
            return False
        if os.name != "nt" and not _is_private_socket(listening):
            self._close_listener()
            lock.unlock()
            log.error("control socket: %s is open to other users; not listening", address)
            return False
        self._lock = lock
        log.info("control socket: listening at %s", listening)
        return True

    def close(self) -> None:
        """Stop listening (removing the socket file) and drop open connections."""
        self._close_listener()
        for connection in list(self._connections):
            connection.drop()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _prepare(self) -> None:
        """Set up what listening will need; runs once, at the end of ``__init__``."""

    def _listening_at(self) -> str | None:
        """The address it listens on, or ``None``."""
        raise NotImplementedError

    def _open_listener(self, address: str) -> str | None:
        """Replace what is left at ``address`` and listen there; the reason when it fails."""
        raise NotImplementedError

    def _close_listener(self) -> None:
        """Stop listening and remove the socket file; nothing happens when not listening."""
        raise NotImplementedError

    def _has_room(self) -> bool:
        """Whether one more client may be served; a refusal is logged."""
        if len(self._connections) < self._max_connections:
            return True
        log.warning("control socket: %d connections open; refused one", self._max_connections)
        return False

    def _adopt(self, connection: Connection) -> None:
        if not connection.finished:  # it may have been answered and closed already
            self._connections.add(connection)


class Connection(QObject):
    """One client: read one line under a deadline, answer it, close.

    Subclasses feed what arrives to :meth:`_received`, write what :meth:`_send` is given,
    and close in :meth:`_close`; their slots run through :meth:`_safely`.
    """

    def __init__(self, parent: QObject, terms: Terms) -> None:
        super().__init__(parent)
        self._terms = terms
        self._buffer = bytearray()
        self._answered = False
        self._finished = False
        # One timer per connection, so none runs while no client is connected.
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._on_timeout)
        self._deadline.start(terms.read_timeout_ms)

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def answered(self) -> bool:
        return self._answered

    def drop(self) -> None:
        """Cut the connection now, unsent data and all."""
        self._close()
        self._finish()

    def _received(self, data: bytes) -> None:
        """Take bytes from the client; answer once a line is complete or the cap is reached."""
        self._buffer += data
        end = self._buffer.find(b"\n")
        if end >= 0:
            self._reply(self._terms.answer(bytes(self._buffer[: end + 1])))
        elif len(self._buffer) >= MAX_MESSAGE_BYTES:
            self._reply(too_long_reply())

    def _reply(self, payload: bytes) -> None:
        self._answered = True
        self._buffer.clear()
        # Started first: sending may finish, and stop it, before _send returns.
        self._deadline.start(self._terms.write_timeout_ms)
        self._send(payload)

    def _send(self, payload: bytes) -> None:
        """Write ``payload`` without waiting for the reader, then close when it is out."""
        raise NotImplementedError

    def _close(self) -> None:
        """Close the socket now; safe to call twice."""
        raise NotImplementedError

    def _safely(self, step: Callable[[], None]) -> None:
        """Run a slot's work; nothing a client does may raise into the Qt loop."""
        try:
            step()
        except Exception:
            log.exception("control socket: answering a request failed")
            self.drop()

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
        self._terms.on_finished(self)
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
