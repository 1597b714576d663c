"""Render the icons and the area pictures into two contact sheets, to look at them.

    QT_QPA_PLATFORM=offscreen uv run python scripts/render-icon-sheet.py [OUT_DIR]

Writes, into OUT_DIR (default shots/):
- icon-sheet.png: every icon at every size on a light and a dark strip; the last column of
  each strip repeats the 16 px rendering enlarged four times without smoothing, so single
  pixels can be judged;
- illustrations.png: a row per area (then one per icon), and for each of the app's two window
  colours the picture at 24, 48 and 96 px, the sizes Settings and the break window use, in the
  palette that matches the ground, as the app draws them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

from unclench.core.areas import AREA_IDS
from unclench.ui.icons import TrayState, icon_path, render, tray_icon_path
from unclench.ui.illustrations import area_image

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


PICTURE_SIZES = (24, 48, 96)
#: The window colours of the app's own light and dark themes (ui/theme.py).
GROUNDS = (("light", QColor("#f6f7f7"), False), ("dark", QColor("#1e2224"), True))
PICTURE_ROW_HEIGHT = max(PICTURE_SIZES) + 2 * PAD
GROUND_WIDTH = sum(size + PAD for size in PICTURE_SIZES) + PAD


def _rows() -> list[tuple[str, object]]:
    areas: list[tuple[str, object]] = [(area, area) for area in AREA_IDS]
    icons: list[tuple[str, object]] = [("app icon", icon_path("unclench"))]
    icons += [(f"tray {state.value}", tray_icon_path(state)) for state in TrayState]
    return areas + icons


def _picture(subject: object, size: int, *, dark: bool) -> QImage:
    if isinstance(subject, Path):
        return render(subject, size)
    return area_image(str(subject), size, dark=dark)


def render_illustration_sheet() -> QImage:
    """One image: a row per picture; per ground a column per size."""
    rows = _rows()
    width = LABEL_WIDTH + GROUND_WIDTH * len(GROUNDS)
    sheet = QImage(width, PICTURE_ROW_HEIGHT * len(rows), QImage.Format.Format_ARGB32_Premultiplied)
    sheet.fill(QColor("#ffffff"))
    painter = QPainter(sheet)
    try:
        for row, (name, subject) in enumerate(rows):
            top = row * PICTURE_ROW_HEIGHT
            painter.setPen(QColor("#1d2326"))
            painter.drawText(
                QRect(PAD, top, LABEL_WIDTH - PAD, PICTURE_ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            left = LABEL_WIDTH
            for _ground_name, ground, dark in GROUNDS:
                painter.fillRect(QRect(left, top, GROUND_WIDTH, PICTURE_ROW_HEIGHT), ground)
                x = left + PAD
                for size in PICTURE_SIZES:
                    image = _picture(subject, size, dark=dark)
                    painter.drawImage(QPoint(x, top + (PICTURE_ROW_HEIGHT - size) // 2), image)
                    x += size + PAD
                left += GROUND_WIDTH
    finally:
        painter.end()
    return sheet


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("shots")
    _app = QGuiApplication(argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    for name, sheet in (
        ("icon-sheet.png", render_sheet()),
        ("illustrations.png", render_illustration_sheet()),
    ):
        if not sheet.save(str(out / name)):
            print(f"could not write {out / name}", file=sys.stderr)
            return 1
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
