"""A believable month of breaks, for History window tests and screenshots.

Seeded, so every run draws the same month. Neck and shoulders help this imaginary person most,
the temples a little, the hands hardly at all; about half the breaks have both check-ins.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from unclench.core.history import BreakRecord, History
from unclench.core.scheduler import Outcome

#: Average drop in tension per area for the sample person.
RELIEF = {"neck_shoulders": 2.2, "temples": 1.2, "scalp": 1.0, "hands": 0.3, "feet": 0.8}
TECHNIQUES = {
    "neck_shoulders": "neck-opposite-shoulder",
    "temples": "temples-palm-press",
    "scalp": "scalp-both-hands",
    "hands": "hands-thumb-palm",
    "feet": "feet-sole-press",
}


def sample_records(now: datetime, days: int = 30, seed: int = 30) -> list[BreakRecord]:
    """Breaks on weekdays between 09:00 and 18:00 of the ``days`` days up to ``now``."""
    rng = random.Random(seed)
    records = []
    for back in range(days - 1, -1, -1):
        day = (now - timedelta(days=back)).replace(hour=9, minute=0, second=0, microsecond=0)
        if day.weekday() >= 5:
            continue
        for slot in range(rng.randint(3, 7)):
            started = day + timedelta(minutes=slot * 70 + rng.randint(0, 30))
            if started >= now:
                break
            area = rng.choice(list(RELIEF))
            outcome = rng.choices(
                [Outcome.DONE, Outcome.SNOOZED, Outcome.SKIPPED, Outcome.MISSED], [12, 4, 3, 1]
            )[0]
            before = after = None
            if outcome is Outcome.DONE and rng.random() < 0.6:
                before = rng.randint(4, 8)
                after = max(0, min(10, round(before - RELIEF[area] + rng.uniform(-1, 1))))
            records.append(
                BreakRecord(
                    started_at=started,
                    outcome=outcome,
                    technique_id=TECHNIQUES[area],
                    area=area,
                    tension_before=before,
                    tension_after=after,
                    duration_s=rng.uniform(45, 100) if outcome is Outcome.DONE else None,
                )
            )
    return records


def fill(history: History, now: datetime, days: int = 30, seed: int = 30) -> list[BreakRecord]:
    records = sample_records(now, days, seed)
    for record in records:
        history.add(record)
    return records
