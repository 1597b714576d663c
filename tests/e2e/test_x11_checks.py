"""The X11 idle and full-screen checks on a real desktop (Xvfb and openbox), and what they
do when the X server goes away."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from unclench.platform import dnd_x11
from unclench.platform.xlib_ctypes import XDisplay, open_display
from unclench_devtools.x11.desktop import Desktop


@pytest.fixture
def display(desktop: Desktop) -> Iterator[XDisplay]:
    connection = open_display(desktop.display)
    assert connection is not None
    yield connection
    connection.close()


def test_a_full_screen_xterm_in_front_holds_breaks(desktop: Desktop, display: XDisplay) -> None:
    """Openbox keeps ``_NET_ACTIVE_WINDOW`` and the window's ``_NET_WM_STATE`` up to date."""
    check = dnd_x11.create(None, display)
    assert check is not None
    plain = desktop.start_xterm("plain")
    assert check.reason() is None

    look = ["-T", "full", "-fn", "fixed", "-fullscreen"]
    desktop.spawn(["xterm", *look, "-e", "/bin/sh"], name="xterm-fullscreen")
    full = desktop.wait_for_window(name="^full$")
    desktop.xdotool("windowactivate", full)
    desktop.wait_for_focus(full)
    desktop.wait_until(
        lambda: check.reason() == dnd_x11.REASON, timeout=5, what="the full-screen reason"
    )

    desktop.xdotool("windowactivate", plain)
    desktop.wait_for_focus(plain)
    desktop.wait_until(lambda: check.reason() is None, timeout=5, what="the reason to go")


#: Opens the shared connection, answers, waits for a line on stdin, answers again.
LOSES_ITS_SERVER = """
import sys
from unclench.platform import dnd_x11, idle_x11
from unclench.platform.x11 import close_shared_displays, shared_display

name = sys.argv[1]
idle, dnd = idle_x11.create(name), dnd_x11.create(name)
assert idle is not None and dnd is not None
print("before", idle.idle_seconds() is not None, dnd.reason(), flush=True)
sys.stdin.readline()
print("after", idle.idle_seconds(), dnd.reason(), shared_display(name), flush=True)
close_shared_displays()
print("closed", flush=True)
"""


def test_a_server_that_goes_away_answers_none_and_the_program_lives_on(tmp_path: Path) -> None:
    """Xlib's defaults would end the process on the first request after the loss."""
    lost = Desktop(tray=False, first_display=140, workdir=tmp_path).start()
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", LOSES_ITS_SERVER, lost.display],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=lost.env(),
        )
        assert child.stdout is not None
        assert child.stdin is not None
        assert child.stdout.readline() == "before True None\n"
    finally:
        lost.stop()
    out, err = child.communicate("\n", timeout=10)
    assert out == "after None None None\nclosed\n", err
    assert child.returncode == 0, err


#: What the app's start-up imports and builds for idle time and do-not-disturb.
CHOOSES_ITS_CHECKS = """
import os, sys
import unclench.app, unclench.ui.tray_qt
from unclench.platform.dnd import choose_dnd_sources
from unclench.platform.idle import choose_idle_source

idle = choose_idle_source(os.environ, sys.platform)
dnd = choose_dnd_sources(os.environ, sys.platform)
print(idle.name, dnd[0].name, "Xlib" in sys.modules)
"""


def test_the_checks_do_not_load_python_xlib(desktop: Desktop) -> None:
    """python-xlib costs ~4 MB of idle memory; only the pystray tray needs it."""
    result = desktop.run([sys.executable, "-c", CHOOSES_ITS_CHECKS], timeout=30)
    assert result.stdout.split() == ["x11", "x11-fullscreen", "False"]
