"""The control protocol: every malformed request is refused with a message, never a crash."""

from __future__ import annotations

import contextlib
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unclench.core.durations import TOMORROW, Duration
from unclench.ipc.protocol import (
    HISTORY_LIMIT_MAX,
    MAX_DURATION_S,
    MAX_MESSAGE_BYTES,
    Command,
    CommandError,
    ProtocolError,
    Reply,
    Request,
    encode_reply,
    encode_request,
    parse_duration,
    parse_reply,
    parse_request,
)

BERLIN = ZoneInfo("Europe/Berlin")


def line(message: object) -> bytes:
    return json.dumps(message).encode() + b"\n"


# --------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30m", 1800),
        ("1h", 3600),
        ("90s", 90),
        ("1h30m", 5400),
        ("2h", 7200),
        ("45", 2700),
        (" 45 ", 2700),
        ("1H 30M", 5400),
        ("10min", 600),
        ("1m30s", 90),
        ("24h", MAX_DURATION_S),
        ("1440", MAX_DURATION_S),
    ],
)
def test_durations_that_are_read(text: str, seconds: int) -> None:
    assert parse_duration(text) == Duration(seconds)


def test_tomorrow_is_its_own_value() -> None:
    assert parse_duration("tomorrow") == TOMORROW
    assert parse_duration("Tomorrow").until_tomorrow
    assert not parse_duration("1h").until_tomorrow


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0", "longer than zero"),
        ("0m", "longer than zero"),
        ("0h0m0s", "longer than zero"),
        ("-5m", "negative"),
        ("-1", "negative"),
        ("25h", "longer than 24 hours"),
        ("24h1s", "longer than 24 hours"),
        ("1441", "longer than 24 hours"),
        ("", "not a duration"),
        ("h", "not a duration"),
        ("soon", "not a duration"),
        ("1.5h", "not a duration"),
        ("30m1h", "not a duration"),
        ("٣٠", "not a duration"),  # Arabic-Indic digits: isdigit() but not a number we read
        ("9" * 5000, "not a duration"),
    ],
)
def test_durations_that_are_refused_say_why(text: str, says: str) -> None:
    with pytest.raises(ProtocolError, match=says):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=MAX_DURATION_S))
def test_a_duration_survives_its_wire_form(seconds: int) -> None:
    duration = Duration(seconds)
    assert parse_duration(str(duration)) == duration


@given(st.text(max_size=30))
def test_parsing_any_text_gives_a_duration_or_a_protocol_error(text: str) -> None:
    try:
        duration = parse_duration(text)
    except ProtocolError:
        return
    assert duration.until_tomorrow or 0 < (duration.seconds or 0) <= MAX_DURATION_S


@pytest.mark.parametrize(
    ("duration", "text"),
    [(Duration(1800), "30 min"), (Duration(5400), "1 h 30 min"), (Duration(90), "1 min 30 s")],
)
def test_durations_read_well(duration: Duration, text: str) -> None:
    assert duration.describe() == text
    assert TOMORROW.describe() == "until tomorrow"


# --------------------------------------------------------------------- requests


@pytest.mark.parametrize(
    "request_",
    [
        Request(Command.NOW),
        Request(Command.STATUS),
        Request(Command.PAUSE, duration=Duration(1800)),
        Request(Command.PAUSE, duration=TOMORROW),
        Request(Command.RESUME),
        Request(Command.SNOOZE),
        Request(Command.SNOOZE, duration=Duration(600)),
        Request(Command.SETTINGS),
        Request(Command.HISTORY),
        Request(Command.HISTORY, limit=HISTORY_LIMIT_MAX),
        Request(Command.HISTORY, days=7),
        Request(Command.HISTORY, days=366, limit=3),
        Request(Command.HISTORY_WINDOW),
        Request(Command.ABOUT),
        Request(Command.QUIT),
    ],
)
def test_every_request_survives_the_wire(request_: Request) -> None:
    data = encode_request(request_)
    assert data.endswith(b"\n")
    assert data.count(b"\n") == 1
    assert parse_request(data) == request_


