"""The break's countdown: the time left and a thin progress bar, ticking only while it runs."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from unclench.core.i18n import N_, _

TICK_MS = 250
TIMES_UP = N_("Time's up. Nicely done.")


def format_seconds(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown(QWidget):
    """``finished`` comes once the time is up; a stopped countdown uses no timer at all."""

    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ends_at: float | None = None
        self._times_up = False  # the label says so, rather than a time
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._update)
        self.label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.progress, 1)
        self.retranslate()

    def retranslate(self) -> None:
        """Its fixed words again, in the current language."""
        self.label.setAccessibleDescription(_("Time left"))
        self.progress.setAccessibleName(_("Break progress"))
        if self._times_up:
            self.label.setText(_(TIMES_UP))

    @property
    def running(self) -> bool:
        return self._ends_at is not None

    def seconds_left(self) -> float:
        return 0.0 if self._ends_at is None else max(0.0, self._ends_at - time.monotonic())

    def reset(self, total_s: int) -> None:
        """Stopped, full, showing ``total_s``."""
        self._tick.stop()
        self._ends_at = None
        self._times_up = False
        self.progress.setRange(0, max(1, total_s))
        self.progress.setValue(0)
        self.label.setText(format_seconds(total_s))

    def start(self, total_s: int) -> None:
        self._ends_at = time.monotonic() + total_s
        self._times_up = False
        self._tick.start()
        self._update()

    def add(self, seconds: int) -> None:
        """More time, counted from now if the time was already up."""
        if self._ends_at is None:
            return
        self._ends_at = max(self._ends_at, time.monotonic()) + seconds
        self._times_up = False
        self.progress.setMaximum(self.progress.maximum() + seconds)
        self._tick.start()
        self._update()

    def _update(self) -> None:
        left = self.seconds_left()
        self.label.setText(format_seconds(left))
        self.progress.setValue(self.progress.maximum() - round(left))
        if left <= 0:
            self._tick.stop()
            self._times_up = True
            self.label.setText(_(TIMES_UP))
            self.finished.emit()
