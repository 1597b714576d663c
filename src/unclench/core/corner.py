"""Where a window of a given size sits in a corner of an area, shared by Qt and the
compositors that place the break window themselves (sway)."""

from __future__ import annotations

from typing import NamedTuple

#: Space between the window and the edges of the screen's free area, in logical pixels.
SCREEN_MARGIN = 16


class Rect(NamedTuple):
    x: int
    y: int
    width: int
    height: int


def corner_origin(corner: str, area: Rect, width: int, height: int) -> tuple[int, int]:
    """The top-left point that puts a ``width`` by ``height`` window in ``corner`` of ``area``
    (``"top-left"``, ``"bottom-right"``...), ``SCREEN_MARGIN`` from both edges."""
    left = area.x + SCREEN_MARGIN
    right = area.x + area.width - SCREEN_MARGIN - width
    top = area.y + SCREEN_MARGIN
    bottom = area.y + area.height - SCREEN_MARGIN - height
    return (left if corner.endswith("left") else right, top if corner.startswith("top") else bottom)
