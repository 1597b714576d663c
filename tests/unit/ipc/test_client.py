"""The command-line client: one request, one answer, and a clear error for every failure."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from unclench.core.durations import Duration
from unclench.ipc.client import AppNotRunning, ClientError, probe, send
from unclench.ipc.protocol import (
    MAX_REPLY_BYTES,
    Command,
    CommandError,
    Reply,
    Request,
    encode_reply,
    parse_request,
)

from helpers.fake_app import FakeApp, private_runtime_dir, socket_in

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the POSIX client; Windows uses Qt")


@pytest.fixture
def address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    runtime = private_runtime_dir(tmp_path / "rt")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    return socket_in(runtime)


@pytest.fixture
def app(address: str) -> Iterator[FakeApp]:
    with FakeApp(address) as fake:
        yield fake


def test_a_command_is_sent_and_its_result_returned(app: FakeApp) -> None:
    app.reply_with({"state": "running"})
    assert send(Request(Command.PAUSE, duration=Duration(1800))) == {"state": "running"}
    [line] = app.requests
    assert parse_request(line) == Request(Command.PAUSE, duration=Duration(1800))


def test_a_refusal_raises_with_the_apps_words(app: FakeApp) -> None:
    app.respond = lambda line: encode_reply(Reply.failure("No snoozes left."))
    with pytest.raises(CommandError, match="No snoozes left"):
        send(Request(Command.SNOOZE))


def test_without_a_socket_the_app_is_not_running(address: str) -> None:
    with pytest.raises(AppNotRunning, match="not running"):
        send(Request(Command.STATUS))
    assert not Path(address).parent.exists()  # asking creates nothing


def test_a_socket_left_behind_means_not_running(address: str) -> None:
    Path(address).parent.mkdir(mode=0o700)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(address)
    with pytest.raises(AppNotRunning):
        send(Request(Command.STATUS))


def test_an_app_that_does_not_answer_in_time_is_reported(app: FakeApp) -> None:
    release = threading.Event()

    def hang(line: bytes) -> None:
        release.wait(5)

    app.respond = hang
    started = time.monotonic()
    try:
        with pytest.raises(ClientError, match="did not answer in time"):
            send(Request(Command.STATUS), timeout_s=0.2)
    finally:
        release.set()
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "without answering"),
        (b"", "without answering"),
        (b'{"ok": true, "result": {}}', "cut off"),
        (b"<html>\n", "makes no sense"),
        (b'{"ok": "yes"}\n', "makes no sense"),
        (b"x" * (MAX_REPLY_BYTES + 10), "too long"),
    ],
)
def test_a_broken_answer_is_a_client_error(app: FakeApp, answer: bytes | None, says: str) -> None:
    app.respond = lambda line: answer
    with pytest.raises(ClientError, match=says):
        send(Request(Command.STATUS))


def test_only_the_first_line_of_the_answer_counts(app: FakeApp) -> None:
    app.respond = lambda line: encode_reply(Reply(result={"a": 1})) + b"trailing junk"
    assert send(Request(Command.STATUS)) == {"a": 1}


def test_an_explicit_address_wins(tmp_path: Path) -> None:
    with FakeApp(str(tmp_path / "elsewhere.sock")) as fake:
        fake.reply_with({"here": True})
        assert send(Request(Command.NOW), address=fake.address) == {"here": True}


@pytest.mark.skipif(os.name == "posix" and os.geteuid() != 0, reason="needs root to chown")
def test_a_socket_of_another_user_is_not_trusted(app: FakeApp, address: str) -> None:
    os.chown(address, 65534, 65534)
    with pytest.raises(ClientError, match="belongs to another user"):
        send(Request(Command.STATUS))
    assert app.requests == []


def test_probe_tells_a_live_socket_from_a_dead_one(app: FakeApp, tmp_path: Path) -> None:
    assert probe(app.address)
    assert not probe(str(tmp_path / "nothing.sock"))
