"""A plain re-implementation of the counting rules, to check how many breaks the scheduler offers.

It walks through a known timeline (stretches at the desk and the absences between them)
instead of reading an idle source tick by tick, so it shares no code and no state machine
with ``unclench.core.scheduler``. The rules, from docs/scheduling.md:

* a gap shorter than ``idle_s`` counts as active (reading, thinking);
* a longer gap is an absence: the idle minutes are taken back; if it is at least ``break_s``
  it is a natural break (the count starts again), otherwise the count is frozen;
* a break is due when the count reaches the target; answered "done" or "skip" at once, the
  count starts again; "snooze" puts it off by ``snooze_s`` of active time.

Two things are left open by the rules, so a test can bracket the scheduler between the best
and the worst case they allow: how late a return from an absence is noticed (at the next away
poll, which comes a tenth of the absence so far later, 30 s to 5 min) and how long a due
break waits for a lull in typing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from unclench.core.scheduler import ABANDON_MIN_S, AWAY_POLL_MAX_S, AWAY_POLL_S, ScheduleConfig

#: The person's answer to each break, in order: "done", "skip" or "snooze" (the argument says
#: whether a snooze is still offered). A break found on coming back is taken ("done"), and
#: its answer is drawn all the same, so that both sides draw one answer per break.
Answerer = Callable[[bool], str]


@dataclass(frozen=True, slots=True)
class Absence:
    """The time between two stretches at the desk, and what the machine did meanwhile."""

    start: float  # the last input before leaving
    end: float  # the first input on coming back
    #: Seconds after ``start`` at which the screen was locked or the machine went to sleep;
    #: None when it was left running. Only used for absences longer than a break.
    screen_off_after: float | None = None


@dataclass
class BreakOracle:
    """Counts the breaks a timeline should bring; see the module docstring."""

    config: ScheduleConfig
    answer: Answerer
    late_returns: bool = False  # False: a return is noticed at once; True: a poll later
    lull_wait_s: float = 0.0  # 0: a due break is shown at once
    shown_at: list[float] = field(default_factory=list)  # monotonic times of the breaks
    count_s: float = 0.0
    target_s: float = 0.0
    snoozes: int = 0

    def __post_init__(self) -> None:
        self._fresh()

    def _fresh(self) -> None:
        self.count_s = 0.0
        self.target_s = self.config.interval_s
        self.snoozes = 0

    def run(self, stretches: Sequence[tuple[float, float]], absences: Sequence[Absence]) -> int:
        """Breaks shown over ``stretches`` at the desk, with ``absences[i]`` before
        ``stretches[i + 1]``; returns the number of breaks offered."""
        assert len(absences) == len(stretches) - 1
        for i, (start, end) in enumerate(stretches):
            late = 0.0
            if i > 0:
                late = self._absence(absences[i - 1])
            self._present(start + late, end)
        return len(self.shown_at)

    def _present(self, start: float, end: float) -> None:
        """The person is here from ``start`` to ``end``; every due break is answered at once."""
        at = start
        while end > at and self.count_s + (end - at) >= self.target_s:
            at += self.target_s - self.count_s
            self.count_s = self.target_s
            waited = min(self.lull_wait_s, end - at)  # still typing: active time goes on
            at += waited
            self.count_s += waited
            self.shown_at.append(at)
            if self.answer(self.snoozes < self.config.max_snoozes) == "snooze":
                self.snoozes += 1
                self.target_s = self.count_s + self.config.snooze_s
            else:
                self._fresh()
        self.count_s += max(0.0, end - at)

    def _absence(self, absence: Absence) -> float:
        """Applies one gap; returns how much of the next stretch goes unnoticed."""
        config = self.config
        gap = absence.end - absence.start
        off = absence.screen_off_after
        if off is None and gap < config.idle_s:
            self._present(absence.start, absence.end)  # reading, thinking: still at the desk
            return 0.0
        # Until the idle minutes have passed (or the screen goes off) nobody can tell a
        # pause from an absence, so a break may fall due in that window; the person finds
        # it on their return (or it closes itself), and the count starts again.
        window = min(gap if off is None else off, config.idle_s)
        late = 0.0  # an unlock or a resume is reported at once
        if off is None and self.late_returns:
            late = min(AWAY_POLL_MAX_S, max(AWAY_POLL_S, gap / 10))
        if self.count_s + window >= self.target_s:
            self.shown_at.append(absence.start + self.target_s - self.count_s)
            self.answer(False)  # not heard: they take it when they are back (done)
            self._fresh()
            closes_after = max(ABANDON_MIN_S, config.idle_s) + config.break_s
            return 0.0 if off is None and gap < closes_after else late
        if gap >= config.break_s:
            self._fresh()  # a natural break
        # else: a short absence freezes the count (the idle minutes are taken back)
        return late
