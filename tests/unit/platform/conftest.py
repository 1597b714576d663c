"""A private D-Bus for the platform tests, and a fake desktop that serves on it."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QApplication

FAKE_DESKTOP = Path(__file__).with_name("fake_desktop_service.py")
#: A bus of our own: no activation of the machine's services, anyone may own any name.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
_names = itertools.count()
#: ``fake_desktop(*specs)`` starts a fake desktop and returns its process.
FakeDesktop = Callable[..., "subprocess.Popen[str]"]


@dataclass
class PrivateBus:
    """A running dbus-daemon: its address and a way to open named client connections."""

    address: str
    opened: list[str]

    def connect(self) -> QDBusConnection:
        name = f"unclench-test-{next(_names)}"
        self.opened.append(name)
        connection = QDBusConnection.connectToBus(self.address, name)
        assert connection.isConnected(), connection.lastError().message()
        return connection


@pytest.fixture
def private_bus(tmp_path: Path, qapp: QApplication) -> Iterator[PrivateBus]:
    """A fresh dbus-daemon for one test, stopped afterwards."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed (Debian package: dbus-daemon)")
    config = tmp_path / "bus.conf"
    config.write_text(BUS_CONFIG.format(folder=tmp_path), encoding="utf-8")
    process = subprocess.Popen(
        [daemon, f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # it complains that it may not raise its file limit
        text=True,
    )
    assert process.stdout is not None
    bus = PrivateBus(process.stdout.readline().strip(), [])
    try:
        yield bus
    finally:
        for name in bus.opened:
            QDBusConnection.disconnectFromBus(name)
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture
def fake_desktop(private_bus: PrivateBus) -> Iterator[FakeDesktop]:
    """Start a fake desktop on the private bus: ``fake_desktop("SERVICE:PATH:IFACE.M=42")``."""
    children: list[subprocess.Popen[str]] = []

    def start(*specs: str) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, str(FAKE_DESKTOP), private_bus.address, *specs],
            stdout=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        return child

    yield start
    for child in children:
        if child.poll() is None:
            child.terminate()
            child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
