"""The slow-breathing pacer: six breaths a minute, the out-breath longer than the in-breath."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from unclench.core.i18n import _

# Slow breathing near 6 breaths/min with a longer exhale has the best evidence among quick
# breathing exercises (Laborde et al., 2022; Fincham et al., 2023). No breath holds.
INHALE_S = 4.0
EXHALE_S = 6.0
CYCLE_S = INHALE_S + EXHALE_S
FRAME_MS = 40  # 25 frames a second, only while the pacer is visible and running


def breath_phase(elapsed_s: float) -> tuple[str, float, int]:
    """("in" | "out", size 0..1, whole seconds left in this phase) at a moment of the cycle."""
    t = elapsed_s % CYCLE_S
    if t < INHALE_S:
        return "in", t / INHALE_S, max(1, math.ceil(INHALE_S - t))
    out_t = t - INHALE_S
    return "out", 1.0 - out_t / EXHALE_S, max(1, math.ceil(EXHALE_S - out_t))


class _Circle(QWidget):
    """A soft disc that grows on the in-breath and shrinks on the out-breath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.size_fraction = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        side = self.fontMetrics().height() * 4
        return QSize(side, side)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        accent = self.palette().color(self.palette().ColorRole.Highlight)
        ring = QColor(accent)
        ring.setAlphaF(0.25)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ring)
        painter.drawEllipse(QRectF(0, 0, side, side))
        diameter = side * (0.35 + 0.65 * self.size_fraction)
        offset = (side - diameter) / 2
        painter.setBrush(accent)
        painter.drawEllipse(QRectF(offset, offset, diameter, diameter))


class BreathingPacer(QWidget):
    """Animated, or plain text counts when the system asks for reduced motion."""

    def __init__(self, reduced_motion: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reduced_motion = reduced_motion
        self._started_at: float | None = None
        self._circle = _Circle(self)
        self._circle.setVisible(not reduced_motion)
        self._label = QLabel(self)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._circle, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self._label)
        self._timer = QTimer(self)
        # Text counts change once a second; the disc needs smooth frames.
        self._timer.setInterval(1000 if reduced_motion else FRAME_MS)
        self._timer.timeout.connect(self._refresh)
        self.retranslate()

    def retranslate(self) -> None:
        """Its words again, in the current language (a running pacer's next frame follows)."""
        guide = _("Breathing guide")
        self._circle.setAccessibleName(guide)
        self._label.setAccessibleDescription(guide)
        if self.running:
            self._refresh()
        else:
            self._show_idle_text()

    def start(self) -> None:
        self._started_at = time.monotonic()
        self._refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._started_at = None
        self._circle.size_fraction = 0.0
        self._circle.update()
        self._show_idle_text()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def text(self) -> str:
        return self._label.text()

    def _show_idle_text(self) -> None:
        # Translators: {inhale} and {exhale} are whole seconds (4 and 6)
        text = _("Breathe slowly: in for {inhale}, out for {exhale}.")
        self._label.setText(text.format(inhale=f"{INHALE_S:.0f}", exhale=f"{EXHALE_S:.0f}"))

    def _refresh(self) -> None:
        if self._started_at is None:
            return
        direction, fraction, left = breath_phase(time.monotonic() - self._started_at)
        if not self.reduced_motion:
            self._label.setText(_("Breathe in") if direction == "in" else _("Breathe out"))
        elif direction == "in":
            # Translators: {seconds} counts down the seconds left of this in-breath
            self._label.setText(_("Breathe in · {seconds}").format(seconds=left))
        else:
            # Translators: {seconds} counts down the seconds left of this out-breath
            self._label.setText(_("Breathe out · {seconds}").format(seconds=left))
        if not self.reduced_motion:
            self._circle.size_fraction = fraction
            self._circle.update()
