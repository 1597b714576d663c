"""When a break is due: counts active screen time and decides when to ask for a break.

The scheduler is a plain state machine. The shell calls :meth:`BreakScheduler.tick` at the
moment :meth:`BreakScheduler.next_wakeup` names (or earlier, on any event) and acts on the
:class:`Decision` it returns. Between wake-ups nothing can change, so the app sleeps.

Rules (defaults and their sources are in ``docs/scheduling.md``):

* Active time grows only while someone is present. Idle for ``idle_s`` or more means away;
  the idle stretch before that point is not counted as active.
* An absence at least as long as a break is a natural break: the count starts again.
  Screen lock and suspend are absences.
* Intervals run on the monotonic clock; the wall clock only ends "pause until" and is shown.
  A late tick (the machine slept) is an absence, never a backlog: there is at most one
  pending break, so no burst of popups can follow a suspend or a clock change.
* When a break is due the scheduler waits for a short lull in input (capped), and holds it
  while do-not-disturb is on.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from unclench.core.break_cycle import (
    Decision,
    Outcome,
    Phase,
    ScheduleConfig,
    SchedulerError,
    SchedulerStatus,
    next_day_start,
)
from unclench.core.clock import Clock
from unclench.core.i18n import _
from unclench.core.presence import IdleSource

__all__ = [
    "BreakScheduler",
    "Decision",
    "Outcome",
    "Phase",
    "ScheduleConfig",
    "SchedulerError",
    "SchedulerStatus",
    "next_day_start",
]

#: Seconds without input that count as a lull: a natural pause in typing. Interruptions of
#: even ~3 s mid-task raise error rates (Altmann et al., 2014), so we wait for a gap.
LULL_S = 5.0
#: The longest we wait for a lull once a break is due (docs/evidence.md: "up to ~2 min").
LULL_CAP_S = 120.0
#: How often to look for the person's return while they are away (they may come back at
#: any time; nothing else can tell us). It is the only poll, so it backs off: a tenth of the
#: absence so far, between these bounds. A return is noticed at most that late, and at most
#: that much active time goes uncounted.
AWAY_POLL_S = 30.0
AWAY_POLL_MAX_S = 300.0
#: Float slack when comparing active time with the target, so a wake-up computed for the
#: exact due moment is never rounded to "not quite yet" (a busy loop).
EPSILON_S = 1e-3
#: A paused-until-a-wall-time pause re-reads the wall clock at least this often, so a
#: changed system clock ends it on time.
WALL_RECHECK_S = 900.0
#: A break window left untouched while nobody is there closes by itself after this much
#: absence (on top of the break length): the person walked away, which is a break too.
ABANDON_MIN_S = 300.0
#: The shortest snooze: a break put off for less would be back before the window has gone.
MIN_SNOOZE_S = 60.0


class BreakScheduler:
    """Counts active time and decides when to offer a break. See the module docstring."""

    def __init__(self, config: ScheduleConfig, clock: Clock, idle: IdleSource) -> None:
        self._config = config
        self._clock = clock
        self._idle = idle
        now = clock.monotonic()
        self._phase = Phase.RUNNING
        self._banked_s = 0.0  # active seconds from earlier stretches since the last break
        self._stretch_start: float | None = now  # start of the current presence, None = away
        self._away_since: float | None = None
        self._away_reset_done = False
        self._target_s = config.interval_s  # active seconds at which the break is due
        self._snoozes_used = 0
        self._due_since: float | None = None
        self._locked = False
        self._dnd = False
        self._pause_until_mono: float | None = None
        self._pause_until_wall: datetime | None = None
        self._last_tick = now
        self._wakeup_at = now
        self._last_idle: float | None = None
        self._last_idle_at = now
        self._idle_known = True

    # ----------------------------------------------------------------- reading the state

    @property
    def config(self) -> ScheduleConfig:
        return self._config

    @property
    def phase(self) -> Phase:
        return self._phase

    def active_seconds(self) -> float:
        """Active seconds counted since the last break (or resume)."""
        return self._active_at(self._clock.monotonic())

    def status(self) -> SchedulerStatus:
        now = self._clock.monotonic()
        next_in: float | None
        if self._phase is Phase.RUNNING:
            next_in = max(0.0, self._target_s - self._active_at(now))
        elif self._phase in (Phase.DUE, Phase.BREAK):
            next_in = 0.0
        else:
            next_in = None
        return SchedulerStatus(
            phase=self._phase,
            active_s=self._active_at(now),
            next_break_in_s=next_in,
            paused_until=self._paused_until_wall_time() if self._phase is Phase.PAUSED else None,
            snoozes_left=max(0, self._config.max_snoozes - self._snoozes_used),
            present=self._stretch_start is not None,
            dnd=self._dnd,
            locked=self._locked,
            idle_source=self._idle.name,
            counting_wall_time=not self._idle_known,
        )

    def next_wakeup(self) -> float:
        """The monotonic time of the next moment anything can change."""
        return self._wakeup_at

    # ----------------------------------------------------------------- the main step

    def tick(self) -> Decision | None:
        """Take one reading of the world and move the state machine; return what to do."""
        now = self._clock.monotonic()
        self._notice_sleep(now)
        decision = self._step(now)
        self._last_tick = now
        self._wakeup_at = self._compute_wakeup(now)
        return decision

    def _step(self, now: float) -> Decision | None:
        if self._phase is Phase.PAUSED:
            if not self._pause_over(now):
                return None
            self._start_fresh(now, present=self._present_without_state())
            return None

        present = self._observe_presence(now)
        if not present and self._away_since is not None:
            away_for = now - self._away_since
            if self._phase is Phase.BREAK:
                if away_for >= max(ABANDON_MIN_S, self._config.idle_s) + self._config.break_s:
                    self._finish_break(now, Outcome.MISSED)
                    return Decision.CLOSE_BREAK
                return None
            if not self._away_reset_done and away_for >= self._config.break_s:
                self._natural_break()
            return None

        if self._phase is Phase.RUNNING and self._active_at(now) >= self._target_s - EPSILON_S:
            self._phase = Phase.DUE
            self._due_since = now
        if self._phase is Phase.DUE:
            return self._maybe_show(now)
        return None

    def _maybe_show(self, now: float) -> Decision | None:
        if self._dnd:
            return None
        assert self._due_since is not None
        idle = self._last_idle
        waited = now - self._due_since
        if idle is not None and idle < LULL_S and waited < LULL_CAP_S:
            return None
        self._phase = Phase.BREAK
        self._due_since = None
        return Decision.SHOW_BREAK

    # ----------------------------------------------------------------- presence

    def _read_idle(self) -> float | None:
        """One reading of the idle source; ``None`` means unknown (count wall time)."""
        idle = self._idle.idle_seconds()
        self._last_idle = None if idle is None else max(0.0, idle)
        self._last_idle_at = self._clock.monotonic()
        self._idle_known = self._last_idle is not None
        return self._last_idle

    def _observe_presence(self, now: float) -> bool:
        """Read the idle source once and update presence; returns whether someone is here."""
        if self._locked:
            return False
        idle = self._read_idle()
        if idle is None:
            self._mark_present(now)  # no idle source: count wall time
            return True
        last_input = now - idle
        if idle >= self._config.idle_s:
            self._mark_away(max(last_input, self._last_tick_floor()))
            return False
        if self._stretch_start is None:
            # Back after an absence: they returned somewhere after the last look, and
            # were surely here at the last input. Take the later, smaller estimate.
            self._mark_present(max(last_input, self._away_since or last_input))
        return True

    def _last_tick_floor(self) -> float:
        # Idle time never reaches back before the previous break reset of presence: a
        # stretch that started later cannot end earlier than it began.
        return self._stretch_start if self._stretch_start is not None else self._last_tick

    def _mark_away(self, since: float) -> None:
        if self._stretch_start is None:
            return
        self._banked_s += max(0.0, since - self._stretch_start)
        self._stretch_start = None
        self._away_since = since
        self._away_reset_done = False

    def _mark_present(self, at: float) -> None:
        if self._stretch_start is not None:
            return
        if (
            self._away_since is not None
            and not self._away_reset_done
            and at - self._away_since >= self._config.break_s
            and self._phase in (Phase.RUNNING, Phase.DUE)
        ):
            self._natural_break()
        self._stretch_start = at
        self._away_since = None
        self._away_reset_done = False

    def _natural_break(self) -> None:
        """An absence as long as a break: the count starts again."""
        self._banked_s = 0.0
        self._target_s = self._config.interval_s
        self._snoozes_used = 0
        self._due_since = None
        self._away_reset_done = True
        if self._phase is Phase.DUE:
            self._phase = Phase.RUNNING

    def _active_at(self, now: float) -> float:
        if self._phase is Phase.PAUSED:
            return self._banked_s
        running = now - self._stretch_start if self._stretch_start is not None else 0.0
        return self._banked_s + max(0.0, running)

    def _notice_sleep(self, now: float) -> None:
        """A tick far later than asked for means the machine (or the app) was asleep."""
        overslept = now - self._wakeup_at
        if overslept < max(self._config.idle_s, 60.0) or self._phase is Phase.PAUSED:
            return
        # The timer did not fire at _wakeup_at, so the sleep had begun by then.
        asleep_since = max(self._wakeup_at, self._last_tick)
        self._mark_away(asleep_since)

    # ----------------------------------------------------------------- events from the shell

    def set_locked(self, locked: bool) -> None:
        """The screen was locked or unlocked (the shell listens for it)."""
        now = self._clock.monotonic()
        if locked == self._locked:
            return
        self._locked = locked
        if self._phase is not Phase.PAUSED:  # a pause counts nothing; its end looks afresh
            if locked:
                self._mark_away(now)
            else:
                self._mark_present(now)
        self._wakeup_at = self._compute_wakeup(now)

    def suspended(self) -> None:
        """The machine is about to sleep: the person is away from now on."""
        self.set_locked(True)

    def resumed(self) -> None:
        """The machine woke up; the screen may still be locked (then set_locked follows)."""
        self.set_locked(False)

    def set_dnd(self, on: bool) -> None:
        """Do-not-disturb from the shell: a full-screen window or a call holds the break."""
        now = self._clock.monotonic()
        if self._dnd and not on and self._phase is Phase.DUE:
            self._due_since = now  # a fresh lull window once the presentation ends
        self._dnd = on
        self._wakeup_at = self._compute_wakeup(now)

    def update_config(self, config: ScheduleConfig) -> None:
        """New settings apply at once; a snooze in progress keeps its own target."""
        now = self._clock.monotonic()
        if self._snoozes_used == 0:
            self._target_s = config.interval_s
        self._config = config
        self._wakeup_at = self._compute_wakeup(now)

    # ----------------------------------------------------------------- actions

    def break_now(self) -> Decision:
        """The person asked for a break: show one at once, whatever the count."""
        if self._phase is Phase.BREAK:
            raise SchedulerError(_("A break is already showing."))
        now = self._clock.monotonic()
        if self._phase is Phase.PAUSED:
            # Asked for from the command line, the screen may well be locked.
            self._start_fresh(now, present=not self._locked)
        self._phase = Phase.BREAK
        self._due_since = None
        self._wakeup_at = self._compute_wakeup(now)
        return Decision.SHOW_BREAK

    def done(self) -> None:
        self._end_break(Outcome.DONE)

    def skip(self) -> None:
        self._end_break(Outcome.SKIPPED)

    def snooze(self, seconds: float | None = None) -> None:
        """Put the due or showing break off by ``seconds`` (default: the snooze length) of
        active time. Only a break that is due or showing can be snoozed: before that there is
        nothing to put off, and a snooze must never bring a break closer."""
        if self._phase is Phase.PAUSED:
            raise SchedulerError(_("Reminders are paused; there is nothing to snooze."))
        if self._phase is Phase.RUNNING:
            raise SchedulerError(_("No break is due yet; there is nothing to snooze."))
        if self._snoozes_used >= self._config.max_snoozes:
            raise SchedulerError(_("No snoozes left for this break; take it or skip it."))
        now = self._clock.monotonic()
        self._snoozes_used += 1
        if self._stretch_start is None and not self._locked:
            self._stretch_start = now
            self._away_since = None
        delay = self._config.snooze_s if seconds is None else max(MIN_SNOOZE_S, seconds)
        self._target_s = self._active_at(now) + delay
        self._phase = Phase.RUNNING
        self._due_since = None
        self._wakeup_at = self._compute_wakeup(now)

    def pause_for(self, seconds: float) -> None:
        """No reminders for ``seconds``; afterwards the count starts again."""
        if seconds <= 0:
            raise SchedulerError(_("A pause must last some time."))
        now = self._clock.monotonic()
        self._enter_pause(now)
        self._pause_until_mono = now + seconds
        self._pause_until_wall = None
        self._wakeup_at = self._compute_wakeup(now)

    def pause_until(self, until: datetime) -> None:
        """No reminders until a wall-clock time (which may move if the clock is changed)."""
        if until.tzinfo is None:
            raise SchedulerError(_("A pause end needs a timezone."))
        now = self._clock.monotonic()
        if until <= self._clock.now():
            raise SchedulerError(_("That time has already passed."))
        self._enter_pause(now)
        self._pause_until_mono = None
        self._pause_until_wall = until
        self._wakeup_at = self._compute_wakeup(now)

    def pause_until_tomorrow(self) -> datetime:
        """Pause until the next start of day (04:00 local); returns when that is."""
        until = next_day_start(self._clock.now())
        self.pause_until(until)
        return until

    def resume(self) -> None:
        """End a pause now; the count starts again from zero."""
        if self._phase is not Phase.PAUSED:
            return
        now = self._clock.monotonic()
        self._start_fresh(now, present=self._present_without_state())
        self._wakeup_at = self._compute_wakeup(now)

    # ----------------------------------------------------------------- helpers

    def _end_break(self, outcome: Outcome) -> None:
        if self._phase is not Phase.BREAK:
            raise SchedulerError(_("No break is showing."))
        self._finish_break(self._clock.monotonic(), outcome)
        self._wakeup_at = self._compute_wakeup(self._clock.monotonic())

    def _finish_break(self, now: float, outcome: Outcome) -> None:
        present = outcome is not Outcome.MISSED and not self._locked
        self._start_fresh(now, present=present)
        if not present:
            self._away_reset_done = True

    def _start_fresh(self, now: float, *, present: bool) -> None:
        self._phase = Phase.RUNNING
        self._banked_s = 0.0
        self._target_s = self._config.interval_s
        self._snoozes_used = 0
        self._due_since = None
        self._pause_until_mono = None
        self._pause_until_wall = None
        if present:
            self._stretch_start = now
            self._away_since = None
        else:
            self._stretch_start = None
            self._away_since = now
        self._away_reset_done = False

    def _enter_pause(self, now: float) -> None:
        self._mark_away(now)
        self._phase = Phase.PAUSED
        self._due_since = None

    def _present_without_state(self) -> bool:
        """Whether someone is here, without touching the active-time bookkeeping."""
        if self._locked:
            return False
        idle = self._read_idle()
        return idle is None or idle < self._config.idle_s

    def _pause_over(self, now: float) -> bool:
        if self._pause_until_mono is not None:
            return now >= self._pause_until_mono
        if self._pause_until_wall is not None:
            return self._clock.now() >= self._pause_until_wall
        return True

    def _paused_until_wall_time(self) -> datetime | None:
        if self._pause_until_wall is not None:
            return self._pause_until_wall
        if self._pause_until_mono is not None:
            left = self._pause_until_mono - self._clock.monotonic()
            return self._clock.now() + timedelta(seconds=max(0.0, left))
        return None

    def _compute_wakeup(self, now: float) -> float:
        """The earliest moment at which a tick could change anything."""
        config = self._config
        if self._phase is Phase.PAUSED:
            if self._pause_until_mono is not None:
                return max(now, self._pause_until_mono)  # it may have ended during a suspend
            assert self._pause_until_wall is not None
            left = (self._pause_until_wall - self._clock.now()).total_seconds()
            return now + max(0.0, min(left, WALL_RECHECK_S))

        if self._stretch_start is None:  # away or locked
            candidates = []
            if self._away_since is not None:
                if self._phase is Phase.BREAK:
                    abandon = max(ABANDON_MIN_S, config.idle_s) + config.break_s
                    candidates.append(self._away_since + abandon)
                elif not self._away_reset_done:
                    candidates.append(self._away_since + config.break_s)
            if not self._locked:
                away_for = now - (self._away_since if self._away_since is not None else now)
                candidates.append(now + min(AWAY_POLL_MAX_S, max(AWAY_POLL_S, away_for / 10)))
            future = [t for t in candidates if t > now]
            # Locked and nothing pending: only an unlock event can change anything, but
            # look again now and then in case that event never comes.
            return min(future) if future else now + WALL_RECHECK_S

        idle = self._last_idle if self._last_idle is not None else 0.0
        if self._phase is Phase.BREAK:
            # The window is up; the person may walk away from it.
            return now + max(1.0, config.idle_s - idle)
        if self._phase is Phase.DUE:
            if self._dnd:
                return now + max(1.0, config.idle_s - idle)
            return now + max(0.5, LULL_S - idle)
        due_in = max(EPSILON_S, self._target_s - self._active_at(now))
        if self._last_idle is None:
            return now + due_in
        # When they would count as away if no input came, from the reading's own time (an
        # action between ticks must not push this into the past), and never "right now"
        # again: a reading a hair under the threshold would otherwise spin.
        away_at = self._last_idle_at - idle + config.idle_s
        return max(now + EPSILON_S, min(now + due_in, away_at))
