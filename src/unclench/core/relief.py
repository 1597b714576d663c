"""Which areas lowered this person's tension: the check-ins summed up, and the choice weights.

A break counts here only when the person answered the check-in both before and after it.
The weights feed the chooser (areas that helped come up more often) and the History window
reads the same numbers, so what the person sees explains what the app does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from unclench.core.history import BreakRecord

#: Check-ins an area needs before its average is trusted: a prior of this many breaks with no
#: change is mixed in, so one lucky break cannot make an area the favorite.
PRIOR_BREAKS = 3
#: How many times as often as the others the most helpful area may come up ("a little more
#: often", never only those).
MAX_WEIGHT = 2.0
#: Points of average relief that earn the full weight.
FULL_WEIGHT_RELIEF = 2.0


@dataclass(frozen=True, slots=True)
class AreaRelief:
    """The check-ins of one area: how many pairs, and the average before and after."""

    area: str
    checkins: int
    mean_before: float
    mean_after: float

    @property
    def change(self) -> float:
        """Average after minus before: negative when the area lowered tension."""
        return self.mean_after - self.mean_before

    @property
    def trusted_relief(self) -> float:
        """The average drop, shrunk towards zero while there are few check-ins."""
        return -self.change * self.checkins / (self.checkins + PRIOR_BREAKS)


def area_relief(records: Iterable[BreakRecord]) -> dict[str, AreaRelief]:
    """Per area, the breaks with both check-ins; areas without any are left out."""
    sums: dict[str, list[int]] = {}
    for record in records:
        if record.area is None or record.tension_before is None or record.tension_after is None:
            continue
        total = sums.setdefault(record.area, [0, 0, 0])
        total[0] += 1
        total[1] += record.tension_before
        total[2] += record.tension_after
    return {
        area: AreaRelief(area, n, before / n, after / n)
        for area, (n, before, after) in sums.items()
    }


def area_weights(relief: Mapping[str, AreaRelief]) -> dict[str, float]:
    """Choice weights from 1 (no data, or no relief) to :data:`MAX_WEIGHT`.

    An area whose breaks never lowered tension keeps weight 1, like an area never rated: the
    check-in can only make an area come up more often, never push one out.
    """
    weights = {}
    for area, stats in relief.items():
        share = min(1.0, max(0.0, stats.trusted_relief) / FULL_WEIGHT_RELIEF)
        weights[area] = 1.0 + (MAX_WEIGHT - 1.0) * share
    return weights
