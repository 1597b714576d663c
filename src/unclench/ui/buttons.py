"""The break window's buttons: named for screen readers, and one drawn as the primary one."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

#: Palette roles keep the primary button readable in light, dark and high-contrast palettes.
PRIMARY_STYLE = """
QPushButton[primary="true"] {
    background: palette(highlight); color: palette(highlighted-text);
    border: none; border-radius: 4px; padding: 5px 14px; font-weight: 600;
}
QPushButton[primary="true"]:focus { border: 2px solid palette(text); padding: 3px 12px; }
"""


def named_button(text: str, name: str, parent: QWidget) -> QPushButton:
    """A button with an accessible name, which Enter in the window does not press."""
    button = QPushButton(parent)
    name_button(button, text, name)
    button.setAutoDefault(False)
    return button


def name_button(button: QPushButton, text: str, name: str) -> None:
    """Give ``button`` its words: what it shows and what a screen reader calls it."""
    button.setText(text)
    button.setAccessibleName(name)


def set_primary(button: QPushButton, primary: bool) -> None:
    """The one button that moves the break forward is drawn in the accent color."""
    button.setProperty("primary", primary)
    button.style().unpolish(button)
    button.style().polish(button)
