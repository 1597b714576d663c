"""Render every icon at every size on a light and a dark strip into one PNG, to look at them.

    QT_QPA_PLATFORM=offscreen uv run python scripts/render-icon-sheet.py [OUT.png]

The default output is shots/icon-sheet.png. The last column of each strip repeats the 16 px
rendering enlarged four times without smoothing, so single pixels can be judged.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

from unclench.ui.icons import TrayState, icon_path, render, tray_icon_path

SIZES = (16, 22, 24, 32, 48, 64, 128)
ZOOM = 4
#: Typical panel colours: a light GNOME/Windows panel and a dark one.
STRIPS = (("light", QColor("#f2f2f2")), ("dark", QColor("#1e1f22")))
PAD = 12
LABEL_WIDTH = 110
ROW_HEIGHT = max(*SIZES, 16 * ZOOM) + 2 * PAD


def _icons() -> list[tuple[str, Path]]:
    return [("app", icon_path("unclench"))] + [
        (f"tray {state.value}", tray_icon_path(state)) for state in TrayState
    ]


def render_sheet() -> QImage:
    """One image: a row per icon and strip, a column per size, then the enlarged 16 px."""
    icons = _icons()
    width = LABEL_WIDTH + sum(size + PAD for size in SIZES) + 16 * ZOOM + 2 * PAD
    height = ROW_HEIGHT * len(icons) * len(STRIPS)
    sheet = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    sheet.fill(QColor("#888888"))
    painter = QPainter(sheet)
    try:
        row = 0
        for strip_name, background in STRIPS:
            for name, path in icons:
                top = row * ROW_HEIGHT
                painter.fillRect(QRect(0, top, width, ROW_HEIGHT - 2), background)
                painter.setPen(QColor("black" if background.lightness() > 128 else "white"))
                painter.drawText(
                    QRect(PAD, top, LABEL_WIDTH, ROW_HEIGHT),
                    Qt.AlignmentFlag.AlignVCenter,
                    f"{name}\n({strip_name})",
                )
                left = LABEL_WIDTH
                for size in SIZES:
                    painter.drawImage(
                        QPoint(left, top + (ROW_HEIGHT - size) // 2), render(path, size)
                    )
                    left += size + PAD
                zoomed = render(path, 16).scaled(
                    16 * ZOOM, 16 * ZOOM, mode=Qt.TransformationMode.FastTransformation
                )
                painter.drawImage(QPoint(left + PAD, top + (ROW_HEIGHT - 16 * ZOOM) // 2), zoomed)
                row += 1
    finally:
        painter.end()
    return sheet


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("shots/icon-sheet.png")
    _app = QGuiApplication(argv[:1])
    out.parent.mkdir(parents=True, exist_ok=True)
    if not render_sheet().save(str(out)):
        print(f"could not write {out}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
