"""The control protocol between ``unclench <command>`` and the running app. Pure Python, no Qt.

One request per connection. The client writes one JSON object on one line (UTF-8, ending in
a newline); the app answers with one JSON object on one line and closes the connection::

    {"v": 1, "cmd": "pause", "args": {"duration": "30m"}}
    {"ok": true, "result": {...}}      or      {"ok": false, "error": "<for a person>"}

Everything that arrives is checked here before the app sees it: a bad message becomes a
:class:`ProtocolError` whose text goes back to the sender, never a crash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from unclench.core.durations import TOMORROW, Duration
from unclench.core.i18n import _
from unclench.core.periods import MAX_PERIOD

PROTOCOL_VERSION = 1
#: The longest request, newline included. The longest real one is under 100 bytes.
MAX_MESSAGE_BYTES = 4096
#: The longest reply a client accepts: a history of 500 breaks is about 100 KiB.
MAX_REPLY_BYTES = 1024 * 1024
HISTORY_LIMIT_MAX = 500
MAX_DURATION_S = 24 * 3600


class ProtocolError(ValueError):
    """A message (or a duration) that does not follow the protocol; the text is for a person."""


class CommandError(Exception):
    """The app understood the command but refused it (say, no snoozes left); text for a person."""


class Command(StrEnum):
    NOW = "now"  # take a break now
    CALM = "calm"  # a calming break now
    STATUS = "status"
    PAUSE = "pause"
    RESUME = "resume"
    SNOOZE = "snooze"
    SETTINGS = "settings"  # open the Settings window
    HISTORY = "history"  # the history as data
    HISTORY_WINDOW = "history-window"  # open the History window
    ABOUT = "about"  # open the About window
    QUIT = "quit"


# ----------------------------------------------------------------------------- durations

_UNITS_RE = re.compile(
    r"(?:(?P<h>[0-9]+)\s*h)?\s*(?:(?P<m>[0-9]+)\s*m(?:in)?)?\s*(?:(?P<s>[0-9]+)\s*s)?"
)


def parse_duration(text: str) -> Duration:
    """Read ``45`` (minutes), ``30m``, ``1h``, ``1h30m``, ``90s`` or ``tomorrow``.

    Raises :class:`ProtocolError` for anything else, for zero, and for more than 24 hours.
    """
    cleaned = text.strip().lower()
    if cleaned == "tomorrow":
        return TOMORROW
    # {text} below is what the person typed, quoted.
    if cleaned.startswith("-"):
        raise ProtocolError(
            _("{text} is negative; a duration must be longer than zero.").format(text=repr(text))
        )
    if len(cleaned) > 20:  # also keeps int() far from its digit limit
        raise ProtocolError(
            # Translators: {text} is the start of what was typed; keep 45, 30m, 1h, 1h30m, 90s
            # and 'tomorrow' as they are: the command line reads only these
            _(
                "{text}… is not a duration; use minutes (45), 30m, 1h, 1h30m, 90s or 'tomorrow'."
            ).format(text=repr(text[:20]))
        )
    if cleaned.isascii() and cleaned.isdigit():
        seconds = int(cleaned) * 60
    else:
        match = _UNITS_RE.fullmatch(cleaned)
        if not cleaned or match is None or not any(match.groups()):
            raise ProtocolError(
                # Translators: {text} is what was typed; keep 45, 30m, 1h, 1h30m, 90s and
                # 'tomorrow' as they are: the command line reads only these
                _(
                    "{text} is not a duration; use minutes (45), 30m, 1h, 1h30m, 90s or 'tomorrow'."
                ).format(text=repr(text))
            )
        hours, minutes, secs = (int(group or 0) for group in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds <= 0:
        raise ProtocolError(
            _("{text} is no time at all; a duration must be longer than zero.").format(
                text=repr(text)
            )
        )
    if seconds > MAX_DURATION_S:
        raise ProtocolError(
            # Translators: keep 'tomorrow' as it is: the command line reads only that word
            _(
                "{text} is longer than 24 hours; pause until 'tomorrow' or quit Unclench instead."
            ).format(text=repr(text))
        )
    return Duration(seconds)


# ----------------------------------------------------------------------------- requests

#: The arguments each command takes: name -> required.
_ARGS: Mapping[Command, Mapping[str, bool]] = {
    Command.PAUSE: {"duration": True},
    Command.SNOOZE: {"duration": False},
    Command.HISTORY: {"limit": False, "days": False},
}


@dataclass(frozen=True, slots=True)
class Request:
    """One command for the running app, with its arguments already checked."""

    cmd: Command
    duration: Duration | None = None  # pause (required), snooze (optional: the set length)
    limit: int | None = None  # history: how many breaks, newest first
    days: int | None = None  # history: the period summed up, ending today

    def __post_init__(self) -> None:
        takes = _ARGS.get(self.cmd, {})
        if self.duration is not None and "duration" not in takes:
            raise ValueError(f"{self.cmd} takes no duration")
        if self.duration is None and takes.get("duration"):
            raise ValueError(f"{self.cmd} needs a duration")
        if self.cmd is Command.SNOOZE and self.duration == TOMORROW:
            raise ProtocolError(_("A snooze counts active time; give a length such as 10m."))
        if self.limit is not None:
            if "limit" not in takes:
                raise ValueError(f"{self.cmd} takes no limit")
            if not 1 <= self.limit <= HISTORY_LIMIT_MAX:
                raise ProtocolError(
                    _("The history limit must be from 1 to {most}.").format(most=HISTORY_LIMIT_MAX)
                )
        if self.days is not None:
            if "days" not in takes:
                raise ValueError(f"{self.cmd} takes no days")
            if not 1 <= self.days <= MAX_PERIOD:
                raise ProtocolError(
                    _("The history period must be from 1 to {most} days.").format(most=MAX_PERIOD)
                )

    def args(self) -> dict[str, object]:
        args: dict[str, object] = {}
        if self.duration is not None:
            args["duration"] = str(self.duration)
        if self.limit is not None:
            args["limit"] = self.limit
        if self.days is not None:
            args["days"] = self.days
        return args


def encode_request(request: Request) -> bytes:
    message = {"v": PROTOCOL_VERSION, "cmd": request.cmd.value, "args": request.args()}
    return _line(message)


def parse_request(data: bytes) -> Request:
    """Check one request line (the newline is optional) and return it as a :class:`Request`."""
    message = _parse_object(data, MAX_MESSAGE_BYTES, "request")
    unknown = sorted(set(message) - {"v", "cmd", "args"})
    if unknown:
        raise ProtocolError(f"Unknown field {unknown[0]!r} in the request.")
    version = message.get("v")
    if type(version) is not int or version != PROTOCOL_VERSION:  # not True, not 1.0
        raise ProtocolError(
            f"Unsupported protocol version {version!r}; this Unclench speaks {PROTOCOL_VERSION}."
        )
    name = message.get("cmd")
    if not isinstance(name, str) or name not in {c.value for c in Command}:
        shown = name if isinstance(name, str) else json.dumps(name)
        raise ProtocolError(f"Unknown command {shown!r}.")
    cmd = Command(name)
    args = message.get("args", {})
    if not isinstance(args, dict):
        raise ProtocolError("The request's 'args' must be a JSON object.")
    takes = _ARGS.get(cmd, {})
    for key in args:
        if key not in takes:
            raise ProtocolError(f"'{cmd}' takes no argument {key!r}.")
    for key, required in takes.items():
        if required and key not in args:
            raise ProtocolError(f"'{cmd}' needs the argument {key!r}.")

    duration = None
    if "duration" in args:
        text = args["duration"]
        if not isinstance(text, str):
            raise ProtocolError("'duration' must be text such as \"30m\".")
        duration = parse_duration(text)
    limit = None
    if "limit" in args:
        limit = args["limit"]
        if not isinstance(limit, int) or isinstance(limit, bool):
            raise ProtocolError(f"'limit' must be a whole number from 1 to {HISTORY_LIMIT_MAX}.")
    days = None
    if "days" in args:
        days = args["days"]
        if not isinstance(days, int) or isinstance(days, bool):
            raise ProtocolError(f"'days' must be a whole number from 1 to {MAX_PERIOD}.")
    return Request(cmd, duration=duration, limit=limit, days=days)


# ----------------------------------------------------------------------------- replies


@dataclass(frozen=True, slots=True)
class Reply:
    """The app's answer: a result object, or an error for a person."""

    result: dict[str, object] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def failure(cls, message: str) -> Reply:
        return cls(error=message)

    def unwrap(self) -> dict[str, object]:
        """The result; raises :class:`CommandError` with the app's message if it refused."""
        if self.error is not None:
            raise CommandError(self.error)
        return self.result


