"""The History window's two small charts, painted with QPainter (no chart library to load).

Colors come from the palette in force (the accent for breaks taken and for "after"), plus one
amber for snoozes chosen to read on light and dark backgrounds. Each chart also describes
itself in words for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from unclench.core.history_report import AreaSummary, DayCount
from unclench.core.i18n import N_, _, ngettext
from unclench.core.locale_format import format_day, format_decimal
from unclench.ui.theme import is_dark

SNOOZED_LIGHT, SNOOZED_DARK = "#c98a1b", "#e0a943"
TENSION_MAX = 10


@dataclass(frozen=True, slots=True)
class Series:
    """One colored part of a chart, with the words its legend uses."""

    key: str
    label: str  # marked with N_: translate where shown


DAILY_SERIES = (
    # Translators: a chart legend: breaks taken (done)
    Series("done", N_("Taken")),
    # Translators: a chart legend: breaks snoozed
    Series("snoozed", N_("Snoozed")),
    # Translators: a chart legend: breaks skipped
    Series("skipped", N_("Skipped")),
)
TENSION_SERIES = (
    # Translators: a chart legend: average tension before a break
    Series("before", N_("Before")),
    # Translators: a chart legend: average tension after a break
    Series("after", N_("After")),
)


def series_colour(key: str, palette: QPalette) -> QColor:
    """The color of a series in this palette; the legend and the bars share it."""
    if key in {"done", "after"}:
        return palette.color(QPalette.ColorRole.Highlight)
    if key == "snoozed":
        return QColor(SNOOZED_DARK if is_dark(palette) else SNOOZED_LIGHT)
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    muted.setAlphaF(0.55)
    return muted


class _Chart(QWidget):
    empty_text = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _paint_empty(self, painter: QPainter) -> None:
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRectF(self.rect()),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            _(self.empty_text),
        )


class DailyBreaksChart(_Chart):
    """Stacked bars, one per day: breaks taken, snoozed and skipped."""

    empty_text = N_("No breaks in this period.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Breaks per day"))
        self._days: tuple[DayCount, ...] = ()

    def set_days(self, days: Sequence[DayCount]) -> None:
        self._days = tuple(days)
        taken = sum(d.done for d in days)
        snoozed = sum(d.snoozed for d in days)
        skipped = sum(d.skipped for d in days)
        self.setAccessibleDescription(
            # Translators: the breaks chart told in words; {taken}, {snoozed}, {skipped} and
            # {peak} count breaks
            ngettext(
                "Over {n} day: {taken} taken, {snoozed} snoozed, {skipped} skipped. "
                "Most in one day: {peak}.",
                "Over {n} days: {taken} taken, {snoozed} snoozed, {skipped} skipped. "
                "Most in one day: {peak}.",
                len(days),
            ).format(n=len(days), taken=taken, snoozed=snoozed, skipped=skipped, peak=self.peak)
        )
        self.update()

    @property
    def days(self) -> tuple[DayCount, ...]:
        return self._days

    @property
    def peak(self) -> int:
        return max((d.done + d.snoozed + d.skipped for d in self._days), default=0)

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 30, line * 8)

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 12, line * 8)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002 - the whole widget is drawn
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.peak == 0:
            self._paint_empty(painter)
            return
        palette = self.palette()
        metrics = QFontMetrics(self.font())
        axis_w = metrics.horizontalAdvance(str(self.peak)) + 6
        label_h = metrics.height() + 2
        plot = QRectF(axis_w, 4, self.width() - axis_w - 2, self.height() - label_h - 6)
        text = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = palette.color(QPalette.ColorRole.Mid)
        painter.setPen(grid)
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.topLeft(), plot.topRight())
        painter.setPen(text)
        painter.drawText(
            QRectF(0, plot.top() - 2, axis_w - 4, label_h),
            Qt.AlignmentFlag.AlignRight,
            str(self.peak),
        )
        painter.drawText(
            QRectF(0, plot.bottom() - label_h + 2, axis_w - 4, label_h),
            Qt.AlignmentFlag.AlignRight,
            "0",
        )
        slot = plot.width() / len(self._days)
        bar_w = max(1.0, slot * (0.7 if slot > 6 else 0.85))
        scale = plot.height() / self.peak
        colours = {s.key: series_colour(s.key, palette) for s in DAILY_SERIES}
        painter.setPen(Qt.PenStyle.NoPen)
        for i, day in enumerate(self._days):
            x = plot.left() + i * slot + (slot - bar_w) / 2
            y = plot.bottom()
            for key, count in (
                ("done", day.done),
                ("snoozed", day.snoozed),
                ("skipped", day.skipped),
            ):
                if count:
                    height = count * scale
                    painter.fillRect(QRectF(x, y - height, bar_w, height), colours[key])
                    y -= height
        painter.setPen(text)
        every = _label_step(len(self._days), plot.width(), metrics.horizontalAdvance("00 Mmm") + 8)
        for i in range(len(self._days) - 1, -1, -every):  # the newest day always has its label
            date = self._days[i].day
            label = format_day(date, "weekday" if len(self._days) <= 7 else "day-month")
            centre = plot.left() + (i + 0.5) * slot
            width = metrics.horizontalAdvance(label) + 4
            left = min(max(centre - width / 2, plot.left()), plot.right() - width)
            painter.drawText(
                QRectF(left, plot.bottom() + 3, width, label_h), Qt.AlignmentFlag.AlignCenter, label
            )


class AreaTensionChart(_Chart):
    """Per area, the average tension before and after a break, as two bars on 0-10."""

    empty_text = N_("No check-ins in this period yet.")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Tension before and after, by area"))
        self._areas: tuple[AreaSummary, ...] = ()

    def set_areas(self, areas: Sequence[AreaSummary]) -> None:
        self._areas = tuple(a for a in areas if a.relief is not None)
        self.setAccessibleDescription(
            " ".join(
                # Translators: one area in the tension chart told in words; {before} and
                # {after} are average tensions on a 0 to 10 scale
                ngettext(
                    "{area}: {before} before, {after} after, over {n} check-in.",
                    "{area}: {before} before, {after} after, over {n} check-ins.",
                    a.relief.checkins,
                ).format(
                    area=a.name,
                    before=format_decimal(a.relief.mean_before, 1),
                    after=format_decimal(a.relief.mean_after, 1),
                    n=a.relief.checkins,
                )
                for a in self._areas
                if a.relief is not None
            )
            or _(self.empty_text)
        )
        self.updateGeometry()
        self.update()

    @property
    def areas(self) -> tuple[AreaSummary, ...]:
        return self._areas

    def _row_height(self) -> int:
        return self.fontMetrics().height() * 2 + 6

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        rows = max(1, len(self._areas))
        return QSize(line * 30, rows * self._row_height() + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().height() * 12, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002 - the whole widget is drawn
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._areas:
            self._paint_empty(painter)
            return
        palette = self.palette()
        metrics = QFontMetrics(self.font())
        name_w = max(metrics.horizontalAdvance(a.name) for a in self._areas) + 12
        value_w = metrics.horizontalAdvance("10.0") + 8
        change_w = metrics.horizontalAdvance("\N{MINUS SIGN}10.0") + 8
        bar_left = name_w
        bar_span = max(10.0, self.width() - name_w - value_w - change_w)
        line = metrics.height()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft

        def place(rect: QRectF) -> QRectF:
            """Right to left, the names stand on the right and the bars grow leftward."""
            if not rtl:
                return rect
            return QRectF(self.width() - rect.right(), rect.top(), rect.width(), rect.height())

        for row, area in enumerate(self._areas):
            relief = area.relief
            assert relief is not None  # kept only with check-ins
            top = row * self._row_height() + 2
            painter.setPen(text)
            painter.drawText(
                place(QRectF(0, top, name_w - 8, line * 2)),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                area.name,
            )
            for i, (key, value) in enumerate(
                (("before", relief.mean_before), ("after", relief.mean_after))
            ):
                y = top + i * (line + 2)
                width = bar_span * value / TENSION_MAX
                painter.fillRect(
                    place(QRectF(bar_left, y + 2, max(width, 1.0), line - 4)),
                    series_colour(key, palette),
                )
                painter.setPen(muted)
                painter.drawText(
                    place(QRectF(bar_left + width + 4, y, value_w, line)),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    _numeral(format_decimal(value, 1)),
                )
            change = relief.change
            painter.setPen(text if change < 0 else muted)
            sign = "\N{MINUS SIGN}" if change < 0 else "+" if change > 0 else ""
            painter.drawText(
                place(QRectF(self.width() - change_w, top, change_w, line * 2)),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                _numeral(f"{sign}{format_decimal(abs(change), 1)}"),
            )


def _numeral(text: str) -> str:
    """A number kept in one piece left to right, its sign before it, in any text direction."""
    return f"\N{LEFT-TO-RIGHT ISOLATE}{text}\N{POP DIRECTIONAL ISOLATE}"


def _label_step(count: int, width: float, label_width: float) -> int:
    """Label every n-th day so that labels never overlap."""
    fits = max(1, int(width // label_width))
    return max(1, -(-count // fits))


class Legend(QWidget):
    """A row of colored squares with the series' names, in the chart's colors."""

    def __init__(self, series: Sequence[Series], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series = tuple(series)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # Translators: a chart legend's name for screen readers; {items} lists its colors' names
        self.setAccessibleName(_("Legend: {items}").format(items=", ".join(self.labels)))

    @property
    def labels(self) -> tuple[str, ...]:
        """The series' names in the current language."""
        return tuple(_(s.label) for s in self._series)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        box = metrics.height() - 4
        width = sum(box + 4 + metrics.horizontalAdvance(label) + 12 for label in self.labels)
        return QSize(width, metrics.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002 - the whole widget is drawn
        painter = QPainter(self)
        metrics = self.fontMetrics()
        box = metrics.height() - 4
        x = 0.0
        for series, label in zip(self._series, self.labels, strict=True):
            painter.fillRect(QRectF(x, 2, box, box), series_colour(series.key, self.palette()))
            x += box + 4
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            width = metrics.horizontalAdvance(label)
            painter.drawText(
                QRectF(x, 0, width + 2, metrics.height()),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            x += width + 12
