"""Random lives for the break scheduler: whatever the person and the machine do, the rules hold.

A Hypothesis state machine plays a person (typing, pausing, walking away, locking the screen,
answering breaks, pausing reminders, changing settings) and a machine (suspend, sleeping
without a word, a changed wall clock, do-not-disturb). Between steps the scheduler is driven as
the app drives it: sleep until ``next_wakeup()``, tick, repeat. ``CheckedScheduler`` asserts
the invariants after every tick and action: one window at a time, nothing while paused or in
do-not-disturb, no burst after a sleep or a jump, wake-ups never in the past, sane status.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import Phase as Stage
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from unclench.core.scheduler import BreakScheduler, Decision, Phase, ScheduleConfig
from unclench.core.settings import ScheduleSettings

from helpers.checked_scheduler import CheckedScheduler
from helpers.drive import run_for
from helpers.fakes import FakeClock, ScriptedPerson

MIN = 60.0
HOUR = 3600.0
DAY = 24 * HOUR

#: Every setting the settings window accepts (whole minutes and seconds, as stored).
configs = st.builds(
    ScheduleSettings,
    interval_minutes=st.integers(10, 120),
    break_seconds=st.integers(20, 300),
    idle_minutes=st.integers(1, 30),
    snooze_minutes=st.integers(1, 60),
    max_snoozes=st.integers(0, 10),
).map(ScheduleConfig.from_settings)

#: How long a step lasts: a few seconds of reading up to most of a working day.
short_steps = st.floats(1, 10 * MIN)
long_steps = st.floats(10 * MIN, 8 * HOUR)
durations = st.one_of(short_steps, long_steps)


class SchedulerLife(RuleBasedStateMachine):
    """One person, one machine, one scheduler; each rule is something that happens."""

    clock: FakeClock
    person: ScriptedPerson
    scheduler: CheckedScheduler

    @initialize(config=configs, known=st.booleans())
    def start(self, config: ScheduleConfig, known: bool) -> None:
        self.clock = FakeClock()
        self.person = ScriptedPerson(self.clock, known=known)
        self.scheduler = CheckedScheduler(config, self.clock, self.person)
        self.scheduler.tick()

    def drive(self, seconds: float) -> None:
        """The app's loop: sleep until the wake-up, tick, act; the model follows the decisions."""
        run_for(self.scheduler, self.clock, seconds)

    # ------------------------------------------------------------------ the person at the desk

    @rule(seconds=durations)
    def types(self, seconds: float) -> None:
        self.person.typing_for(seconds)
        self.scheduler.person_acted()
        self.drive(seconds)

    @rule(seconds=durations)
    def stops_typing(self, seconds: float) -> None:
        """Reading, thinking, or gone for a while: no input at all."""
        self.person.stop()
        self.scheduler.person_acted()
        self.drive(seconds)

    @rule(seconds=short_steps)
    def waits(self, seconds: float) -> None:
        """Time passes with the person doing whatever they were doing."""
        self.drive(seconds)

    @rule(locked=st.booleans())
    def locks_or_unlocks(self, locked: bool) -> None:
        if not locked:
            self.person.touch()  # typing the password
        self.scheduler.person_acted()
        self.scheduler.set_locked(locked)
        self.scheduler.tick()  # the app ticks on every lock change

    @rule(known=st.booleans())
    def idle_source_comes_and_goes(self, known: bool) -> None:
        self.person.known = known

    # ------------------------------------------------------------------ the machine

    @rule(asleep=st.floats(1, 3 * DAY), touch=st.booleans())
    def suspends_and_resumes(self, asleep: float, touch: bool) -> None:
        self.person.stop()
        self.scheduler.suspended()
        self.scheduler.tick()
        self.clock.advance(asleep)
        if touch:
            self.person.touch()  # the key press that woke it
        self.scheduler.resumed()
        self.scheduler.tick()

    @rule(late=st.floats(0, 3 * DAY), touch=st.booleans())
    def sleeps_without_a_word(self, late: float, touch: bool) -> None:
        """The timer fires long after it was due: the machine slept and nobody said so."""
        self.person.stop()
        self.clock.advance_to(self.scheduler.next_wakeup() + late)
        if touch:
            self.person.touch()
        self.scheduler.warped()
        self.scheduler.tick()

    @rule(hours=st.floats(-48, 48).filter(lambda h: abs(h) > 1e-3))
    def wall_clock_jumps(self, hours: float) -> None:
        self.clock.jump_wall(timedelta(hours=hours))
        self.scheduler.warped()

    @rule(on=st.booleans())
    def do_not_disturb(self, on: bool) -> None:
        self.scheduler.set_dnd(on)

    # ------------------------------------------------------------------ settings and answers

    @rule(config=configs)
    def changes_settings(self, config: ScheduleConfig) -> None:
        self.person.touch()  # in the settings window
        self.scheduler.update_config(config)

    @precondition(lambda self: self.scheduler.phase is not Phase.BREAK)
    @rule()
    def asks_for_a_break(self) -> None:
        self.person.touch()
        assert self.scheduler.break_now() is Decision.SHOW_BREAK

    @precondition(lambda self: self.scheduler.window_up)
    @rule(answer=st.sampled_from(["done", "skip"]))
    def answers(self, answer: str) -> None:
        self.person.touch()  # the click
        getattr(self.scheduler, answer)()

    @precondition(lambda self: self.scheduler.status().can_snooze)
    @rule()
    def snoozes(self) -> None:
        self.person.touch()
        self.scheduler.snooze()

    @rule(seconds=st.floats(1 * MIN, 4 * HOUR))
    def pauses_for(self, seconds: float) -> None:
        self.person.touch()
        self.scheduler.pause_for(seconds)

    @rule()
    def pauses_until_tomorrow(self) -> None:
        self.person.touch()
        self.scheduler.pause_until_tomorrow()

    @rule()
    def resumes(self) -> None:
        self.person.touch()
        self.scheduler.resume()

    @invariant()
    def holds_between_steps(self) -> None:
        self.scheduler.check()  # also after the steps that do not touch the scheduler