def encode_reply(reply: Reply) -> bytes:
    """One reply line. Raises ``ValueError`` or ``TypeError`` if the result is not plain JSON."""
    if reply.error is not None:
        return _line({"ok": False, "error": reply.error})
    return _line({"ok": True, "result": reply.result})


def parse_reply(data: bytes) -> Reply:
    message = _parse_object(data, MAX_REPLY_BYTES, "reply")
    ok = message.get("ok")
    if ok is True:
        result = message.get("result", {})
        if not isinstance(result, dict):
            raise ProtocolError("The reply's result is not a JSON object.")
        return Reply(result=result)
    if ok is False:
        error = message.get("error")
        return Reply.failure(error if isinstance(error, str) and error else _("Unknown error."))
    raise ProtocolError("The reply has no 'ok' field.")


# ----------------------------------------------------------------------------- framing


def _line(message: Mapping[str, object]) -> bytes:
    # ensure_ascii keeps every line free of raw newlines and odd code points alike.
    return json.dumps(message, ensure_ascii=True, allow_nan=False).encode("ascii") + b"\n"


def _reject_constant(name: str) -> object:
    raise ProtocolError(f"{name} is not a number JSON allows.")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise ProtocolError(f"The field {key!r} appears twice.")
        result[key] = value
    return result


def _parse_object(data: bytes, limit: int, what: str) -> dict[str, object]:
    if len(data) > limit:
        raise ProtocolError(f"The {what} is too long ({len(data)} bytes; at most {limit}).")
    if data.endswith(b"\n"):
        data = data[:-1]
    if b"\n" in data:
        raise ProtocolError(f"Send one {what} per connection, on one line.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(f"The {what} is not UTF-8 text.") from None
    try:
        message = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"The {what} is not valid JSON ({exc.msg}).") from None
    except RecursionError:
        raise ProtocolError(f"The {what} is nested too deeply.") from None
    if not isinstance(message, dict):
        raise ProtocolError(f"The {what} must be a JSON object.")
    return message
