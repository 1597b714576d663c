"""The Unix socket control server: what only it does. The behavior both servers share is
tested on both in ``test_ipc_server.py``."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from unclench.ipc import server as chosen
from unclench.ipc.client import send
from unclench.ipc.protocol import Command, Request

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(os.name != "posix", reason="Unix sockets"),
]

if os.name == "posix":
    from unclench.ipc.server import posix
    from unclench.ipc.server.posix import PosixControlServer


def test_linux_and_macos_get_the_unix_socket_server() -> None:
    assert chosen.ControlServer is PosixControlServer


def test_a_failing_accept_pauses_the_server_instead_of_spinning_then_it_serves(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Out of file descriptors, the pending connection would wake the loop again at once."""
    monkeypatch.setattr(posix, "ACCEPT_RETRY_MS", 100)
    real_accept = socket.socket.accept
    failing_until = time.monotonic() + 0.5
    calls = []

    def accept(self: socket.socket) -> tuple[socket.socket, object]:
        calls.append(time.monotonic())
        if time.monotonic() < failing_until:
            raise OSError(errno.EMFILE, "Too many open files")
        return real_accept(self)

    monkeypatch.setattr(socket.socket, "accept", accept)
    address = str(tmp_path / "run" / "unclench.sock")
    server = PosixControlServer(lambda request: {"cmd": request.cmd.value})
    assert server.listen(address)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            reply = pool.submit(send, Request(Command.NOW), address)
            qtbot.waitUntil(reply.done, timeout=5000)
        assert reply.result() == {"cmd": "now"}
    finally:
        server.close()
    assert "cannot accept a connection (Too many open files)" in caplog.text
    assert 2 <= len(calls) <= 12  # one try per pause, not one per turn of the loop


SERVE_ONCE = textwrap.dedent(
    """
    import json, sys, threading, time
    from PySide6.QtCore import QCoreApplication
    qapp = QCoreApplication([])
    # What the app imports before its tray shows, and what it builds on the first turn.
    import unclench.app, unclench.controller, unclench.ui.break_window
    import unclench.platform.dnd, unclench.platform.idle, unclench.platform.session
    from unclench.ipc.client import send
    from unclench.ipc.protocol import Command, Request
    from unclench.ipc.server import ControlServer
    server = ControlServer(lambda request: {"cmd": request.cmd.value})
    assert server.listen(sys.argv[1])
    replies = []
    client = threading.Thread(
        target=lambda: replies.append(send(Request(Command.STATUS), sys.argv[1]))
    )
    client.start()
    while client.is_alive():
        qapp.processEvents()
        time.sleep(0.005)
    server.close()
    print(json.dumps({"replies": replies, "modules": sorted(sys.modules)}))
    """
)


def test_the_app_serves_its_socket_without_loading_qtnetwork(tmp_path: Path) -> None:
    """QtNetwork costs ~2.8 MB of idle memory and 10-25 ms of start-up (docs/performance.md)."""
    result = subprocess.run(
        [sys.executable, "-c", SERVE_ONCE, str(tmp_path / "run" / "unclench.sock")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["replies"] == [{"cmd": "status"}]
    assert "PySide6.QtWidgets" in report["modules"]  # the check looks where Qt is loaded
    assert "PySide6.QtNetwork" not in report["modules"]