SchedulerLife.TestCase.settings = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=400,
    stateful_step_count=40,
    suppress_health_check=[HealthCheck.too_slow],
    # No "explain" stage: it traces every line, which is very slow on Python 3.11.
    phases=[Stage.explicit, Stage.reuse, Stage.generate, Stage.shrink],
)
test_scheduler_life = SchedulerLife.TestCase


# ------------------------------------------------------------------ what the properties found
# Each test below pins down one thing the state machine found, as a plain example so that the
# failure reads on its own; the docstring gives the steps Hypothesis shrank it to.


@settings(derandomize=True, database=None, deadline=None, max_examples=100)
@example(mono=32649.373, typed_s=57.387, idle_minutes=5)
@given(mono=st.floats(1e4, 1e7), typed_s=st.floats(0, 600), idle_minutes=st.integers(1, 30))
def test_the_moment_someone_could_count_as_away_never_spins(
    mono: float, typed_s: float, idle_minutes: int
) -> None:
    """At the wake-up asked for "idle_minutes after the last key", the idle time may read a
    hair under the threshold (float rounding); the next wake-up must still move on.

    The state machine hit this once in a long random run (it depends on exact floats); the
    explicit example came from a search over start times: at 33006.759999999995 the idle
    time reads 299.99999999999636 s, so the next wake-up is that same moment, forever."""
    clock = FakeClock(mono=mono)
    person = ScriptedPerson(clock)
    scheduler = BreakScheduler(ScheduleConfig(idle_s=idle_minutes * MIN), clock, person)
    scheduler.tick()
    clock.advance(typed_s)
    person.touch()  # the last key press
    run_for(scheduler, clock, idle_minutes * MIN + 60)
    assert not scheduler.status().present


