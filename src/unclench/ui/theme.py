"""Light, dark or the system's choice, applied to the whole application."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette

_SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def apply_theme(theme: str) -> None:
    """``system`` follows the desktop; ``light``/``dark`` force one (Fusion honours both)."""
    hints = QGuiApplication.styleHints()
    scheme = _SCHEMES.get(theme)
    if scheme is None:
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(scheme)


def is_dark(palette: QPalette) -> bool:
    """Whether the palette in force is dark (for the few colours we draw ourselves)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128
