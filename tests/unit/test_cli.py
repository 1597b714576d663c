"""The command line: starting (or waking) the app, commands for the running one, and clear
messages instead of tracebacks."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.abc
import importlib.metadata
import json
import os
import subprocess
import sys
import textwrap
import types
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import unclench
from unclench import __version__, cli
from unclench.cli import (
    ENV_TRAY,
    EXIT_FAILED,
    EXIT_NO_DISPLAY,
    EXIT_OK,
    EXIT_REFUSED,
    has_display,
    history_table,
    main,
    start_app,
)
from unclench.core.durations import TOMORROW, Duration
from unclench.core.history import BreakRecord
from unclench.core.scheduler import MIN_SNOOZE_S, Outcome, Phase
from unclench.core.status_text import status_lines as wording
from unclench.ipc.client import AppNotRunning, ClientError
from unclench.ipc.protocol import Command, CommandError, Request
from unclench.ipc.results import StatusReport, history_to_result

from helpers.fake_app import FakeApp, private_runtime_dir, socket_in


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unclench", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env=env,
    )


def test_version_prints_the_package_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"Unclench {__version__}"
    assert __version__ == importlib.metadata.version("unclench")  # the built package agrees


def test_without_a_display_it_explains_instead_of_crashing(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["XDG_RUNTIME_DIR"] = str(private_runtime_dir(tmp_path / "rt"))  # no app runs there
    result = run_cli(env=env)
    assert result.returncode == EXIT_NO_DISPLAY
    assert "needs a graphical session" in result.stderr
    assert "Traceback" not in result.stderr


def test_smoke_without_a_display_explains_instead_of_crashing() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = run_cli("--smoke", env=env)
    assert result.returncode == EXIT_NO_DISPLAY
    assert "--smoke needs a display" in result.stderr


def test_start_at_login_goes_only_with_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--start-at-login", "on"])
    assert exit_info.value.code == 2
    assert "--start-at-login goes with --smoke" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({}, "win32", True),
        ({}, "darwin", True),
    ],
)
def test_has_display(env: dict[str, str], platform: str, expected: bool) -> None:
    assert has_display(env, platform) is expected


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--no-such-option"])
    assert exited.value.code == 2
    assert "usage: unclench" in capsys.readouterr().err


# --------------------------------------------------------------------- talking to the app


class FakeSend:
    """Stands in for ``client.send``: records requests, answers or raises as told."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.result: dict[str, object] = {}
        self.raises: Exception | None = None

    def __call__(self, request: Request, address: str | None = None) -> dict[str, object]:
        self.requests.append(request)
        if self.raises is not None:
            raise self.raises
        return self.result


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> FakeSend:
    fake = FakeSend()
    monkeypatch.setattr(cli, "send", fake)
    return fake


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[argparse.Namespace]:
    """Replaces starting the real app; records the options it would have got."""
    calls: list[argparse.Namespace] = []

    def start(args: argparse.Namespace) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(cli, "start_app", start)
    return calls


RUNNING: dict[str, object] = {
    "state": "running",
    "due": False,
    "next_break_in_s": 1380.0,
    "paused_until": None,
    "idle_source": "x11",
    "counting_wall_time": False,
    "snoozes_left": 3,
    "max_snoozes": 3,
    "dnd": None,
    "active_s": 1620.0,
}


@pytest.mark.parametrize(
    ("argv", "request_", "printed"),
    [
        (["now"], Request(Command.NOW), "A break is on its way."),
        (["calm"], Request(Command.CALM), "A calming break is on its way."),
        (
            ["pause", "30m"],
            Request(Command.PAUSE, duration=Duration(1800)),
            "Reminders paused for 30 min.",
        ),
        (
            ["pause", "tomorrow"],
            Request(Command.PAUSE, duration=TOMORROW),
            "Reminders paused until tomorrow.",
        ),
        (["resume"], Request(Command.RESUME), "Reminders are back on."),
        (["snooze"], Request(Command.SNOOZE), "Break snoozed."),
        (
            ["snooze", "5"],
            Request(Command.SNOOZE, duration=Duration(300)),
            "Break snoozed by 5 min.",
        ),
        (["settings"], Request(Command.SETTINGS), "The Settings window is open."),
        (["about"], Request(Command.ABOUT), "The About window is open."),
        (["quit"], Request(Command.QUIT), "Unclench is quitting."),
    ],
)
def test_each_command_sends_its_request_and_confirms(
    app: FakeSend,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    request_: Request,
    printed: str,
) -> None:
    assert main(argv) == EXIT_OK
    assert app.requests == [request_]
    assert capsys.readouterr().out == printed + "\n"


