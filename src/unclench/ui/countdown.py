"""The break's countdown: the time left and a thin progress bar, ticking only while it runs."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

TICK_MS = 250
TIMES_UP = "Time's up. Nicely done."


def format_seconds(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown(QWidget):
    """``finished`` comes once the time is up; a stopped countdown uses no timer at all."""

    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ends_at: float | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._update)
        self.label = QLabel(self)
        self.label.setAccessibleDescription("Time left")
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.setAccessibleName("Break progress")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.progress, 1)

    @property
    def running(self) -> bool:
        return self._ends_at is not None

    def seconds_left(self) -> float:
        return 0.0 if self._ends_at is None else max(0.0, self._ends_at - time.monotonic())

    def reset(self, total_s: int) -> None:
        """Stopped, full, showing ``total_s``."""
        self._tick.stop()
        self._ends_at = None
        self.progress.setRange(0, max(1, total_s))
        self.progress.setValue(0)
        self.label.setText(format_seconds(total_s))

    def start(self, total_s: int) -> None:
        self._ends_at = time.monotonic() + total_s
        self._tick.start()
        self._update()

    def add(self, seconds: int) -> None:
        """More time, counted from now if the time was already up."""
        if self._ends_at is None:
            return
        self._ends_at = max(self._ends_at, time.monotonic()) + seconds
        self.progress.setMaximum(self.progress.maximum() + seconds)
        self._tick.start()
        self._update()

    def _update(self) -> None:
        left = self.seconds_left()
        self.label.setText(format_seconds(left))
        self.progress.setValue(self.progress.maximum() - round(left))
        if left <= 0:
            self._tick.stop()
            self.label.setText(TIMES_UP)
            self.finished.emit()
