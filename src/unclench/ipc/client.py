"""Sends one command to the running app and returns its answer.

On POSIX this is a plain ``AF_UNIX`` socket, so ``unclench status`` starts without loading
Qt (a tenth of a second saved on every call). On Windows the app listens on a named pipe,
which only ``QLocalSocket`` speaks; its blocking calls need no event loop. They do hold
the GIL while they wait, so never point them at a server in the same process.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

from unclench.core.i18n import _
from unclench.ipc.address import server_address
from unclench.ipc.protocol import (
    MAX_REPLY_BYTES,
    ProtocolError,
    Request,
    encode_request,
    parse_reply,
)

#: How long a probe waits for a connection before deciding nobody is there.
PROBE_TIMEOUT_S = 0.5


class ClientError(Exception):
    """Talking to the running app failed; the text is for a person."""


class AppNotRunning(ClientError):
    """Nothing listens at the address: Unclench is not running for this user."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(_("Unclench is not running.") if message is None else message)


def send(request: Request, address: str | None = None, timeout_s: float = 3.0) -> dict[str, object]:
    """Send ``request`` and return the app's result object.

    Raises :class:`AppNotRunning` when nothing listens, :class:`ClientError` when the app
    does not answer in ``timeout_s`` or answers nonsense, and
    :class:`~unclench.ipc.protocol.CommandError` when it refuses the command.
    """
    if address is None:
        try:
            address = server_address()
        except OSError as exc:
            raise ClientError(
                _("Cannot find Unclench's socket: {error}").format(error=exc)
            ) from exc
    if os.name == "nt":
        raw = _exchange_qt(address, encode_request(request), timeout_s)
    else:
        raw = _exchange_unix(address, encode_request(request), timeout_s)
    try:
        reply = parse_reply(raw)
    except ProtocolError as exc:
        raise ClientError(
            _("Unclench sent an answer that makes no sense: {error}").format(error=exc)
        ) from exc
    return reply.unwrap()


def probe(address: str) -> bool:
    """Whether something accepts connections at ``address`` (it is sent nothing)."""
    if os.name == "nt":
        from PySide6.QtNetwork import QLocalSocket  # noqa: PLC0415 - Qt only where needed

        pipe = QLocalSocket()
        pipe.connectToServer(address)
        connected = pipe.waitForConnected(int(PROBE_TIMEOUT_S * 1000))
        pipe.abort()
        return connected
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(PROBE_TIMEOUT_S)
        try:
            sock.connect(address)
        except TimeoutError:
            return True  # a full backlog: a server is there, just busy
        except OSError:
            return False
        return True


def _exchange_unix(address: str, data: bytes, timeout_s: float) -> bytes:
    deadline = time.monotonic() + timeout_s
    try:
        owner = Path(address).stat().st_uid
    except (FileNotFoundError, NotADirectoryError):
        raise AppNotRunning from None
    except OSError as exc:
        raise ClientError(_cannot_reach(address, exc.strerror)) from exc
    if owner != os.getuid():
        raise ClientError(
            _("{address} belongs to another user; not sending anything there.").format(
                address=address
            )
        )
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout_s)
        try:
            sock.connect(address)
        except ConnectionRefusedError:  # a socket file left behind by an app that died
            raise AppNotRunning from None
        except TimeoutError:
            raise ClientError(_("Unclench is running but does not answer.")) from None
        except OSError as exc:
            raise ClientError(_cannot_reach(address, exc.strerror)) from exc
        try:
            sock.sendall(data)
            received = bytearray()
            while b"\n" not in received:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                sock.settimeout(left)
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
                if len(received) > MAX_REPLY_BYTES:
                    raise ClientError(_("Unclench's answer is too long to read."))
        except TimeoutError:
            raise ClientError(_("Unclench is running but did not answer in time.")) from None
        except OSError as exc:
            raise ClientError(
                _("The connection to Unclench broke: {error}.").format(error=exc.strerror)
            ) from exc
    return _complete(received)


def _exchange_qt(address: str, data: bytes, timeout_s: float) -> bytes:
    from PySide6.QtNetwork import QLocalSocket  # noqa: PLC0415 - Qt only where needed

    deadline = time.monotonic() + timeout_s

    def left_ms() -> int:
        return max(0, int((deadline - time.monotonic()) * 1000))

    pipe = QLocalSocket()
    pipe.connectToServer(address)
    if not pipe.waitForConnected(left_ms()):
        error = pipe.error()
        if error in (
            QLocalSocket.LocalSocketError.ServerNotFoundError,
            QLocalSocket.LocalSocketError.ConnectionRefusedError,
        ):
            raise AppNotRunning
        raise ClientError(_cannot_reach(address, pipe.errorString()))
    pipe.write(data)
    received = bytearray()
    try:
        if not pipe.waitForBytesWritten(left_ms()):
            raise ClientError(_("Unclench is running but did not take the command in time."))
        while b"\n" not in received:
            if not pipe.bytesAvailable() and not pipe.waitForReadyRead(left_ms()):
                if pipe.error() is QLocalSocket.LocalSocketError.SocketTimeoutError:
                    raise ClientError(_("Unclench is running but did not answer in time."))
                break  # closed by the app
            received += bytes(pipe.readAll().data())
            if len(received) > MAX_REPLY_BYTES:
                raise ClientError(_("Unclench's answer is too long to read."))
    finally:
        pipe.abort()
    return _complete(received)


def _complete(received: bytearray) -> bytes:
    if not received:
        raise ClientError(_("Unclench closed the connection without answering."))
    end = received.find(b"\n")
    if end < 0:
        raise ClientError(_("Unclench's answer was cut off."))
    return bytes(received[: end + 1])


def _cannot_reach(address: str, error: object) -> str:
    """Why the app at ``address`` could not be reached, for a person."""
    return _("Cannot reach Unclench at {address}: {error}.").format(address=address, error=error)
