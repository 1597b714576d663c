"""Summing up the check-ins per area, and turning them into choice weights."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from unclench.core.history import BreakRecord
from unclench.core.relief import MAX_WEIGHT, AreaRelief, area_relief, area_weights
from unclench.core.scheduler import Outcome

START = datetime(2026, 11, 1, 9, tzinfo=UTC)


def checkin(area: str | None, before: int | None, after: int | None, n: int = 0) -> BreakRecord:
    return BreakRecord(
        started_at=START + timedelta(hours=n),
        outcome=Outcome.DONE,
        area=area,
        tension_before=before,
        tension_after=after,
    )


def test_only_breaks_with_both_check_ins_count() -> None:
    relief = area_relief(
        [
            checkin("temples", 6, 3),
            checkin("temples", 8, 4),
            checkin("temples", 7, None),
            checkin("temples", None, 2),
            checkin("hands", None, None),
            checkin(None, 5, 1),
        ]
    )
    assert set(relief) == {"temples"}
    temples = relief["temples"]
    assert temples.checkins == 2
    assert temples.mean_before == pytest.approx(7.0)
    assert temples.mean_after == pytest.approx(3.5)
    assert temples.change == pytest.approx(-3.5)


def test_few_check_ins_are_trusted_less_than_many() -> None:
    one = AreaRelief("a", 1, 8.0, 4.0)
    many = AreaRelief("b", 12, 8.0, 4.0)
    assert 0 < one.trusted_relief < many.trusted_relief < 4.0


def test_no_data_and_no_relief_weigh_the_same_as_nothing_known() -> None:
    weights = area_weights(
        {"worse": AreaRelief("worse", 10, 3.0, 6.0), "same": AreaRelief("same", 10, 5.0, 5.0)}
    )
    assert weights == {"worse": 1.0, "same": 1.0}
    assert area_weights({}) == {}


def test_more_relief_weighs_more_up_to_the_cap() -> None:
    weights = area_weights(
        {
            "little": AreaRelief("little", 20, 5.0, 4.5),
            "more": AreaRelief("more", 20, 6.0, 4.5),
            "lots": AreaRelief("lots", 20, 9.0, 1.0),
        }
    )
    assert 1.0 < weights["little"] < weights["more"] < weights["lots"]
    assert weights["lots"] == MAX_WEIGHT
