"""Without a tray the first start says that Unclench runs, how to reach it, how to get an icon."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from unclench.ui.no_tray_window import NoTrayWindow, tray_advice


def text_of(window: NoTrayWindow) -> str:
    return " ".join(label.text() for label in window.findChildren(QLabel))


def test_it_says_unclench_runs_and_names_the_commands(qtbot: QtBot) -> None:
    window = NoTrayWindow("GNOME")
    qtbot.addWidget(window)
    text = text_of(window)
    assert "Unclench is running" in window.windowTitle()
    assert "no icon to click" in text
    assert "applications menu: that opens Settings" in text
    for command in ("unclench status", "unclench settings", "unclench quit"):
        assert command in text


@pytest.mark.parametrize(
    ("desktop", "advice"),
    [
        ("ubuntu:GNOME", "gnome-shell-extension-appindicator"),
        ("KDE", "System Tray"),
        ("sway", "tray_output *"),
        ("Hyprland", "system tray"),
        ("", "system tray"),
    ],
)
def test_the_advice_on_a_tray_fits_the_desktop(desktop: str, advice: str) -> None:
    assert advice in tray_advice(desktop)


def test_open_settings_asks_for_settings_and_closes(qtbot: QtBot) -> None:
    window = NoTrayWindow("GNOME")
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.settings_requested):
        window.settings_button.click()
    assert not window.isVisible()
    assert window.close_button.isDefault()
