"""The language on the Qt side: Qt's own words (its dialogs' buttons), the locale its widgets
format numbers with, and the direction windows are laid out in (mirrored for Arabic)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from unclench.core.i18n import SOURCE_LANGUAGE, is_right_to_left


class QtLanguage:
    """Keeps the one translator for Qt's own words, so a change of language replaces it."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None

    def apply(self, code: str) -> None:
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        if code != SOURCE_LANGUAGE:
            translator = QTranslator(self._app)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(f"qtbase_{code}", folder):
                self._app.installTranslator(translator)
                self._translator = translator
        QLocale.setDefault(QLocale(code))
        self._app.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if is_right_to_left(code)
            else Qt.LayoutDirection.LeftToRight
        )

    def has_qt_words(self) -> bool:
        """Whether Qt's own words are translated too (Qt ships most, not all, languages)."""
        return self._translator is not None
