"""Whatever arrives on the control socket, parsing either yields a request or a clear error."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from unclench.ipc.protocol import MAX_MESSAGE_BYTES, ProtocolError, Request, parse_request

FUZZ = settings(max_examples=400, derandomize=True, deadline=None)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def parse_or_error(data: bytes) -> Request | ProtocolError:
    try:
        return parse_request(data)
    except ProtocolError as error:
        caught = error
    assert str(caught), "an error must say what is wrong"
    return caught


@FUZZ
@given(st.binary(max_size=MAX_MESSAGE_BYTES + 64))
def test_random_bytes_give_a_request_or_a_protocol_error(data: bytes) -> None:
    parse_or_error(data)


@FUZZ
@given(json_values)
def test_any_json_value_gives_a_request_or_a_protocol_error(value: object) -> None:
    parse_or_error(json.dumps(value).encode() + b"\n")


@FUZZ
@given(
    cmd=st.sampled_from(["now", "status", "pause", "resume", "snooze", "history", "quit", "x"]),
    args=st.dictionaries(st.sampled_from(["duration", "limit", "other"]), json_values, max_size=3),
    version=st.sampled_from([1, 2, "1", None, 1.0, True]),
)
def test_near_miss_requests_are_parsed_or_refused_cleanly(
    cmd: str, args: dict[str, object], version: object
) -> None:
    result = parse_or_error(json.dumps({"v": version, "cmd": cmd, "args": args}).encode() + b"\n")
    if isinstance(result, Request):
        assert version == 1
        assert result.cmd.value == cmd
