"""The shipped icons: they parse, draw, tell the tray states apart and show on any panel."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtSvg import QSvgRenderer

from unclench.ui.icons import (
    TRAY_SIZES,
    TrayState,
    app_icon,
    icon_path,
    render,
    tray_icon,
    tray_icon_path,
    tray_image_for_pystray,
)

# Drawing needs a Qt application; the pixmaps in a QIcon need a GUI one.
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("qapp")]

ALL_ICONS = [icon_path("unclench")] + [tray_icon_path(state) for state in TrayState]
#: A light panel (white) and a dark one (near-black, as GNOME's and Windows' dark themes).
PANELS = {"white": QColor("#ffffff"), "near-black": QColor("#1e1f22")}


def _lightness(color: QColor) -> float:
    """CIE L* scaled to 0..1: how light a color looks, unlike a plain RGB average."""
    r, g, b = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (color.redF(), color.greenF(), color.blueF())
    )
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return (116 * y ** (1 / 3) - 16) / 100 if y > 216 / 24389 else y * 24389 / 27 / 100


def _distance(first: QColor, second: QColor) -> float:
    """How far apart two pixels are: the largest difference in any channel, 0..1."""
    channels = (QColor.red, QColor.green, QColor.blue, QColor.alpha)
    return max(abs(channel(first) - channel(second)) for channel in channels) / 255


def _pixels(image: QImage) -> list[QColor]:
    return [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]


def _opaque(image: QImage) -> list[QColor]:
    return [color for color in _pixels(image) if color.alpha() >= 250]


@pytest.mark.parametrize("path", ALL_ICONS, ids=lambda path: path.stem)
def test_every_icon_is_a_valid_svg(path: Path) -> None:
    assert path.is_file()
    assert QSvgRenderer(str(path)).isValid()


@pytest.mark.parametrize("size", [16, 64])
@pytest.mark.parametrize("path", ALL_ICONS, ids=lambda path: path.stem)
def test_every_icon_draws_opaque_pixels_at_small_and_large_sizes(path: Path, size: int) -> None:
    image = render(path, size)
    assert (image.width(), image.height()) == (size, size)
    # The shapes fill most of the square; a broken file would draw nothing at all.
    assert len(_opaque(image)) > size * size // 3


@pytest.mark.parametrize("size", [16, 64])
@pytest.mark.parametrize(("first", "second"), list(combinations(TrayState, 2)))
def test_tray_states_look_different(first: TrayState, second: TrayState, size: int) -> None:
    a = _pixels(render(tray_icon_path(first), size))
    b = _pixels(render(tray_icon_path(second), size))
    differing = sum(1 for p, q in zip(a, b, strict=True) if _distance(p, q) > 0.15)
    # The smallest change, the amber dot, alters about a sixth of the square.
    assert differing > size * size // 10


@pytest.mark.parametrize("panel", PANELS)
@pytest.mark.parametrize("size", [16, 22, 64])
@pytest.mark.parametrize("state", TrayState)
def test_tray_icons_stand_out_from_light_and_dark_panels(
    state: TrayState, size: int, panel: str
) -> None:
    background = _lightness(PANELS[panel])
    opaque = _opaque(render(tray_icon_path(state), size))
    contrasting = sum(1 for color in opaque if abs(_lightness(color) - background) > 0.3)
    # About half is the most a light panel can show: there the white hand blends with the
    # panel and only the disc around it stands out, which is enough to see the outline.
    assert contrasting / len(opaque) > 0.4


@pytest.mark.parametrize("size", [16, 64])
@pytest.mark.parametrize("state", TrayState)
def test_pystray_image_is_rgba_with_the_same_pixels_as_qt(state: TrayState, size: int) -> None:
    pil_image = tray_image_for_pystray(state, size)
    assert pil_image.mode == "RGBA"
    assert pil_image.size == (size, size)
    qt_image = render(tray_icon_path(state), size)
    for y in range(size):
        for x in range(size):
            expected = qt_image.pixelColor(x, y)
            pixel = pil_image.getpixel((x, y))
            assert isinstance(pixel, tuple)
            r, g, b, a = pixel
            assert a == expected.alpha()
            if a:  # a fully transparent pixel has no color to compare
                # Un-premultiplying may round a faint edge pixel's color differently.
                tolerance = 1 if a >= 250 else 255 // a + 1
                assert abs(r - expected.red()) <= tolerance
                assert abs(g - expected.green()) <= tolerance
                assert abs(b - expected.blue()) <= tolerance


def test_render_reuses_the_cached_image() -> None:
    path = tray_icon_path(TrayState.NORMAL)
    assert render(path, 24) is render(path, 24)
    assert render(path, 24) is not render(path, 32)


def test_render_honors_the_device_pixel_ratio() -> None:
    image = render(icon_path("unclench"), 16, 2.0)
    assert (image.width(), image.height()) == (32, 32)
    assert image.devicePixelRatio() == 2.0


@pytest.mark.qt_log_ignore("Cannot read file")
def test_render_rejects_a_file_that_is_not_svg(tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("not svg at all")
    with pytest.raises(ValueError, match=r"broken\.svg"):
        render(broken, 16)


@pytest.mark.parametrize("state", TrayState)
def test_tray_icon_holds_every_panel_size(state: TrayState) -> None:
    sizes = tray_icon(state).availableSizes()
    for size in TRAY_SIZES:
        assert QSize(size, size) in sizes


def test_app_icon_is_not_empty() -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert QSize(256, 256) in icon.availableSizes()
