"""Short synchronous D-Bus calls over QtDBus, for backends that ask a service once per tick."""

from __future__ import annotations

import logging
from typing import Any, cast

from PySide6.QtCore import SLOT
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage

log = logging.getLogger(__name__)

#: How long one call may block the GUI thread. A desktop service answers in well under a
#: millisecond; one that hangs must not freeze the tray for the default 25 s.
TIMEOUT_MS = 500

BUS_SERVICE = "org.freedesktop.DBus"
BUS_PATH = "/org/freedesktop/DBus"


def call(
    bus: QDBusConnection,
    service: str,
    path: str,
    interface: str,
    method: str,
    *args: Any,
    timeout_ms: int = TIMEOUT_MS,
) -> list[Any] | None:
    """The reply's arguments, or ``None`` on any error (no bus, no service, timeout, refusal)."""
    if not bus.isConnected():
        return None
    message = QDBusMessage.createMethodCall(service, path, interface, method)
    if args:
        message.setArguments(list(args))
    reply = bus.call(message, QDBus.CallMode.Block, timeout_ms)
    if reply.type() != QDBusMessage.MessageType.ReplyMessage:
        log.debug("%s.%s failed: %s %s", interface, method, reply.errorName(), reply.errorMessage())
        return None
    return list(reply.arguments())


def has_owner(bus: QDBusConnection, name: str) -> bool:
    """Whether some program currently owns the well-known bus ``name``."""
    answer = call(bus, BUS_SERVICE, BUS_PATH, BUS_SERVICE, "NameHasOwner", name)
    return bool(answer and answer[0] is True)


def slot(signature: str) -> bytes:
    """A slot for ``QDBusConnection.connect``: PySide6's type stub asks for bytes, but the
    binding accepts only the str ``SLOT()`` makes."""
    return cast(bytes, SLOT(signature))
