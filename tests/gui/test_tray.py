"""The tray menu in both backends: items, states, and commands reaching Qt."""

from __future__ import annotations

import gettext
import types
from typing import Any

import pytest
from PySide6.QtWidgets import QMenu, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from unclench.core import i18n
from unclench.core.durations import TOMORROW, Duration
from unclench.ui.icons import TrayState
from unclench.ui.tray import TrayCommands, TrayMenu, TrayModel, choose_backend, snooze_label
from unclench.ui.tray_pystray import PystrayTray, _Worker, _x11_tray_host_present
from unclench.ui.tray_qt import QtTray

from helpers.languages import Bracketed
from helpers.menus import FULL_MENU

RUNNING = TrayModel(
    TrayState.NORMAL, "Unclench: Next break in 23 min", paused=False, can_snooze=True
)
PAUSED = TrayModel(TrayState.PAUSED, "Unclench: Paused until 15:30", paused=True, can_snooze=True)


@pytest.fixture
def commands(qtbot: QtBot) -> TrayCommands:
    return TrayCommands()


@pytest.fixture
def menu(qtbot: QtBot, commands: TrayCommands) -> TrayMenu:
    m = TrayMenu(commands)
    qtbot.addWidget(m)
    return m


def visible_texts(menu: TrayMenu) -> list[str]:
    return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def test_the_menu_lists_the_actions_in_order(menu: TrayMenu) -> None:
    menu.update_model(RUNNING)
    assert visible_texts(menu) == [
        "Take a break now",
        "Calming break now",
        "Snooze",
        "Pause",
        "Settings…",
        "History…",
        "About",
        "Quit",
    ]
    assert [a.text() for a in menu.snooze_menu.actions()] == [
        "5 minutes",
        "15 minutes",
        "30 minutes",
    ]
    assert [a.text() for a in menu.pause_menu.actions()] == [
        "30 minutes",
        "1 hour",
        "2 hours",
        "Until tomorrow",
    ]


def test_paused_shows_resume_instead_of_pause_and_no_snooze(menu: TrayMenu) -> None:
    menu.update_model(PAUSED)
    texts = visible_texts(menu)
    assert "Resume" in texts
    assert "Pause" not in texts
    assert not menu.snooze_menu.isEnabled()


def test_no_snoozes_left_disables_snooze(menu: TrayMenu) -> None:
    menu.update_model(TrayModel(TrayState.DUE, "", paused=False, can_snooze=False))
    assert not menu.snooze_menu.isEnabled()


@pytest.mark.parametrize(
    ("path", "signal", "args"),
    [
        (("Take a break now",), "break_now", []),
        (("Calming break now",), "calm", []),
        (("Snooze", "15 minutes"), "snooze", [Duration(900)]),
        (("Pause", "Until tomorrow"), "pause", [TOMORROW]),
        (("Pause", "30 minutes"), "pause", [Duration(1800)]),
        (("Settings…",), "settings", []),
        (("History…",), "history", []),
        (("About",), "about", []),
        (("Quit",), "quit", []),
    ],
)
def test_each_qt_menu_item_sends_its_command(
    qtbot: QtBot,
    menu: TrayMenu,
    commands: TrayCommands,
    path: tuple[str, ...],
    signal: str,
    args: list[Any],
) -> None:
    actions = menu.actions()
    action = next(a for a in actions if a.text() == path[0])
    if len(path) == 2:
        submenu = action.menu()
        assert isinstance(submenu, QMenu)
        action = next(a for a in submenu.actions() if a.text() == path[1])
    with qtbot.waitSignal(getattr(commands, signal)) as caught:
        action.trigger()
    assert caught.args == args


def fake_pystray(has_menu: bool) -> Any:
    """pystray's real Menu and MenuItem, with an Icon class that says whether menus work."""
    from pystray import _base  # the backend-independent part imports anywhere

    return types.SimpleNamespace(
        Menu=_base.Menu, MenuItem=_base.MenuItem, Icon=type("Icon", (), {"HAS_MENU": has_menu})
    )


def test_the_pystray_menu_mirrors_the_qt_one_and_reaches_qt_through_signals(
    qtbot: QtBot, menu: TrayMenu, commands: TrayCommands
) -> None:
    tray = PystrayTray(commands, menu)
    built = tray._build_menu(fake_pystray(has_menu=True))
    names = [i.text for i in built.items if i is not built.SEPARATOR]
    assert names == FULL_MENU
    by_name = {i.text: i for i in built.items}
    assert by_name["Pause"].visible
    assert not by_name["Resume"].visible
    tray.update(PAUSED)
    assert by_name["Resume"].visible
    assert not by_name["Pause"].visible
    with qtbot.waitSignal(commands.snooze) as caught:
        next(i for i in by_name["Snooze"].submenu.items if i.text == "30 minutes")(None)
    assert caught.args == [Duration(1800)]
    with qtbot.waitSignal(commands.quit):
        by_name["Quit"](None)


