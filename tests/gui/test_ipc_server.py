"""The control server: answers every client, refuses bad ones, and never blocks the Qt loop.

Clients run in worker threads with plain blocking sockets while the test's thread runs the
Qt event loop (``qtbot.waitUntil``), as the app's loop would. Every test runs against both
servers where they work: the plain Unix socket one Linux and macOS use, and QLocalServer,
which Windows uses and which runs here as well.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import socket
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from pytestqt.qtbot import QtBot

from unclench.core.durations import Duration
from unclench.ipc.client import AppNotRunning, probe, send
from unclench.ipc.protocol import (
    MAX_MESSAGE_BYTES,
    Command,
    CommandError,
    Request,
    encode_request,
    parse_reply,
)
from unclench.ipc.server import BUSY, INTERNAL_ERROR
from unclench.ipc.server.common import ControlServerBase
from unclench.ipc.server.qt import QtControlServer

if os.name == "posix":
    from unclench.ipc.server.posix import PosixControlServer

pytestmark = pytest.mark.gui
posix_only = pytest.mark.skipif(os.name != "posix", reason="Unix sockets and file modes")
needs_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="needs root to act as another user"
)

T = TypeVar("T")
ServerClass = type[ControlServerBase]
#: Short deadlines so the tests wait a fraction of a second, not the app's two seconds.
READ_TIMEOUT_S = 0.2
WRITE_TIMEOUT_S = 0.2
NOW = encode_request(Request(Command.NOW))


class FakeHandler:
    """Records each request and answers with a canned result, or raises what it is told."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.raises: BaseException | None = None
        self.results: dict[Command, dict[str, object]] = {}

    def __call__(self, request: Request) -> dict[str, object]:
        self.requests.append(request)
        if self.raises is not None:
            raise self.raises
        return self.results.get(request.cmd, {"cmd": request.cmd.value})


def exchange(address: str, data: bytes) -> bytes:
    """Send ``data`` and read until the server closes.

    A server that closes with some of our bytes unread makes Linux end the stream with a
    reset instead of a clean end, after whatever it sent; that counts as closed too. A server
    that answers and closes before we have sent (one that turns a connection away) makes the
    send fail with a broken pipe; its answer is still there to read.
    """
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        sock.connect(address)
        with contextlib.suppress(BrokenPipeError):
            sock.sendall(data)
        received = bytearray()
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
        return bytes(received)


def error_of(data: bytes) -> str:
    reply = parse_reply(data)
    assert reply.error is not None, reply
    return reply.error


@dataclass
class Rig:
    """A listening server with a fake handler; clients run in threads while the loop turns."""

    qtbot: QtBot
    server: ControlServerBase
    handler: FakeHandler
    address: str
    pool: ThreadPoolExecutor

    def run(self, function: Callable[..., T], *args: object, timeout_s: float = 5.0) -> T:
        """Call ``function`` in a worker thread, running the Qt loop until it returns."""
        future = self.pool.submit(function, *args)
        self.qtbot.waitUntil(future.done, timeout=round(timeout_s * 1000))
        return future.result()

    def send(self, request: Request) -> dict[str, object]:
        return self.run(send, request, self.address)

    def exchange(self, data: bytes) -> bytes:
        return self.run(exchange, self.address, data)

    def wait_until_idle(self) -> None:
        self.qtbot.waitUntil(lambda: self.server.active_connections == 0, timeout=2000)


class Ticker:
    """A QTimer in the test's loop that notes when it fires: proof the loop is turning."""

    def __init__(self, interval_ms: int) -> None:
        self.times: list[float] = []
        self._timer = QTimer()
        self._timer.timeout.connect(lambda: self.times.append(time.monotonic()))
        self._timer.start(interval_ms)

    def since(self, moment: float) -> list[float]:
        return [t for t in self.times if t >= moment]

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture(params=["posix", "qt"])
def server_class(request: pytest.FixtureRequest) -> ServerClass:
    """Each implementation of the control server."""
    if request.param == "qt":
        return QtControlServer
    if os.name != "posix":
        pytest.skip("Unix sockets")
    return PosixControlServer


