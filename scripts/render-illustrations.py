"""Render every area illustration and the app's icons on light and dark grounds into one PNG.

    QT_QPA_PLATFORM=offscreen uv run python scripts/render-illustrations.py [OUT.png]

The default output is shots/illustrations.png: a row per area (then one per icon), and for
each of the two grounds the picture at 24, 48 and 96 px, the sizes Settings and the break
window use. Illustrations are drawn in the palette that matches the ground, as the app does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

from unclench.core.areas import AREA_IDS
from unclench.ui.icons import TrayState, icon_path, render, tray_icon_path
from unclench.ui.illustrations import area_image

SIZES = (24, 48, 96)
#: The window colours of the app's own light and dark themes (ui/theme.py).
GROUNDS = (("light", QColor("#f6f7f7"), False), ("dark", QColor("#1e2224"), True))
PAD = 14
LABEL_WIDTH = 130
ROW_HEIGHT = max(SIZES) + 2 * PAD
GROUND_WIDTH = sum(size + PAD for size in SIZES) + PAD


def _rows() -> list[tuple[str, object]]:
    areas: list[tuple[str, object]] = [(area, area) for area in AREA_IDS]
    icons: list[tuple[str, object]] = [("app icon", icon_path("unclench"))]
    icons += [(f"tray {state.value}", tray_icon_path(state)) for state in TrayState]
    return areas + icons


def _picture(subject: object, size: int, *, dark: bool) -> QImage:
    if isinstance(subject, Path):
        return render(subject, size)
    return area_image(str(subject), size, dark=dark)


def render_sheet() -> QImage:
    """One image: a row per picture; per ground a column per size."""
    rows = _rows()
    width = LABEL_WIDTH + GROUND_WIDTH * len(GROUNDS)
    sheet = QImage(width, ROW_HEIGHT * len(rows), QImage.Format.Format_ARGB32_Premultiplied)
    sheet.fill(QColor("#ffffff"))
    painter = QPainter(sheet)
    try:
        for row, (name, subject) in enumerate(rows):
            top = row * ROW_HEIGHT
            painter.setPen(QColor("#1d2326"))
            painter.drawText(
                QRect(PAD, top, LABEL_WIDTH - PAD, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter, name
            )
            left = LABEL_WIDTH
            for _ground_name, ground, dark in GROUNDS:
                painter.fillRect(QRect(left, top, GROUND_WIDTH, ROW_HEIGHT), ground)
                x = left + PAD
                for size in SIZES:
                    image = _picture(subject, size, dark=dark)
                    painter.drawImage(QPoint(x, top + (ROW_HEIGHT - size) // 2), image)
                    x += size + PAD
                left += GROUND_WIDTH
    finally:
        painter.end()
    return sheet


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("shots/illustrations.png")
    _app = QGuiApplication(argv[:1])
    out.parent.mkdir(parents=True, exist_ok=True)
    if not render_sheet().save(str(out)):
        print(f"could not write {out}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
