"""What the running app answers to ``status`` and ``history``, and reading those answers back.

Kept apart from the protocol proper (requests, replies, durations), which the app needs before
its tray shows: these need the scheduler's and the history's types, which load afterwards.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from unclench.core.history import BreakRecord, record_to_json
from unclench.core.scheduler import Outcome, Phase, SchedulerStatus
from unclench.core.status_text import StatusFacts
from unclench.ipc.protocol import ProtocolError

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class DesktopReport:
    """How the app works on this desktop, for ``status``: fixed once it has started."""

    break_window: str  # the mechanism (``popup_mechanism.Mechanism``)
    break_window_note: str  # what it means for the person
    dnd_checks: str  # the do-not-disturb checks in use, "+"-joined


def status_to_result(
    status: SchedulerStatus,
    dnd_reason: str | None,
    *,
    max_snoozes: int | None = None,
    desktop: DesktopReport | None = None,
    idle_s: float | None = None,
) -> dict[str, object]:
    """The result of ``status``. ``phase`` is the scheduler's (running, due, break, paused);
    ``state`` and ``due`` say the same for older readers: a due break (waiting for a lull or
    for do-not-disturb) is ``state: running`` with ``due: true`` and ``next_break_in_s: 0``.

    ``dnd_reason`` names what holds reminders ("full-screen window"); ``max_snoozes`` lets the
    command line say how many of them are used; ``desktop`` says how breaks appear here;
    ``idle_s`` is the idle source's reading now (``None``: unknown).
    """
    state = {
        Phase.RUNNING: "running",
        Phase.DUE: "running",
        Phase.BREAK: "break",
        Phase.PAUSED: "paused",
    }[status.phase]
    due = status.phase is Phase.DUE
    dnd = dnd_reason if dnd_reason is not None else ("on" if status.dnd else None)
    return {
        "phase": status.phase.value,
        "state": state,
        "due": due,
        "next_break_in_s": 0.0 if due else status.next_break_in_s,
        "paused_until": None if status.paused_until is None else _iso(status.paused_until),
        "idle_source": status.idle_source,
        "counting_wall_time": status.counting_wall_time,
        "snoozes_left": status.snoozes_left,
        "max_snoozes": max_snoozes,
        "dnd": dnd,
        "active_s": status.active_s,
        "break_window": desktop.break_window if desktop else None,
        "break_window_note": desktop.break_window_note if desktop else None,
        "dnd_checks": desktop.dnd_checks if desktop else None,
        "idle_s": None if idle_s is None else round(idle_s, 1),
        "locked": status.locked,
    }


@dataclass(frozen=True, slots=True)
class StatusReport:
    """The ``status`` result as the command line reads it back."""

    phase: Phase
    state: str
    due: bool
    next_break_in_s: float | None
    paused_until: datetime | None
    idle_source: str
    counting_wall_time: bool
    snoozes_left: int
    max_snoozes: int | None
    dnd: str | None
    active_s: float
    break_window: str | None = None  # absent from an older app's answer
    break_window_note: str | None = None
    dnd_checks: str | None = None
    idle_s: float | None = None
    locked: bool = False

    @classmethod
    def from_result(cls, result: Mapping[str, object]) -> StatusReport:
        """Raises :class:`ProtocolError` when a field is missing or of the wrong type."""
        state = _field(result, "state", str)
        if state not in ("running", "paused", "break"):
            raise ProtocolError(f"The status has an unknown state {state!r}.")
        paused_until = _optional(result, "paused_until", str)
        due = bool(_optional(result, "due", bool))
        phase = _optional(result, "phase", str) or _phase_from(state, due)
        if phase not in {p.value for p in Phase}:
            raise ProtocolError(f"The status has an unknown phase {phase!r}.")
        return cls(
            phase=Phase(phase),
            state=state,
            due=due,
            next_break_in_s=_optional_number(result, "next_break_in_s"),
            paused_until=None if paused_until is None else _datetime(paused_until),
            idle_source=_field(result, "idle_source", str),
            counting_wall_time=_field(result, "counting_wall_time", bool),
            snoozes_left=_field(result, "snoozes_left", int),
            max_snoozes=_optional(result, "max_snoozes", int),
            dnd=_optional(result, "dnd", str),
            active_s=_number(result, "active_s"),
            break_window=_optional(result, "break_window", str),
            break_window_note=_optional(result, "break_window_note", str),
            dnd_checks=_optional(result, "dnd_checks", str),
            idle_s=_optional_number(result, "idle_s"),
            locked=bool(_optional(result, "locked", bool)),
        )

    def facts(self) -> StatusFacts:
        """What the status says, for ``status_text`` to word."""
        return StatusFacts(
            phase=self.phase,
            next_break_in_s=self.next_break_in_s,
            paused_until=self.paused_until,
            dnd=self.dnd,
            idle_source=self.idle_source,
            counting_wall_time=self.counting_wall_time,
            idle_s=self.idle_s,
            snoozes_left=self.snoozes_left,
            max_snoozes=self.max_snoozes,
            locked=self.locked,
            break_window_note=self.break_window_note,
        )


def _phase_from(state: str, due: bool) -> str:
    """An older app's answer: the phase from ``state`` and ``due``."""
    if state == "running" and due:
        return Phase.DUE.value
    return state


