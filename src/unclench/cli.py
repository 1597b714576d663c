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
from unclench.core.config_paths import read_language
from unclench.core.durations import TOMORROW, Duration
from unclench.core.i18n import N_, _, pgettext, set_language
from unclench.core.locale_format import format_clock
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
NOT_RUNNING = N_("{app} is not running.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unclench",
        description=_(
            "{app}: short self-massage breaks after active screen time. "
            "Without a command, starts the tray app (or opens Settings in the running one)."
        ).format(app=APP_NAME),
        # Translators: keep 45, 30m, 1h, 1h30m, 90s and 'tomorrow' as they are: the command
        # line reads only these
        epilog=_(
            "Durations: 45 (minutes), 30m, 1h, 1h30m, 90s; pause also takes 'tomorrow'. "
            "Exit codes: 1 {app} is not running or did not answer, 2 usage error, "
            "3 no graphical session, 4 the command was refused."
        ).format(app=APP_NAME),
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--verbose", action="store_true", help=_("also log to the terminal"))
    parser.add_argument(
        "--tray",
        choices=TRAY_CHOICES,
        # Translators: {variable} is an environment variable's name; keep "auto" as it is
        help=_("which tray icon to use (default: ${variable}, else auto)").format(
            variable=ENV_TRAY
        ),
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=_(
            "load everything and open each window off to the side, then exit: 0 means this "
            "installation works"
        ),
    )
    parser.add_argument(
        "--start-at-login",
        choices=("on", "off"),
        help=_("with --smoke: also switch start at login, as the Settings window does"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("now", help=_("take a break now"))
    commands.add_parser(
        "calm", help=_("a calming break right away: slow breathing and a soothing technique")
    )
    status = commands.add_parser("status", help=_("when the next break is, and why"))
    status.add_argument("--json", action="store_true", help=_("print the status as JSON"))
    pause = commands.add_parser("pause", help=_("no reminders for a while"))
    pause.add_argument(
        "duration",
        metavar="DURATION",
        type=_duration,
        # Translators: examples of durations the command line reads; keep them as they are
        help=_("30m, 2h, tomorrow…"),
    )
    commands.add_parser("resume", help=_("end a pause"))
    snooze = commands.add_parser("snooze", help=_("put the coming break off"))
    snooze.add_argument(
        "duration",
        metavar="DURATION",
        nargs="?",
        type=_snooze_duration,
        help=_("how much active time to put it off by (default: the snooze length in Settings)"),
    )
    commands.add_parser("settings", help=_("open the Settings window"))
    history = commands.add_parser(
        "history",
        help=_("open the History window (or print the history with --json or --list)"),
    )
    output = history.add_mutually_exclusive_group()
    output.add_argument(
        "--json",
        action="store_true",
        help=_("print the period's summary and its breaks (newest first) as JSON"),
    )
    output.add_argument("--list", action="store_true", help=_("print the latest breaks as a table"))
    history.add_argument(
        "--days",
        type=_days,
        metavar="N",
        help=_("with --json: the period, ending today (default {days})").format(
            days=DEFAULT_PERIOD
        ),
    )
    history.add_argument(
        "--limit",
        type=_limit,
        metavar="N",
        help=_("how many breaks (1 to {most})").format(most=HISTORY_LIMIT_MAX),
    )
    commands.add_parser("about", help=_("open the About window"))
    commands.add_parser("quit", help=_("quit the running app"))
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
    # Before any word is printed, help texts included: the Language setting, else the system's.
    set_language(read_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "history" and args.days is not None and not args.json:
        parser.error(_("--days goes with --json"))
    args.tray = args.tray or _tray_from_env(os.environ)
    if args.start_at_login and not args.smoke:
        parser.error(_("--start-at-login goes with --smoke; otherwise use the Settings window"))
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
        print(
            _("{app} seems to be running already, but: {error}").format(app=APP_NAME, error=exc),
            file=sys.stderr,
        )
        return EXIT_FAILED
    else:
        print(
            _("{app} is already running; its Settings window is open.").format(app=APP_NAME),
            file=sys.stderr,
        )
        return EXIT_OK
    if not has_display(os.environ, sys.platform):
        print(
            _(
                "{app} is a desktop app and needs a graphical session, but neither DISPLAY "
                "nor WAYLAND_DISPLAY is set.\nStart it from your desktop (or its start menu "
                "entry), or set DISPLAY to the screen you use."
            ).format(app=APP_NAME),
            file=sys.stderr,
        )
        return EXIT_NO_DISPLAY
    return start_app(args)


def smoke(args: argparse.Namespace) -> int:
    """``--smoke``: check this installation without a person, and without a running app."""
    if args.command is not None:
        print(_("--smoke takes no command."), file=sys.stderr)
        return EXIT_USAGE
    if not has_display(os.environ, sys.platform):
        print(
            _("--smoke needs a display: set DISPLAY, or QT_QPA_PLATFORM=offscreen."),
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
            # Translators: {setting} is like UNCLENCH_TRAY='x'; {choices} lists the values it
            # may take; keep "auto" as it is
            _("{setting} is not one of {choices}; using auto.").format(
                setting=f"{ENV_TRAY}={value!r}", choices=", ".join(TRAY_CHOICES)
            ),
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
        print(_(NOT_RUNNING).format(app=APP_NAME), file=sys.stderr)
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
        print(
            _("{app} sent an answer this command cannot read: {error}").format(
                app=APP_NAME, error=exc
            ),
            file=sys.stderr,
        )
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
        if duration.until_tomorrow:
            return _("Reminders paused until tomorrow.")
        # Translators: {duration} is a length of time ("30 min", "1 h 30 min")
        return _("Reminders paused for {duration}.").format(duration=duration.describe())
    if request.cmd is Command.SNOOZE:
        if duration is None:
            return _("Break snoozed.")
        if duration.seconds is not None and duration.seconds < SHORTEST_SNOOZE_S:
            return _("Break snoozed by 1 min, the shortest snooze.")
        # Translators: {duration} is a length of time ("10 min", "1 h")
        return _("Break snoozed by {duration}.").format(duration=duration.describe())
    return {
        Command.NOW: _("A break is on its way."),
        Command.CALM: _("A calming break is on its way."),
        Command.RESUME: _("Reminders are back on."),
        Command.SETTINGS: _("The Settings window is open."),
        Command.ABOUT: _("The About window is open."),
        Command.HISTORY_WINDOW: _("The History window is open."),
        Command.QUIT: _("{app} is quitting.").format(app=APP_NAME),
    }.get(request.cmd, _("Done."))


# ----------------------------------------------------------------------------- output


def history_table(records: Sequence[BreakRecord], now: datetime) -> str:
    """A plain table of breaks, times in ``now``'s zone."""
    if not records:
        return _("No breaks recorded yet.")
    rows = [
        (
            # Translators: a column of the command line's history table: when the break started
            _("When"),
            # Translators: a column of the command line's history table: the body area
            _("Area"),
            # Translators: a column of the command line's history table: the technique shown
            _("Technique"),
            # Translators: a column of the command line's history table: how the break ended
            _("Outcome"),
            # Translators: a column of the command line's history table: tension before -> after
            _("Tension"),
        )
    ]
    for record in records:
        started = record.started_at.astimezone(now.tzinfo)
        # Translators: when a break started, in the command line's history table:
        # "2024-12-04 15:30" ({date} stays in this numeric form)
        when = _("{date} {time}").format(
            date=started.date().isoformat(), time=format_clock(started)
        )
        rows.append(
            (
                when,
                record.area or "-",
                record.technique_id or "-",
                _outcome_word(record.outcome.value),
                _tension(record.tension_before, record.tension_after),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _outcome_word(value: str) -> str:
    """How a break ended, in the history table's own words (lowercase, as the data says)."""
    words = {
        "done": pgettext("break outcome, command line", "done"),
        "snoozed": pgettext("break outcome, command line", "snoozed"),
        "skipped": pgettext("break outcome, command line", "skipped"),
        "missed": pgettext("break outcome, command line", "missed"),
    }
    return words.get(value, value)


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
        raise argparse.ArgumentTypeError(
            _("a snooze counts active time; give a length such as 10m")
        )
    return duration


def _days(text: str) -> int:
    number = _whole_number(text)
    if not 1 <= number <= MAX_PERIOD:
        raise argparse.ArgumentTypeError(
            _("give a whole number of days from 1 to {most}").format(most=MAX_PERIOD)
        )
    return number


def _limit(text: str) -> int:
    number = _whole_number(text)
    if not 1 <= number <= HISTORY_LIMIT_MAX:
        raise argparse.ArgumentTypeError(
            _("give a whole number from 1 to {most}").format(most=HISTORY_LIMIT_MAX)
        )
    return number


def _whole_number(text: str) -> int:
    """``text`` as a whole number, or 0 (never in range) when it is none."""
    try:
        return int(text)
    except ValueError:
        return 0
