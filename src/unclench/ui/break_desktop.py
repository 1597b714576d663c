"""Where the break window meets the desktop: what a compositor or a notification server adds
to Qt (``WindowPlacer``, ``BreakOffer``, implemented in ``platform``), and what Qt itself can
do here (fade, place in a corner)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication

from unclench.core.corner import Rect, corner_origin
from unclench.core.i18n import N_


class WindowPlacer(Protocol):
    """What the desktop adds to Qt's placing of the break window: on a Wayland compositor a
    window can neither place itself nor ask to stay unfocused, but some compositors take
    orders; on X11 the window manager takes hints."""

    @property
    def name(self) -> str: ...

    def place(self, window_id: int, corner: str, width: int, height: int) -> None:
        """The window (``winId``) is about to show, or has a new size: put it in ``corner``."""
        ...

    def hidden(self) -> None:
        """The window was hidden; the next ``place`` is for a new appearance."""
        ...


class BreakOffer(Protocol):
    """Offers a break without showing the window, where no window can appear unfocused (a
    desktop notification); the window opens only when the person answers Start."""

    @property
    def name(self) -> str: ...

    def offer(
        self, summary: str, body: str, can_snooze: bool, answer: Callable[[str], None]
    ) -> None:
        """``answer`` later gets ``"start"``, ``"snooze"`` or ``"skip"``, or ``"show"`` when
        the offer could not be made (the window then shows as it would elsewhere)."""
        ...

    def withdraw(self) -> None:
        """The break ended another way: take the offer down."""
        ...


#: The notification's title when a break is offered (translated where it is shown).
OFFER_SUMMARY = N_("Time for a short break")


def can_fade() -> bool:
    """Whether window opacity works here: Wayland has no such request (Qt warns each frame)."""
    return not QGuiApplication.platformName().startswith("wayland")


def corner_position(corner: str, available: QRect, width: int, height: int) -> QPoint:
    """Top-left point that puts a window of that size in a corner of the available area."""
    area = Rect(available.x(), available.y(), available.width(), available.height())
    return QPoint(*corner_origin(corner, area, width, height))
