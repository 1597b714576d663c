"""A BreakScheduler that checks the scheduling invariants after every tick and every action.

It keeps the app's view beside the scheduler's own state (is the break window up, is
do-not-disturb on, until when did the person pause, when was the screen locked, how many
breaks came since the last resume, wake-up or clock jump) and asserts, from
docs/scheduling.md:

* one break window at a time, and the window is up exactly while the phase is BREAK;
* no break offered while paused or in do-not-disturb, and no pause ending early;
* at most one break after a resume, a wake-up or a clock jump before the person acts;
* ``next_wakeup()`` finite and never in the past, never after a due break or 15 min into
  a wall-clock pause;
* next break within the interval (or the snooze in force) while running; paused means an
  end and no next break;
* active time never negative, never counted on a locked screen, while suspended or paused,
  never faster than the clock (save for a return, counted back to the last input seen);
* a due break interrupts typing only when the wait for a lull has run out, and never waits
  longer than that.

The property tests and the soak drive it as the app drives the real one
(``helpers.drive.run_for`` works on it, since it is a BreakScheduler).
"""

from __future__ import annotations

import math
from datetime import datetime

from unclench.core.clock import Clock
from unclench.core.presence import IdleSource
from unclench.core.scheduler import (
    EPSILON_S,
    LULL_CAP_S,
    LULL_S,
    WALL_RECHECK_S,
    BreakScheduler,
    Decision,
    Phase,
    ScheduleConfig,
)

#: Float slack for comparisons of monotonic times (about 10 000 s and up in the tests).
SLACK_S = 1e-6


