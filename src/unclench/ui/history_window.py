"""The History window: the last 7, 30 or 90 days in two small charts and a few sentences.

It reads the history when it opens and when the period changes; exports write every break
(CSV, or JSON with the summary of the period shown); "Delete all history" asks first. The
window speaks of facts only: no streaks and no scores.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from unclench import APP_NAME
from unclench.core.atomic_file import write_atomic
from unclench.core.catalogue import Catalogue
from unclench.core.history import BreakRecord, History, HistoryError
from unclench.core.history_report import (
    DEFAULT_PERIOD,
    PERIODS,
    HistoryReport,
    build_report,
    history_document,
    records_to_csv,
    report_from_history,
)
from unclench.core.i18n import N_, _, ngettext
from unclench.core.local_zone import LOCAL
from unclench.core.locale_format import format_clock, format_day
from unclench.core.plurals import plural
from unclench.ui.charts import (
    DAILY_SERIES,
    TENSION_SERIES,
    AreaTensionChart,
    DailyBreaksChart,
    Legend,
)
from unclench.ui.kept_window import KeptWindow, resize_within_screen

log = logging.getLogger(__name__)

# Translators: the History window's title; {app} is the app's name
WINDOW_TITLE = N_("{app} History")
#: How each break ended, as the table says it (marked with N_: translate where shown).
OUTCOME_WORDS = {
    # Translators: how a break ended, in the History table: the break was taken
    "done": N_("Taken"),
    # Translators: how a break ended, in the History table
    "skipped": N_("Skipped"),
    # Translators: how a break ended, in the History table
    "snoozed": N_("Snoozed"),
    # Translators: how a break ended, in the History table: the person was away from the computer
    "missed": N_("Away"),
}
COLUMNS = (
    # Translators: a History table column: when the break started
    N_("When"),
    # Translators: a History table column: the body area of the break
    N_("Area"),
    # Translators: a History table column: the massage technique shown
    N_("Technique"),
    # Translators: a History table column: how the break ended (taken, snoozed...)
    N_("Outcome"),
    # Translators: a History table column: tension before and after ("4 → 2")
    N_("Tension"),
)
NONE = "\N{EN DASH}"  # an empty cell, told apart from a zero
# The period shown is drawn in the accent color: a checked button alone is too faint in
# some styles.
STYLE = """
QPushButton[period="true"] { padding: 4px 14px; }
QPushButton[period="true"]:checked {
    background: palette(highlight); color: palette(highlighted-text); font-weight: 600;
    border: 1px solid palette(highlight);
}
"""
PRIVACY_NOTE = N_("Your history stays on this computer. Nothing is ever sent anywhere.")

#: Asks the person a yes/no question: (parent, title, text) -> yes.
Confirm = Callable[[QWidget, str, str], bool]
#: Asks where to save: (parent, title, suggested file name, filter) -> path, or None.
ChooseFile = Callable[[QWidget, str, str, str], Path | None]


def confirm_with_dialog(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,  # the safe choice is the default
    )
    return answer == QMessageBox.StandardButton.Yes


def choose_file_with_dialog(parent: QWidget, title: str, name: str, filter_: str) -> Path | None:
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), filter_)
    return Path(chosen) if chosen else None


class HistoryWindow(KeptWindow):
    """Shows the history; see the module docstring. Esc or closing only hides it."""

    deleted = Signal()  # the history was emptied (the app then forgets its rotation)

    def __init__(
        self,
        history: History | None,
        catalogue: Catalogue,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(LOCAL),
        confirm: Confirm = confirm_with_dialog,
        choose_file: ChooseFile = choose_file_with_dialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_(WINDOW_TITLE).format(app=APP_NAME), parent)
        self.setStyleSheet(STYLE)
        self._history = history
        self._catalogue = catalogue
        self._now = now
        self._confirm = confirm
        self._choose_file = choose_file
        self.days = DEFAULT_PERIOD
        self.report: HistoryReport | None = None
        self._build()
        self.refresh()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        page = QWidget(scroll)
        scroll.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setSpacing(10)
        layout.addLayout(self._build_periods(page))

        self.summary = QLabel(page)
        self.summary.setObjectName("historySummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)

        self.daily_chart = DailyBreaksChart(page)
        layout.addLayout(_titled(_("Breaks per day"), Legend(DAILY_SERIES, page), page))
        layout.addWidget(self.daily_chart)
        self.area_chart = AreaTensionChart(page)
        layout.addLayout(
            _titled(_("Average tension by area (0 to 10)"), Legend(TENSION_SERIES, page), page)
        )
        layout.addWidget(self.area_chart)

        layout.addWidget(_heading(_("Breaks in this period"), page))
        self._build_table(page)
        layout.addWidget(self.table)

        privacy = QLabel(_(PRIVACY_NOTE), page)
        privacy.setWordWrap(True)
        privacy.setObjectName("privacyNote")
        layout.addWidget(privacy)

        self.status = QLabel(self)
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        outer.addWidget(self.status)

        outer.addLayout(self._build_buttons())
        # Room for the charts and a dozen rows of the table, within what the screen has.
        line = self.fontMetrics().height()
        resize_within_screen(self, line * 44, line * 58)

    def _build_periods(self, page: QWidget) -> QHBoxLayout:
        periods = QHBoxLayout()
        periods.setSpacing(0)
        self.period_group = QButtonGroup(self)
        self.period_buttons: dict[int, QPushButton] = {}
        for days in PERIODS:
            button = QPushButton(plural(days, "{n} day", "{n} days"), page)
            button.setCheckable(True)
            button.setProperty("period", True)
            button.setAccessibleName(
                ngettext("Show the last {n} day", "Show the last {n} days", days).format(n=days)
            )
            self.period_group.addButton(button, days)
            self.period_buttons[days] = button
            periods.addWidget(button)
        self.period_buttons[self.days].setChecked(True)
        self.period_group.idClicked.connect(self.set_period)
        periods.addStretch(1)
        return periods

    def _build_table(self, page: QWidget) -> None:
        self.table = QTableWidget(0, len(COLUMNS), page)
        self.table.setAccessibleName(_("Breaks in this period"))
        self.table.setHorizontalHeaderLabels([_(column) for column in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(self.fontMetrics().height() * 9)

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.csv_button = QPushButton(_("Export CSV…"), self)
        self.csv_button.setAccessibleName(_("Export all breaks as CSV"))
        self.csv_button.clicked.connect(self._export_csv_clicked)
        self.json_button = QPushButton(_("Export JSON…"), self)
        self.json_button.setAccessibleName(_("Export all breaks and this summary as JSON"))
        self.json_button.clicked.connect(self._export_json_clicked)
        self.delete_button = QPushButton(_("Delete all history…"), self)
        self.delete_button.clicked.connect(self.delete_all)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.json_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        return buttons

    # ------------------------------------------------------------------ content

    def set_catalogue(self, catalogue: Catalogue) -> None:
        """Techniques were added or changed: name them as they are now."""
        self._catalogue = catalogue
        self.refresh()

    def set_period(self, days: int) -> None:
        if days not in PERIODS:
            raise ValueError(f"the History window shows {PERIODS} days, not {days}")
        self.days = days
        self.period_buttons[days].setChecked(True)
        self.refresh()

    def refresh(self) -> None:
        """Read the history again and redraw everything."""
        now = self._now()
        records: list[BreakRecord] = []
        report = None
        if self._history is not None:
            try:
                report, records = report_from_history(
                    self._history, self._catalogue, now=now, days=self.days
                )
            except HistoryError as exc:
                self._tell(str(exc))
        # Nothing could be read: the same charts and words as for a period with no breaks.
        self.report = report or build_report([], now=now, days=self.days, area_name=str)
        if self._history is None:
            self.summary.setText(_("The history cannot be read right now, so nothing is shown."))
        else:
            self.summary.setText("\n".join(self.report.summary))
        self.daily_chart.set_days(self.report.per_day)
        self.area_chart.set_areas(self.report.per_area)
        self._fill_table(list(reversed(records)), now.tzinfo)
        has_any = bool(self._history is not None and self._history.count())
        for button in (self.csv_button, self.json_button, self.delete_button):
            button.setEnabled(has_any)

    def _fill_table(self, records: list[BreakRecord], zone: tzinfo | None) -> None:
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            technique = self._catalogue.get(record.technique_id) if record.technique_id else None
            tension = ""
            if record.tension_before is not None or record.tension_after is not None:
                before = NONE if record.tension_before is None else str(record.tension_before)
                after = NONE if record.tension_after is None else str(record.tension_after)
                tension = f"{before} → {after}"
            started = record.started_at.astimezone(zone)
            outcome = OUTCOME_WORDS.get(record.outcome.value)
            cells = (
                # Translators: when a break started, in the History table: "Fri 04 Dec, 03:03"
                _("{day}, {time}").format(
                    day=format_day(started, "weekday-day-month"), time=format_clock(started)
                ),
                self._catalogue.area_name(record.area) if record.area else NONE,
                technique.title if technique else (record.technique_id or NONE),
                _(outcome) if outcome else record.outcome.value,
                tension,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)

    # ------------------------------------------------------------------ exports

    def export_csv(self, path: Path) -> bool:
        """Every break, one row each. False (and a message) when it could not be written."""
        records = self._read(History.all)
        if records is None:
            return False
        return self._write(path, records_to_csv(records).encode())

    def export_json(self, path: Path) -> bool:
        """Every break, with the summary of the period shown."""
        records = self._read(History.all)
        if records is None or self.report is None:
            return False
        document = history_document(self.report, records)
        return self._write(path, (json.dumps(document, indent=2) + "\n").encode())

    def _export_csv_clicked(self) -> None:
        path = self._choose_file(
            self, _("Export history as CSV"), "unclench-history.csv", "CSV (*.csv)"
        )
        if path is not None:
            self.export_csv(path)

    def _export_json_clicked(self) -> None:
        path = self._choose_file(
            self, _("Export history as JSON"), "unclench-history.json", "JSON (*.json)"
        )
        if path is not None:
            self.export_json(path)

    def _write(self, path: Path, data: bytes) -> bool:
        try:
            write_atomic(path, data)
        except OSError as exc:
            self._tell(
                _("The export could not be saved to {path} ({error}).").format(
                    path=path, error=exc.strerror or exc
                )
            )
            return False
        self._tell(_("Saved to {path}.").format(path=path))
        return True

    # ------------------------------------------------------------------ deleting

    def delete_all(self) -> None:
        """Ask, then remove every break from the history."""
        if self._history is None:
            return
        count = self._history.count()
        question = ngettext(
            "Delete the whole history from this computer? That is {n} break, with any "
            "check-ins. This cannot be undone. Export first if you want a copy.",
            "Delete the whole history from this computer? That is {n} breaks, with any "
            "check-ins. This cannot be undone. Export first if you want a copy.",
            count,
        ).format(n=count)
        # Translators: the title of the question that asks before deleting the history
        if not self._confirm(self, _("Delete all history"), question):
            return
        try:
            removed = self._history.delete_all()
        except HistoryError as exc:
            self._tell(str(exc))
            return
        log.info("history deleted (%d breaks)", removed)
        self.refresh()
        self._tell(
            ngettext(
                "Deleted {n} break. The history starts afresh.",
                "Deleted {n} breaks. The history starts afresh.",
                removed,
            ).format(n=removed)
        )
        self.deleted.emit()

    # ------------------------------------------------------------------ helpers

    def _read(self, read: Callable[[History], list[BreakRecord]]) -> list[BreakRecord] | None:
        if self._history is None:
            return None
        try:
            return read(self._history)
        except (HistoryError, OSError) as exc:
            self._tell(_("The history could not be read ({error}).").format(error=exc))
            return None

    def _tell(self, message: str) -> None:
        self.status.setText(message)
        self.status.setVisible(True)


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _titled(text: str, legend: Legend, parent: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(_heading(text, parent))
    row.addStretch(1)
    row.addWidget(legend)
    return row
