"""The X11 backends against a real X server (Xvfb from pytest-xvfb), driven with xdotool.

Needs the Debian packages ``xvfb`` (the server) and ``xdotool`` (fake input over XTEST).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from unclench.platform import dnd_x11, idle_x11
from unclench.platform.x11 import open_display

pytestmark = pytest.mark.gui


@pytest.fixture
def display() -> Iterator[Any]:
    name = os.environ.get("DISPLAY")
    if not name:
        pytest.skip("no X display (pytest-xvfb starts one when the xvfb package is installed)")
    connection = open_display(name)
    if connection is None:
        pytest.skip(f"cannot open X display {name}")
    yield connection
    connection.close()


def xdotool(*args: str) -> None:
    tool = shutil.which("xdotool")
    if tool is None:
        pytest.skip("xdotool is not installed (Debian package: xdotool)")
    subprocess.run([tool, *args], check=True, timeout=10)


def idle_after_input(source: idle_x11.X11IdleSource) -> float:
    """The first reading after an input: the X server may take a moment to count it."""
    deadline = time.monotonic() + 1.0
    idle = source.idle_seconds()
    while idle is not None and idle > 0.3 and time.monotonic() < deadline:
        time.sleep(0.02)
        idle = source.idle_seconds()
    assert idle is not None
    return idle


def move_pointer(display: Any) -> None:
    """Move to a new position: a move to where the pointer already is would not be input."""
    pointer = display.screen().root.query_pointer()
    xdotool("mousemove", str((pointer.root_x + 37) % 200 + 1), str((pointer.root_y + 23) % 200 + 1))


def test_idle_time_grows_and_input_resets_it(display: Any) -> None:
    source = idle_x11.create(None, display)
    assert source is not None, "Xvfb offers MIT-SCREEN-SAVER"
    move_pointer(display)
    start = idle_after_input(source)

    time.sleep(0.6)
    grown = source.idle_seconds()
    assert grown is not None
    assert 0.45 < grown - start < 1.2  # it counts real time, in seconds

    move_pointer(display)
    assert idle_after_input(source) < 0.3

    time.sleep(0.5)
    grown = source.idle_seconds()
    assert grown is not None
    assert grown > 0.4

    xdotool("key", "shift")
    assert idle_after_input(source) < 0.3


def test_fullscreen_check_reads_the_active_window_state(display: Any) -> None:
    """No window manager runs under pytest-xvfb, so the test sets the EWMH hints itself."""
    from Xlib import X, Xatom

    root = display.screen().root
    check = dnd_x11.create(None, display)
    assert check is not None
    active = display.intern_atom("_NET_ACTIVE_WINDOW")
    state = display.intern_atom("_NET_WM_STATE")
    fullscreen = display.intern_atom("_NET_WM_STATE_FULLSCREEN")
    window = root.create_window(0, 0, 10, 10, 0, X.CopyFromParent)
    try:
        root.change_property(active, Xatom.WINDOW, 32, [window.id])
        window.change_property(state, Xatom.ATOM, 32, [fullscreen])
        display.sync()
        assert check.reason() == "a full-screen window is in front"

        window.change_property(state, Xatom.ATOM, 32, [])
        display.sync()
        assert check.reason() is None

        window.destroy()  # the hint now names a window that is gone: an X error, no crash
        display.sync()
        assert check.reason() is None
    finally:
        root.delete_property(active)
        display.sync()
