"""Render the app icon's one source drawing to every file the platforms ask for.

    uv run python installer/icons.py OUT_DIR

``resources/icons/unclench.svg`` is drawn with Qt at each size (the same renderer the app
uses for its windows) into ``OUT_DIR``:

- ``hicolor/<N>x<N>/apps/unclench.png`` and ``hicolor/scalable/apps/unclench.svg``, the
  freedesktop icon theme layout that Linux packages install under ``/usr/share/icons``;
- ``unclench.ico`` for Windows (PNG images inside, which Windows Vista and later read);
- ``unclench.icns`` for macOS (PNG images under the type codes Apple defines for each size).

Nothing rendered is kept in the repository: whatever the SVG holds at build time is what
ships. Each size is drawn from the vector, never scaled down from a large bitmap.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QGuiApplication, QImage

from unclench.ui.icons import icon_path, render

#: Sizes of the freedesktop hicolor theme that desktops look up for an app icon.
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
#: The images a Windows .ico carries: small icons, the taskbar, Explorer's large views.
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
#: Apple's type codes for PNG data in an .icns file, and the pixel size of each.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),  # 512 pt @2x
    (b"ic11", 32),  # 16 pt @2x
    (b"ic12", 64),  # 32 pt @2x
    (b"ic13", 256),  # 128 pt @2x
    (b"ic14", 512),  # 256 pt @2x
)
NAME = "unclench"


def png_bytes(svg: Path, size: int) -> bytes:
    """``svg`` drawn at ``size`` pixels square, as PNG file bytes."""
    image: QImage = render(svg, size).convertToFormat(QImage.Format.Format_ARGB32)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format as str; its type stubs say bytes, which it then refuses.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise RuntimeError(f"could not encode {svg} at {size} px as PNG")
    return bytes(buffer.data().data())


def ico_bytes(images: Iterable[tuple[int, bytes]]) -> bytes:
    """An .ico file holding the given ``(size, png)`` images.

    The format: a 6-byte header, a 16-byte entry per image (a width or height of 256 is
    written as 0), then the images themselves.
    """
    entries = list(images)
    header = struct.pack("<HHH", 0, 1, len(entries))
    offset = len(header) + 16 * len(entries)
    table = b""
    data = b""
    for size, png in entries:
        side = 0 if size >= 256 else size
        table += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + table + data


def icns_bytes(images: Iterable[tuple[bytes, bytes]]) -> bytes:
    """An .icns file holding ``(type code, png)`` images: big-endian code + length chunks."""
    body = b"".join(code + struct.pack(">I", 8 + len(png)) + png for code, png in images)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render_all(svg: Path, out: Path) -> list[Path]:
    """Write every icon file into ``out``; returns what was written."""
    cache: dict[int, bytes] = {}

    def png(size: int) -> bytes:
        if size not in cache:
            cache[size] = png_bytes(svg, size)
        return cache[size]

    written: list[Path] = []
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png(size))
        written.append(target)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)
    ico = out / f"{NAME}.ico"
    ico.write_bytes(ico_bytes((size, png(size)) for size in ICO_SIZES))
    icns = out / f"{NAME}.icns"
    icns.write_bytes(icns_bytes((code, png(size)) for code, size in ICNS_TYPES))
    written += [ico, icns]
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write the icons into")
    args = parser.parse_args(argv)
    # Rendering needs a GUI application object, never a screen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    written = render_all(icon_path(NAME), args.out)
    print(f"{len(written)} icon files in {args.out}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
