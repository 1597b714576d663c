"""The icon files rendered from the one SVG: sizes, and containers Windows and macOS read."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from unclench.ui.icons import icon_path

from helpers.scripts import load_installer_script

icons = load_installer_script("icons")
pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("icons")
    icons.render_all(icon_path("unclench"), out)
    return out


def test_every_hicolor_size_is_drawn_at_its_size(qtbot: QtBot, rendered: Path) -> None:
    for size in icons.HICOLOR_SIZES:
        image = QImage(str(rendered / "hicolor" / f"{size}x{size}" / "apps" / "unclench.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
    assert (rendered / "hicolor/scalable/apps/unclench.svg").read_bytes() == (
        icon_path("unclench").read_bytes()
    )


def test_the_ico_lists_each_size_and_points_at_a_png(qtbot: QtBot, rendered: Path) -> None:
    data = (rendered / "unclench.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(icons.ICO_SIZES))
    for index, size in enumerate(icons.ICO_SIZES):
        width, height, _, _, _, _, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert width == height == (0 if size == 256 else size)
        png = data[offset : offset + length]
        assert png.startswith(b"\x89PNG")
        assert QImage.fromData(png).width() == size


def test_the_icns_holds_each_apple_type_with_its_png(qtbot: QtBot, rendered: Path) -> None:
    data = (rendered / "unclench.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    found = {}
    offset = 8
    while offset < len(data):
        code = data[offset : offset + 4]
        length = struct.unpack_from(">I", data, offset + 4)[0]
        found[code] = QImage.fromData(data[offset + 8 : offset + length]).width()
        offset += length
    assert found == dict(icons.ICNS_TYPES)
