"""Soak: a simulated month of desk work, with every invariant checked at every tick and the
number of breaks compared with a plain re-implementation of the counting rules.

The person works in a realistic rhythm (``helpers.workpattern.month_of_work``), locks the
screen for some meetings and lunches, and at night leaves the machine running, suspends it,
or lets it fall asleep without a word. Breaks shown while they are at the desk are answered
at once (mostly done, sometimes skip or snooze); one shown as they leave is found on their
return and taken. ``BreakOracle`` counts the breaks the same timeline should bring, once with
every return and every break noticed at once (an upper bound) and once as late as the rules
allow (the slowest away poll, the longest wait for a lull: a lower bound).
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
from dataclasses import dataclass, field

import pytest

from unclench.core.scheduler import (
    LULL_CAP_S,
    LULL_S,
    Decision,
    ScheduleConfig,
)

from helpers.checked_scheduler import CheckedScheduler
from helpers.drive import run_for
from helpers.fakes import FakeClock
from helpers.oracle import Absence, BreakOracle
from helpers.workpattern import DAY, WorkPattern, month_of_work

MIN = 60.0
HOUR = 3600.0
DAYS = 30
SEEDS = (1, 2, 3, 4)
CONFIGS = {
    "defaults": ScheduleConfig(),
    # A break longer than the idle threshold: absences between the two freeze the count.
    "long-break": ScheduleConfig(
        interval_s=25 * MIN, break_s=300, idle_s=2 * MIN, snooze_s=5 * MIN
    ),
    "patient": ScheduleConfig(
        interval_s=90 * MIN, break_s=30, idle_s=15 * MIN, snooze_s=20 * MIN, max_snoozes=1
    ),
}
#: Consecutive ticks at one moment before we call it a busy loop (as helpers.drive does).
STUCK_TICKS = 10
INF = float("inf")


class Person:
    """Answers a break shown at the desk: mostly done, sometimes skip or snooze."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def __call__(self, can_snooze: bool) -> str:
        answer = self._rng.choices(["done", "skip", "snooze"], weights=[7, 2, 2])[0]
        return "skip" if answer == "snooze" and not can_snooze else answer


@dataclass
class Month:
    """A month of work: the idle source, and what the machine did in each absence."""

    pattern: WorkPattern
    absences: list[Absence] = field(default_factory=list)
    how: list[str] = field(default_factory=list)  # "idle", "lock", "suspend" or "sleep"

    def away_until(self, t: float, idle_s: float) -> float | None:
        """When the person comes back, if they are away at ``t`` (a pause shorter than
        ``idle_s`` with the screen on is reading, not being away); None at the desk."""
        i = bisect.bisect_right(self.pattern.intervals, (t, INF)) - 1
        if i < 0 or i >= len(self.absences) or t <= self.pattern.intervals[i][1]:
            return None
        absence = self.absences[i]
        if self.how[i] == "idle" and absence.end - absence.start < idle_s:
            return None
        return absence.end

    def shell_events(self) -> list[tuple[float, str]]:
        """What the shell reports to the app (lock, suspend...), in time order."""
        events: list[tuple[float, str]] = []
        for absence, how in zip(self.absences, self.how, strict=True):
            off = absence.screen_off_after
            if how == "lock":
                events += [(absence.start, "lock"), (absence.end, "unlock")]
            elif how == "suspend" and off is not None:
                events += [(absence.start + off, "suspend"), (absence.end, "resume")]
            elif how == "sleep" and off is not None:
                events += [(absence.start + off, "sleep"), (absence.end, "wake")]
        return sorted(events)


def make_month(clock: FakeClock, seed: int) -> Month:
    rng = random.Random(seed)
    pattern = month_of_work(clock, rng, days=DAYS)
    # The scheduler starts at 09:00 on day one: work before that is not its to count.
    start = clock.monotonic()
    pattern.intervals = [(max(s, start), e) for s, e in pattern.intervals if e > start]
    month = Month(pattern)
    for (_, left), (back, _) in itertools.pairwise(pattern.intervals):
        gap = back - left
        how, off = "idle", None
        if gap >= 6 * HOUR:  # a night or a weekend
            how = rng.choices(["idle", "suspend", "sleep"], weights=[4, 3, 3])[0]
            off = {"idle": None, "suspend": rng.uniform(0, 60), "sleep": rng.uniform(60, 3600)}[how]
        elif gap >= 30 * MIN and rng.random() < 0.5:  # lunch, a meeting room
            how, off = "lock", 0.0
        month.absences.append(Absence(left, back, off))
        month.how.append(how)
    return month