def test_without_a_native_menu_a_click_opens_our_qt_menu(
    qtbot: QtBot, menu: TrayMenu, commands: TrayCommands
) -> None:
    tray = PystrayTray(commands, menu)
    built = tray._build_menu(fake_pystray(has_menu=False))
    [item] = built.items
    assert item.default
    assert not item.visible
    item(None)
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    menu.hide()


def test_no_tray_host_means_no_backend_and_no_crash(
    qtbot: QtBot, menu: TrayMenu, commands: TrayCommands
) -> None:
    """The test display has no tray host: both backends decline instead of failing."""
    assert not _x11_tray_host_present()
    assert choose_backend("qt", commands, menu) is None
    assert choose_backend("pystray", commands, menu) is None


Reason = QSystemTrayIcon.ActivationReason


@pytest.mark.parametrize(
    ("status_notifier", "reason", "opens"),
    [
        (False, Reason.Trigger, True),  # an XEmbed tray: a left click opens our menu
        (False, Reason.DoubleClick, True),
        (False, Reason.Context, False),  # its right click opens the menu in Qt itself
        (True, Reason.Trigger, True),  # swaybar's left click (Activate)
        (True, Reason.Context, True),  # swaybar's right click (ContextMenu): it draws none
        (True, Reason.MiddleClick, False),
    ],
)
def test_which_clicks_open_our_menu(
    qtbot: QtBot,
    menu: TrayMenu,
    commands: TrayCommands,
    status_notifier: bool,
    reason: QSystemTrayIcon.ActivationReason,
    opens: bool,
) -> None:
    tray = QtTray(commands, menu)
    tray._status_notifier = status_notifier
    tray._activated(reason)
    assert menu.isVisible() == opens
    menu.hide()


def test_on_xwayland_a_left_click_from_the_panel_opens_settings(
    qtbot: QtBot, menu: TrayMenu, commands: TrayCommands
) -> None:
    """The pointer is on a Wayland panel, where XWayland cannot see it: a menu there would
    open anywhere, so a left click opens Settings, as KDE Plasma's own items do."""
    tray = QtTray(commands, menu, activate_opens_settings=True)
    tray._status_notifier = True
    with qtbot.waitSignal(commands.settings):
        tray._activated(Reason.Trigger)
    assert not menu.isVisible()


def test_a_one_minute_snooze_is_named_in_the_singular() -> None:
    assert snooze_label(Duration(60)) == "1 minute"
    assert snooze_label(Duration(900)) == "15 minutes"


def test_a_change_of_language_reaches_the_qt_menu(
    menu: TrayMenu, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The menu lives the whole session: retranslate() puts its words in the new language."""
    monkeypatch.setattr(i18n._Current, "translations", Bracketed())
    menu.retranslate()
    menu.update_model(RUNNING)
    assert visible_texts(menu) == [f"[{text}]" for text in FULL_MENU if text != "Resume"]
    assert menu.snooze_menu.title() == "[Snooze]"
    assert [a.text() for a in menu.snooze_menu.actions()] == [
        "[5 minutes]",
        "[15 minutes]",
        "[30 minutes]",
    ]
    assert [a.text() for a in menu.pause_menu.actions()][-1] == "[Until tomorrow]"
    with pytest.MonkeyPatch.context() as english:
        english.setattr(i18n._Current, "translations", gettext.NullTranslations())
        menu.retranslate()
        assert visible_texts(menu)[0] == "Take a break now"


def test_the_pystray_menu_is_rebuilt_in_the_new_language(
    menu: TrayMenu, commands: TrayCommands, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pystray reads its items' words once: retranslate() hands the icon a new menu."""
    applied: list[Any] = []

    class Icon:
        HAS_MENU = True
        menu: Any = None

        def __setattr__(self, name: str, value: Any) -> None:
            applied.append(value)
            object.__setattr__(self, name, value)

    fake = fake_pystray(has_menu=True)
    tray = PystrayTray(commands, menu)
    worker = _Worker("test-pystray-updates")
    tray._icon, tray._worker, tray._pystray = Icon(), worker, fake
    monkeypatch.setattr(i18n._Current, "translations", Bracketed())
    tray.retranslate()
    worker.close(timeout=2.0)  # its jobs done
    [built] = applied
    names = [i.text for i in built.items if i is not built.SEPARATOR]
    assert names == [f"[{text}]" for text in FULL_MENU]
    snooze = next(i for i in built.items if i.text == "[Snooze]")
    assert [i.text for i in snooze.submenu.items] == ["[5 minutes]", "[15 minutes]", "[30 minutes]"]
    assert menu.break_now.text() == "[Take a break now]"  # our Qt menu, on click
