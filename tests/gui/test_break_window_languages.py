"""Every technique in every language fits the break window, at large text, nothing cut off."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from unclench.core.break_content import compose
from unclench.core.catalogue import load_catalogue
from unclench.core.catalogue_language import in_language
from unclench.core.i18n import LANGUAGES
from unclench.core.settings import AboutMeSettings
from unclench.ui.break_window import BreakWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_technique_fits_with_large_text(qtbot: QtBot, code: str) -> None:
    """Regression (English first): at large text the last steps were cut off by a
    mis-measured list; every line of every label must get its full height."""
    catalogue = in_language(load_catalogue(), code)
    w = BreakWindow(reduced_motion=True)
    qtbot.addWidget(w)
    font = w.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    w.setFont(font)

    def every_line_fits() -> bool:
        labels = [label for label in w.findChildren(QLabel) if label.isVisible()]
        return all(label.height() >= label.heightForWidth(label.width()) for label in labels)

    for technique in catalogue:
        # Untailored: every caution shows, the longest a break can be.
        w.show_content(
            compose(catalogue, technique, AboutMeSettings()), breathing=True, snoozes_left=3
        )
        w.present()
        qtbot.waitUntil(every_line_fits, timeout=2000)
        assert w.screen().availableGeometry().contains(w.geometry()), (code, technique.id)
