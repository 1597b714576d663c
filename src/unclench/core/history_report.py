"""What the History window and ``unclench history --json`` show: a period of breaks summed up.

Per day: breaks taken, snoozed, skipped (and missed while away). Per area: the average
tension before and after, from the check-ins. And a few plain sentences. The wording keeps
to facts: no streaks, no scores, nothing to feel guilty about.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from fractions import Fraction

from unclench.core.catalogue import Catalogue
from unclench.core.history import BreakRecord, History, record_to_json
from unclench.core.i18n import N_, _, ngettext
from unclench.core.locale_format import format_decimal
from unclench.core.periods import DEFAULT_PERIOD, PERIODS
from unclench.core.relief import AreaRelief, area_relief
from unclench.core.scheduler import Outcome

__all__ = ["DEFAULT_PERIOD", "PERIODS"]  # the window reads them from here
#: The summary names an area only when its breaks with both check-ins number at least this...
STANDOUT_MIN_BREAKS = 3
#: ...and their tension fell by at least this many points on average (0 to 10 scale; the drop
#: is before minus after).
STANDOUT_MIN_DROP = 1
#: The summary's last sentence when no area meets both.
NO_STANDOUT = N_("No area stands out yet.")

CSV_COLUMNS = (
    "id",
    "started_at",
    "area",
    "technique_id",
    "outcome",
    "tension_before",
    "tension_after",
    "duration_s",
)


@dataclass(frozen=True, slots=True)
class DayCount:
    """The breaks of one local calendar day, by how they ended."""

    day: date
    done: int = 0
    snoozed: int = 0
    skipped: int = 0
    missed: int = 0

    @property
    def total(self) -> int:
        return self.done + self.snoozed + self.skipped + self.missed


@dataclass(frozen=True, slots=True)
class AreaSummary:
    """One area over the period: how many breaks, and its check-ins if it has any."""

    area: str
    name: str
    breaks: int
    relief: AreaRelief | None


@dataclass(frozen=True, slots=True)
class Standout:
    """The area whose tension fell most on average: see :data:`STANDOUT_MIN_BREAKS`."""

    area: str
    name: str
    breaks: int  # with both check-ins
    average_drop: Fraction  # exact: every check-in is a whole number


@dataclass(frozen=True, slots=True)
class HistoryReport:
    days: int
    first_day: date
    last_day: date
    per_day: tuple[DayCount, ...]
    per_area: tuple[AreaSummary, ...]
    summary: tuple[str, ...]
    standout: Standout | None = None

    def totals(self) -> DayCount:
        """The whole period as one count (its ``day`` is the last day)."""
        return DayCount(
            self.last_day,
            done=sum(d.done for d in self.per_day),
            snoozed=sum(d.snoozed for d in self.per_day),
            skipped=sum(d.skipped for d in self.per_day),
            missed=sum(d.missed for d in self.per_day),
        )

    def to_json(self) -> dict[str, object]:
        """Plain JSON types only; dates as ISO 8601, averages rounded to 0.1."""
        totals = self.totals()
        return {
            "days": self.days,
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "totals": _counts(totals),
            "per_day": [{"date": d.day.isoformat(), **_counts(d)} for d in self.per_day],
            "per_area": [_area_json(a) for a in self.per_area],
            "summary": list(self.summary),
            "standout": _standout_json(self.standout),
        }


def period_start(now: datetime, days: int) -> datetime:
    """Local midnight at the start of the period of ``days`` days that ends today."""
    first = now.date() - timedelta(days=days - 1)
    return datetime(first.year, first.month, first.day, tzinfo=now.tzinfo)


def build_report(
    records: Iterable[BreakRecord],
    *,
    now: datetime,
    days: int,
    area_name: Callable[[str], str],
    area_order: Sequence[str] = (),
) -> HistoryReport:
    """Sum up the breaks of the ``days`` local days up to and including ``now``'s day.

    ``now`` must carry the zone the days are counted in. Records outside the period are
    ignored, so the caller may pass more than it needs.
    """
    if now.tzinfo is None:
        raise ValueError("the report needs an aware 'now' to know where days begin")
    if days < 1:
        raise ValueError("a report covers at least one day")
    zone: tzinfo = now.tzinfo
    last_day = now.date()
    first_day = last_day - timedelta(days=days - 1)
    tallies = {first_day + timedelta(days=i): [0, 0, 0, 0] for i in range(days)}
    kept: list[BreakRecord] = []
    for record in records:
        day = record.started_at.astimezone(zone).date()
        if day not in tallies:
            continue
        kept.append(record)
        tallies[day][_SLOT[record.outcome]] += 1
    per_day = tuple(DayCount(day, *counts) for day, counts in tallies.items())
    per_area = _per_area(kept, area_name, area_order)
    standout = _standout(per_area)
    return HistoryReport(
        days=days,
        first_day=first_day,
        last_day=last_day,
        per_day=per_day,
        per_area=per_area,
        summary=tuple(_summary(days, per_day, per_area, standout)),
        standout=standout,
    )


def report_from_history(
    history: History, catalogue: Catalogue, *, now: datetime, days: int
) -> tuple[HistoryReport, list[BreakRecord]]:
    """The report of the ``days`` days up to ``now``, and those days' breaks, oldest first.

    Raises ``HistoryError`` when the history cannot be read.
    """
    records = history.between(period_start(now, days), now + timedelta(days=1))
    report = build_report(
        records,
        now=now,
        days=days,
        area_name=catalogue.area_name,
        area_order=[a.id for a in catalogue.areas],
    )
    return report, records


def history_document(report: HistoryReport, records: Iterable[BreakRecord]) -> dict[str, object]:
    """The report and the breaks together: what an export and ``history --json`` give."""
    return {**report.to_json(), "breaks": [record_to_json(r) for r in records]}


def records_to_csv(records: Iterable[BreakRecord]) -> str:
    """One row per break, times in ISO 8601 with their offset; empty cells for no value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        writer.writerow(
            (
                r.id,
                r.started_at.isoformat(),
                r.area,
                r.technique_id,
                r.outcome.value,
                r.tension_before,
                r.tension_after,
                None if r.duration_s is None else round(r.duration_s, 1),
            )
        )
    return out.getvalue()


