"""On sway the break window is floated, kept unfocused and placed through sway's IPC."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from unclench.platform import sway_ipc
from unclench.platform.popup_sway import SwayPlacer
from unclench.platform.sway_ipc import SwayError

from helpers.fake_sway import FakeSway

APP_ID = "io.github.unclench.Unclench"
TITLE = "Unclench break"
CRITERIA = f'[app_id="^{APP_ID}$" title="^{TITLE}"]'


@pytest.fixture
def sway(tmp_path: Path) -> Iterator[FakeSway]:
    with FakeSway(tmp_path / "sway.sock") as fake:
        yield fake


@pytest.fixture
def placer(sway: FakeSway) -> Iterator[SwayPlacer]:
    made = SwayPlacer(sway.path, APP_ID, TITLE)
    yield made
    made.hidden()  # closes an event stream a test left open


def ours(con_id: int = 42, kind: str = "floating_con", name: str = f"{TITLE} — Unclench") -> Any:
    return {"id": con_id, "pid": os.getpid(), "type": kind, "name": name, "app_id": APP_ID}


def test_rules_keep_the_window_unfocused_floating_and_on_every_workspace(sway: FakeSway) -> None:
    assert SwayPlacer(sway.path, APP_ID, TITLE).configure()
    assert sway.commands == [
        f"no_focus {CRITERIA}",
        f'for_window {CRITERIA} "floating enable, sticky enable, border none"',
    ]


def test_refused_rules_are_logged_not_fatal(
    sway: FakeSway, caplog: pytest.LogCaptureFixture
) -> None:
    sway.refuse = "Unknown command"
    assert not SwayPlacer(sway.path, APP_ID, TITLE).configure()
    assert "could not be set" in caplog.text


def test_the_window_is_moved_to_its_corner_once_sway_has_floated_it(
    qtbot: QtBot, sway: FakeSway, placer: SwayPlacer
) -> None:
    placer.place(0, "bottom-right", 420, 500)
    sway.wait_for_subscriber()
    # sway announces the window, names it, then floats it: only then can it be placed.
    sway.window_event("new", ours(kind="con", name=""))
    sway.window_event("title", ours(kind="con"))
    sway.window_event("floating", ours())
    qtbot.waitUntil(lambda: len(sway.commands) == 1)
    # The workspace spans y 25..800 (a bar on top): 16 px from its right and bottom edges.
    assert sway.commands == ["[con_id=42] move absolute position 844 284"]
    qtbot.waitUntil(lambda: sway.subscribers() == 0)  # the event stream is closed again


def test_a_new_size_while_shown_moves_it_again_without_waiting(
    qtbot: QtBot, sway: FakeSway, placer: SwayPlacer
) -> None:
    placer.place(0, "top-left", 420, 500)
    sway.wait_for_subscriber()
    sway.window_event("floating", ours())
    qtbot.waitUntil(lambda: len(sway.commands) == 1)
    placer.place(0, "top-left", 420, 200)  # the question after Done is shorter
    assert sway.commands[-1] == "[con_id=42] move absolute position 16 41"
    placer.hidden()
    placer.place(0, "top-left", 420, 500)  # a new break: a new window to wait for
    sway.wait_for_subscriber()
    assert len(sway.commands) == 2


def test_other_windows_of_ours_and_of_others_are_left_alone(qtbot: QtBot, sway: FakeSway) -> None:
    placer = SwayPlacer(sway.path, APP_ID, TITLE)
    placer.place(0, "bottom-right", 420, 500)
    sway.wait_for_subscriber()
    sway.window_event("new", ours(con_id=7, kind="con", name="Unclench Settings"))
    sway.window_event("floating", ours(con_id=8) | {"pid": os.getpid() + 1})
    sway.window_event("floating", ours(con_id=9))
    qtbot.waitUntil(lambda: len(sway.commands) == 1)
    assert sway.commands == ["[con_id=9] move absolute position 844 284"]


def test_a_window_that_never_appears_stops_the_wait(
    qtbot: QtBot, sway: FakeSway, caplog: pytest.LogCaptureFixture, monkeypatch: Any
) -> None:
    monkeypatch.setattr("unclench.platform.popup_sway.PLACE_TIMEOUT_MS", 50)
    placer = SwayPlacer(sway.path, APP_ID, TITLE)
    placer.place(0, "bottom-right", 420, 500)
    sway.wait_for_subscriber()
    qtbot.waitUntil(lambda: "did not appear" in caplog.text)
    qtbot.waitUntil(lambda: sway.subscribers() == 0)


def test_garbage_on_the_event_stream_is_logged_and_dropped(
    qtbot: QtBot, sway: FakeSway, caplog: pytest.LogCaptureFixture, placer: SwayPlacer
) -> None:
    placer.place(0, "bottom-right", 420, 500)
    sway.wait_for_subscriber()
    sway.send_raw(b"not an ipc message at all")
    qtbot.waitUntil(lambda: "window events failed" in caplog.text)
    assert sway.commands == []


def test_no_sway_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SwayError, match="cannot reach sway"):
        sway_ipc.command(tmp_path / "absent.sock", "nop")
    assert SwayPlacer(tmp_path / "absent.sock", APP_ID, TITLE).configure() is False


def test_the_focused_workspace_is_the_area(sway: FakeSway) -> None:
    sway.workspaces = [
        {"focused": False, "rect": {"x": 0, "y": 0, "width": 1, "height": 1}},
        {"focused": True, "rect": {"x": 1280, "y": 0, "width": 1920, "height": 1080}},
    ]
    assert sway_ipc.focused_area(sway.path) == (1280, 0, 1920, 1080)
    sway.workspaces = [{"focused": True, "rect": {"x": "wide"}}]
    assert sway_ipc.focused_area(sway.path) is None
