"""One wording of the state, for the tray and for ``unclench status``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from unclench.core.scheduler import Phase, SchedulerStatus
from unclench.core.status_text import StatusFacts, status_lines, tooltip
from unclench.ipc.results import StatusReport, status_to_result

NOW = datetime(2026, 3, 2, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))
DUE = SchedulerStatus(
    phase=Phase.DUE,
    active_s=3000.0,
    next_break_in_s=0.0,
    paused_until=None,
    snoozes_left=3,
    present=True,
    dnd=True,
    locked=False,
    idle_source="none",
    counting_wall_time=True,
)
HELD = "a full-screen window is in front"


def test_the_tray_and_the_command_line_say_the_same_in_the_same_words() -> None:
    """The tray words the scheduler's status; the command line words the same status after
    it has crossed the socket. The tray's brief lines are the command line's first lines."""
    tray = tooltip(StatusFacts.of(DUE, HELD), NOW).removeprefix("Unclench: ").split("\n")
    sent = status_to_result(DUE, HELD, max_snoozes=3)
    command_line = status_lines(StatusReport.from_result(sent).facts(), NOW)
    assert tray == ["Break due", f"Waiting: {HELD}", "No idle detection: counting clock time"]
    assert command_line[: len(tray)] == tray


def test_brief_leaves_out_what_only_the_command_line_needs() -> None:
    facts = StatusFacts(
        phase=Phase.RUNNING,
        next_break_in_s=600.0,
        idle_source="x11",
        idle_s=30.0,
        snoozes_left=1,
        max_snoozes=3,
        break_window_note="a window in a screen corner",
    )
    assert status_lines(facts, NOW, brief=True) == ["Next break in 10 min"]
    assert status_lines(facts, NOW)[1:] == [
        "Snoozes left: 1 of 3",
        "Idle detection: x11 (30 s)",
        "Breaks appear as a window in a screen corner",
    ]


def test_a_showing_break_and_a_locked_screen() -> None:
    facts = StatusFacts(phase=Phase.BREAK, next_break_in_s=0.0, locked=True)
    assert status_lines(facts, NOW, brief=True) == [
        "A break is showing",
        "The screen is locked: that counts as time away",
    ]
