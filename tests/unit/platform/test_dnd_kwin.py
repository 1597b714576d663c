"""KDE Plasma on Wayland: KWin's script reports full screen to us over D-Bus."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCall
from pytestqt.qtbot import QtBot

from unclench.platform import dnd_kwin

if TYPE_CHECKING:  # fixtures' types; conftest is not importable at run time
    from unit.platform.conftest import FakeDesktop, PrivateBus

pytestmark = pytest.mark.gui  # QtDBus needs the application object


def say(bus: QDBusConnection, service: str, member: str, *args: object) -> QDBusPendingCall:
    """Calls our callback object as KWin's ``callDBus`` would: without waiting (the callback
    answers on this same thread's loop)."""
    message = QDBusMessage.createMethodCall(
        service, dnd_kwin.OBJECT_PATH, dnd_kwin.INTERFACE, member
    )
    message.setArguments(list(args))
    return bus.asyncCall(message)


def test_the_scripts_calls_set_and_clear_the_reason(qtbot: QtBot, private_bus: PrivateBus) -> None:
    ours = private_bus.connect()
    check = dnd_kwin.KWinFullscreenDnd(ours)
    assert ours.registerVirtualObject(dnd_kwin.OBJECT_PATH, check._callback)
    kwin = private_bus.connect()
    assert check.reason() is None
    reply = say(kwin, ours.baseService(), "fullscreenChanged", True)
    qtbot.waitUntil(reply.isFinished)
    assert not reply.isError()
    assert check.reason() == "a full-screen window is in front"
    qtbot.waitUntil(say(kwin, ours.baseService(), "fullscreenChanged", False).isFinished)
    assert check.reason() is None


def test_other_calls_are_refused_and_change_nothing(qtbot: QtBot, private_bus: PrivateBus) -> None:
    ours = private_bus.connect()
    check = dnd_kwin.KWinFullscreenDnd(ours)
    assert ours.registerVirtualObject(dnd_kwin.OBJECT_PATH, check._callback)
    kwin = private_bus.connect()
    reply = say(kwin, ours.baseService(), "reboot")
    qtbot.waitUntil(reply.isFinished)
    assert reply.isError()
    qtbot.waitUntil(say(kwin, ours.baseService(), "fullscreenChanged", "yes", 1).isFinished)
    assert check.reason() is None


def test_without_kwin_there_is_no_check(private_bus: PrivateBus) -> None:
    assert dnd_kwin.create(private_bus.connect()) is None


def test_a_kwin_that_refuses_the_script_leaves_nothing_behind(
    private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    scripting = "org.kde.KWin:/Scripting:org.kde.kwin.Scripting"
    fake_desktop(f"{scripting}.loadScript=-1", f"{scripting}.unloadScript=0")
    bus = private_bus.connect()
    assert dnd_kwin.create(bus) is None
    assert bus.objectRegisteredAt(dnd_kwin.OBJECT_PATH) is None


def test_the_script_reports_through_both_kwin_apis() -> None:
    """KWin 5 names windows clients; KWin 6 windows: the script must work on both."""
    for name in ("activeWindow", "activeClient", "windowActivated", "clientActivated"):
        assert name in dnd_kwin.SCRIPT
    assert "callDBus" in dnd_kwin.SCRIPT
