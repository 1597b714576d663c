"""The X11 backends against a real X server (Xvfb from pytest-xvfb), driven with xdotool.

Needs the Debian packages ``xvfb`` (the server), ``xdotool`` (fake input over XTEST) and
``libxss1``. The tests drive the server with python-xlib, a second client beside the
backends' own connection.
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
from unclench.platform.xlib_ctypes import XDisplay, open_display

pytestmark = pytest.mark.gui


@pytest.fixture
def display_name() -> str:
    name = os.environ.get("DISPLAY")
    if not name:
        pytest.skip("no X display (pytest-xvfb starts one when the xvfb package is installed)")
    return name


@pytest.fixture
def display(display_name: str) -> Iterator[XDisplay]:
    """The backends' connection, as the app opens it."""
    connection = open_display(display_name)
    assert connection is not None, f"cannot open X display {display_name} over libX11"
    yield connection
    connection.close()


@pytest.fixture
def driver(display_name: str) -> Iterator[Any]:
    """A python-xlib connection the tests change the server with."""
    from Xlib.display import Display

    connection = Display(display_name)
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


def move_pointer(driver: Any) -> None:
    """Move to a new position: a move to where the pointer already is would not be input."""
    pointer = driver.screen().root.query_pointer()
    xdotool("mousemove", str((pointer.root_x + 37) % 200 + 1), str((pointer.root_y + 23) % 200 + 1))


def test_idle_time_grows_and_input_resets_it(display: XDisplay, driver: Any) -> None:
    source = idle_x11.create(None, display)
    assert source is not None, "Xvfb offers MIT-SCREEN-SAVER"
    move_pointer(driver)
    start = idle_after_input(source)
    started = time.monotonic()

    time.sleep(0.6)
    grown = source.idle_seconds()
    elapsed = time.monotonic() - started
    assert grown is not None
    # It counts real time, in seconds: as much as passed here, however long the sleep took.
    assert abs((grown - start) - elapsed) < 0.2

    move_pointer(driver)
    assert idle_after_input(source) < 0.3

    time.sleep(0.5)
    grown = source.idle_seconds()
    assert grown is not None
    assert grown > 0.4

    xdotool("key", "shift")
    assert idle_after_input(source) < 0.3


def test_fullscreen_check_reads_the_active_window_state(display: XDisplay, driver: Any) -> None:
    """No window manager runs under pytest-xvfb, so the test sets the EWMH hints itself."""
    from Xlib import X, Xatom

    root = driver.screen().root
    check = dnd_x11.create(None, display)
    assert check is not None
    active = driver.intern_atom("_NET_ACTIVE_WINDOW")
    state = driver.intern_atom("_NET_WM_STATE")
    fullscreen = driver.intern_atom("_NET_WM_STATE_FULLSCREEN")
    window = root.create_window(0, 0, 10, 10, 0, X.CopyFromParent)
    try:
        root.change_property(active, Xatom.WINDOW, 32, [window.id])
        above = driver.intern_atom("_NET_WM_STATE_ABOVE")
        window.change_property(state, Xatom.ATOM, 32, [above, fullscreen])
        driver.sync()
        assert check.reason() == "a full-screen window is in front"

        window.change_property(state, Xatom.ATOM, 32, [above])
        driver.sync()
        assert check.reason() is None

        window.destroy()  # the hint now names a window that is gone: an X error, no crash
        driver.sync()
        assert check.reason() is None
        assert display.usable  # the error was the request's, the connection goes on
        assert check.reason() is None
    finally:
        root.delete_property(active)
        driver.sync()


def test_a_window_property_of_another_type_counts_as_missing(
    display: XDisplay, driver: Any
) -> None:
    from Xlib import Xatom

    root = driver.screen().root
    name = driver.intern_atom("_UNCLENCH_TEST")
    atom = display.intern_atom("_UNCLENCH_TEST")
    assert atom == name  # both clients get the server's number for the name
    root.change_property(name, Xatom.CARDINAL, 32, [7, 0xFFFFFFFF])
    driver.sync()
    try:
        assert display.window_property(display.root, name, Xatom.CARDINAL) == [7, 0xFFFFFFFF]
        assert display.window_property(display.root, name, Xatom.ATOM) is None
    finally:
        root.delete_property(name)
        driver.sync()
    assert display.window_property(display.root, name, Xatom.CARDINAL) is None


def test_without_libxss_idle_time_is_unsupported_and_the_full_screen_check_works(
    display_name: str,
) -> None:
    """A machine without libXss (Debian package libxss1): the X11 idle source says no."""
    display = open_display(display_name, xss_name="Xss-not-installed")
    assert display is not None
    try:
        assert not display.has_idle_time
        assert display.idle_ms() is None
        assert idle_x11.create(None, display) is None
        assert dnd_x11.create(None, display) is not None  # it needs libX11 only
    finally:
        display.close()


def test_a_closed_display_answers_none(display_name: str) -> None:
    display = open_display(display_name)
    assert display is not None
    source = idle_x11.create(None, display)
    assert source is not None
    display.close()
    display.close()  # twice is harmless
    assert not display.usable
    assert source.idle_seconds() is None
    assert display.window_property(display.root, 1, 33) is None
