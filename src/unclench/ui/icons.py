"""The app and tray icons: finds the SVG sources and turns them into Qt icons and Pillow images."""

from __future__ import annotations

import functools
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from unclench.core.resources import resource_path

if TYPE_CHECKING:  # Pillow is needed only by the pystray tray: loaded on first use
    from PIL import Image

#: The sizes desktops ask a tray for: 16/22/24 on Linux panels and Windows at 100 %,
#: 32/48/64 on scaled screens and in menus that show the icon larger.
TRAY_SIZES = (16, 22, 24, 32, 48, 64)
#: The app icon also shows in window title bars, task switchers and the About page.
APP_SIZES = (*TRAY_SIZES, 128, 256)


class TrayState(StrEnum):
    """What the tray icon tells at a glance; the value names the icon file."""

    NORMAL = "normal"
    DUE = "due"
    PAUSED = "paused"


def icon_path(name: str) -> Path:
    """The SVG source called ``name`` (without ``.svg``) in the shipped icons folder."""
    return resource_path("icons", f"{name}.svg")


def tray_icon_path(state: TrayState) -> Path:
    """The SVG source of the tray icon for ``state``."""
    return icon_path(f"tray-{state.value}")


@functools.lru_cache(maxsize=128)
def render(svg_path: Path, size: int, device_pixel_ratio: float = 1.0) -> QImage:
    """``svg_path`` drawn into a transparent square of ``size`` logical pixels.

    The image has ``size * device_pixel_ratio`` real pixels, so it stays sharp on scaled
    screens. Cached: the tray asks for the same few sizes every time its state changes.
    Callers must not paint on the result, since every caller shares it.
    """
    renderer = QSvgRenderer(str(svg_path))
    if not renderer.isValid():
        raise ValueError(f"{svg_path}: not a readable SVG file")
    return paint_svg(renderer, size, device_pixel_ratio)


def paint_svg(renderer: QSvgRenderer, size: int, device_pixel_ratio: float = 1.0) -> QImage:
    """What ``renderer`` holds, drawn into a new transparent square of ``size`` logical pixels."""
    pixels = round(size * device_pixel_ratio)
    # Zeroed bytes are transparent pixels. Not QImage.fill(): one of its overloads takes a
    # Qt.GlobalColor, and resolving the call makes PySide6 build all ~90 enums of the Qt
    # namespace (some 40 ms here), which the tray icon would otherwise wait for.
    image = QImage(
        bytes(pixels * pixels * 4), pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied
    ).copy()  # a copy owns its pixels; the first image only borrows the bytes object
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
    finally:
        painter.end()
    image.setDevicePixelRatio(device_pixel_ratio)
    return image


def _icon(svg_path: Path, sizes: tuple[int, ...]) -> QIcon:
    # Ready-made pixmaps at each size (and @2x) rather than one large one: Qt would
    # otherwise shrink a 64 px bitmap to 16 px and blur the hand's fingers together.
    icon = QIcon()
    for size in sizes:
        for ratio in (1.0, 2.0):
            icon.addPixmap(QPixmap.fromImage(render(svg_path, size, ratio)))
    return icon


def tray_icon(state: TrayState) -> QIcon:
    """The Qt tray icon for ``state``, at every size a panel may ask for."""
    return _icon(tray_icon_path(state), TRAY_SIZES)


def app_icon() -> QIcon:
    """The application's own icon, for windows and the task switcher."""
    return _icon(icon_path("unclench"), APP_SIZES)


def tray_image_for_pystray(state: TrayState, size: int = 64) -> Image.Image:
    """The tray icon for ``state`` as a Pillow RGBA image, the form pystray takes."""
    # Qt keeps pixels as premultiplied 32-bit words, whose byte order depends on the
    # machine; RGBA8888 is straight (not premultiplied) R, G, B, A bytes everywhere.
    from PIL import Image  # noqa: PLC0415 - see the import at the top

    image = render(tray_icon_path(state), size).convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytes(image.constBits())
    return Image.frombuffer(
        "RGBA", (image.width(), image.height()), data, "raw", "RGBA", image.bytesPerLine(), 1
    )