def test_a_message_from_the_app_is_printed_instead(
    app: FakeSend, capsys: pytest.CaptureFixture[str]
) -> None:
    app.result = {"message": "Paused until 15:30."}
    assert main(["pause", "1h"]) == EXIT_OK
    assert capsys.readouterr().out == "Paused until 15:30.\n"


def test_status_for_a_person(app: FakeSend, capsys: pytest.CaptureFixture[str]) -> None:
    app.result = RUNNING
    assert main(["status"]) == EXIT_OK
    assert capsys.readouterr().out == "Next break in 23 min\nIdle detection: x11\n"
    assert app.requests == [Request(Command.STATUS)]


def test_status_as_json_is_the_result_object(
    app: FakeSend, capsys: pytest.CaptureFixture[str]
) -> None:
    app.result = RUNNING
    assert main(["status", "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == RUNNING


def test_history_for_a_person_and_as_json(
    app: FakeSend, capsys: pytest.CaptureFixture[str]
) -> None:
    app.result = {
        "breaks": [
            {
                "id": 1,
                "started_at": "2026-03-02T09:00:00+00:00",
                "technique_id": "hands-thumb-palm",
                "area": "hands",
                "outcome": "done",
                "tension_before": 6,
                "tension_after": 3,
                "duration_s": 60.0,
            }
        ]
    }
    assert main(["history", "--list", "--limit", "5"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["When", "Area", "Technique", "Outcome", "Tension"]
    assert "hands-thumb-palm" in out
    assert "6 -> 3" in out
    assert app.requests == [Request(Command.HISTORY, limit=5)]
    assert main(["history", "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == app.result
    assert app.requests[-1] == Request(Command.HISTORY, days=30)
    assert main(["history", "--json", "--days", "7", "--limit", "3"]) == EXIT_OK
    assert app.requests[-1] == Request(Command.HISTORY, days=7, limit=3)


def test_history_alone_opens_the_window(app: FakeSend, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history"]) == EXIT_OK
    assert app.requests == [Request(Command.HISTORY_WINDOW)]
    assert capsys.readouterr().out == "The History window is open.\n"


def test_an_empty_history_says_so(app: FakeSend, capsys: pytest.CaptureFixture[str]) -> None:
    app.result = {"breaks": []}
    assert main(["history", "--list"]) == EXIT_OK
    assert capsys.readouterr().out == "No breaks recorded yet.\n"


def test_when_the_app_is_not_running_commands_say_so(
    app: FakeSend, capsys: pytest.CaptureFixture[str]
) -> None:
    app.raises = AppNotRunning()
    assert main(["status"]) == EXIT_FAILED == 1
    captured = capsys.readouterr()
    assert captured.err == "Unclench is not running.\n"
    assert captured.out == ""


def test_a_refused_command_prints_the_apps_reason(
    app: FakeSend, capsys: pytest.CaptureFixture[str]
) -> None:
    app.raises = CommandError("No snoozes left for this break; take it or skip it.")
    assert main(["snooze"]) == EXIT_REFUSED
    assert capsys.readouterr().err == "No snoozes left for this break; take it or skip it.\n"


def test_an_app_that_does_not_answer_is_a_failure(
    app: FakeSend, capsys: pytest.CaptureFixture[str]
) -> None:
    app.raises = ClientError("Unclench is running but did not answer in time.")
    assert main(["now"]) == EXIT_FAILED
    assert "did not answer" in capsys.readouterr().err


def test_a_status_the_cli_cannot_read_is_a_failure_not_a_traceback(
    app: FakeSend, capsys: pytest.CaptureFixture[str]
) -> None:
    app.result = {"state": "dancing"}
    assert main(["status"]) == EXIT_FAILED
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["pause"], "required: DURATION"),
        (["pause", "0"], "longer than zero"),
        (["pause", "25h"], "longer than 24 hours"),
        (["pause", "soon"], "not a duration"),
        (["snooze", "tomorrow"], "active time"),
        (["history", "--limit", "0"], "from 1 to 500"),
        (["history", "--limit", "many"], "from 1 to 500"),
        (["history", "--json", "--days", "0"], "from 1 to 366"),
        (["history", "--days", "7"], "--days goes with --json"),
        (["history", "--json", "--list"], "not allowed with"),
        (["status", "--verbose-please"], "unrecognized"),
        (["explode"], "invalid choice"),
    ],
)
def test_bad_arguments_are_usage_errors_and_send_nothing(
    app: FakeSend, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert says in capsys.readouterr().err
    assert app.requests == []


# --------------------------------------------------------------------- human status


NOW = datetime(2026, 3, 2, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Monday


def report(**changes: object) -> StatusReport:
    return StatusReport.from_result(RUNNING | changes)


def status_lines(status: StatusReport, now: datetime) -> list[str]:
    """What ``unclench status`` prints for an answer read back from the wire."""
    return wording(status.facts(), now)


@pytest.mark.parametrize(
    ("changes", "first"),
    [
        ({}, "Next break in 23 min"),
        ({"next_break_in_s": 20.0}, "Next break in less than a minute"),
        ({"next_break_in_s": 3900.0}, "Next break in 1 h 5 min"),
        ({"next_break_in_s": 7200.0}, "Next break in 2 h"),
        ({"due": True, "next_break_in_s": 0.0}, "Break due"),
        ({"state": "break", "next_break_in_s": 0.0}, "A break is showing"),
        (
            {
                "state": "paused",
                "next_break_in_s": None,
                "paused_until": "2026-03-02T15:30:00+01:00",
            },
            "Paused until 15:30",
        ),
        (
            {
                "state": "paused",
                "next_break_in_s": None,
                "paused_until": "2026-03-02T14:30:00+00:00",
            },
            "Paused until 15:30",
        ),
        (
            {
                "state": "paused",
                "next_break_in_s": None,
                "paused_until": "2026-03-03T04:00:00+01:00",
            },
            "Paused until Tue 04:00",
        ),
        ({"state": "paused", "next_break_in_s": None}, "Paused"),
    ],
)
def test_the_first_status_line(changes: dict[str, object], first: str) -> None:
    assert status_lines(report(**changes), NOW)[0] == first


def test_the_extra_status_lines() -> None:
    lines = status_lines(
        report(
            due=True,
            snoozes_left=1,
            dnd="a full-screen window is in front",
            counting_wall_time=True,
        ),
        NOW,
    )
    assert lines == [
        "Break due",
        "Waiting: a full-screen window is in front",
        "No idle detection: counting clock time",
        "Snoozes left: 1 of 3",
    ]


def test_an_older_apps_answer_without_a_phase_is_read_from_its_state() -> None:
    older = {k: v for k, v in RUNNING.items() if k != "phase"}
    assert StatusReport.from_result(older | {"due": True}).phase is Phase.DUE
    assert StatusReport.from_result(older | {"state": "paused"}).phase is Phase.PAUSED


@pytest.mark.parametrize(("idle_s", "line"), [(0.4, "x11 (in use now)"), (65.2, "x11 (65 s)")])
def test_status_says_how_long_nobody_has_touched_anything(idle_s: float, line: str) -> None:
    assert status_lines(report(idle_s=idle_s), NOW)[-1] == f"Idle detection: {line}"


def test_a_snooze_shorter_than_the_shortest_says_what_it_does(
    app: FakeSend, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: "snooze 3s" said "snoozed by 3 s" and put the break off by a minute."""
    assert cli.main(["snooze", "3s"]) == 0
    assert capsys.readouterr().out.strip() == "Break snoozed by 1 min, the shortest snooze."
    assert cli.SHORTEST_SNOOZE_S == MIN_SNOOZE_S


def test_status_says_a_locked_screen_counts_as_away() -> None:
    assert "The screen is locked: that counts as time away" in status_lines(
        report(locked=True), NOW
    )
    assert not any("locked" in line for line in status_lines(report(), NOW))


def test_status_says_how_breaks_appear_here() -> None:
    note = "a desktop notification with Start, Snooze and Skip"
    lines = status_lines(report(break_window="notification", break_window_note=note), NOW)
    assert lines[-1] == f"Breaks appear as {note}"
    assert not any(line.startswith("Breaks appear") for line in status_lines(report(), NOW))


def test_snoozes_are_not_mentioned_while_none_are_used_or_the_limit_is_unknown() -> None:
    assert not any("Snoozes" in line for line in status_lines(report(), NOW))
    unknown = report(snoozes_left=1, max_snoozes=None)
    assert not any("Snoozes" in line for line in status_lines(unknown, NOW))


def test_the_history_table_is_aligned_in_local_time() -> None:
    records = [
        BreakRecord(
            started_at=datetime(2026, 3, 2, 9, 50, tzinfo=UTC),
            outcome=Outcome.DONE,
            technique_id="neck-shoulder-squeeze",
            area="neck_shoulders",
            tension_before=7,
            tension_after=4,
        ),
        BreakRecord(started_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), outcome=Outcome.MISSED),
        BreakRecord(
            started_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
            outcome=Outcome.SKIPPED,
            area="hands",
            tension_before=5,
        ),
    ]
    assert history_table(records, NOW).splitlines() == [
        "When              Area            Technique              Outcome  Tension",
        "2026-03-02 10:50  neck_shoulders  neck-shoulder-squeeze  done     7 -> 4",
        "2026-03-02 10:00  -               -                      missed",
        "2026-03-02 00:30  hands           -                      skipped  5 -> -",
    ]


def test_history_shows_each_break_at_the_hour_it_had_whatever_the_season(
    central_europe: None,
) -> None:
    moments = [datetime(2026, 3, 29, 7, 0, tzinfo=UTC), datetime(2026, 3, 28, 22, 30, tzinfo=UTC)]
    result = history_to_result([BreakRecord(started_at=m, outcome=Outcome.DONE) for m in moments])
    lines = cli.render(Request(Command.HISTORY), result).splitlines()
    assert [line[:16] for line in lines[1:]] == ["2026-03-29 09:00", "2026-03-28 23:30"]


# --------------------------------------------------------------------- starting


def test_a_second_start_asks_the_running_app_to_open_settings(
    app: FakeSend, started: list[argparse.Namespace], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == EXIT_OK
    assert app.requests == [Request(Command.SETTINGS)]
    assert started == []
    assert "already running" in capsys.readouterr().err


def test_a_first_start_starts_the_app(
    app: FakeSend, started: list[argparse.Namespace], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", ":99")
    app.raises = AppNotRunning()
    assert main(["--verbose"]) == EXIT_OK
    [args] = started
    assert args.verbose
    assert args.tray == "auto"


def test_a_start_while_the_app_hangs_does_not_start_a_second_one(
    app: FakeSend, started: list[argparse.Namespace], capsys: pytest.CaptureFixture[str]
) -> None:
    app.raises = ClientError("Unclench is running but did not answer in time.")
    assert main([]) == EXIT_FAILED
    assert started == []
    assert "did not answer" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "env", "tray", "warned"),
    [
        ([], None, "auto", False),
        (["--tray", "qt"], None, "qt", False),
        ([], "pystray", "pystray", False),
        ([], " QT ", "qt", False),
        (["--tray", "qt"], "pystray", "qt", False),
        ([], "gtk", "auto", True),
    ],
)
def test_the_tray_choice_comes_from_the_option_then_the_environment(
    app: FakeSend,
    started: list[argparse.Namespace],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    env: str | None,
    tray: str,
    warned: bool,
) -> None:
    monkeypatch.setenv("DISPLAY", ":99")
    if env is None:
        monkeypatch.delenv(ENV_TRAY, raising=False)
    else:
        monkeypatch.setenv(ENV_TRAY, env)
    app.raises = AppNotRunning()
    assert main(argv) == EXIT_OK
    assert started[0].tray == tray
    assert ("UNCLENCH_TRAY" in capsys.readouterr().err) is warned


def test_an_unknown_tray_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--tray", "gtk"])
    assert "invalid choice" in capsys.readouterr().err


def test_start_app_runs_the_app_with_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[object] = []
    fake = types.ModuleType("unclench.app")

    @dataclasses.dataclass
    class AppOptions:
        tray: str = "auto"
        verbose: bool = False

    fake.AppOptions = AppOptions  # type: ignore[attr-defined]

    def run(options: object) -> int:
        runs.append(options)
        return 7

    fake.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unclench.app", fake)
    monkeypatch.setattr(unclench, "app", fake, raising=False)
    assert start_app(argparse.Namespace(tray="qt", verbose=True)) == 7
    assert runs == [AppOptions(tray="qt", verbose=True)]


class _AppNeedsPystray(importlib.abc.MetaPathFinder):
    """Finds unclench.app, whose own imports then fail: a broken install, not a missing app."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "unclench.app":
            raise ModuleNotFoundError("No module named 'pystray'", name="pystray")


def test_a_missing_dependency_of_the_app_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(unclench, "app", raising=False)
    monkeypatch.delitem(sys.modules, "unclench.app", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_AppNeedsPystray(), *sys.meta_path])
    with pytest.raises(ModuleNotFoundError, match="pystray"):
        start_app(argparse.Namespace(tray="auto", verbose=False))


# --------------------------------------------------------------------- end to end, real socket


@pytest.fixture
def runtime_env(tmp_path: Path) -> tuple[dict[str, str], str]:
    """An environment whose XDG_RUNTIME_DIR is private to the test, and its socket path."""
    runtime = private_runtime_dir(tmp_path / "rt")
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    return env, socket_in(runtime)


def test_a_command_without_a_running_app_exits_1(runtime_env: tuple[dict[str, str], str]) -> None:
    env, _ = runtime_env
    result = run_cli("status", env=env)
    assert result.returncode == 1
    assert result.stderr == "Unclench is not running.\n"


def test_status_over_a_real_socket(runtime_env: tuple[dict[str, str], str]) -> None:
    env, address = runtime_env
    with FakeApp(address) as fake:
        fake.reply_with(RUNNING | {"due": True, "next_break_in_s": 0.0})
        result = run_cli("status", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Break due\nIdle detection: x11\n"
    assert [json.loads(line) for line in fake.requests] == [{"v": 1, "cmd": "status", "args": {}}]


def test_a_second_start_over_a_real_socket_opens_settings_without_a_display(
    runtime_env: tuple[dict[str, str], str],
) -> None:
    env, address = runtime_env
    env = {
        k: v for k, v in env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    with FakeApp(address) as fake:
        result = run_cli(env=env)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["cmd"] for line in fake.requests] == ["settings"]


NO_QT_STATUS = textwrap.dedent(
    """
    import sys

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6"):
                raise ImportError(f"blocked for this test: {name}")
            return None

    sys.meta_path.insert(0, Block())
    from unclench.cli import main
    code = main(["status", "--json"])
    print(code, sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")))
    """
)


@pytest.mark.skipif(os.name != "posix", reason="Windows commands use Qt's local socket")
def test_commands_never_load_qt(runtime_env: tuple[dict[str, str], str]) -> None:
    env, address = runtime_env
    with FakeApp(address) as fake:
        fake.reply_with(RUNNING)
        result = subprocess.run(
            [sys.executable, "-c", NO_QT_STATUS],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            env=env,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 []"
