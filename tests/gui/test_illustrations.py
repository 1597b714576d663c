"""The area pictures: one per area, drawn in the shared palette, recolored for dark themes."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from unclench.core.areas import AREA_IDS
from unclench.ui import illustrations
from unclench.ui.illustrations import (
    ICON_SIZES,
    INK,
    TONES,
    area_icon,
    area_image,
    area_pixmap,
    area_pixmap_for,
    illustration_path,
    recolour,
)
from unclench.ui.theme import palette_for

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("qapp")]

SIZES = [24, 96]


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Each test loads the files itself: a cached fallback must not leak into the next test."""
    illustrations._source.cache_clear()
    area_image.cache_clear()
    yield
    illustrations._source.cache_clear()
    area_image.cache_clear()


def _opaque_count(image: QImage) -> int:
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() >= 250
    )


def _count_of(image: QImage, colour: str) -> int:
    """How many fully opaque pixels are exactly ``colour``."""
    wanted = QColor(colour).rgb()
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() == 255 and image.pixelColor(x, y).rgb() == wanted
    )


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_every_area_has_a_valid_svg(area_id: str) -> None:
    path = illustration_path(area_id)
    assert path.is_file()
    assert QSvgRenderer(str(path)).isValid()


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_every_picture_keeps_to_the_shared_canvas_and_palette(area_id: str) -> None:
    text = illustration_path(area_id).read_text(encoding="utf-8")
    assert 'viewBox="0 0 96 96"' in text
    palette = {tone.light for tone in TONES}
    used = {colour.lower() for colour in re.findall(r"#[0-9a-fA-F]{6}\b", text)}
    assert used, "a picture with no colors of its own would not follow the theme"
    assert used <= palette, f"colors outside the palette: {sorted(used - palette)}"
    # Qt draws the SVG Tiny subset: no text (fonts differ), no gradients, filters or masks.
    for element in ("<text", "Gradient", "<filter", "<mask", "<image", "<style"):
        assert element not in text


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("area_id", AREA_IDS)
def test_every_picture_draws_at_settings_and_popup_sizes(
    area_id: str, size: int, dark: bool
) -> None:
    image = area_image(area_id, size, dark=dark)
    assert (image.width(), image.height()) == (size, size)
    # Each drawing covers a good part of its square; a broken one would draw nothing.
    assert _opaque_count(image) > size * size // 4


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_dark_pictures_swap_the_dark_outline_for_a_light_one(area_id: str) -> None:
    light = area_image(area_id, 96, dark=False)
    dark = area_image(area_id, 96, dark=True)
    assert _count_of(light, INK.light) > 200
    assert _count_of(dark, INK.light) == 0
    assert _count_of(dark, INK.dark) > 200


def test_recolour_swaps_only_palette_colors_and_only_for_dark() -> None:
    svg = f'<path fill="{INK.light.upper()}" stroke="#123456"/>'.encode()
    assert recolour(svg, dark=False) == svg
    assert recolour(svg, dark=True) == f'<path fill="{INK.dark}" stroke="#123456"/>'.encode()


def test_every_tone_has_a_distinct_dark_partner_with_the_opposite_lightness() -> None:
    assert len({tone.light for tone in TONES}) == len({tone.dark for tone in TONES}) == len(TONES)
    # The outline must flip from dark to light, or it vanishes on a dark window.
    assert QColor(INK.light).lightness() < 100
    assert QColor(INK.dark).lightness() > 180


def _point_at(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setattr(
        illustrations, "illustration_path", lambda area_id: folder / f"{area_id}.svg"
    )


def test_a_missing_picture_gives_the_placeholder_and_logs_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _point_at(monkeypatch, tmp_path)
    with caplog.at_level(logging.WARNING, logger=illustrations.__name__):
        small = area_image("hands", 24, dark=False)
        large = area_image("hands", 96, dark=True)
    assert _opaque_count(small) > 0
    assert _opaque_count(large) > 0
    assert [record.getMessage() for record in caplog.records] == [
        f"No illustration for area 'hands': {_not_found(tmp_path / 'hands.svg')}"
    ]


def _not_found(path: Path) -> str:
    try:
        path.read_bytes()
    except OSError as error:
        return str(error)
    raise AssertionError(f"{path} exists")


@pytest.mark.qt_log_ignore(".*")  # Qt's own complaint about the broken file is expected
def test_a_broken_picture_gives_the_same_placeholder_without_raising(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _point_at(monkeypatch, tmp_path)
    missing = area_image("feet", 48, dark=False)
    (tmp_path / "hands.svg").write_text("<svg><path d='M0 0 L")
    with caplog.at_level(logging.WARNING, logger=illustrations.__name__):
        broken = area_image("hands", 48, dark=False)
    assert broken == missing
    assert "not a readable SVG file" in caplog.text


def test_area_image_is_cached_and_honors_the_device_pixel_ratio() -> None:
    assert area_image("feet", 24, dark=False) is area_image("feet", 24, dark=False)
    image = area_image("feet", 24, dark=False, device_pixel_ratio=2.0)
    assert (image.width(), image.height()) == (48, 48)
    assert image.devicePixelRatio() == 2.0


def test_area_icon_holds_every_small_size() -> None:
    sizes = area_icon("calves", dark=True).availableSizes()
    for size in ICON_SIZES:
        assert QSize(size, size) in sizes


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_area_pixmap_for_follows_the_widget_palette(qtbot: QtBot, theme: str) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    palette = palette_for(theme)
    assert palette is not None
    widget.setPalette(palette)
    shown = area_pixmap_for(widget, "temples", 48).toImage()
    expected = area_pixmap("temples", 48, dark=theme == "dark").toImage()
    assert shown == expected
