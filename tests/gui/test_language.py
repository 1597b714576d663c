"""The language on the Qt side: Qt's words, number format and mirrored layouts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication

from unclench.ui.language import QtLanguage


@pytest.fixture
def qt_language(qapp: QApplication) -> Iterator[QtLanguage]:
    language = QtLanguage(qapp)
    yield language
    language.apply("en")


def test_arabic_mirrors_the_layout_and_english_brings_it_back(qt_language: QtLanguage) -> None:
    qt_language.apply("ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    qt_language.apply("en")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_qts_own_words_and_numbers_follow_the_language(qt_language: QtLanguage) -> None:
    qt_language.apply("de")
    assert qt_language.has_qt_words()
    # Qt's own "Cancel" (of its standard dialogs) is German now.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    assert QLocale().toString(4.5, "f", 1) == "4,5"
    qt_language.apply("en")
    assert not qt_language.has_qt_words()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
