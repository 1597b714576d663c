"""A break offered as a desktop notification, where no window can appear without taking the
keyboard (see ``popup_mechanism``).

The notification (org.freedesktop.Notifications) names the technique and has Start, Snooze
and Skip. Nothing is focused until the person picks one; Start opens the break window, which
may then take the keyboard: the person asked for it. Every call is asynchronous, so a slow
notification server never holds up the app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher, QDBusVariant

from unclench import APP_NAME, APP_REVERSE_ID
from unclench.platform import dbus_call

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
#: What each action's key means; "default" is a click on the notification itself.
ACTIONS = {"default": "start", "start": "start", "snooze": "snooze", "skip": "skip"}
#: NotificationClosed reason 2: the person dismissed it. Expiry (1) and a close we asked
#: for (3) are not answers.
DISMISSED = 2

Answer = Callable[[str], None]


class NotificationOffer(QObject):
    """Offers one break at a time; ``answer`` gets ``"start"``, ``"snooze"`` or ``"skip"``."""

    def __init__(self, bus: QDBusConnection | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = QDBusConnection.sessionBus() if bus is None else bus
        self._id: int | None = None
        self._answer: Answer | None = None
        self._pending: QDBusPendingCallWatcher | None = None
        # Slots that take the whole message accept any argument types: some servers send
        # the ids as signed integers.
        for signal, slot in (
            ("ActionInvoked", "_on_action(QDBusMessage)"),
            ("NotificationClosed", "_on_closed(QDBusMessage)"),
        ):
            self._bus.connect(SERVICE, PATH, SERVICE, signal, self, dbus_call.slot(slot))

    @property
    def name(self) -> str:
        return "notification"

    def offer(self, summary: str, body: str, can_snooze: bool, answer: Answer) -> None:
        """Shows (or replaces) the notification for a break."""
        self._answer = answer
        actions = ["default", "Start", "start", "Start"]
        if can_snooze:
            actions += ["snooze", "Snooze"]
        actions += ["skip", "Skip"]
        hints = {
            "urgency": QDBusVariant(1),
            "resident": QDBusVariant(True),
            "desktop-entry": QDBusVariant(APP_REVERSE_ID),
        }
        message = QDBusMessage.createMethodCall(SERVICE, PATH, SERVICE, "Notify")
        replaces = self._id or 0
        message.setArguments([APP_NAME, replaces, APP_REVERSE_ID, summary, body, actions, hints, 0])
        watcher = QDBusPendingCallWatcher(self._bus.asyncCall(message), self)
        watcher.finished.connect(self._notified)
        self._pending = watcher

    def withdraw(self) -> None:
        """The break ended some other way: take the notification down."""
        self._answer = None
        if self._id is not None:
            self._close(self._id)
            self._id = None

    def _close(self, notification: int) -> None:
        message = QDBusMessage.createMethodCall(SERVICE, PATH, SERVICE, "CloseNotification")
        message.setArguments([notification])
        self._bus.asyncCall(message)

    def _notified(self, watcher: QDBusPendingCallWatcher) -> None:
        reply = watcher.reply()
        watcher.deleteLater()
        current = self._pending is watcher
        if current:
            self._pending = None
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            log.warning("the desktop did not show the break notification: %s", reply.errorMessage())
            return
        notification = int(reply.arguments()[0])
        if not current or self._answer is None:  # replaced or withdrawn while on its way
            self._close(notification)
            return
        self._id = notification

    @Slot(QDBusMessage)
    def _on_action(self, message: QDBusMessage) -> None:
        notification, key = _pair(message)
        if notification == self._id and key in ACTIONS:
            self._give(ACTIONS[str(key)])

    @Slot(QDBusMessage)
    def _on_closed(self, message: QDBusMessage) -> None:
        notification, reason = _pair(message)
        if notification != self._id or self._id is None:
            return
        self._id = None
        if reason == DISMISSED:
            self._give("skip")

    def _give(self, what: str) -> None:
        answer, self._answer = self._answer, None
        if answer is not None:
            answer(what)


def _pair(message: QDBusMessage) -> tuple[object, object]:
    """A signal's two arguments, or ``(None, None)`` when it has other ones."""
    arguments = list(message.arguments())
    return (arguments[0], arguments[1]) if len(arguments) == 2 else (None, None)


def create(bus: QDBusConnection | None = None) -> NotificationOffer | None:
    """The offer, or ``None`` when no notification server is on the session bus."""
    bus = QDBusConnection.sessionBus() if bus is None else bus
    interface = bus.interface() if bus.isConnected() else None
    if interface is None or not interface.isServiceRegistered(SERVICE).value():
        log.warning("no notification server: breaks will show as windows that may take focus")
        return None
    return NotificationOffer(bus)
