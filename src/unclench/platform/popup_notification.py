"""A break offered as a desktop notification, where no window can appear without taking the
keyboard (see ``popup_mechanism``).

The notification (org.freedesktop.Notifications) names the technique and has Start, Snooze
and Skip. Nothing is focused until the person picks one; Start opens the break window, which
may then take the keyboard: the person asked for it.

It speaks D-Bus through jeepney on a connection of its own, not through QtDBus: ``Notify``
takes an unsigned 32-bit id, which PySide6 cannot send (a Python int goes out signed and the
server refuses the call). Nothing here waits: replies and signals are read when the Qt loop
says the socket has data. Should the server refuse the notification, the window shows
instead: a break that takes the keyboard is better than a break that never comes.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_method_call
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from PySide6.QtCore import QObject, QSocketNotifier

from unclench import APP_NAME, APP_REVERSE_ID
from unclench.core.i18n import _
from unclench.core.resources import resource_path

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
SERVER = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)
#: What each action's key means; "default" is a click on the notification itself.
ACTIONS = {"default": "start", "start": "start", "snooze": "snooze", "skip": "skip"}
#: NotificationClosed reason 2: the person dismissed it. Expiry (1) and a close we asked
#: for (3) are not answers.
DISMISSED = 2
#: How long start-up may wait to learn whether a notification server is there.
PROBE_TIMEOUT_S = 1.0

Answer = Callable[[str], None]


class NotificationOffer(QObject):
    """Offers one break at a time; ``answer`` gets ``"start"``, ``"snooze"`` or ``"skip"``,
    or ``"show"`` when the desktop would not show the notification."""

    def __init__(self, connection: DBusConnection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connection: DBusConnection | None = connection
        self._serials = itertools.count(1_000_000)  # apart from jeepney's own
        self._id: int | None = None
        self._answer: Answer | None = None
        self._pending: int | None = None  # the serial of the Notify under way
        for member in ("ActionInvoked", "NotificationClosed"):
            rule = MatchRule(type="signal", interface=SERVICE, path=PATH, member=member)
            self._send(message_bus.AddMatch(rule))
        self._notifier = QSocketNotifier(connection.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._readable)

    @property
    def name(self) -> str:
        return "notification"

    def offer(self, summary: str, body: str, can_snooze: bool, answer: Answer) -> None:
        """Shows (or replaces) the notification for a break."""
        self._answer = answer
        # Translators: a break notification's button that opens the break and starts its timer
        start = _("Start")
        actions = ["default", start, "start", start]
        if can_snooze:
            # Translators: a break notification's button that puts the break off
            actions += ["snooze", _("Snooze")]
        # Translators: a break notification's button that skips the break
        actions += ["skip", _("Skip")]
        hints = {
            "urgency": ("y", 1),
            "resident": ("b", True),
            "desktop-entry": ("s", APP_REVERSE_ID),
        }
        # The icon as a file: from a source checkout no icon theme knows our name.
        icon = resource_path("icons", "unclench.svg").as_uri()
        arguments = (APP_NAME, self._id or 0, icon, summary, body, actions, hints, 0)
        notify = new_method_call(SERVER, "Notify", "susssasa{sv}i", arguments)
        self._pending = self._send(notify)
        if self._pending is None:
            self._give("show")

    def withdraw(self) -> None:
        """The break ended some other way: take the notification down."""
        self._answer = None
        self._pending = None
        if self._id is not None:
            self._close(self._id)
            self._id = None

    def stop(self) -> None:
        """On quit: the notification goes with the app, and so does the connection."""
        self.withdraw()
        if self._connection is not None:
            self._notifier.setEnabled(False)
            with contextlib.suppress(OSError):
                self._connection.close()
            self._connection = None

    def _close(self, notification: int) -> None:
        self._send(new_method_call(SERVER, "CloseNotification", "u", (notification,)))

    def _send(self, message: Message) -> int | None:
        if self._connection is None:
            return None
        serial = next(self._serials)
        try:
            self._connection.send(message, serial=serial)
        except OSError as exc:
            self._lost(f"the session bus went away: {exc}")
            return None
        return serial

    # -- what comes back ----------------------------------------------------------------------

    def _readable(self) -> None:
        while self._connection is not None:
            try:
                message = self._connection.receive(timeout=0)
            except TimeoutError:
                return
            except (OSError, ValueError, KeyError) as exc:  # a lost bus, or bytes it cannot read
                self._lost(f"the session bus connection failed: {exc}")
                return
            self._handle(message)

    def _handle(self, message: Message) -> None:
        header = message.header
        kind = header.message_type
        if kind in (MessageType.method_return, MessageType.error):
            if header.fields.get(HeaderFields.reply_serial) != self._pending:
                return  # AddMatch's and CloseNotification's answers, or a replaced offer's
            self._pending = None
            self._notified(message)
        elif kind == MessageType.signal and header.fields.get(HeaderFields.interface) == SERVICE:
            member = header.fields.get(HeaderFields.member)
            if member == "ActionInvoked":
                self._on_action(message.body)
            elif member == "NotificationClosed":
                self._on_closed(message.body)

    def _notified(self, reply: Message) -> None:
        body = reply.body
        if reply.header.message_type == MessageType.error or not _is_id(body):
            log.warning("the desktop did not show the break notification: %s", body)
            self._give("show")
            return
        if self._answer is None:  # withdrawn while on its way
            self._close(body[0])
            return
        self._id = body[0]

    def _on_action(self, body: tuple[object, ...]) -> None:
        if len(body) == 2 and body[0] == self._id and body[1] in ACTIONS:
            self._give(ACTIONS[str(body[1])])

    def _on_closed(self, body: tuple[object, ...]) -> None:
        if len(body) != 2 or self._id is None or body[0] != self._id:
            return
        self._id = None
        if body[1] == DISMISSED:
            self._give("skip")

    def _give(self, what: str) -> None:
        answer, self._answer = self._answer, None
        if answer is not None:
            answer(what)

    def _lost(self, why: str) -> None:
        log.warning("break notifications: %s; breaks will show as windows", why)
        connection, self._connection = self._connection, None
        self._notifier.setEnabled(False)
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.close()
        self._give("show")


def _is_id(body: tuple[object, ...]) -> bool:
    return len(body) == 1 and isinstance(body[0], int) and not isinstance(body[0], bool)


def create(bus: str = "SESSION") -> NotificationOffer | None:
    """The offer, or ``None`` when the session bus has no notification server, running or
    to be started on demand (as GNOME's is). ``bus``: jeepney's name or an address."""
    try:
        connection = open_dbus_connection(bus)
    except (OSError, KeyError, ValueError) as exc:  # no bus, or none named in the environment
        log.warning("no session bus for break notifications: %s", exc)
        return None
    if not _server_there(connection):
        log.warning("no notification server: breaks will show as windows that may take focus")
        connection.close()
        return None
    return NotificationOffer(connection)


def _server_there(connection: DBusConnection) -> bool:
    try:
        owned = connection.send_and_get_reply(
            message_bus.NameHasOwner(SERVICE), timeout=PROBE_TIMEOUT_S
        )
        startable = connection.send_and_get_reply(
            message_bus.ListActivatableNames(), timeout=PROBE_TIMEOUT_S
        )
    except (OSError, TimeoutError) as exc:
        log.warning("the session bus did not answer: %s", exc)
        return False
    return bool(owned.body and owned.body[0]) or bool(
        startable.body and SERVICE in startable.body[0]
    )
