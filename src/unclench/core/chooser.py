"""Which technique to show: preferred areas only, rotating, never the same one twice running.

Areas whose breaks lowered the person's tension (their check-ins, see ``core.relief``) come
round sooner; with no check-ins every area has the same weight and the rotation is even.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping, Sequence

from unclench.core.break_content import is_offered
from unclench.core.catalogue import Catalogue, Technique
from unclench.core.i18n import _
from unclench.core.settings import AboutMeSettings, TechniqueSettings

#: Nothing told in About me: every technique may be offered.
NOTHING_TOLD = AboutMeSettings()

#: How many recent picks the chooser remembers; enough to rotate through every technique.
MEMORY = 64


class NoTechniqueError(Exception):
    """No technique fits the settings (cannot happen with the shipped catalogue)."""


def floor_span(area_count: int) -> int:
    """Every preferred area comes up at least once in any run of this many picks."""
    return 2 * area_count


class TechniqueChooser:
    """Rotates across the preferred areas, and within an area across its techniques.

    Never-shown areas come first. After that each area's claim is its weight times the
    number of picks since it was last shown, so an area of weight 2 comes back about twice as
    soon; equal weights give a plain rotation. Two rules override the weights: the last area
    is not picked again while another fits, and an area unseen for half of
    :func:`floor_span` picks is due (the oldest first), so none is crowded out. Within the
    area, the technique shown longest ago; the last technique is never picked again unless
    it is the only one that fits. Ties go to the random source.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        rng: random.Random,
        recent: Iterable[str] = (),
        weights: Mapping[str, float] | None = None,
    ) -> None:
        self._catalogue = catalogue
        self._rng = rng
        self._recent: list[str] = list(recent)[-MEMORY:]  # technique ids, oldest first
        self._weights: dict[str, float] = dict(weights or {})

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue

    @property
    def weights(self) -> Mapping[str, float]:
        return self._weights

    def set_weights(self, weights: Mapping[str, float]) -> None:
        """Area weights (1 = the usual share); areas left out weigh 1."""
        self._weights = dict(weights)

    def candidates(
        self,
        prefs: TechniqueSettings,
        about: AboutMeSettings = NOTHING_TOLD,
        *,
        calming: bool = False,
    ) -> list[Technique]:
        """Techniques that fit the settings. Discreet-only is dropped if it leaves nothing.

        ``calming``: only techniques marked calming; from the chosen areas when they have
        one, else from any area, as a calming break is asked for there and then.
        """
        fitting = self._fitting(prefs, about, areas=prefs.areas)
        if calming:
            fitting = [t for t in fitting if t.calming] or [
                t for t in self._fitting(prefs, about) if t.calming
            ]
        discreet = [t for t in fitting if t.discreet]
        return discreet if prefs.discreet_only and discreet else fitting

    def lacks_discreet(
        self,
        prefs: TechniqueSettings,
        about: AboutMeSettings = NOTHING_TOLD,
        *,
        calming: bool = False,
    ) -> bool:
        """Discreet-only is on but nothing discreet fits, so breaks show what does fit."""
        if not prefs.discreet_only:
            return False
        return not any(t.discreet for t in self.candidates(prefs, about, calming=calming))

    def _fitting(
        self,
        prefs: TechniqueSettings,
        about: AboutMeSettings,
        areas: Collection[str] | None = None,
    ) -> list[Technique]:
        owned = set(prefs.props)
        return [
            t
            for t in self._catalogue
            if (areas is None or t.area in areas)
            and set(t.props) <= owned
            and is_offered(t, self._catalogue.area(t.area), about)
        ]

    def choose(
        self,
        prefs: TechniqueSettings,
        about: AboutMeSettings = NOTHING_TOLD,
        *,
        calming: bool = False,
        exclude: Sequence[str] = (),
    ) -> Technique:
        """Pick the next technique and remember it. ``exclude``: ids to avoid ("Another one")."""
        pool = self.candidates(prefs, about, calming=calming)
        if not pool:
            raise NoTechniqueError(_("No technique fits the chosen areas."))
        avoid = set(exclude)
        if self._recent:
            avoid.add(self._recent[-1])
        fresh = [t for t in pool if t.id not in avoid] or pool
        area = self._next_area(sorted({t.area for t in fresh}))
        in_area = [t for t in fresh if t.area == area]
        last_seen = {tid: i for i, tid in enumerate(self._recent)}
        pick_id = self._oldest([t.id for t in in_area], last_seen)
        pick = next(t for t in in_area if t.id == pick_id)
        self.remember(pick.id)
        return pick

    def remember(self, technique_id: str) -> None:
        self._recent.append(technique_id)
        del self._recent[:-MEMORY]

    def _area_last_seen(self) -> dict[str, int]:
        seen: dict[str, int] = {}
        for i, tid in enumerate(self._recent):
            technique = self._catalogue.get(tid)
            if technique is not None:
                seen[technique.area] = i
        return seen

    def _next_area(self, areas: Sequence[str]) -> str:
        last_seen = self._area_last_seen()
        never = [a for a in areas if a not in last_seen]
        if never:
            return self._rng.choice(never)
        due_after = floor_span(len(areas)) // 2
        last_area = max(last_seen, key=last_seen.__getitem__)
        if len(areas) > 1:
            areas = [a for a in areas if a != last_area]
        picks = len(self._recent)
        age = {a: picks - last_seen[a] for a in areas}
        # Overdue areas are served oldest first: one that becomes overdue waits behind at most
        # the others, so no area is unseen for a whole span.
        overdue = [a for a in areas if age[a] > due_after]
        if overdue:
            return self._oldest(overdue, last_seen)
        claim = {a: self._weights.get(a, 1.0) * age[a] for a in areas}
        best = max(claim.values())
        return self._rng.choice([a for a in areas if claim[a] == best])

    def _oldest(self, keys: Sequence[str], last_seen: dict[str, int]) -> str:
        """The key seen longest ago (never seen counts as oldest); ties go to the rng."""
        age = {k: last_seen.get(k, -1) for k in keys}
        lowest = min(age.values())
        return self._rng.choice([k for k in keys if age[k] == lowest])
