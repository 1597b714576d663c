"""Where no window can appear unfocused, a break is offered as a desktop notification."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from pytestqt.qtbot import QtBot

from unclench.platform import popup_notification

if TYPE_CHECKING:  # fixtures' types; conftest is not importable at run time
    from unit.platform.conftest import FakeDesktop, PrivateBus

pytestmark = pytest.mark.gui  # QtDBus needs the application object

SERVER = (
    "org.freedesktop.Notifications:/org/freedesktop/Notifications:org.freedesktop.Notifications"
)
SPECS = (
    f"{SERVER}.Notify=7",
    f"{SERVER}.CloseNotification=0",
    f"{SERVER}.ActionInvoked=emit",
    f"{SERVER}.NotificationClosed=emit",
)


def next_call(server: subprocess.Popen[str], member: str) -> str:
    assert server.stdout is not None
    while True:
        line = server.stdout.readline()
        assert line, "the fake server ended"
        if line.startswith(f"call {member} "):
            return line


def make_server_say(bus: QDBusConnection, signal: str, *args: object) -> None:
    """Asks the fake to emit ``signal`` with ``args`` (as the real server would)."""
    message = QDBusMessage.createMethodCall(
        popup_notification.SERVICE, popup_notification.PATH, popup_notification.SERVICE, signal
    )
    message.setArguments(list(args))
    bus.call(message)


#: The offer under test, the fake server's process, and a connection to make it speak.
Parts = tuple[popup_notification.NotificationOffer, "subprocess.Popen[str]", QDBusConnection]


@pytest.fixture
def offer_and_server(private_bus: PrivateBus, fake_desktop: FakeDesktop) -> Iterator[Parts]:
    server = fake_desktop(*SPECS)
    offer = popup_notification.create(private_bus.address)
    assert offer is not None
    yield offer, server, private_bus.connect()
    offer.stop()


def offered(
    qtbot: QtBot,
    parts: Parts,
    can_snooze: bool = True,
) -> tuple[list[str], str]:
    offer, server, _ = parts
    answers: list[str] = []
    offer.offer("Time for a short break", "Temples: Palm press", can_snooze, answers.append)
    call = next_call(server, "Notify")
    qtbot.waitUntil(lambda: offer._id == 7)
    return answers, call


@pytest.mark.parametrize(
    ("key", "answer"), [("start", "start"), ("default", "start"), ("snooze", "snooze")]
)
def test_the_persons_choice_in_the_notification_reaches_the_break(
    qtbot: QtBot, offer_and_server: Parts, key: str, answer: str
) -> None:
    answers, call = offered(qtbot, offer_and_server)
    assert "'Time for a short break', 'Temples: Palm press'" in call
    assert re.search(r"'file:///\S+/unclench\.svg'", call)  # an icon every server can load
    assert "'start', 'Start', 'snooze', 'Snooze', 'skip', 'Skip'" in call
    make_server_say(offer_and_server[2], "ActionInvoked", 7, key)
    qtbot.waitUntil(lambda: answers == [answer])


def test_no_snooze_button_when_no_snoozes_are_left(qtbot: QtBot, offer_and_server: Parts) -> None:
    _, call = offered(qtbot, offer_and_server, can_snooze=False)
    assert "'snooze'" not in call
    assert "'skip', 'Skip'" in call


def test_dismissing_the_notification_skips_the_break_and_expiry_does_not(
    qtbot: QtBot, offer_and_server: Parts
) -> None:
    answers, _ = offered(qtbot, offer_and_server)
    make_server_say(offer_and_server[2], "NotificationClosed", 7, 1)  # expired
    make_server_say(offer_and_server[2], "ActionInvoked", 8, "skip")  # someone else's
    qtbot.wait(100)
    assert answers == []
    answers, _ = offered(qtbot, offer_and_server)
    make_server_say(offer_and_server[2], "NotificationClosed", 7, 2)  # dismissed
    qtbot.waitUntil(lambda: answers == ["skip"])


def test_a_break_that_ends_otherwise_takes_its_notification_down(
    qtbot: QtBot, offer_and_server: Parts
) -> None:
    offer, server, bus = offer_and_server
    answers, _ = offered(qtbot, offer_and_server)
    offer.withdraw()
    assert "[7]" in next_call(server, "CloseNotification")
    make_server_say(bus, "ActionInvoked", 7, "start")
    qtbot.wait(100)
    assert answers == []  # a late click on a withdrawn offer starts nothing


def test_garbage_signals_are_ignored(qtbot: QtBot, offer_and_server: Parts) -> None:
    answers, _ = offered(qtbot, offer_and_server)
    make_server_say(offer_and_server[2], "ActionInvoked", "seven")
    make_server_say(offer_and_server[2], "ActionInvoked", 7, "reboot")
    qtbot.wait(100)
    assert answers == []


def test_no_notification_server_means_no_offer(private_bus: PrivateBus) -> None:
    assert popup_notification.create(private_bus.address) is None
    assert popup_notification.create("unix:path=/nonexistent/bus") is None


def test_a_refused_notification_shows_the_window_instead(
    qtbot: QtBot, private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    """A break that takes the keyboard beats a break that never comes."""
    fake_desktop(f"{SERVER}.Notify=refuse")
    offer = popup_notification.create(private_bus.address)
    assert offer is not None
    answers: list[str] = []
    offer.offer("Time for a short break", "Temples: Palm press", True, answers.append)
    qtbot.waitUntil(lambda: answers == ["show"])
    offer.stop()


def test_garbage_from_the_bus_shows_the_window_and_is_never_fatal(
    qtbot: QtBot, offer_and_server: Parts, caplog: pytest.LogCaptureFixture
) -> None:
    offer = offer_and_server[0]
    answers: list[str] = []
    offer.offer("Time for a short break", "Temples: Palm press", True, answers.append)
    assert offer._connection is not None
    offer._connection.parser.add_data(b"X\x01\x00\x01" + bytes(12))  # no such byte order
    offer._readable()
    assert answers == ["show"]
    assert "the session bus connection failed" in caplog.text
