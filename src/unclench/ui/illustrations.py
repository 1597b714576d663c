"""The area illustrations: finds each area's SVG, recolors it for a light or dark palette.

The drawings are saved in the light palette below, so they look right in any SVG viewer.
For a dark palette every light color is swapped for its dark partner before Qt reads the
file: the outlines turn light and the fills deeper, and the pictures stay readable on a
dark window instead of showing dark lines on a dark ground.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QWidget

from unclench.core.resources import resource_path
from unclench.ui.icons import paint_svg
from unclench.ui.theme import is_dark

log = logging.getLogger(__name__)


class Tone(NamedTuple):
    """One color of the drawings: as saved (for light palettes) and its dark partner."""

    light: str
    dark: str


#: The only colors the drawings use; tests hold every file to this list.
INK = Tone("#2e4a45", "#e6efed")  # outlines and small features
SKIN = Tone("#f6e1cf", "#6a5549")  # the body part being eased
HAND = Tone("#bfe4da", "#2c6a5f")  # the hands doing the work, tinted with the app's teal
HAIR = Tone("#8a6d5c", "#2b2421")  # hair
CLOTH = Tone("#d5dde0", "#3c474b")  # sleeves, the seat, the floor, the ball
ACCENT = Tone("#e2713a", "#f4a068")  # the spot being pressed and the way the hands move
TONES: tuple[Tone, ...] = (INK, SKIN, HAND, HAIR, CLOTH, ACCENT)

#: Sizes for a QIcon: Settings lists areas at small-icon size, @1x and @2x.
ICON_SIZES = (16, 24, 32, 48)

_TO_DARK = {tone.light: tone.dark for tone in TONES}
_HEX_COLOUR = re.compile(rb"#[0-9a-fA-F]{6}\b")

#: What shows when an area's drawing is missing or broken: a plain skin disc with an accent
#: dot, so the layout keeps its shape and nothing looks like an error.
_FALLBACK_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96" width="96" height="96">'
    f'<circle cx="48" cy="48" r="30" fill="{SKIN.light}" stroke="{INK.light}" stroke-width="3"/>'
    f'<circle cx="48" cy="48" r="7" fill="{ACCENT.light}"/>'
    "</svg>"
).encode()


def illustration_path(area_id: str) -> Path:
    """Where the SVG drawing of ``area_id`` is shipped."""
    return resource_path("illustrations", f"{area_id}.svg")


def recolour(svg: bytes, *, dark: bool) -> bytes:
    """``svg`` with each color of the light palette swapped for its dark partner when ``dark``."""
    if not dark:
        return svg
    return _HEX_COLOUR.sub(
        lambda match: _TO_DARK.get(match.group().decode().lower(), match.group().decode()).encode(),
        svg,
    )


@functools.lru_cache(maxsize=32)
def _source(area_id: str) -> bytes:
    """The saved drawing of ``area_id``, or the fallback; cached, so a problem is logged once."""
    path = illustration_path(area_id)
    try:
        svg = path.read_bytes()
    except OSError as error:
        log.warning("No illustration for area %r: %s", area_id, error)
        return _FALLBACK_SVG
    if not QSvgRenderer(QByteArray(svg)).isValid():
        log.warning("The illustration for area %r is not a readable SVG file: %s", area_id, path)
        return _FALLBACK_SVG
    return svg


@functools.lru_cache(maxsize=256)
def area_image(area_id: str, size: int, *, dark: bool, device_pixel_ratio: float = 1.0) -> QImage:
    """The drawing of ``area_id`` in a transparent square of ``size`` logical pixels.

    Never raises for a missing or broken file: that area gets a plain placeholder instead.
    Cached, and shared by every caller: do not paint on the result.
    """
    renderer = QSvgRenderer(QByteArray(recolour(_source(area_id), dark=dark)))
    return paint_svg(renderer, size, device_pixel_ratio)


def area_pixmap(area_id: str, size: int, *, dark: bool, device_pixel_ratio: float = 1.0) -> QPixmap:
    """:func:`area_image` as a pixmap, for a QLabel beside a technique's steps."""
    return QPixmap.fromImage(
        area_image(area_id, size, dark=dark, device_pixel_ratio=device_pixel_ratio)
    )


def area_icon(area_id: str, *, dark: bool) -> QIcon:
    """The drawing of ``area_id`` as an icon, for example beside an area's checkbox."""
    # Ready-made pixmaps at each size (and @2x), as for the app icon: a shrunken large
    # bitmap would blur the fingers together at 16-24 px.
    icon = QIcon()
    for size in ICON_SIZES:
        for ratio in (1.0, 2.0):
            icon.addPixmap(area_pixmap(area_id, size, dark=dark, device_pixel_ratio=ratio))
    return icon


def area_pixmap_for(widget: QWidget, area_id: str, size: int) -> QPixmap:
    """The drawing of ``area_id`` for ``widget``: in its palette and at its screen's scale."""
    return area_pixmap(
        area_id,
        size,
        dark=is_dark(widget.palette()),
        device_pixel_ratio=widget.devicePixelRatioF(),
    )