def test_the_wire_form_is_the_documented_one() -> None:
    data = encode_request(Request(Command.PAUSE, duration=Duration(5400)))
    assert json.loads(data) == {"v": 1, "cmd": "pause", "args": {"duration": "1h30m"}}


def test_args_may_be_left_out_and_the_newline_too() -> None:
    assert parse_request(b'{"v": 1, "cmd": "now"}') == Request(Command.NOW)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xff\xfe\n", "not UTF-8"),
        (b"not json\n", "not valid JSON"),
        (b"\n", "not valid JSON"),
        (b'{"v": 1, "cmd": "now"\n', "not valid JSON"),
        (b"[1, 2]\n", "must be a JSON object"),
        (b'"now"\n', "must be a JSON object"),
        (b"null\n", "must be a JSON object"),
        (b"[" * 2000 + b"]" * 2000, "nested too deeply"),
        (b'{"v": NaN, "cmd": "now"}\n', "NaN"),
        (b'{"v": 1, "cmd": "now", "cmd": "quit"}\n', "appears twice"),
        (b'{"v": 1, "cmd": "now"}\n{"v": 1, "cmd": "quit"}\n', "one request"),
        (b'{"cmd": "now"}\n', "version None"),
        (b'{"v": 2, "cmd": "now"}\n', "version 2"),
        (b'{"v": "1", "cmd": "now"}\n', "version '1'"),
        (b'{"v": true, "cmd": "now"}\n', "version True"),
        (b'{"v": 1.0, "cmd": "now"}\n', "version 1.0"),
        (b'{"v": 1}\n', "Unknown command"),
        (b'{"v": 1, "cmd": "rm -rf"}\n', "Unknown command 'rm -rf'"),
        (b'{"v": 1, "cmd": 7}\n', "Unknown command"),
        (b'{"v": 1, "cmd": "NOW"}\n', "Unknown command"),
        (b'{"v": 1, "cmd": "now", "extra": 1}\n', "Unknown field 'extra'"),
        (b'{"v": 1, "cmd": "now", "args": []}\n', "'args' must be a JSON object"),
        (b'{"v": 1, "cmd": "now", "args": {"duration": "5m"}}\n', "takes no argument"),
        (b'{"v": 1, "cmd": "status", "args": {"json": true}}\n', "takes no argument"),
        (b'{"v": 1, "cmd": "pause"}\n', "needs the argument 'duration'"),
        (b'{"v": 1, "cmd": "pause", "args": {}}\n', "needs the argument 'duration'"),
        (b'{"v": 1, "cmd": "pause", "args": {"duration": 30}}\n', "must be text"),
        (b'{"v": 1, "cmd": "pause", "args": {"duration": "0m"}}\n', "longer than zero"),
        (b'{"v": 1, "cmd": "pause", "args": {"duration": "48h"}}\n', "24 hours"),
        (b'{"v": 1, "cmd": "snooze", "args": {"duration": "tomorrow"}}\n', "active time"),
        (b'{"v": 1, "cmd": "snooze", "args": {"limit": 3}}\n', "takes no argument"),
        (b'{"v": 1, "cmd": "history", "args": {"limit": "5"}}\n', "whole number"),
        (b'{"v": 1, "cmd": "history", "args": {"limit": 2.5}}\n', "whole number"),
        (b'{"v": 1, "cmd": "history", "args": {"limit": true}}\n', "whole number"),
        (b'{"v": 1, "cmd": "history", "args": {"limit": 0}}\n', "from 1 to 500"),
        (b'{"v": 1, "cmd": "history", "args": {"limit": 501}}\n', "from 1 to 500"),
        (b'{"v": 1, "cmd": "history", "args": {"limit": -1}}\n', "from 1 to 500"),
        (b'{"v": 1, "cmd": "history", "args": {"days": "7"}}\n', "whole number"),
        (b'{"v": 1, "cmd": "history", "args": {"days": false}}\n', "whole number"),
        (b'{"v": 1, "cmd": "history", "args": {"days": 0}}\n', "from 1 to 366"),
        (b'{"v": 1, "cmd": "history", "args": {"days": 367}}\n', "from 1 to 366"),
        (b'{"v": 1, "cmd": "history-window", "args": {"days": 7}}\n', "takes no argument"),
    ],
)
def test_a_malformed_request_is_refused_with_a_reason(data: bytes, says: str) -> None:
    with pytest.raises(ProtocolError, match=says):
        parse_request(data)


