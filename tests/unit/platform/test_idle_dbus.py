"""The D-Bus idle sources, against a fake GNOME or KDE on a private bus."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QApplication

from unclench.platform import idle_dbus

if TYPE_CHECKING:  # fixtures' types; conftest is not importable at run time
    from unit.platform.conftest import FakeDesktop, PrivateBus

pytestmark = pytest.mark.gui  # QtDBus needs the application object

MUTTER = (
    "org.gnome.Mutter.IdleMonitor:/org/gnome/Mutter/IdleMonitor/Core"
    ":org.gnome.Mutter.IdleMonitor.GetIdletime"
)
SAVER = "org.freedesktop.ScreenSaver:{path}:org.freedesktop.ScreenSaver.GetSessionIdleTime"


def test_mutter_idle_time_is_read_in_milliseconds(
    private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    fake_desktop(f"{MUTTER}=4250")
    source = idle_dbus.create_mutter(private_bus.connect())
    assert source is not None
    assert source.name == "gnome-mutter"
    assert source.idle_seconds() == pytest.approx(4.25)


def test_no_mutter_on_the_bus_means_unsupported(private_bus: PrivateBus) -> None:
    assert idle_dbus.create_mutter(private_bus.connect()) is None


def test_screensaver_answers_seconds_where_kde_is_absent(
    private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    fake_desktop(SAVER.format(path="/org/freedesktop/ScreenSaver") + "=42")
    source = idle_dbus.create_screensaver(private_bus.connect())
    assert source is not None
    assert source.name == "freedesktop-screensaver"
    assert source.idle_seconds() == 42.0


def test_kde_screensaver_answers_milliseconds_at_its_short_path(
    private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    fake_desktop(SAVER.format(path="/ScreenSaver") + "=42000", "org.kde.screensaver")
    source = idle_dbus.create_screensaver(private_bus.connect())
    assert source is not None
    assert source.name == "kde-screensaver"
    assert source.idle_seconds() == pytest.approx(42.0)


def test_a_screensaver_that_refuses_the_call_is_unsupported(
    private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    """Plasma 6 on Wayland owns the name but answers NotSupported."""
    fake_desktop(SAVER.format(path="/ScreenSaver") + "=refuse", "org.kde.screensaver")
    assert idle_dbus.create_screensaver(private_bus.connect()) is None


def test_a_source_whose_service_leaves_answers_none(
    private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    desktop = fake_desktop(f"{MUTTER}=10")
    source = idle_dbus.create_mutter(private_bus.connect())
    assert source is not None
    desktop.terminate()
    desktop.wait(timeout=10)
    assert source.idle_seconds() is None


def test_no_bus_at_all_means_unsupported(qapp: QApplication) -> None:
    from PySide6.QtDBus import QDBusConnection

    bus = QDBusConnection.connectToBus("unix:path=/nonexistent/bus", "unclench-test-nobus")
    try:
        assert idle_dbus.create_mutter(bus) is None
        assert idle_dbus.create_screensaver(bus) is None
    finally:
        QDBusConnection.disconnectFromBus("unclench-test-nobus")
