"""The Linux session watcher hears lock and suspend signals from a fake desktop on a private bus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from unclench.platform.session_linux import LinuxSessionWatcher

if TYPE_CHECKING:  # fixtures' types; conftest is not importable at run time
    from unit.platform.conftest import FakeDesktop, PrivateBus

pytestmark = pytest.mark.gui  # QtDBus needs the application object

SESSION_PATH = "/org/freedesktop/login1/session/_31"
LOGIND = "org.freedesktop.login1:/org/freedesktop/login1:org.freedesktop.login1"
FDO_SAVER = "org.freedesktop.ScreenSaver:{path}:org.freedesktop.ScreenSaver.ActiveChanged=emit"
GNOME_SAVER = (
    "org.gnome.ScreenSaver:/org/gnome/ScreenSaver:org.gnome.ScreenSaver.ActiveChanged=emit"
)


def poke(
    bus: QDBusConnection, service: str, path: str, interface: str, name: str, *args: object
) -> None:
    """Ask the fake desktop to emit ``name`` as the owner of ``service``."""
    message = QDBusMessage.createMethodCall(service, path, interface, name)
    message.setArguments(list(args))
    reply = bus.call(message, QDBus.CallMode.Block, 2000)
    assert reply.type() == QDBusMessage.MessageType.ReplyMessage, reply.errorMessage()


@pytest.fixture
def watcher(qapp: QApplication, private_bus: PrivateBus) -> Iterator[LinuxSessionWatcher]:
    bus = private_bus.connect()
    watcher = LinuxSessionWatcher(
        None, session_bus=bus, system_bus=bus, env={"XDG_SESSION_ID": "31"}
    )
    yield watcher
    watcher.deleteLater()


def test_screen_saver_active_changed_reports_lock_and_unlock(
    qtbot: QtBot, watcher: LinuxSessionWatcher, private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    fake_desktop(FDO_SAVER.format(path="/org/freedesktop/ScreenSaver"))
    assert watcher.start()
    control = private_bus.connect()
    saver = (
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        "org.freedesktop.ScreenSaver",
    )
    with qtbot.waitSignal(watcher.locked_changed, timeout=3000) as locked:
        poke(control, *saver, "ActiveChanged", True)
    assert locked.args == [True]
    with qtbot.waitSignal(watcher.locked_changed, timeout=3000) as unlocked:
        poke(control, *saver, "ActiveChanged", False)
    assert unlocked.args == [False]


def test_gnome_screen_saver_is_heard_too(
    qtbot: QtBot, watcher: LinuxSessionWatcher, private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    fake_desktop(GNOME_SAVER)
    assert watcher.start()
    with qtbot.waitSignal(watcher.locked_changed, timeout=3000) as locked:
        poke(
            private_bus.connect(),
            "org.gnome.ScreenSaver",
            "/org/gnome/ScreenSaver",
            "org.gnome.ScreenSaver",
            "ActiveChanged",
            True,
        )
    assert locked.args == [True]


def test_a_lock_reported_twice_is_signaled_once(
    qtbot: QtBot, watcher: LinuxSessionWatcher, private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    """KDE announces the change at two paths; the scheduler hears it once."""
    fake_desktop(
        FDO_SAVER.format(path="/org/freedesktop/ScreenSaver"), FDO_SAVER.format(path="/ScreenSaver")
    )
    assert watcher.start()
    seen: list[bool] = []
    watcher.locked_changed.connect(seen.append)
    control = private_bus.connect()
    with qtbot.waitSignal(watcher.locked_changed, timeout=3000):
        poke(
            control,
            "org.freedesktop.ScreenSaver",
            "/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            "ActiveChanged",
            True,
        )
    poke(
        control,
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        "org.freedesktop.ScreenSaver",
        "ActiveChanged",
        True,
    )
    qtbot.wait(100)
    assert seen == [True]


def test_logind_prepare_for_sleep_reports_sleep_and_resume(
    qtbot: QtBot, watcher: LinuxSessionWatcher, private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    fake_desktop(f"{LOGIND}.Manager.PrepareForSleep=emit")
    assert watcher.start()
    control = private_bus.connect()
    manager = (
        "org.freedesktop.login1",
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
    )
    with qtbot.waitSignal(watcher.sleep_changed, timeout=3000) as asleep:
        poke(control, *manager, "PrepareForSleep", True)
    assert asleep.args == [True]
    with qtbot.waitSignal(watcher.sleep_changed, timeout=3000) as awake:
        poke(control, *manager, "PrepareForSleep", False)
    assert awake.args == [False]


def test_logind_lock_requests_for_our_session_report_lock(
    qtbot: QtBot, watcher: LinuxSessionWatcher, private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    session = f"org.freedesktop.login1:{SESSION_PATH}:org.freedesktop.login1.Session"
    fake_desktop(
        f"{LOGIND}.Manager.GetSession={SESSION_PATH}",
        f"{session}.Lock=emit",
        f"{session}.Unlock=emit",
    )
    assert watcher.start()
    control = private_bus.connect()
    target = ("org.freedesktop.login1", SESSION_PATH, "org.freedesktop.login1.Session")
    with qtbot.waitSignal(watcher.locked_changed, timeout=3000) as locked:
        poke(control, *target, "Lock")
    assert locked.args == [True]
    with qtbot.waitSignal(watcher.locked_changed, timeout=3000) as unlocked:
        poke(control, *target, "Unlock")
    assert unlocked.args == [False]


def test_without_any_bus_start_says_unsupported(qapp: QApplication) -> None:
    nowhere = QDBusConnection.connectToBus("unix:path=/nonexistent/bus", "unclench-test-nowhere")
    try:
        watcher = LinuxSessionWatcher(None, session_bus=nowhere, system_bus=nowhere, env={})
        assert watcher.start() is False
    finally:
        QDBusConnection.disconnectFromBus("unclench-test-nowhere")
