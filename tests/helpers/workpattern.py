"""A month of realistic desk work as an idle source: days, meetings, lunch, typing rhythm."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field

from helpers.fakes import FakeClock

DAY = 24 * 3600.0


@dataclass
class WorkPattern:
    """Presence intervals (monotonic seconds) with a typing rhythm inside them.

    Inside an interval the person types for ``burst`` seconds, then pauses for ``gap``
    (a lull); outside, idle grows from the end of the last interval.
    """

    clock: FakeClock
    intervals: list[tuple[float, float]] = field(default_factory=list)
    burst: float = 25.0
    gap: float = 8.0
    readings: int = 0

    @property
    def name(self) -> str:
        return "work-pattern"

    def idle_seconds(self) -> float | None:
        self.readings += 1
        now = self.clock.monotonic()
        i = bisect.bisect_right(self.intervals, (now, float("inf"))) - 1
        if i < 0:
            return 3600.0
        start, end = self.intervals[i]
        if now > end:
            return now - end
        phase = (now - start) % (self.burst + self.gap)
        return 0.0 if phase < self.burst else phase - self.burst

    def active_seconds(self) -> float:
        return sum(end - start for start, end in self.intervals)


def month_of_work(clock: FakeClock, rng: random.Random, days: int = 30) -> WorkPattern:
    """Weekdays 8:30-9:30 to 17:00-18:30, with reading pauses, meetings and lunch."""
    pattern = WorkPattern(clock)
    day0 = clock.monotonic()
    for day in range(days):
        weekday = (clock.now().weekday() + day) % 7
        base = day0 + day * DAY
        if weekday >= 5:  # the odd weekend session
            if rng.random() < 0.2:
                start = base + rng.uniform(10, 16) * 3600
                pattern.intervals.append((start, start + rng.uniform(0.3, 1.5) * 3600))
            continue
        t = base + rng.uniform(-0.5, 0.5) * 3600  # clock starts at 9:00
        end_of_day = base + rng.uniform(8, 9.5) * 3600
        lunch_done = False
        while t < end_of_day:
            block = rng.uniform(10, 80) * 60
            pattern.intervals.append((t, min(t + block, end_of_day)))
            t += block
            roll = rng.random()
            if not lunch_done and t > base + 3 * 3600:
                t += rng.uniform(30, 60) * 60
                lunch_done = True
            elif roll < 0.5:
                t += rng.uniform(0.5, 4) * 60  # reading, thinking: under the idle threshold
            elif roll < 0.8:
                t += rng.uniform(5, 15) * 60  # coffee, a chat
            else:
                t += rng.uniform(30, 60) * 60  # a meeting room
    return pattern