@pytest.fixture
def handler() -> FakeHandler:
    return FakeHandler()


@pytest.fixture
def address(tmp_path: Path) -> str:
    return str(tmp_path / "run" / "unclench.sock")


@pytest.fixture
def make_rig(
    qtbot: QtBot, server_class: ServerClass, handler: FakeHandler, address: str
) -> Iterator[Callable[..., Rig]]:
    servers: list[ControlServerBase] = []
    with ThreadPoolExecutor(max_workers=64) as pool:

        def make(**options: float) -> Rig:
            settings = {"read_timeout_s": READ_TIMEOUT_S, "write_timeout_s": WRITE_TIMEOUT_S}
            server = server_class(handler, **(settings | options))  # type: ignore[arg-type]
            assert server.listen(address)
            servers.append(server)
            return Rig(qtbot, server, handler, address, pool)

        yield make
        for server in servers:
            server.close()


@pytest.fixture
def rig(make_rig: Callable[..., Rig]) -> Rig:
    return make_rig()


# --------------------------------------------------------------------- answering


def test_a_request_gets_the_handlers_result(rig: Rig) -> None:
    rig.handler.results[Command.STATUS] = {"state": "running", "next_break_in_s": 1380.0}
    assert rig.send(Request(Command.STATUS)) == {"state": "running", "next_break_in_s": 1380.0}
    assert rig.handler.requests == [Request(Command.STATUS)]


def test_arguments_reach_the_handler_checked_and_typed(rig: Rig) -> None:
    pause = Request(Command.PAUSE, duration=Duration(5400))
    rig.send(pause)
    assert rig.handler.requests == [pause]


def test_the_connection_is_closed_after_the_reply(rig: Rig) -> None:
    assert parse_reply(rig.exchange(NOW)).ok  # exchange() returned, so the server closed
    rig.wait_until_idle()


def test_a_refused_command_is_an_error_reply_with_its_message(rig: Rig) -> None:
    rig.handler.raises = CommandError("No snoozes left for this break.")
    with pytest.raises(CommandError, match="No snoozes left"):
        rig.send(Request(Command.SNOOZE))


def test_a_failing_handler_is_logged_and_answered_with_a_generic_error(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    rig.handler.raises = RuntimeError("bug in the app")
    data = rig.exchange(NOW)
    assert error_of(data) == INTERNAL_ERROR
    assert "bug in the app" not in data.decode()
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None
    assert "bug in the app" in caplog.text
    rig.handler.raises = None
    assert rig.send(Request(Command.NOW)) == {"cmd": "now"}


def test_a_result_that_is_not_json_is_a_generic_error(rig: Rig) -> None:
    rig.handler.results[Command.NOW] = {"when": object()}
    assert error_of(rig.exchange(NOW)) == INTERNAL_ERROR


def test_a_large_result_is_written_whole(rig: Rig) -> None:
    breaks = [{"id": n, "area": "neck_shoulders", "outcome": "done"} for n in range(500)]
    rig.handler.results[Command.HISTORY] = {"breaks": breaks}
    assert rig.send(Request(Command.HISTORY, limit=500)) == {"breaks": breaks}


# --------------------------------------------------------------------- bad clients


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\xfd\n",
        b"hello\n",
        b"[]\n",
        b"{}\n",
        b'{"v": 9, "cmd": "now"}\n',
        b'{"v": 1, "cmd": "format-disk"}\n',
        b'{"v": 1, "cmd": "pause", "args": {"duration": "-1h"}}\n',
        random.Random(7).randbytes(1000).replace(b"\n", b"") + b"\n",
    ],
)
def test_bad_bytes_get_an_error_reply_and_the_server_carries_on(rig: Rig, data: bytes) -> None:
    reply = rig.exchange(data)
    assert json.loads(reply) == {"ok": False, "error": error_of(reply)}
    assert rig.handler.requests == []
    assert rig.send(Request(Command.NOW)) == {"cmd": "now"}