def history_to_result(records: list[BreakRecord]) -> dict[str, object]:
    """The result of ``history``: the records as given (newest first), times in ISO 8601."""
    return {"breaks": [_record_json(record) for record in records]}


def _record_json(record: BreakRecord) -> dict[str, object]:
    entry = record_to_json(record)
    entry["started_at"] = _iso(record.started_at)
    return entry


def history_from_result(result: Mapping[str, object]) -> list[BreakRecord]:
    """Read a ``history`` result back; raises :class:`ProtocolError` on a malformed one."""
    entries = result.get("breaks")
    if not isinstance(entries, list):
        raise ProtocolError("The history has no list of breaks.")
    records = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ProtocolError("A history entry is not a JSON object.")
        outcome = _field(entry, "outcome", str)
        if outcome not in {o.value for o in Outcome}:
            raise ProtocolError(f"A history entry has an unknown outcome {outcome!r}.")
        records.append(
            BreakRecord(
                id=_optional(entry, "id", int),
                started_at=_datetime(_field(entry, "started_at", str)),
                technique_id=_optional(entry, "technique_id", str),
                area=_optional(entry, "area", str),
                outcome=Outcome(outcome),
                tension_before=_optional(entry, "tension_before", int),
                tension_after=_optional(entry, "tension_after", int),
                duration_s=_optional_number(entry, "duration_s"),
            )
        )
    return records


def _optional(data: Mapping[str, object], key: str, kind: type[_T]) -> _T | None:
    value = data.get(key)
    if value is None:
        return None
    # bool is an int in Python, but not in JSON.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProtocolError(f"The field {key!r} should be {kind.__name__}, not {value!r}.")
    return value


def _field(data: Mapping[str, object], key: str, kind: type[_T]) -> _T:
    value = _optional(data, key, kind)
    if value is None:
        raise ProtocolError(f"The field {key!r} is missing.")
    return value


def _optional_number(data: Mapping[str, object], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProtocolError(f"The field {key!r} should be a number, not {value!r}.")
    return float(value)


def _number(data: Mapping[str, object], key: str) -> float:
    value = _optional_number(data, key)
    if value is None:
        raise ProtocolError(f"The field {key!r} is missing.")
    return value


def _iso(moment: datetime) -> str:
    # A naive time would be read back in the wrong zone by whoever asks; pin it to ours.
    return (moment if moment.tzinfo is not None else moment.astimezone()).isoformat()


def _datetime(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ProtocolError(f"{text!r} is not an ISO 8601 time.") from None
    if moment.tzinfo is None:
        raise ProtocolError(f"The time {text!r} has no timezone.")
    return moment