# --------------------------------------------------------------------- internals

_SLOT = {Outcome.DONE: 0, Outcome.SNOOZED: 1, Outcome.SKIPPED: 2, Outcome.MISSED: 3}


def _counts(day: DayCount) -> dict[str, int]:
    return {
        "done": day.done,
        "snoozed": day.snoozed,
        "skipped": day.skipped,
        "missed": day.missed,
    }


def _area_json(summary: AreaSummary) -> dict[str, object]:
    relief = summary.relief
    return {
        "area": summary.area,
        "name": summary.name,
        "breaks": summary.breaks,
        "checkins": relief.checkins if relief else 0,
        "tension_before": round(relief.mean_before, 1) if relief else None,
        "tension_after": round(relief.mean_after, 1) if relief else None,
        "change": round(relief.change, 1) if relief else None,
    }


def _per_area(
    records: Sequence[BreakRecord], area_name: Callable[[str], str], order: Sequence[str]
) -> tuple[AreaSummary, ...]:
    breaks: dict[str, int] = {}
    for record in records:
        if record.area is not None and record.outcome is not Outcome.MISSED:
            breaks[record.area] = breaks.get(record.area, 0) + 1
    relief = area_relief(records)
    rank = {area: i for i, area in enumerate(order)}
    areas = sorted(breaks, key=lambda a: (rank.get(a, len(rank)), a))
    return tuple(AreaSummary(a, area_name(a), breaks[a], relief.get(a)) for a in areas)


def _standout_json(standout: Standout | None) -> dict[str, object] | None:
    if standout is None:
        return None
    return {
        "area": standout.area,
        "name": standout.name,
        "breaks": standout.breaks,
        "average_drop": round(float(standout.average_drop), 1),
    }