def test_a_request_of_the_largest_size_is_read_and_one_byte_more_is_not() -> None:
    head = b'{"v": 1, "cmd": "now", "args": {}}'
    padded = head[:-1] + b" " * (MAX_MESSAGE_BYTES - len(head) - 1) + b"}\n"
    assert len(padded) == MAX_MESSAGE_BYTES
    assert parse_request(padded) == Request(Command.NOW)
    with pytest.raises(ProtocolError, match="too long"):
        parse_request(b" " + padded)


@given(st.binary(max_size=300))
def test_any_bytes_give_a_request_or_a_protocol_error(data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        parse_request(data)


@given(
    st.dictionaries(
        st.sampled_from(["v", "cmd", "args", "x"]),
        st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.just({}),
    )
)
def test_any_json_object_gives_a_request_or_a_protocol_error(message: dict[str, object]) -> None:
    with contextlib.suppress(ProtocolError):
        parse_request(line(message))


def test_a_request_built_wrongly_in_code_fails_loudly() -> None:
    with pytest.raises(ValueError, match="needs a duration"):
        Request(Command.PAUSE)
    with pytest.raises(ValueError, match="takes no duration"):
        Request(Command.NOW, duration=Duration(60))
    with pytest.raises(ValueError, match="takes no limit"):
        Request(Command.STATUS, limit=5)


# --------------------------------------------------------------------- replies


def test_replies_survive_the_wire() -> None:
    ok = Reply(result={"state": "running", "n": [1, 2]})
    assert parse_reply(encode_reply(ok)) == ok
    failed = Reply.failure("No snoozes left.")
    assert parse_reply(encode_reply(failed)) == failed
    assert json.loads(encode_reply(failed)) == {"ok": False, "error": "No snoozes left."}


def test_a_reply_is_one_ascii_line_whatever_the_text() -> None:
    data = encode_reply(Reply(result={"area": "Nacken\nund Schultern ✓"}))
    assert data.count(b"\n") == 1
    assert data.isascii()
    assert parse_reply(data).result == {"area": "Nacken\nund Schultern ✓"}


def test_a_result_that_is_not_plain_json_cannot_be_encoded() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - json's own message
        encode_reply(Reply(result={"x": float("nan")}))
    with pytest.raises(TypeError):
        encode_reply(Reply(result={"x": {1, 2}}))


def test_unwrap_gives_the_result_or_the_refusal() -> None:
    assert Reply(result={"a": 1}).unwrap() == {"a": 1}
    with pytest.raises(CommandError, match="No snoozes left"):
        Reply.failure("No snoozes left.").unwrap()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "not valid JSON"),
        (b"[]\n", "must be a JSON object"),
        (b'{"result": {}}\n', "no 'ok'"),
        (b'{"ok": 1}\n', "no 'ok'"),
        (b'{"ok": true, "result": []}\n', "not a JSON object"),
    ],
)
def test_a_malformed_reply_is_a_protocol_error(data: bytes, says: str) -> None:
    with pytest.raises(ProtocolError, match=says):
        parse_reply(data)


def test_a_refusal_without_a_message_still_says_something() -> None:
    assert parse_reply(b'{"ok": false}\n').error == "Unknown error."
