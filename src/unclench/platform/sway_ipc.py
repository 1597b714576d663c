"""sway's IPC (the i3 protocol over a Unix socket): commands, the focused workspace, and
window events. Enough to float, place and keep unfocused our own break window.

Each message is ``i3-ipc``, a 32-bit length and a 32-bit type, then JSON. sway answers a
request in well under a millisecond; every call here has a deadline all the same, so a
stuck compositor can only cost a short, logged delay, never a frozen app.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from unclench.core.corner import Rect

log = logging.getLogger(__name__)

MAGIC = b"i3-ipc"
HEADER = struct.Struct("=6sII")
RUN_COMMAND, GET_WORKSPACES, SUBSCRIBE = 0, 1, 2
#: Events carry the high bit; ``window`` events are number 3.
WINDOW_EVENT = 0x80000003
TIMEOUT_S = 0.5
#: A reply larger than this is not one sway would send us (a tree of a few hundred windows
#: is well under it); it means garbage.
MAX_REPLY = 16 * 1024 * 1024


class SwayError(Exception):
    """sway could not be reached, refused a command or answered nonsense."""


def socket_path(env: Mapping[str, str]) -> Path | None:
    """sway's IPC socket, as sway tells its clients (``SWAYSOCK``)."""
    path = env.get("SWAYSOCK")
    return Path(path) if path else None


def encode(kind: int, payload: str = "") -> bytes:
    data = payload.encode()
    return HEADER.pack(MAGIC, len(data), kind) + data


class MessageReader:
    """Cuts a byte stream into ``(type, JSON)`` messages; raises ``SwayError`` on garbage."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[tuple[int, Any]]:
        self._buffer += data
        messages: list[tuple[int, Any]] = []
        while len(self._buffer) >= HEADER.size:
            magic, length, kind = HEADER.unpack_from(self._buffer)
            if magic != MAGIC or length > MAX_REPLY:
                raise SwayError("sway's IPC answered something that is not an IPC message")
            end = HEADER.size + length
            if len(self._buffer) < end:
                break
            body, self._buffer = self._buffer[HEADER.size : end], self._buffer[end:]
            try:
                messages.append((kind, json.loads(body)))
            except ValueError as exc:
                raise SwayError(f"sway's IPC sent a message that is not JSON: {exc}") from exc
        return messages


def connect(path: Path, timeout_s: float = TIMEOUT_S) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    sock.settimeout(timeout_s)
    try:
        sock.connect(str(path))
    except OSError as exc:
        sock.close()
        raise SwayError(f"cannot reach sway at {path}: {exc}") from exc
    return sock


def ask(path: Path, kind: int, payload: str = "", timeout_s: float = TIMEOUT_S) -> Any:
    """One request and its reply on a connection of its own."""
    sock = connect(path, timeout_s)
    try:
        sock.sendall(encode(kind, payload))
        reader = MessageReader()
        while True:
            data = sock.recv(65536)
            if not data:
                raise SwayError("sway closed the IPC connection before answering")
            for reply_kind, body in reader.feed(data):
                if reply_kind == kind:
                    return body
    except OSError as exc:
        raise SwayError(f"sway's IPC failed: {exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            sock.close()


def command(path: Path, text: str) -> None:
    """Runs sway commands (``;``- or ``,``-separated); raises ``SwayError`` if one fails."""
    results = ask(path, RUN_COMMAND, text)
    if not isinstance(results, list):
        raise SwayError(f"sway answered {text!r} with {results!r}")
    failed = [r.get("error", "failed") for r in results if not _succeeded(r)]
    if failed:
        raise SwayError(f"sway refused {text!r}: {'; '.join(map(str, failed))}")


def _succeeded(result: object) -> bool:
    return isinstance(result, dict) and result.get("success") is True


def focused_area(path: Path) -> Rect | None:
    """The focused workspace's free area (the screen the person is on, less its bars)."""
    workspaces = ask(path, GET_WORKSPACES)
    if not isinstance(workspaces, list):
        return None
    for workspace in workspaces:
        if isinstance(workspace, dict) and workspace.get("focused"):
            rect = workspace.get("rect")
            if isinstance(rect, dict):
                try:
                    return Rect(*(int(rect[key]) for key in ("x", "y", "width", "height")))
                except (KeyError, TypeError, ValueError):
                    return None
    return None


def criteria(app_id: str, title_prefix: str) -> str:
    """sway criteria for our own windows: our app id and a title that starts as given.

    Both are our own constants, letters, dots and spaces; a dot in a regular expression
    also matches itself, so they need no escaping (which sway's parser would take apart).
    """
    return f'[app_id="^{app_id}$" title="^{title_prefix}"]'