class CheckedScheduler(BreakScheduler):
    """The real scheduler, with the invariants of docs/scheduling.md asserted as it runs."""

    def __init__(self, config: ScheduleConfig, clock: Clock, idle: IdleSource) -> None:
        super().__init__(config, clock, idle)
        self.window_up = False  # the app's break window is showing
        self.dnd_on = False
        self.paused_until_mono: float | None = None  # the person's pause, as the app saw it
        self.paused_until_wall: datetime | None = None
        #: Breaks offered by the scheduler since the last resume, wake-up or clock jump with
        #: no action of the person in between; None when there was no such event.
        self.offers_since_warp: int | None = None
        self.snooze_length_s = 0.0  # the snooze length in force when last snoozed
        self.ticks = 0
        self.offered = 0  # SHOW_BREAK from tick()
        self.asked = 0  # SHOW_BREAK from break_now()
        self.closed = 0  # CLOSE_BREAK: a window left alone
        now = clock.monotonic()
        self._seen = (now, 0.0)  # (monotonic, active_s) at the last check
        self._uncountable_until = now  # locked, suspended or paused until then
        self._blocked = False  # locked or paused at the last check
        self._due_seen: float | None = None  # first check that saw the break due

    # ------------------------------------------------------------------ the app's view

    def person_acted(self) -> None:
        """The person did something (typed, answered, changed a setting): no burst follows."""
        self.offers_since_warp = None

    def warped(self) -> None:
        """Time jumped for the scheduler: a resume, a wake-up or a changed wall clock."""
        self.offers_since_warp = 0

    def model_paused(self) -> bool:
        """Whether the person's pause is still on, by the clocks as they are now."""
        clock = self._clock
        if self.paused_until_mono is not None and clock.monotonic() < self.paused_until_mono:
            return True
        return self.paused_until_wall is not None and clock.now() < self.paused_until_wall

    def _window_opens(self, *, asked: bool) -> None:
        assert not self.window_up, "a second break window while one is showing"
        if asked:
            self.asked += 1
        else:
            assert not self.dnd_on, "a break offered during do-not-disturb"
            assert not self.model_paused(), "a break offered while paused"
            if self.offers_since_warp is not None:
                self.offers_since_warp += 1
                assert self.offers_since_warp <= 1, "a burst of breaks after a sleep or jump"
            self.offered += 1
        self.window_up = True

    def _pause_ends(self) -> None:
        self.paused_until_mono = None
        self.paused_until_wall = None

    def _last_input(self) -> float | None:
        idle = self._idle.idle_seconds()
        return None if idle is None else self._clock.monotonic() - max(0.0, idle)

    # ------------------------------------------------------------------ the invariants

    def check(self) -> None:
        """The invariants that hold between any two steps."""
        now = self._clock.monotonic()
        wake = self.next_wakeup()
        assert math.isfinite(wake), f"next_wakeup() is {wake}"
        assert wake >= now - SLACK_S, f"next_wakeup() is {now - wake:.3f} s in the past"

        status = self.status()
        assert status.active_s >= 0, f"active_s = {status.active_s}"
        assert self.window_up == (status.phase is Phase.BREAK), (
            f"the app's window is {'up' if self.window_up else 'down'} in phase {status.phase}"
        )
        assert not (status.locked and status.present), "present on a locked screen"
        blocked = status.locked or status.phase is Phase.PAUSED
        if blocked and self._blocked:
            self._uncountable_until = now  # locked or paused since the last check
        self._check_active_growth(now, status.active_s)

        if status.phase is Phase.RUNNING:
            config = self.config
            # A snooze in progress keeps its own target when the settings change (rule 12).
            snoozed = self.snooze_length_s if self._snoozes_used else 0.0
            bound = max(config.interval_s, config.snooze_s, snoozed)
            assert status.next_break_in_s is not None
            assert 0 <= status.next_break_in_s <= bound + SLACK_S, (
                f"next break in {status.next_break_in_s} s, beyond {bound} s"
            )
            if status.present:
                # The due moment may be rounded up by EPSILON_S so that it is never "now" again.
                due_at = now + status.next_break_in_s + EPSILON_S + SLACK_S
                assert wake <= due_at, f"it would wake {wake - due_at:.3f} s after the break"
        if status.phase is Phase.PAUSED:
            assert status.paused_until is not None, "paused with no end"
            assert status.next_break_in_s is None, "paused, yet a next break is announced"
            if self.paused_until_wall is not None:
                assert wake <= now + WALL_RECHECK_S + SLACK_S, "a wall-clock pause not re-read"
        if blocked:
            self._uncountable_until = now
        self._blocked = blocked

    def _check_active_growth(self, now: float, active_s: float) -> None:
        """Active time grows only while someone is present: never faster than the clock,
        never for a moment the screen was locked, the machine suspended or reminders paused.
        A return is noticed late but counted from the last input (rule 2), so the growth
        since the last check may reach back to that input, but not past a lock or pause."""
        seen_at, seen_active = self._seen
        last_input = self._last_input()
        counted_from = seen_at if last_input is None else min(seen_at, last_input)
        counted_from = max(counted_from, self._uncountable_until)
        grew = active_s - seen_active
        assert grew <= max(0.0, now - counted_from) + SLACK_S, (
            f"active time grew by {grew:.3f} s, yet at most {now - counted_from:.3f} s could count"
        )
        self._seen = (now, active_s)

    # ------------------------------------------------------------------ the main step

    def tick(self) -> Decision | None:
        decision = super().tick()
        self.ticks += 1
        if decision is Decision.SHOW_BREAK:
            self._window_opens(asked=False)
            self._check_good_moment()
        elif decision is Decision.CLOSE_BREAK:
            assert self.window_up, "closed a break window that was not showing"
            self.window_up = False
            self.closed += 1
        if self.phase is not Phase.PAUSED:
            assert not self.model_paused(), "a pause ended before its time"
            self._pause_ends()
        self.check()
        self._check_lull_wait()
        return decision

    def _check_good_moment(self) -> None:
        """A break interrupts typing only once the wait for a lull has run out (rule 7)."""
        idle = self._last_idle  # the reading this tick decided on
        if idle is None or idle >= LULL_S:
            return
        waited = self._clock.monotonic() - (self._due_seen or self._clock.monotonic())
        assert waited >= LULL_CAP_S - SLACK_S, f"interrupted typing after {waited:.1f} s"

    def _check_lull_wait(self) -> None:
        """A due break waits for a lull in typing, but never longer than the cap (rule 7)."""
        if self.phase is not Phase.DUE:
            self._due_seen = None
            return
        now = self._clock.monotonic()
        if self._due_seen is None:
            self._due_seen = now
        if self.dnd_on or not self.status().present:
            return
        waited = now - self._due_seen
        assert waited < LULL_CAP_S + SLACK_S, f"a due break waited {waited:.1f} s for a lull"

    # ------------------------------------------------------------------ events from the shell

    def set_locked(self, locked: bool) -> None:
        was_locked = self._locked
        super().set_locked(locked)
        if was_locked and not locked:
            self._uncountable_until = self._clock.monotonic()  # locked until now
        self.check()

    def resumed(self) -> None:
        super().resumed()
        self.warped()
        self.check()

    def set_dnd(self, on: bool) -> None:
        super().set_dnd(on)
        if self.dnd_on and not on and self._due_seen is not None:
            self._due_seen = self._clock.monotonic()  # a fresh lull window
        self.dnd_on = on
        self.check()

    def update_config(self, config: ScheduleConfig) -> None:
        super().update_config(config)
        self.person_acted()
        self.check()

    # ------------------------------------------------------------------ the person's actions

    def break_now(self) -> Decision:
        decision = super().break_now()
        assert decision is Decision.SHOW_BREAK
        self._pause_ends()
        self.person_acted()
        self._window_opens(asked=True)
        self.check()
        return decision

    def done(self) -> None:
        super().done()
        self._answered()

    def skip(self) -> None:
        super().skip()
        self._answered()

    def snooze(self, seconds: float | None = None) -> None:
        super().snooze(seconds)
        self.snooze_length_s = self.config.snooze_s if seconds is None else max(60.0, seconds)
        self._answered()

    def _answered(self) -> None:
        self.window_up = False
        self.person_acted()
        self.check()

    def pause_for(self, seconds: float) -> None:
        super().pause_for(seconds)
        self.window_up = False  # the app closes the window first, recorded as skipped
        self._pause_ends()
        self.paused_until_mono = self._clock.monotonic() + seconds
        self.person_acted()
        self.check()

    def pause_until(self, until: datetime) -> None:
        super().pause_until(until)
        self.window_up = False
        self._pause_ends()
        self.paused_until_wall = until
        self.person_acted()
        self.check()

    def resume(self) -> None:
        was_paused = self.phase is Phase.PAUSED
        super().resume()
        self._pause_ends()
        if was_paused:
            self.warped()
        self.check()
