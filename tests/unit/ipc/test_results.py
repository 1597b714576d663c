"""The app's answers to ``status`` and ``history``: written as plain JSON, read back strictly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from unclench.core.history import BreakRecord
from unclench.core.scheduler import Outcome, Phase, SchedulerStatus
from unclench.ipc.protocol import ProtocolError
from unclench.ipc.results import (
    DesktopReport,
    StatusReport,
    history_from_result,
    history_to_result,
    status_to_result,
)

BERLIN = ZoneInfo("Europe/Berlin")


def line(message: object) -> bytes:
    return json.dumps(message).encode() + b"\n"


# --------------------------------------------------------------------- status


def status(phase: Phase, **changes: object) -> SchedulerStatus:
    fields: dict[str, object] = {
        "phase": phase,
        "active_s": 1200.0,
        "next_break_in_s": 1800.0,
        "paused_until": None,
        "snoozes_left": 3,
        "present": True,
        "dnd": False,
        "locked": False,
        "idle_source": "x11",
        "counting_wall_time": False,
    }
    fields.update(changes)
    return SchedulerStatus(**fields)  # type: ignore[arg-type]


def test_a_running_status_is_reported_as_is() -> None:
    result = status_to_result(status(Phase.RUNNING), None)
    assert result == {
        "phase": "running",
        "state": "running",
        "due": False,
        "next_break_in_s": 1800.0,
        "paused_until": None,
        "idle_source": "x11",
        "counting_wall_time": False,
        "snoozes_left": 3,
        "max_snoozes": None,
        "dnd": None,
        "active_s": 1200.0,
        "break_window": None,
        "break_window_note": None,
        "dnd_checks": None,
        "idle_s": None,
        "locked": False,
    }
    json.dumps(result)  # plain JSON


def test_the_status_says_how_breaks_appear_on_this_desktop_and_reads_back() -> None:
    desktop = DesktopReport("sway", "a floating window that sway keeps unfocused", "camera")
    result = status_to_result(status(Phase.RUNNING), None, desktop=desktop)
    assert (result["break_window"], result["dnd_checks"]) == ("sway", "camera")
    report = StatusReport.from_result(json.loads(json.dumps(result)))
    assert report.break_window_note == "a floating window that sway keeps unfocused"
    assert status_to_result(status(Phase.RUNNING), None, idle_s=12.345)["idle_s"] == 12.3
    older = {k: v for k, v in result.items() if not k.startswith(("break_window", "dnd_c"))}
    assert StatusReport.from_result(older).break_window is None  # an older app's answer


def test_a_due_break_is_running_with_due_set_and_nothing_left_to_wait() -> None:
    result = status_to_result(status(Phase.DUE, next_break_in_s=12.0, dnd=True), "presentation")
    assert result["state"] == "running"
    assert result["due"] is True
    assert result["next_break_in_s"] == 0.0
    assert result["dnd"] == "presentation"


def test_a_showing_break_and_a_pause_keep_their_names() -> None:
    until = datetime(2026, 3, 2, 15, 30, tzinfo=BERLIN)
    paused = status_to_result(status(Phase.PAUSED, next_break_in_s=None, paused_until=until), None)
    assert paused["state"] == "paused"
    assert paused["paused_until"] == "2026-03-02T15:30:00+01:00"
    assert status_to_result(status(Phase.BREAK), None)["state"] == "break"


def test_do_not_disturb_without_a_reason_still_shows() -> None:
    assert status_to_result(status(Phase.RUNNING, dnd=True), None)["dnd"] == "on"


def test_the_snooze_limit_is_passed_on_when_known() -> None:
    result = status_to_result(status(Phase.RUNNING, snoozes_left=1), None, max_snoozes=3)
    assert (result["snoozes_left"], result["max_snoozes"]) == (1, 3)


@pytest.mark.parametrize("phase", list(Phase))
def test_every_status_reads_back(phase: Phase) -> None:
    until = datetime(2026, 3, 2, 15, 30, tzinfo=BERLIN) if phase is Phase.PAUSED else None
    result = status_to_result(status(phase, paused_until=until), "call", max_snoozes=3)
    report = StatusReport.from_result(json.loads(json.dumps(result)))
    assert report.state == result["state"]
    assert report.due is (phase is Phase.DUE)
    assert report.paused_until == until
    assert report.dnd == "call"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"state": "due"}, "unknown state"),
        ({"state": None}, "'state' is missing"),
        ({"snoozes_left": True}, "should be int"),
        ({"snoozes_left": 1.5}, "should be int"),
        ({"next_break_in_s": "soon"}, "should be a number"),
        ({"active_s": None}, "'active_s' is missing"),
        ({"paused_until": "2026-03-02T15:30:00"}, "no timezone"),
        ({"paused_until": "half past"}, "not an ISO 8601 time"),
        ({"idle_source": 3}, "should be str"),
    ],
)
def test_a_malformed_status_is_a_protocol_error(change: dict[str, object], says: str) -> None:
    result = status_to_result(status(Phase.RUNNING), None) | change
    with pytest.raises(ProtocolError, match=says):
        StatusReport.from_result(result)


# --------------------------------------------------------------------- history


def test_history_records_become_plain_json_and_read_back() -> None:
    records = [
        BreakRecord(
            id=2,
            started_at=datetime(2026, 3, 2, 9, 50, tzinfo=UTC),
            outcome=Outcome.DONE,
            technique_id="hands-thumb-palm",
            area="hands",
            tension_before=6,
            tension_after=3,
            duration_s=62.5,
        ),
        BreakRecord(started_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), outcome=Outcome.MISSED),
    ]
    result = history_to_result(records)
    assert result["breaks"] == [
        {
            "id": 2,
            "started_at": "2026-03-02T09:50:00+00:00",
            "technique_id": "hands-thumb-palm",
            "area": "hands",
            "outcome": "done",
            "tension_before": 6,
            "tension_after": 3,
            "duration_s": 62.5,
        },
        {
            "id": None,
            "started_at": "2026-03-02T09:00:00+00:00",
            "technique_id": None,
            "area": None,
            "outcome": "missed",
            "tension_before": None,
            "tension_after": None,
            "duration_s": None,
        },
    ]
    assert history_from_result(json.loads(json.dumps(result))) == records


def test_a_naive_time_is_sent_with_the_local_offset() -> None:
    naive = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - the case under test
    result = history_to_result([BreakRecord(started_at=naive, outcome=Outcome.DONE)])
    [record] = history_from_result(result)
    assert record.started_at.tzinfo is not None
    assert record.started_at - naive.astimezone() == timedelta(0)


@pytest.mark.parametrize(
    ("result", "says"),
    [
        ({}, "no list of breaks"),
        ({"breaks": {}}, "no list of breaks"),
        ({"breaks": [1]}, "not a JSON object"),
        ({"breaks": [{"started_at": "2026-03-02T09:00:00+00:00"}]}, "'outcome' is missing"),
        (
            {"breaks": [{"started_at": "2026-03-02T09:00:00+00:00", "outcome": "won"}]},
            "unknown outcome",
        ),
        ({"breaks": [{"started_at": "yesterday", "outcome": "done"}]}, "ISO 8601"),
        (
            {"breaks": [{"started_at": "2026-03-02T09:00:00+00:00", "outcome": "done", "area": 1}]},
            "should be str",
        ),
    ],
)
def test_a_malformed_history_is_a_protocol_error(result: dict[str, object], says: str) -> None:
    with pytest.raises(ProtocolError, match=says):
        history_from_result(result)