def make(config: ScheduleConfig | None = None) -> tuple[BreakScheduler, FakeClock, ScriptedPerson]:
    clock = FakeClock()
    person = ScriptedPerson(clock)
    scheduler = BreakScheduler(config or ScheduleConfig(), clock, person)
    scheduler.tick()
    return scheduler, clock, person


def test_done_on_coming_back_to_a_break_window_asks_for_no_wakeup_in_the_past() -> None:
    """The window came up as the person left; back after 5.5 min, they click Done. The
    wake-up is computed from the idle time read at the last tick, before they came back.

    Shrunk by the state machine (idle 60 s): ``sleeps_without_a_word(late=1.0, touch=False)``,
    ``suspends_and_resumes(asleep=1.0, touch=False)``: 1 s in the past after ``resumed()``."""
    scheduler, clock, person = make()
    person.typing_for(50 * MIN + 10)
    run_for(scheduler, clock, 50 * MIN + 30)
    assert scheduler.phase is Phase.BREAK
    person.stop()
    run_for(scheduler, clock, 5.5 * MIN)  # away (the last look read 5.5 min idle), not closed
    person.touch()
    scheduler.done()
    assert scheduler.next_wakeup() >= clock.monotonic()


def test_resumed_after_a_pause_ran_out_in_suspend_asks_for_no_wakeup_in_the_past() -> None:
    """Shrunk by the state machine: ``pauses_for(seconds=60.0)``,
    ``suspends_and_resumes(asleep=61.0, touch=False)``."""
    scheduler, clock, _ = make()
    scheduler.pause_for(60)
    scheduler.suspended()
    scheduler.tick()
    clock.advance(61)
    scheduler.resumed()
    assert scheduler.next_wakeup() >= clock.monotonic()


def test_a_short_suspend_just_after_coming_back_is_not_counted_as_work() -> None:
    """Back after half an hour away, the person closes the lid 5 s later and opens it 4 min
    on. A wake-up asked for in the past (from the idle time read before they came back) made
    the tick after ``resumed()`` look like a sleep nobody announced, and the 4 min suspended
    were counted as active time."""
    scheduler, clock, person = make()
    person.typing_for(10 * MIN)
    run_for(scheduler, clock, 10 * MIN)
    person.stop()
    run_for(scheduler, clock, 30 * MIN)  # away: a natural break, the count is 0
    person.touch()
    clock.advance(5)
    scheduler.suspended()
    scheduler.tick()
    clock.advance(4 * MIN)
    scheduler.resumed()
    scheduler.tick()
    assert scheduler.active_seconds() <= 5


def test_a_break_asked_for_during_a_pause_on_a_locked_screen_counts_no_locked_time() -> None:
    """Shrunk by the state machine: ``pauses_until_tomorrow()``,
    ``locks_or_unlocks(locked=True)``, ``asks_for_a_break()`` (e.g. ``unclench break`` run
    from a terminal while the screen is locked)."""
    scheduler, clock, _ = make()
    scheduler.pause_for(30 * MIN)
    scheduler.set_locked(True)
    scheduler.tick()
    scheduler.break_now()
    clock.advance(MIN)
    scheduler.tick()
    status = scheduler.status()
    assert status.locked
    assert not status.present
    assert status.active_s == 0


def test_locking_and_unlocking_during_a_pause_leaves_the_count_alone() -> None:
    """Shrunk by the state machine: ``pauses_until_tomorrow()``,
    ``suspends_and_resumes(asleep=1.0, touch=False)``, ``types(seconds=1.0)``,
    ``pauses_until_tomorrow()``: active time grew by 1 s while paused."""
    scheduler, clock, person = make()
    person.typing_for(10 * MIN)
    run_for(scheduler, clock, 10 * MIN)
    scheduler.pause_for(HOUR)
    before = scheduler.status().active_s
    scheduler.set_locked(True)
    scheduler.set_locked(False)
    clock.advance(20 * MIN)
    scheduler.set_locked(True)
    assert scheduler.status().active_s == before
