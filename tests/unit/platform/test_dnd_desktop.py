"""The desktop's own do-not-disturb: KDE's notification server, GNOME's switch and its
session manager's idle inhibition, against a fake desktop on a private bus."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from unclench.platform import dnd_desktop

if TYPE_CHECKING:  # fixtures' types; conftest is not importable at run time
    from unit.platform.conftest import FakeDesktop, PrivateBus

pytestmark = pytest.mark.gui  # QtDBus needs the application object

GET = "org.freedesktop.DBus.Properties.Get"
NOTIFICATIONS = f"org.freedesktop.Notifications:/org/freedesktop/Notifications:{GET}"
SESSION = f"org.gnome.SessionManager:/org/gnome/SessionManager:{GET}"


@pytest.mark.parametrize(
    ("inhibited", "reason"), [("true", "do not disturb is on"), ("false", None)]
)
def test_kde_holds_breaks_while_its_notifications_are_inhibited(
    private_bus: PrivateBus, fake_desktop: FakeDesktop, inhibited: str, reason: str | None
) -> None:
    fake_desktop(f"{NOTIFICATIONS}={inhibited}")
    check = dnd_desktop.create_kde(private_bus.connect())
    assert check.reason() == reason


def test_a_missing_or_odd_server_holds_nothing(
    private_bus: PrivateBus, fake_desktop: FakeDesktop
) -> None:
    """At login Unclench may start before Plasma's or GNOME's services: no reason, no error."""
    kde = dnd_desktop.create_kde(private_bus.connect())
    gnome = dnd_desktop.create_gnome_session(private_bus.connect())
    assert (kde.reason(), gnome.reason()) == (None, None)
    fake_desktop(f"{NOTIFICATIONS}=refuse", f"{SESSION}=refuse")
    assert (kde.reason(), gnome.reason()) == (None, None)


@pytest.mark.parametrize(
    ("actions", "held"),
    [(8, True), (8 | 4, True), (4, False), (0, False)],  # 8: idle; 4: suspend (music)
)
def test_gnome_holds_breaks_while_an_app_keeps_the_desktop_awake(
    private_bus: PrivateBus, fake_desktop: FakeDesktop, actions: int, held: bool
) -> None:
    fake_desktop(f"{SESSION}={actions}")
    check = dnd_desktop.create_gnome_session(private_bus.connect())
    assert (check.reason() is not None) == held


def test_gnome_do_not_disturb_is_banners_off() -> None:
    banners = [True]
    check = dnd_desktop.create_gnome_banners(lambda: banners[0])
    assert check is not None
    assert check.reason() is None
    banners[0] = False
    assert check.reason() == "do not disturb is on"


def test_a_missing_gsettings_schema_is_unsupported_not_an_abort() -> None:
    """g_settings_new on a schema that is not installed would abort the process."""
    assert dnd_desktop.gsettings_boolean("org.example.unclench.nothing", "show") is None
    assert dnd_desktop.gsettings_boolean("org.gnome.desktop.notifications", "no-such") is None