def _average_drop(relief: AreaRelief) -> Fraction:
    """Before minus after, on average, exactly: the sums of whole-number check-ins are whole."""
    total = round((relief.mean_before - relief.mean_after) * relief.checkins)
    return Fraction(total, relief.checkins)


def _standout(per_area: Sequence[AreaSummary]) -> Standout | None:
    """The area with the biggest average drop among those with enough breaks and drop.

    Ties go to the area with more breaks, then to the one first in the catalogue (the order
    of ``per_area``).
    """
    candidates = []
    for index, summary in enumerate(per_area):
        relief = summary.relief
        if relief is None or relief.checkins < STANDOUT_MIN_BREAKS:
            continue
        drop = _average_drop(relief)
        if drop >= STANDOUT_MIN_DROP:
            candidates.append((-drop, -relief.checkins, index, summary))
    if not candidates:
        return None
    drop, breaks, _index, best = min(candidates, key=lambda c: c[:3])
    return Standout(best.area, best.name, -breaks, -drop)


def _summary(
    days: int,
    per_day: Sequence[DayCount],
    per_area: Sequence[AreaSummary],
    standout: Standout | None,
) -> list[str]:
    done = sum(d.done for d in per_day)
    snoozed = sum(d.snoozed for d in per_day)
    skipped = sum(d.skipped for d in per_day)
    if done + snoozed + skipped == 0:
        if days == 1:
            return [_("No breaks today yet. They will show up here as they come.")]
        return [
            ngettext(
                "No breaks in the last {days} day yet. They will show up here as they come.",
                "No breaks in the last {days} days yet. They will show up here as they come.",
                days,
            ).format(days=days)
        ]
    if days == 1:
        # Translators: {n} breaks taken; {snoozed} and {skipped} count breaks too
        taken = ngettext(
            "Today: {n} break taken, {snoozed} snoozed, {skipped} skipped.",
            "Today: {n} breaks taken, {snoozed} snoozed, {skipped} skipped.",
            done,
        )
    else:
        # Translators: {n} breaks taken over {days} days (always more than one day);
        # {snoozed} and {skipped} count breaks too
        taken = ngettext(
            "In the last {days} days: {n} break taken, {snoozed} snoozed, {skipped} skipped.",
            "In the last {days} days: {n} breaks taken, {snoozed} snoozed, {skipped} skipped.",
            done,
        )
    lines = [taken.format(days=days, n=done, snoozed=snoozed, skipped=skipped)]
    rated = [a.relief for a in per_area if a.relief is not None]
    if not rated:
        lines.append(
            _("Answer the check-in before and after a break to see which areas help you most.")
        )
        return lines
    pairs = sum(r.checkins for r in rated)
    before = sum(r.mean_before * r.checkins for r in rated) / pairs
    after = sum(r.mean_after * r.checkins for r in rated) / pairs
    lines.append(
        # Translators: {before} and {after} are average tensions on a 0 to 10 scale
        ngettext(
            "Your tension went from {before} to {after} on average "
            "over {n} break with both check-ins.",
            "Your tension went from {before} to {after} on average "
            "over {n} breaks with both check-ins.",
            pairs,
        ).format(before=format_decimal(before, 1), after=format_decimal(after, 1), n=pairs)
    )
    if standout is None:
        lines.append(_(NO_STANDOUT))
    else:
        lines.append(
            # Translators: {area} is a body area; {drop} is at least 1.0 points on a 0 to 10
            # tension scale (so English always says "points")
            ngettext(
                "Biggest average drop: {area}, {drop} points over {n} break.",
                "Biggest average drop: {area}, {drop} points over {n} breaks.",
                standout.breaks,
            ).format(
                area=standout.name,
                drop=format_decimal(float(standout.average_drop), 1),
                n=standout.breaks,
            )
        )
    return lines
