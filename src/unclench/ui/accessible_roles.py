"""What assistive technology is told beyond names: announcements, and the notification role.

Qt gives a top-level widget the plain "client" role (AT-SPI's "filler"), which tells a
screen-reader user nothing when a break appears. A window marked with
:func:`mark_as_notification` reports itself as a notification instead, and its arrival is
announced with :func:`announce`, which never moves the keyboard focus.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QWidget

_MARK = "unclenchNotification"


class _NotificationAccessible(QAccessibleWidget):
    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget, QAccessible.Role.Notification, "")

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.Notification


class _Factory:
    """Qt keeps only a raw pointer to an interface made in Python: hold each one here."""

    def __init__(self) -> None:
        self._made: dict[int, QAccessibleInterface] = {}
        self.installed = False

    def __call__(self, _classname: str, obj: QObject) -> QAccessibleInterface | None:
        if not isinstance(obj, QWidget) or not obj.property(_MARK):
            return None
        made = self._made.get(id(obj))
        if made is None:
            made = self._made[id(obj)] = _NotificationAccessible(obj)
            obj.destroyed.connect(lambda *_: self._made.pop(id(obj), None))
        return made


_FACTORY = _Factory()


def mark_as_notification(widget: QWidget) -> None:
    """Report ``widget`` (a top-level window) to assistive technology as a notification."""
    widget.setProperty(_MARK, True)
    if not _FACTORY.installed:
        # Asked only while assistive technology is listening; otherwise never called.
        QAccessible.installFactory(_FACTORY)
        _FACTORY.installed = True


def announce(widget: QWidget, text: str) -> None:
    """Tell a screen reader about text that appeared, without taking the focus."""
    if text:
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))
