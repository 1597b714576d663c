"""Runs the break cycle: wakes the scheduler on time, shows the window, records the answer.

The scheduler decides; this object only carries its decisions out on the Qt event loop
(one single-shot timer at the next wake-up, nothing polled) and keeps the tray in step.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from unclench.core.break_content import NOTHING_DISCREET, compose
from unclench.core.catalogue import Technique
from unclench.core.chooser import NoTechniqueError, TechniqueChooser
from unclench.core.clock import Clock
from unclench.core.durations import Duration
from unclench.core.history import BreakRecord, History, HistoryError
from unclench.core.presence import DndSource
from unclench.core.relief import area_relief, area_weights
from unclench.core.scheduler import (
    BreakScheduler,
    Decision,
    Outcome,
    Phase,
    ScheduleConfig,
    SchedulerError,
    SchedulerStatus,
)
from unclench.core.settings import Settings
from unclench.core.status_text import StatusFacts, tooltip
from unclench.ui.break_window import BreakWindow
from unclench.ui.icons import TrayState
from unclench.ui.tray import TrayModel

log = logging.getLogger(__name__)

RELIEF_DAYS = 90  # the check-ins that steer the choice: recent enough to still be true
TOOLTIP_REFRESH_MS = 60_000  # "Next break in 23 min" changes once a minute
MAX_TIMER_MS = 6 * 3600 * 1000  # QTimer takes an int; re-arm after long sleeps anyway
VERY_COARSE_FROM_MS = 2000  # whole-second timers only where rounding cannot reach zero


class BreakController(QObject):
    """Carries the scheduler's decisions out; see the module docstring."""

    tray_changed = Signal(object)  # TrayModel
    notice = Signal(str)  # something the person should read (a failed save, say)
    history_changed = Signal()  # a break or a check-in was recorded

    def __init__(
        self,
        *,
        settings: Settings,
        scheduler: BreakScheduler,
        chooser: TechniqueChooser,
        history: History | None,
        window: BreakWindow,
        clock: Clock,
        dnd: DndSource,
        chime: Callable[[], object] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.scheduler = scheduler
        self.chooser = chooser
        self.history = history
        self.window = window
        self._clock = clock
        self._dnd = dnd
        self._dnd_reason: str | None = None
        self._chime = chime
        self._shown_at: datetime | None = None
        self._last_break_id: int | None = None  # where the after-check-in goes
        self._decided_at: float | None = None
        self._turn = 0  # which grounding line the next break shows
        #: Milliseconds from each break decision to the window being on screen.
        self.show_latencies_ms: list[float] = []
        self._wake = QTimer(self)
        self._wake.setSingleShot(True)
        self._wake.timeout.connect(self.tick)
        self._refresh = QTimer(self)
        self._refresh.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self._refresh.setInterval(TOOLTIP_REFRESH_MS)
        self._refresh.timeout.connect(self.publish)
        window.done.connect(lambda: self._answer(Outcome.DONE))
        window.skipped.connect(lambda: self._answer(Outcome.SKIPPED))
        window.snoozed.connect(self._snoozed)
        window.another.connect(self._another)
        window.tension_after.connect(self._checked_in_after)

    def start(self) -> None:
        self.apply_settings(self.settings)
        self.update_weights()
        self.tick()
        self._refresh.start()

    def stop(self) -> None:
        self._wake.stop()
        self._refresh.stop()

    # ------------------------------------------------------------------ the loop

    def tick(self) -> None:
        status = self.scheduler.status()
        if status.phase is Phase.DUE or (
            status.phase is Phase.RUNNING and (status.next_break_in_s or 0) <= 1
        ):
            # Only when a break is at hand: the camera check reads /proc.
            self._dnd_reason = self._dnd.reason()
            self.scheduler.set_dnd(self._dnd_reason is not None)
        elif self._dnd_reason is not None:
            self._dnd_reason = None
            self.scheduler.set_dnd(False)
        decided = time.perf_counter()
        decision = self.scheduler.tick()
        if decision is Decision.SHOW_BREAK:
            self._show(decided)
        elif decision is Decision.CLOSE_BREAK:
            self.window.dismiss()
            self._record(Outcome.MISSED)
        self._arm()
        self.publish()

    def _arm(self) -> None:
        delay_s = max(0.0, self.scheduler.next_wakeup() - self._clock.monotonic())
        delay_ms = min(MAX_TIMER_MS, math.ceil(delay_s * 1000) + 1)
        # A very coarse timer rounds to whole seconds, so one under 500 ms fires at once: the
        # scheduler would ask again and again (a busy loop). Short waits get a coarse timer.
        self._wake.setTimerType(
            Qt.TimerType.VeryCoarseTimer
            if delay_ms >= VERY_COARSE_FROM_MS
            else Qt.TimerType.CoarseTimer
        )
        self._wake.start(delay_ms)

    def publish(self) -> None:
        status = self.scheduler.status()
        state = {
            Phase.PAUSED: TrayState.PAUSED,
            Phase.DUE: TrayState.DUE,
            Phase.BREAK: TrayState.DUE,
        }.get(status.phase, TrayState.NORMAL)
        self.tray_changed.emit(
            TrayModel(
                state=state,
                tooltip=tooltip(StatusFacts.of(status, self._dnd_reason), self._clock.now()),
                paused=status.phase is Phase.PAUSED,
                can_snooze=status.can_snooze,
            )
        )

    def retranslate(self) -> None:
        """The language changed: the break window's words and the tray's tooltip follow."""
        self.window.retranslate()
        self.publish()

    def status(self) -> tuple[SchedulerStatus, str | None]:
        return self.scheduler.status(), self._dnd_reason

    # ------------------------------------------------------------------ settings

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.scheduler.update_config(ScheduleConfig.from_settings(settings.schedule))
        self.window.corner = settings.popup.corner
        if self.scheduler.phase is Phase.BREAK:
            self.window.set_snoozes_left(self.scheduler.status().snoozes_left)
        self._arm()
        self.publish()

    # ------------------------------------------------------------------ actions

    def break_now(self, *, calm: bool = False) -> None:
        """A break right away; ``calm``: one chosen for calming down, with the pacer on.

        Asked for while a break shows, that break comes back into view with the keyboard
        focus, since the person asked for it (a calming request turns it into a calming one).
        """
        if self.scheduler.phase is Phase.BREAK:
            content = self.window.content
            if calm and not (content is not None and content.calm):
                technique = self._choose(calm=True)
                if technique is not None:
                    self._fill(technique, calm=True)
                    self.window.refit()
            self.window.present()
            self.window.claim_focus()
            return
        decided = time.perf_counter()
        self.scheduler.break_now()
        self._show(decided, calm=calm)
        self._arm()
        self.publish()

    def snooze(self, duration: Duration | None = None) -> None:
        """From the tray, the window or the command line (``None``: the Settings length);
        raises SchedulerError with a reason."""
        showing = self.scheduler.phase is Phase.BREAK
        self.scheduler.snooze(None if duration is None else duration.seconds)
        if showing:
            self.window.dismiss()
            self._record(Outcome.SNOOZED)
        self._arm()
        self.publish()

    def pause(self, duration: Duration) -> datetime:
        """No reminders for ``duration`` (or until the next day starts); returns the end."""
        self._close_for_pause()
        if duration.seconds is None:
            until = self.scheduler.pause_until_tomorrow()
        else:
            self.scheduler.pause_for(float(duration.seconds))
            until = self._clock.now() + timedelta(seconds=duration.seconds)
        self._arm()
        self.publish()
        return until

    def set_locked(self, locked: bool) -> None:
        """The screen was locked or unlocked: an absence begins or ends now."""
        self.scheduler.set_locked(locked)
        self.tick()

    def set_asleep(self, asleep: bool) -> None:
        """The machine is about to sleep, or has woken."""
        if asleep:
            self.scheduler.suspended()
        else:
            self.scheduler.resumed()
        self.tick()

    def resume(self) -> None:
        self.scheduler.resume()
        self._arm()
        self.publish()

    def _close_for_pause(self) -> None:
        if self.scheduler.phase is Phase.BREAK:
            self.window.dismiss()
            self._record(Outcome.SKIPPED)

    # ------------------------------------------------------------------ the window

    def _show(self, decided: float, *, calm: bool = False) -> None:
        technique = self._choose(calm=calm)
        if technique is None:
            self.scheduler.skip()
            return
        self._shown_at = self._clock.now()
        self._fill(technique, calm=calm)
        self.window.present()
        latency = (time.perf_counter() - decided) * 1000
        if self.settings.popup.sound:
            self._chime()
        self.show_latencies_ms.append(latency)
        del self.show_latencies_ms[:-200]
        log.info("break window shown %.1f ms after the decision: %s", latency, technique.id)

    def _choose(self, exclude: tuple[str, ...] = (), *, calm: bool = False) -> Technique | None:
        try:
            return self.chooser.choose(
                self.settings.techniques, self.settings.about_me, calming=calm, exclude=exclude
            )
        except NoTechniqueError as exc:
            log.error("%s", exc)
            self.notice.emit(str(exc))
            return None

    def _fill(self, technique: Technique, *, calm: bool = False) -> None:
        about = self.settings.about_me
        lacks_discreet = self.chooser.lacks_discreet(self.settings.techniques, about, calming=calm)
        content = compose(
            self.chooser.catalogue,
            technique,
            about,
            turn=self._turn,
            notice=NOTHING_DISCREET if lacks_discreet else None,
            calm=calm,
        )
        self._turn += 1
        self.window.show_content(
            content,
            breathing=self.settings.popup.breathing,
            snoozes_left=self.scheduler.status().snoozes_left,
            checkin=self.settings.popup.checkin,
        )

    def _another(self) -> None:
        current = self.window.technique
        calm = self.window.content is not None and self.window.content.calm
        technique = self._choose(exclude=(current.id,) if current else (), calm=calm)
        if technique is not None:
            self._fill(technique, calm=calm)
            self.window.refit()

    def _answer(self, outcome: Outcome) -> None:
        try:
            if outcome is Outcome.DONE:
                self.scheduler.done()
            else:
                self.scheduler.skip()
        except SchedulerError:
            log.debug("answer %s came when no break was showing", outcome)
            return
        self._record(outcome)
        self._arm()
        self.publish()

    def _snoozed(self, duration: object) -> None:
        try:
            self.snooze(duration if isinstance(duration, Duration) else None)
        except SchedulerError as exc:
            self.notice.emit(str(exc))

    def _record(self, outcome: Outcome) -> None:
        technique = self.window.technique
        started = self._shown_at or self._clock.now()
        self._shown_at = None
        if self.history is None:
            return
        record = BreakRecord(
            started_at=started,
            outcome=outcome,
            technique_id=technique.id if technique else None,
            area=technique.area if technique else None,
            tension_before=self.window.tension_before,
            duration_s=(self._clock.now() - started).total_seconds(),
        )
        self._last_break_id = None
        try:
            self._last_break_id = self.history.add(record)
        except HistoryError as exc:
            log.error("%s", exc)
            self.notice.emit(str(exc))
            return
        self.history_changed.emit()

    def _checked_in_after(self, value: int) -> None:
        if self.history is None or self._last_break_id is None:
            return
        try:
            self.history.set_tension_after(self._last_break_id, value)
        except HistoryError as exc:
            log.error("%s", exc)
            self.notice.emit(str(exc))
            return
        self.update_weights()
        self.history_changed.emit()

    def update_weights(self) -> None:
        """Let the latest check-ins steer which areas come up (see ``core.relief``)."""
        if self.history is None:
            return
        now = self._clock.now()
        try:
            records = self.history.between(now - timedelta(days=RELIEF_DAYS), now)
        except HistoryError as exc:
            log.error("%s", exc)
            return
        self.chooser.set_weights(area_weights(area_relief(records)))
