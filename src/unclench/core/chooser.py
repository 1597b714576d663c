"""Which technique to show: preferred areas only, rotating, never the same one twice running."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from unclench.core.catalogue import Catalogue, Technique
from unclench.core.settings import TechniqueSettings

#: How many recent picks the chooser remembers; enough to rotate through every technique.
MEMORY = 64


class NoTechniqueError(Exception):
    """No technique fits the settings (cannot happen with the shipped catalogue)."""


class TechniqueChooser:
    """Rotates across the preferred areas, and within an area across its techniques.

    The next area is the one shown longest ago (never-shown areas first, ties broken by the
    random source); within it, the technique shown longest ago. The last technique is never
    picked again unless it is the only one that fits.
    """

    def __init__(
        self, catalogue: Catalogue, rng: random.Random, recent: Iterable[str] = ()
    ) -> None:
        self._catalogue = catalogue
        self._rng = rng
        self._recent: list[str] = list(recent)[-MEMORY:]  # technique ids, oldest first

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue

    def candidates(self, prefs: TechniqueSettings) -> list[Technique]:
        """Techniques that fit the settings. Discreet-only is dropped if it leaves nothing."""
        owned = set(prefs.props)
        fitting = [t for t in self._catalogue if t.area in prefs.areas and set(t.props) <= owned]
        discreet = [t for t in fitting if t.discreet]
        return discreet if prefs.discreet_only and discreet else fitting

    def choose(self, prefs: TechniqueSettings, *, exclude: Sequence[str] = ()) -> Technique:
        """Pick the next technique and remember it. ``exclude``: ids to avoid ("Another one")."""
        pool = self.candidates(prefs)
        if not pool:
            raise NoTechniqueError("No technique fits the chosen areas.")
        avoid = set(exclude)
        if self._recent:
            avoid.add(self._recent[-1])
        fresh = [t for t in pool if t.id not in avoid] or pool
        area = self._oldest(sorted({t.area for t in fresh}), self._area_last_seen())
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

    def _oldest(self, keys: Sequence[str], last_seen: dict[str, int]) -> str:
        """The key seen longest ago (never seen counts as oldest); ties go to the rng."""
        age = {k: last_seen.get(k, -1) for k in keys}
        lowest = min(age.values())
        return self._rng.choice([k for k in keys if age[k] == lowest])
