"""Each window speaks each shipped language: titles, buttons, menu items, mirrored for Arabic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from unclench.core import i18n
from unclench.core.catalogue import load_catalogue
from unclench.core.catalogue_language import in_language
from unclench.core.settings import Settings
from unclench.ui.about_window import AboutWindow
from unclench.ui.history_window import HistoryWindow
from unclench.ui.language import QtLanguage
from unclench.ui.settings_window import SettingsWindow
from unclench.ui.tray import TrayCommands, TrayMenu

TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.SOURCE_LANGUAGE]


@pytest.fixture
def speaking(qapp: QApplication) -> Iterator[QtLanguage]:
    language = QtLanguage(qapp)
    yield language
    i18n.set_language(i18n.SOURCE_LANGUAGE)
    language.apply(i18n.SOURCE_LANGUAGE)


def _texts(qtbot: QtBot) -> dict[str, object]:
    catalogue = in_language(load_catalogue(), i18n.current_language())
    settings = SettingsWindow(Settings(), catalogue)
    about = AboutWindow("x11", counting_wall_time=False)
    history = HistoryWindow(None, catalogue)
    menu = TrayMenu(TrayCommands())
    for window in (settings, about, history, menu):
        qtbot.addWidget(window)
    return {
        "settings": settings.windowTitle(),
        "about": about.windowTitle(),
        "history": history.windowTitle(),
        "menu": [a.text() for a in menu.actions() if a.text()],
        "buttons": sorted(b.text() for b in history.findChildren(QPushButton)),
    }


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_window_and_the_tray_menu_speak_the_language(
    qtbot: QtBot, speaking: QtLanguage, code: str
) -> None:
    english = _texts(qtbot)
    speaking.apply(i18n.set_language(code))
    theirs = _texts(qtbot)
    for key, value in english.items():
        assert theirs[key] != value, (code, key, value)
    menu = theirs["menu"]
    assert isinstance(menu, list)
    assert all(text not in english["menu"] for text in menu), (code, menu)  # type: ignore[operator]
    rtl = Qt.LayoutDirection.RightToLeft
    assert (QApplication.layoutDirection() == rtl) == i18n.is_right_to_left(code)
