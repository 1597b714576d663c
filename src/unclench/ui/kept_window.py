"""Windows a tray app keeps around (Settings, About, History), and their scrolling body."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QScrollArea,
    QStyle,
    QWidget,
)


class KeptWindow(QWidget):
    """A top-level window a tray app keeps around: closing it, or Esc, only hides it."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)  # its own window even when given a parent
        self.setWindowTitle(title)
        escape_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape_key.activated.connect(self.close)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Hidden, not closed: reopening is instant, nothing typed is lost, and the app does not
        # count it as its last window closing.
        event.ignore()
        self.hide()


def scroll_area(content: QWidget) -> QScrollArea:
    """A frameless area that scrolls ``content`` up and down, so large text never clips."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Only the controls inside are tab stops; the area still scrolls to whichever has the focus.
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(content)
    # The mouse wheel scrolls the window past a number or a list it happens to cross; it
    # changes one only when the person has clicked or tabbed into it.
    wheel = _WheelScrollsPast(scroll)
    for field in content.findChildren(QAbstractSpinBox) + content.findChildren(QComboBox):
        field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        field.installEventFilter(wheel)
    return scroll


class _WheelScrollsPast(QObject):
    def __init__(self, scroll: QScrollArea) -> None:
        super().__init__(scroll)
        self._scroll = scroll

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            QCoreApplication.sendEvent(self._scroll.verticalScrollBar(), event)
            return True
        return super().eventFilter(watched, event)


def fit_to_screen(window: QWidget, scroll: QScrollArea) -> None:
    """Size a scrolling window to its content, within what a small or highly scaled screen has."""
    content = scroll.widget()
    if content is None:
        return
    scrollbar = window.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    # Wrapped text asks for little width; about 75 characters a line reads comfortably.
    comfortable = window.fontMetrics().averageCharWidth() * 76
    width = max(content.sizeHint().width(), comfortable) + scrollbar
    # At that width wrapped text needs fewer lines than the narrow size hint assumes.
    height = content.heightForWidth(width - scrollbar)
    if height < 0:
        height = content.sizeHint().height()
    height += window.sizeHint().height() - scroll.sizeHint().height()  # what sits outside
    resize_within_screen(window, max(width, 320), max(height, 240))


def resize_within_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to this size, or to what the window's screen has room for when it is smaller."""
    screen = window.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() * 9 // 10)
        height = min(height, room.height() * 85 // 100)
    window.resize(width, height)
