"""The About window: what Unclench is, when to stop, where to find help, privacy and licenses."""

from __future__ import annotations

import re
from html import unescape

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from unclench import __version__
from unclench.ui.about_window import AboutWindow

pytestmark = [
    pytest.mark.gui,
    # Only the offscreen platform says this, on every show; Xvfb does not.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

#: What the bundles ship, as the licenses require us to say; written out to catch drift.
SHIPPED = [
    ("Qt / PySide6", "LGPL-3.0"),
    ("pystray", "LGPL-3.0"),
    ("python-xlib", "LGPL-2.1"),
    ("Pillow", "MIT-CMU (HPND)"),
    ("platformdirs", "MIT"),
    ("tomli-w", "MIT"),
    ("six", "MIT"),
    ("jeepney", "MIT"),
]


def make(qtbot: QtBot, idle_source: str = "x11", *, wall_time: bool = False) -> AboutWindow:
    window = AboutWindow(idle_source, wall_time)
    qtbot.addWidget(window)
    return window


def words(window: AboutWindow) -> str:
    """Every label's text as a reader sees it: tags dropped, entities decoded, spaces joined."""
    text = " ".join(label.text() for label in window.findChildren(QLabel))
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_it_names_the_app_and_its_version(qtbot: QtBot) -> None:
    window = make(qtbot)
    assert window.windowTitle() == "About Unclench"
    assert f"Unclench Version {__version__}" in words(window)


def test_it_says_what_it_is_and_what_it_is_not(qtbot: QtBot) -> None:
    text = words(make(qtbot))
    assert "helps you relax and take a break" in text
    assert "not a treatment" in text
    assert "medical advice" in text
    assert "treats" not in text


def test_it_says_when_to_stop_and_when_to_ask_a_doctor(qtbot: QtBot) -> None:
    text = words(make(qtbot))
    for sign in ("pain", "numbness", "tingling", "dizziness"):
        assert sign in text
    for reason in ("pregnant", "blood clot", "diabetes", "doctor"):
        assert reason in text


def test_it_says_where_to_find_help_in_a_crisis(qtbot: QtBot) -> None:
    window = make(qtbot)
    text = words(window)
    assert "local emergency number" in text
    assert "call or text 988" in text
    assert "Suicide & Crisis Lifeline" in text
    assert "findahelpline.com" in text
    linked = [label for label in window.findChildren(QLabel) if "<a href=" in label.text()]
    assert linked
    for label in linked:
        assert label.openExternalLinks()
        assert label.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    hrefs = " ".join(label.text() for label in linked)
    assert 'href="https://findahelpline.com"' in hrefs
    assert 'href="https://988lifeline.org"' in hrefs


def test_it_says_the_data_stays_here(qtbot: QtBot) -> None:
    text = words(make(qtbot))
    assert "stay on this device" in text
    assert "only your user account can read" in text
    assert "never sends them anywhere" in text
    assert "In History you can export them" in text


def test_it_names_the_idle_source_in_use(qtbot: QtBot) -> None:
    text = words(make(qtbot, "x11"))
    assert "Idle detection: x11." in text
    assert "clock time" not in text


def test_it_warns_when_counting_wall_time(qtbot: QtBot) -> None:
    text = words(make(qtbot, "none", wall_time=True))
    assert "Idle detection: none." in text
    assert "counts clock time" in text
    assert "a break may come while you're away" in text


def test_it_says_how_breaks_appear_on_this_desktop(qtbot: QtBot) -> None:
    note = "a desktop notification with Start, Snooze and Skip"
    window = AboutWindow("wayland-kde-idle", False, note)
    qtbot.addWidget(window)
    assert f"Breaks appear as {note}." in words(window)
    assert "Breaks appear" not in words(make(qtbot))


def test_an_idle_source_name_is_shown_as_text_not_markup(qtbot: QtBot) -> None:
    assert "Idle detection: <b>odd</b>." in words(make(qtbot, "<b>odd</b>"))


def test_the_license_list_opens_on_request_and_names_each_library(qtbot: QtBot) -> None:
    window = make(qtbot)
    window.show()
    qtbot.waitExposed(window)
    assert not window.licences.isVisible()
    QTest.mouseClick(window.licences_button, Qt.MouseButton.LeftButton)
    assert window.licences.isVisible()
    listing = words(window)
    assert "GPL-3.0-or-later" in listing
    for name, licence in SHIPPED:
        assert f"{name} {licence}" in listing
    QTest.mouseClick(window.licences_button, Qt.MouseButton.LeftButton)
    assert not window.licences.isVisible()


def test_text_can_be_selected_and_buttons_are_named(qtbot: QtBot) -> None:
    window = make(qtbot)
    for label in window.findChildren(QLabel):
        assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    buttons = window.findChildren(QAbstractButton)
    assert len(buttons) == 2
    for button in buttons:
        assert button.accessibleName().strip()


def test_closing_only_hides_it(qtbot: QtBot) -> None:
    window = make(qtbot)
    window.show()
    qtbot.waitExposed(window)
    close = next(b for b in window.findChildren(QAbstractButton) if b.text() == "Close")
    QTest.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    window.show()
    assert window.isVisible()
