"""Light, dark or the system's choice, applied to the whole application.

Qt follows the desktop's color scheme where the platform theme reports one; a forced light
or dark choice is applied as an explicit palette, which works on every platform (including
desktops whose theme plugin ignores ``QStyleHints.setColorScheme``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}

# Calm, high-contrast pairs (text on window >= 7:1 in both), with the brand teal as accent.
_COLOURS: dict[str, dict[QPalette.ColorRole, str]] = {
    "light": {
        QPalette.ColorRole.Window: "#f6f7f7",
        QPalette.ColorRole.WindowText: "#1d2326",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#eef1f1",
        QPalette.ColorRole.Text: "#1d2326",
        QPalette.ColorRole.Button: "#e9eded",
        QPalette.ColorRole.ButtonText: "#1d2326",
        QPalette.ColorRole.Highlight: "#1f8a78",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1d2326",
        QPalette.ColorRole.PlaceholderText: "#5f6b70",
        QPalette.ColorRole.Link: "#16675a",
        QPalette.ColorRole.Mid: "#b9c2c4",
    },
    "dark": {
        QPalette.ColorRole.Window: "#1e2224",
        QPalette.ColorRole.WindowText: "#e8ecec",
        QPalette.ColorRole.Base: "#15191a",
        QPalette.ColorRole.AlternateBase: "#262b2d",
        QPalette.ColorRole.Text: "#e8ecec",
        QPalette.ColorRole.Button: "#2c3234",
        QPalette.ColorRole.ButtonText: "#e8ecec",
        QPalette.ColorRole.Highlight: "#36a690",
        QPalette.ColorRole.HighlightedText: "#0b1412",
        QPalette.ColorRole.ToolTipBase: "#2c3234",
        QPalette.ColorRole.ToolTipText: "#e8ecec",
        QPalette.ColorRole.PlaceholderText: "#9aa5a8",
        QPalette.ColorRole.Link: "#7fd6c4",
        QPalette.ColorRole.Mid: "#4a5356",
    },
}


def palette_for(theme: str) -> QPalette | None:
    """The explicit palette for ``light`` or ``dark``; None for ``system``."""
    colours = _COLOURS.get(theme)
    if colours is None:
        return None
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    disabled = QColor(colours[QPalette.ColorRole.PlaceholderText])
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def apply_theme(theme: str) -> None:
    """``system`` follows the desktop; ``light``/``dark`` force one."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    hints = QGuiApplication.styleHints()
    scheme = _SCHEMES.get(theme)
    if scheme is None:
        hints.unsetColorScheme()
        app.setPalette(app.style().standardPalette())
        return
    hints.setColorScheme(scheme)
    palette = palette_for(theme)
    assert palette is not None
    app.setPalette(palette)


def is_dark(palette: QPalette) -> bool:
    """Whether the palette in force is dark (for the few colors we draw ourselves)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128