@dataclass
class Soak:
    """Runs the scheduler through a month as the app does; CheckedScheduler checks each step."""

    config: ScheduleConfig
    seed: int
    clock: FakeClock = field(default_factory=FakeClock)
    shown_at: list[float] = field(default_factory=list)
    answers: dict[str, int] = field(
        default_factory=lambda: {"done": 0, "skip": 0, "snooze": 0, "on return": 0}
    )
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.month = make_month(self.clock, self.seed)
        self.scheduler = CheckedScheduler(self.config, self.clock, self.month.pattern)
        self.person = Person(self.seed)
        self.asleep = False  # the machine sleeps: no timer fires until it wakes
        self.answer_at: float | None = None  # back to a window that came up as they left

    def run(self) -> Soak:
        started = time.perf_counter()
        clock, scheduler = self.clock, self.scheduler
        events = self.month.shell_events()
        end = clock.monotonic() + DAYS * DAY
        stuck = 0
        scheduler.tick()
        while True:
            event_at = events[0][0] if events else INF
            wake = INF if self.asleep else scheduler.next_wakeup()
            at = min(wake, event_at, INF if self.answer_at is None else self.answer_at)
            if at > end:
                break
            stuck = stuck + 1 if at <= clock.monotonic() else 0
            assert stuck < STUCK_TICKS, "the scheduler keeps asking to wake up now: a busy loop"
            clock.advance_to(at)
            if event_at <= at:
                self.shell_event(events.pop(0)[1])
            elif self.answer_at is not None and self.answer_at <= at:
                self.back_at_the_window()
            else:
                self.tick()
        assert len(self.shown_at) == scheduler.offered
        self.seconds = time.perf_counter() - started
        return self

    def tick(self) -> None:
        now = self.clock.monotonic()
        if self.month.away_until(now, self.config.idle_s) is None:
            self.scheduler.person_acted()  # typing away
        decision = self.scheduler.tick()
        if decision is Decision.CLOSE_BREAK:
            self.answer_at = None
        elif decision is Decision.SHOW_BREAK:
            self.shown_at.append(now)
            answer = self.person(self.scheduler.status().can_snooze)
            self.answer_at = self.month.away_until(now, self.config.idle_s)
            if self.answer_at is None:  # at the desk: answered at once
                self.answers[answer] += 1
                getattr(self.scheduler, answer)()

    def back_at_the_window(self) -> None:
        self.answer_at = None
        if self.scheduler.window_up:
            self.scheduler.done()  # they were away: that was their break
            self.answers["on return"] += 1

    def shell_event(self, what: str) -> None:
        """Carries out what the shell reports, as the app does (it ticks after each)."""
        scheduler = self.scheduler
        self.asleep = what in ("suspend", "sleep")
        if what == "sleep":
            return  # nobody is told
        if what == "lock":
            scheduler.set_locked(True)
        elif what == "unlock":
            scheduler.set_locked(False)
        elif what == "suspend":
            scheduler.suspended()
        elif what == "resume":
            scheduler.resumed()
        elif what == "wake":
            scheduler.warped()  # the timer fires late: the machine slept without a word
        scheduler.tick()


def oracle_bounds(month: Month, config: ScheduleConfig, seed: int) -> tuple[int, int]:
    """The breaks the month should bring: at best (all noticed at once) and at worst."""
    stretches = month.pattern.intervals
    best = BreakOracle(config, Person(seed)).run(stretches, month.absences)
    # Typing in bursts: a lull of LULL_S comes at most one burst later.
    longest_lull_wait = min(LULL_CAP_S, month.pattern.burst + LULL_S)
    worst = BreakOracle(
        config,
        Person(seed),
        late_returns=True,
        lull_wait_s=longest_lull_wait,
    ).run(stretches, month.absences)
    return best, worst


@pytest.mark.parametrize("name", list(CONFIGS))
@pytest.mark.parametrize("seed", SEEDS)
def test_a_month_of_work_offers_the_breaks_the_rules_call_for(name: str, seed: int) -> None:
    """Every invariant holds at every tick of a month, and the break count is the oracle's."""
    config = CONFIGS[name]
    soak = Soak(config, seed).run()
    month, scheduler = soak.month, soak.scheduler
    best, worst = oracle_bounds(month, config, seed)
    shown = len(soak.shown_at)
    active_h = sum(e - s for s, e in month.pattern.intervals) / HOUR
    print(
        f"\n{name} seed {seed}: {DAYS} days, {active_h:.0f} h at the desk, "
        f"{len(month.absences)} absences, {scheduler.ticks} ticks in {soak.seconds:.2f} s; "
        f"breaks shown {shown} (oracle {worst}..{best}), {scheduler.closed} closed unanswered; "
        f"answers {soak.answers}"
    )
    # The bounds are not strict: one break more or less early on (say one that falls due in
    # the idle minutes before an absence in one case and not in the other) shifts all later
    # breaks. Over 90 simulated months this moved the count outside the bounds twice, by one.
    assert worst - 1 <= shown <= best + 1
    assert scheduler.ticks / DAYS < 500, "a few hundred wake-ups a day at most"


def steady_typing(clock: FakeClock, rng: random.Random, hours: float) -> WorkPattern:
    """Typing without a natural break: stretches of work with short pauses between them."""
    pattern = WorkPattern(clock)
    t, end = clock.monotonic(), clock.monotonic() + hours * HOUR
    while t < end:
        stretch = rng.uniform(30, 600)
        pattern.intervals.append((t, min(t + stretch, end)))
        t += stretch + rng.uniform(5, 40)  # shorter than any idle threshold
    return pattern


@pytest.mark.parametrize("interval_minutes", [10, 50, 120])
def test_without_natural_breaks_there_is_one_break_per_interval(interval_minutes: int) -> None:
    """Continuous typing with short lulls: 60/interval breaks per active hour, within 5 %."""
    config = ScheduleConfig(interval_s=interval_minutes * MIN)
    hours = 100.0
    clock = FakeClock()
    pattern = steady_typing(clock, random.Random(interval_minutes), hours)
    scheduler = CheckedScheduler(config, clock, pattern)
    scheduler.tick()

    def take(decision: Decision) -> None:
        if decision is Decision.SHOW_BREAK:
            scheduler.done()

    run_for(scheduler, clock, hours * HOUR, on_decision=take)
    per_hour = scheduler.offered / hours
    expected = 60 / interval_minutes
    print(f"\ninterval {interval_minutes} min: {per_hour:.3f} breaks an hour ({expected:.3f})")
    assert per_hour == pytest.approx(expected, rel=0.05)
