"""The ``unclench`` command line: starts the app, or talks to the running one.

Commands that talk to the app never import Qt (see ``unclench.ipc.client``), so they answer
quickly; only starting the app loads it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from unclench import APP_NAME, __version__
from unclench.core.durations import TOMORROW, Duration
from unclench.core.periods import DEFAULT_PERIOD, MAX_PERIOD
from unclench.ipc.client import AppNotRunning, ClientError, send
from unclench.ipc.protocol import (
    HISTORY_LIMIT_MAX,
    Command,
    CommandError,
    ProtocolError,
    Request,
    parse_duration,
)
from unclench.logs import default_log_dir
from unclench.platform.bundle_env import restore_for_children
from unclench.streams import ensure_streams

if TYPE_CHECKING:  # the answers' types load only for the commands that print them
    from unclench.core.history import BreakRecord

EXIT_OK = 0
EXIT_FAILED = 1  # not running, no answer, or an answer that makes no sense
EXIT_USAGE = 2  # argparse's own code for a usage error
EXIT_NO_DISPLAY = 3
#: The scheduler's shortest snooze (``core.scheduler.MIN_SNOOZE_S``, which the command line
#: does not load).
SHORTEST_SNOOZE_S = 60
EXIT_REFUSED = 4  # the app understood the command and said no (say, no snoozes left)

ENV_TRAY = "UNCLENCH_TRAY"
TRAY_CHOICES = ("auto", "pystray", "qt")
NOT_RUNNING = f"{APP_NAME} is not running."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unclench",
        description=f"{APP_NAME}: short self-massage breaks after active screen time. "
        "Without a command, starts the tray app (or opens Settings in the running one).",
        epilog="Durations: 45 (minutes), 30m, 1h, 1h30m, 90s; pause also takes 'tomorrow'. "
        f"Exit codes: 1 {APP_NAME} is not running or did not answer, 2 usage error, "
        "3 no graphical session, 4 the command was refused.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--verbose", action="store_true", help="also log to the terminal")
    parser.add_argument(
        "--tray",
        choices=TRAY_CHOICES,
        help=f"which tray icon to use (default: ${ENV_TRAY}, else auto)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="load everything and open each window off to the side, then exit: 0 means this "
        "installation works",
    )
    parser.add_argument(
        "--start-at-login",
        choices=("on", "off"),
        help="with --smoke: also switch start at login, as the Settings window does",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("now", help="take a break now")
    commands.add_parser(
        "calm", help="a calming break right away: slow breathing and a soothing technique"
    )
    status = commands.add_parser("status", help="when the next break is, and why")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    pause = commands.add_parser("pause", help="no reminders for a while")
    pause.add_argument("duration", metavar="DURATION", type=_duration, help="30m, 2h, tomorrow…")
    commands.add_parser("resume", help="end a pause")
    snooze = commands.add_parser("snooze", help="put the coming break off")
    snooze.add_argument(
        "duration",
        metavar="DURATION",
        nargs="?",
        type=_snooze_duration,
        help="how much active time to put it off by (default: the snooze length in Settings)",
    )
    commands.add_parser("settings", help="open the Settings window")
    history = commands.add_parser(
        "history",
        help="open the History window (or print the history with --json or --list)",
    )
    output = history.add_mutually_exclusive_group()
    output.add_argument(
        "--json",
        action="store_true",
        help="print the period's summary and its breaks (newest first) as JSON",
    )
    output.add_argument("--list", action="store_true", help="print the latest breaks as a table")
    history.add_argument(
        "--days",
        type=_days,
        metavar="N",
        help=f"with --json: the period, ending today (default {DEFAULT_PERIOD})",
    )
    history.add_argument(
        "--limit", type=_limit, metavar="N", help=f"how many breaks (1 to {HISTORY_LIMIT_MAX})"
    )
    commands.add_parser("about", help="open the About window")
    commands.add_parser("quit", help="quit the running app")
    return parser


def has_display(env: Mapping[str, str], platform: str) -> bool:
    """Whether a graphical session is reachable. Windows and macOS always have one."""
    if platform.startswith(("win", "darwin")):
        return True
    if env.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    ensure_streams(default_log_dir)
    restore_for_children(os.environ)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "history" and args.days is not None and not args.json:
        parser.error("--days goes with --json")
    args.tray = args.tray or _tray_from_env(os.environ)
    if args.start_at_login and not args.smoke:
        parser.error("--start-at-login goes with --smoke; otherwise use the Settings window")
    if args.smoke:
        return smoke(args)
    if args.command is None:
        return start_or_wake(args)
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    return run_command(args)


# ----------------------------------------------------------------------------- starting


def start_or_wake(args: argparse.Namespace) -> int:
    """A second start asks the running app to open Settings; otherwise start the app."""
    try:
        send(Request(Command.SETTINGS))
    except AppNotRunning:
        pass
    except (ClientError, CommandError) as exc:
        print(f"{APP_NAME} seems to be running already, but: {exc}", file=sys.stderr)
        return EXIT_FAILED
    else:
        print(f"{APP_NAME} is already running; its Settings window is open.", file=sys.stderr)
        return EXIT_OK
    if not has_display(os.environ, sys.platform):
        print(
            f"{APP_NAME} is a desktop app and needs a graphical session, but neither DISPLAY "
            "nor WAYLAND_DISPLAY is set.\nStart it from your desktop (or its start menu "
            "entry), or set DISPLAY to the screen you use.",
            file=sys.stderr,
        )
        return EXIT_NO_DISPLAY
    return start_app(args)


def smoke(args: argparse.Namespace) -> int:
    """``--smoke``: check this installation without a person, and without a running app."""
    if args.command is not None:
        print("--smoke takes no command.", file=sys.stderr)
        return EXIT_USAGE
    if not has_display(os.environ, sys.platform):
        print(
            "--smoke needs a display: set DISPLAY, or QT_QPA_PLATFORM=offscreen.",
            file=sys.stderr,
        )
        return EXIT_NO_DISPLAY
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    from unclench import smoke  # noqa: PLC0415 - loads Qt

    login = None if args.start_at_login is None else args.start_at_login == "on"
    return smoke.run(start_at_login=login, verbose=args.verbose)


def start_app(args: argparse.Namespace) -> int:
    """Run the tray app until it quits. The app (and Qt) is imported only here."""
    from unclench import app  # noqa: PLC0415 - commands that talk to the app skip Qt

    return app.run(app.AppOptions(tray=args.tray, verbose=args.verbose))


def _tray_from_env(env: Mapping[str, str]) -> str:
    value = env.get(ENV_TRAY, "").strip().lower()
    if not value:
        return "auto"
    if value not in TRAY_CHOICES:
        print(
            f"{ENV_TRAY}={value!r} is not one of {', '.join(TRAY_CHOICES)}; using auto.",
            file=sys.stderr,
        )
        return "auto"
    return value


# ----------------------------------------------------------------------------- commands


def run_command(args: argparse.Namespace) -> int:
    """Send one command to the running app and print its answer."""
    request = _request(args)
    try:
        result = send(request)
    except AppNotRunning:
        print(NOT_RUNNING, file=sys.stderr)
        return EXIT_FAILED
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    except ClientError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    try:
        print(render(request, result, as_json=getattr(args, "json", False)))
    except ProtocolError as exc:
        print(f"{APP_NAME} sent an answer this command cannot read: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _request(args: argparse.Namespace) -> Request:
    command = Command(args.command)
    if command is Command.HISTORY:
        if args.json:
            return Request(command, limit=args.limit, days=args.days or DEFAULT_PERIOD)
        if not args.list:
            return Request(Command.HISTORY_WINDOW)
    return Request(
        command,
        duration=getattr(args, "duration", None),
        limit=getattr(args, "limit", None),
    )


def render(request: Request, result: Mapping[str, object], *, as_json: bool = False) -> str:
    """What the command prints. Raises ProtocolError when the answer is malformed."""
    if as_json:
        return json.dumps(result, indent=2)  # ASCII escapes: safe on any console encoding
    from unclench.core.local_zone import LOCAL  # noqa: PLC0415 - see top
    from unclench.core.status_text import status_lines  # noqa: PLC0415 - see top
    from unclench.ipc.results import StatusReport, history_from_result  # noqa: PLC0415 - see top

    now = datetime.now(LOCAL)
    if request.cmd is Command.STATUS:
        return "\n".join(status_lines(StatusReport.from_result(result).facts(), now))
    if request.cmd is Command.HISTORY:
        return history_table(history_from_result(result), now)
    message = result.get("message")
    if isinstance(message, str) and message:
        return message
    return _confirmation(request)


def _confirmation(request: Request) -> str:
    duration = request.duration
    if request.cmd is Command.PAUSE and duration is not None:
        return f"Reminders paused {_for(duration)}."
    if request.cmd is Command.SNOOZE:
        if duration is None:
            return "Break snoozed."
        if duration.seconds is not None and duration.seconds < SHORTEST_SNOOZE_S:
            return "Break snoozed by 1 min, the shortest snooze."
        return f"Break snoozed by {duration.describe()}."
    return {
        Command.NOW: "A break is on its way.",
        Command.CALM: "A calming break is on its way.",
        Command.RESUME: "Reminders are back on.",
        Command.SETTINGS: "The Settings window is open.",
        Command.ABOUT: "The About window is open.",
        Command.HISTORY_WINDOW: "The History window is open.",
        Command.QUIT: f"{APP_NAME} is quitting.",
    }.get(request.cmd, "Done.")


def _for(duration: Duration) -> str:
    return duration.describe() if duration.until_tomorrow else f"for {duration.describe()}"


# ----------------------------------------------------------------------------- output


def history_table(records: Sequence[BreakRecord], now: datetime) -> str:
    """A plain table of breaks, times in ``now``'s zone."""
    if not records:
        return "No breaks recorded yet."
    rows = [("When", "Area", "Technique", "Outcome", "Tension")]
    for record in records:
        when = record.started_at.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
        rows.append(
            (
                when,
                record.area or "-",
                record.technique_id or "-",
                record.outcome.value,
                _tension(record.tension_before, record.tension_after),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _tension(before: int | None, after: int | None) -> str:
    if before is None and after is None:
        return ""
    # ASCII arrow: a Windows console or a pipe may not encode anything else.
    return f"{'-' if before is None else before} -> {'-' if after is None else after}"


# ----------------------------------------------------------------------------- argument types


def _duration(text: str) -> Duration:
    try:
        return parse_duration(text)
    except ProtocolError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _snooze_duration(text: str) -> Duration:
    duration = _duration(text)
    if duration == TOMORROW:
        raise argparse.ArgumentTypeError("a snooze counts active time; give a length such as 10m")
    return duration


def _days(text: str) -> int:
    return _whole_number(text, MAX_PERIOD, "whole number of days")


def _limit(text: str) -> int:
    return _whole_number(text, HISTORY_LIMIT_MAX, "whole number")


def _whole_number(text: str, most: int, what: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= most:
        raise argparse.ArgumentTypeError(f"give a {what} from 1 to {most}")
    return number
