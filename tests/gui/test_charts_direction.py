"""The tension chart reads from the side a language starts: mirrored right to left."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from unclench.core.history_report import AreaSummary
from unclench.core.relief import AreaRelief
from unclench.ui.charts import AreaTensionChart, series_colour

HANDS = AreaSummary("hands", "Hands", 4, AreaRelief("hands", 4, 9.0, 9.0))


def _bar_columns(qtbot: QtBot, direction: Qt.LayoutDirection) -> list[int]:
    """The x of every pixel of the "after" bar's colour (the second bar of the row)."""
    chart = AreaTensionChart()
    qtbot.addWidget(chart)
    chart.setLayoutDirection(direction)
    chart.set_areas([HANDS])
    chart.resize(400, chart.sizeHint().height())
    image = chart.grab().toImage()
    colour = series_colour("after", chart.palette())
    line = chart.fontMetrics().height()
    y = 2 + line + 2 + line // 2  # the middle of the second bar
    return [x for x in range(image.width()) if _near(QColor(image.pixel(x, y)), colour)]


def _near(a: QColor, b: QColor) -> bool:
    """The same color, give or take a 16-bit display's rounding."""
    pairs = ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))
    return all(abs(x - y) <= 8 for x, y in pairs)


def test_bars_grow_from_the_left_and_right_to_left_from_the_right(qtbot: QtBot) -> None:
    ltr = _bar_columns(qtbot, Qt.LayoutDirection.LeftToRight)
    rtl = _bar_columns(qtbot, Qt.LayoutDirection.RightToLeft)
    assert ltr
    assert rtl
    assert min(ltr) < 200 < max(rtl)  # the names' column is on the left, then on the right
    assert max(ltr) < max(rtl)
    assert min(rtl) > min(ltr)
