"""The History window: a plain list of recent breaks, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from unclench.core.catalogue import Catalogue
from unclench.core.history import BreakRecord

WINDOW_TITLE = "Unclench History"
OUTCOME_WORDS = {"done": "Done", "skipped": "Skipped", "snoozed": "Snoozed", "missed": "Away"}
COLUMNS = ("When", "Area", "Technique", "Outcome")


class HistoryWindow(QWidget):
    def __init__(
        self, records: Sequence[BreakRecord], catalogue: Catalogue, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Your recent breaks. This list stays on this computer."
            if records
            else "No breaks yet. When you take, snooze or skip one, it shows up here."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(records), len(COLUMNS), self)
        self.table.setAccessibleName("Recent breaks")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, record in enumerate(records):
            technique = catalogue.get(record.technique_id) if record.technique_id else None
            area = catalogue.area(record.area) if record.area else None
            cells = (
                record.started_at.astimezone().strftime("%a %d %b, %H:%M"),
                area.name if area else (record.area or "-"),
                technique.title if technique else (record.technique_id or "-"),
                OUTCOME_WORDS.get(record.outcome.value, record.outcome.value),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        layout.addWidget(self.table)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 24)