def test_random_bytes_never_break_the_server(rig: Rig) -> None:
    rng = random.Random(2026)
    futures = [
        rig.pool.submit(exchange, rig.address, rng.randbytes(rng.randrange(1, 600)) + b"\n")
        for _ in range(40)
    ]
    for future in futures:
        data = rig.run(future.result)
        assert data == b"" or not parse_reply(data).ok
    assert rig.send(Request(Command.NOW)) == {"cmd": "now"}


@pytest.mark.parametrize("ending", [b"", b"\n"])
def test_an_oversized_request_is_refused_then_cut_off(rig: Rig, ending: bytes) -> None:
    data = rig.exchange(b"x" * (MAX_MESSAGE_BYTES + 1) + ending)
    assert "too long" in error_of(data)
    assert rig.handler.requests == []


def test_a_flood_without_a_newline_is_cut_off_without_being_buffered(rig: Rig) -> None:
    def flood() -> bytes:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(rig.address)
            try:
                for _ in range(1000):  # 64 MiB if the server kept reading
                    sock.sendall(b"y" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return sock.recv(65536)

    data = rig.run(flood)
    assert data == b"" or "too long" in error_of(data)


def test_a_slow_client_is_disconnected_after_the_read_timeout(rig: Rig) -> None:
    def half_a_line() -> float:
        start = time.monotonic()
        assert exchange(rig.address, b'{"v": 1, "cmd": ') == b""
        return time.monotonic() - start

    waited = rig.run(half_a_line)
    assert READ_TIMEOUT_S * 0.8 <= waited < READ_TIMEOUT_S + 1.5
    assert rig.handler.requests == []
    rig.wait_until_idle()


def test_a_request_split_into_pieces_is_read_whole(rig: Rig) -> None:
    def in_pieces() -> bytes:
        data = encode_request(Request(Command.HISTORY, limit=7))
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(rig.address)
            for byte in data:
                sock.sendall(bytes([byte]))
                time.sleep(0.001)
            return sock.recv(65536)

    assert parse_reply(rig.run(in_pieces)).ok
    assert rig.handler.requests == [Request(Command.HISTORY, limit=7)]


def test_a_client_that_never_reads_is_cut_off_and_blocks_nothing(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="unclench.ipc.server")
    # Far more than the kernel buffers for a Unix socket, so the write cannot complete.
    blob = "z" * 8_000_000
    rig.handler.results[Command.HISTORY] = {"blob": blob}
    ticker = Ticker(10)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as idle:
        idle.connect(rig.address)
        idle.sendall(encode_request(Request(Command.HISTORY)))
        rig.qtbot.waitUntil(lambda: rig.handler.requests != [], timeout=2000)
        assert rig.server.active_connections == 1
        # Meanwhile others are served and the loop keeps turning.
        assert rig.send(Request(Command.NOW)) == {"cmd": "now"}
        started = time.monotonic()
        rig.wait_until_idle()
        assert len(ticker.since(started)) >= 3
        assert "did not read its answer" in caplog.text
        idle.settimeout(2)
        received = 0
        try:
            while chunk := idle.recv(1 << 20):
                received += len(chunk)
        except ConnectionResetError:
            pass
        assert received < len(blob)
    ticker.stop()


def test_fifty_clients_at_once_are_all_answered_or_dropped_while_the_loop_runs(rig: Rig) -> None:
    ticker = Ticker(5)
    request = encode_request(Request(Command.STATUS))

    def client(n: int) -> bytes | None:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(5)
                sock.connect(rig.address)
                if n % 2:  # half of them dawdle, so many connections are open together
                    sock.sendall(request[:5])
                    time.sleep(0.05)
                    sock.sendall(request[5:])
                else:
                    sock.sendall(request)
                received = bytearray()
                while chunk := sock.recv(65536):
                    received += chunk
                return bytes(received)
        except (ConnectionResetError, BrokenPipeError):
            return None

    started = time.monotonic()
    futures = [rig.pool.submit(client, n) for n in range(50)]
    outcomes = [rig.run(future.result, timeout_s=10) for future in futures]
    elapsed = time.monotonic() - started
    ticker.stop()

    answered = [o for o in outcomes if o and parse_reply(o).ok]
    busy = [o for o in outcomes if o and not parse_reply(o).ok]
    assert len(answered) >= 16
    assert all(parse_reply(o).error == BUSY for o in busy)  # the rest were dropped
    # The timer fired all along: no stretch of the run went without the loop turning.
    fired = ticker.since(started)
    gaps = [b - a for a, b in zip([started, *fired], fired, strict=False)]
    assert len(fired) >= elapsed / 0.005 / 4
    assert max(gaps) < 0.5
    rig.wait_until_idle()


def test_connections_beyond_the_cap_are_turned_away_at_once(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(read_timeout_s=30.0, max_connections=4)
    silent = [socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(4)]
    try:
        for sock in silent:
            sock.connect(rig.address)
        rig.qtbot.waitUntil(lambda: rig.server.active_connections == 4, timeout=2000)

        def turned_away() -> tuple[bytes, float]:
            start = time.monotonic()
            return exchange(rig.address, NOW), time.monotonic() - start

        data, waited = rig.run(turned_away)
        assert waited < 10.0  # not held until a slot frees up (30 s); a loaded machine is slow
        assert data == b"" or error_of(data) == BUSY
    finally:
        for sock in silent:
            sock.close()
    rig.wait_until_idle()
    assert rig.send(Request(Command.NOW)) == {"cmd": "now"}


def test_a_reply_larger_than_the_socket_buffer_reaches_a_reader_whole(rig: Rig) -> None:
    """The rest of the reply goes out as the client reads, not in one write."""
    blob = "w" * 4_000_000  # far more than the kernel buffers for a Unix socket
    rig.handler.results[Command.HISTORY] = {"blob": blob}
    data = rig.exchange(encode_request(Request(Command.HISTORY)))
    assert json.loads(data) == {"ok": True, "result": {"blob": blob}}  # beyond a client's cap


def test_no_timer_is_left_running_once_the_clients_are_gone(rig: Rig) -> None:
    """An idle app must not wake up: the deadlines live only as long as their connection."""

    def running_timers() -> list[QTimer]:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return [t for t in rig.server.findChildren(QTimer) if t.isActive()]

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
        silent.connect(rig.address)
        rig.qtbot.waitUntil(lambda: rig.server.active_connections == 1, timeout=2000)
        assert len(running_timers()) == 1  # the read deadline
    rig.wait_until_idle()
    assert rig.send(Request(Command.NOW)) == {"cmd": "now"}
    rig.wait_until_idle()
    assert running_timers() == []


# --------------------------------------------------------------------- the socket itself


@posix_only
def test_the_socket_is_private_in_a_private_folder(rig: Rig) -> None:
    assert rig.server.address == rig.address
    info = Path(rig.address).lstat()
    assert stat.S_ISSOCK(info.st_mode)
    assert stat.S_IMODE(info.st_mode) & 0o077 == 0
    assert info.st_uid == os.getuid()
    assert stat.S_IMODE(Path(rig.address).parent.stat().st_mode) == 0o700


@posix_only
def test_an_open_folder_is_made_private(make_rig: Callable[..., Rig], address: str) -> None:
    folder = Path(address).parent
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    make_rig()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@posix_only
def test_a_folder_that_is_not_a_folder_is_refused(
    qtbot: QtBot,
    server_class: ServerClass,
    handler: FakeHandler,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    (tmp_path / "run").symlink_to(tmp_path / "elsewhere")
    assert not server_class(handler).listen(str(tmp_path / "run" / "unclench.sock"))
    assert "not a folder" in caplog.text


@needs_root
def test_a_folder_owned_by_someone_else_is_refused(
    qtbot: QtBot,
    server_class: ServerClass,
    handler: FakeHandler,
    address: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder = Path(address).parent
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    assert not server_class(handler).listen(address)
    assert "belongs to another user" in caplog.text


@posix_only
def test_a_socket_left_by_a_dead_app_is_replaced(
    make_rig: Callable[..., Rig], address: str
) -> None:
    Path(address).parent.mkdir(mode=0o700)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as leftover:
        leftover.bind(address)  # closing leaves the file; nobody listens
    assert Path(address).exists()
    assert not probe(address)
    assert make_rig().send(Request(Command.NOW)) == {"cmd": "now"}


def test_a_second_server_does_not_take_over_a_live_one(rig: Rig, server_class: ServerClass) -> None:
    second = server_class(lambda request: {"from": "the second"})
    assert not second.listen(rig.address)
    assert rig.send(Request(Command.NOW)) == {"cmd": "now"}


@posix_only
def test_a_live_server_without_the_lock_is_not_taken_over_either(
    qtbot: QtBot, server_class: ServerClass, handler: FakeHandler, address: str
) -> None:
    """An app that holds no lock (an older build) but answers keeps its socket."""
    Path(address).parent.mkdir(mode=0o700)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as other:
        other.bind(address)
        other.listen()
        assert not server_class(handler).listen(address)
        assert Path(address).exists()


def test_closing_removes_the_socket_and_frees_the_address(
    make_rig: Callable[..., Rig], address: str
) -> None:
    first = make_rig()
    first.server.close()
    assert first.server.address is None
    assert not Path(address).exists()
    with pytest.raises(AppNotRunning):
        send(Request(Command.NOW), address)
    assert make_rig().send(Request(Command.NOW)) == {"cmd": "now"}


@needs_root
def test_another_user_cannot_connect(rig: Rig) -> None:
    folder = Path(rig.address).parent

    def connect_as_nobody() -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            os.seteuid(65534)  # 'nobody'; the real uid stays root, so this can be undone
            try:
                sock.connect(rig.address)
            finally:
                os.seteuid(0)

    with pytest.raises(PermissionError):  # the 0700 folder stops them
        connect_as_nobody()
    folder.chmod(0o711)
    try:
        with pytest.raises(PermissionError):  # and so does the socket's own mode
            connect_as_nobody()
    finally:
        folder.chmod(0o700)


# --------------------------------------------------------------------- the Qt client (Windows)


QT_CLIENT = textwrap.dedent(
    """
    import sys
    from unclench.ipc.client import AppNotRunning, _exchange_qt
    from unclench.ipc.protocol import Command, Request, encode_request
    try:
        print(_exchange_qt(sys.argv[1], encode_request(Request(Command.STATUS)), 3.0).decode())
    except AppNotRunning as exc:
        print("not running:", exc)
    """
)


def run_qt_client(address: str) -> subprocess.CompletedProcess[str]:
    """A separate process: QLocalSocket's blocking calls hold the GIL while they wait."""
    return subprocess.run(
        [sys.executable, "-c", QT_CLIENT, address],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_the_qt_client_used_on_windows_talks_to_the_server(rig: Rig) -> None:
    result = rig.run(run_qt_client, rig.address, timeout_s=30)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"ok": True, "result": {"cmd": "status"}}
    assert result.stderr == ""  # no QCoreApplication needed, and no Qt warning about it


def test_the_qt_client_knows_when_nothing_listens(tmp_path: Path) -> None:
    result = run_qt_client(str(tmp_path / "none.sock"))
    assert result.stdout.startswith("not running:"), result.stderr


LOCK_AND_WAIT = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QLockFile
    lock = QLockFile(sys.argv[1])
    assert lock.tryLock(0)
    print("locked", flush=True)
    time.sleep(60)
    """
)


@posix_only
def test_a_lock_left_by_a_crashed_app_is_taken_over(
    make_rig: Callable[..., Rig], address: str
) -> None:
    Path(address).parent.mkdir(mode=0o700)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_AND_WAIT, f"{address}.lock"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "locked\n"
    finally:
        holder.kill()  # SIGKILL: the lock file stays behind, as after a crash
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    assert Path(f"{address}.lock").exists()
    assert make_rig().send(Request(Command.NOW)) == {"cmd": "now"}
