"""The real app on real Wayland desktops (headless sway, GNOME Shell and KWin): the break in its
corner, above, never taking the keyboard; idle time from the compositor; full screen holding
a due break; the tray item and its menu; a clean quit."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from unclench_devtools.programs import DesktopError, Geometry, Program
from unclench_devtools.wayland.base import Terminal, WaylandDesktop, missing_tools
from unclench_devtools.wayland.gnome import GnomeDesktop
from unclench_devtools.wayland.kwin import KwinDesktop, missing_plasma_tools
from unclench_devtools.wayland.sway import SwayDesktop

from helpers.menus import FULL_MENU

DESKTOPS: dict[str, type[WaylandDesktop]] = {
    "sway": SwayDesktop,
    "gnome": GnomeDesktop,
    "kwin": KwinDesktop,
}
#: How each desktop shows the break (``popup_mechanism``).
MECHANISM = {"sway": "sway", "gnome": "xwayland", "kwin": "xwayland"}
BREAK = "^Unclench break"
FOCUSED = "unclench-e2e-focus"

#: The break window's corner: within this many pixels of both edges (the margin is 16).
CORNER_SLACK = 48
FULL_SCREEN = "a full-screen window is in front"
SESSION_MANAGER = (
    "org.gnome.SessionManager:/org/gnome/SessionManager:org.freedesktop.DBus.Properties.Get"
)


@pytest.fixture(autouse=True)
def _fresh_desktop_per_test() -> None:
    """Overrides the X11 suite's: these tests start no X desktop (``session`` cleans up)."""


@pytest.fixture(scope="module", params=list(DESKTOPS))
def wayland(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WaylandDesktop]:
    """One headless desktop per parameter, shared by the module's tests on it."""
    kind = DESKTOPS[request.param]
    missing = missing_tools(kind) + (missing_plasma_tools() if kind is KwinDesktop else [])
    if missing:
        reason = f"{kind.name} tests need {', '.join(missing)}; see docs/development.md"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: failing instead of skipping)", pytrace=False)
        pytest.skip(reason)
    workdir = tmp_path_factory.mktemp(kind.name)
    # KDE with Plasma's shell: its tray, and its notification server's do-not-disturb.
    desktop = KwinDesktop(workdir, plasma=True) if kind is KwinDesktop else kind(workdir)
    with desktop:
        yield desktop


@dataclass
class Session:
    desktop: WaylandDesktop
    terminal: Terminal
    app: Program
    env: dict[str, str]
    home: Path

    def cli(self, *args: str, check: bool = True) -> str:
        command = [sys.executable, "-m", "unclench", *args]
        return self.desktop.run(command, env=self.env, check=check, timeout=15).stdout

    def status(self) -> dict[str, object]:
        data = json.loads(self.cli("status", "--json"))
        assert isinstance(data, dict)
        return data

    def log(self) -> str:
        logs = list((self.home / ".local" / "state").rglob("unclench.log"))
        return logs[0].read_text() if logs else ""


@pytest.fixture
def session(wayland: WaylandDesktop, tmp_path: Path) -> Iterator[Session]:
    """A focused native terminal, then the app, started as a person would."""
    terminal = wayland.start_terminal(FOCUSED)
    env = wayland.env(home=tmp_path)
    app = wayland.spawn([sys.executable, "-m", "unclench", "--verbose"], env=env, name="unclench")
    running = Session(wayland, terminal, app, env, tmp_path)
    wayland.wait_until(
        lambda: running.cli("status", check=False) != "", timeout=20, what="the app to answer"
    )
    yield running
    try:
        assert "Traceback" not in app.errors(), app.errors()
    finally:
        wayland.stop_programs()


def test_it_starts_with_idle_time_from_the_desktop_and_the_right_break_window(
    session: Session,
) -> None:
    status = session.status()
    assert status["idle_source"] != "none"
    assert status["counting_wall_time"] is False
    assert status["break_window"] == MECHANISM[session.desktop.name]
    assert f"break window: {status['break_window']}" in session.log()


def test_its_tray_item_is_registered_with_our_menu(session: Session) -> None:
    desktop = session.desktop
    if not desktop.has_tray_host():
        pytest.skip(f"{desktop.name} here runs no tray host")
    items = desktop.wait_until(desktop.tray_items, timeout=10, what="a tray item")
    assert desktop.menu_labels(items[0]) == FULL_MENU


def test_a_break_shows_in_its_corner_above_the_focused_window_which_keeps_the_keyboard(
    session: Session,
) -> None:
    desktop = session.desktop
    typing = desktop.can_type
    if typing:
        desktop.type_text("before")
    asked = time.monotonic()
    session.cli("now")
    where = desktop.wait_until(
        lambda: desktop.window_rect(BREAK), timeout=2, what="the break window within 2 s"
    )
    shown_after = time.monotonic() - asked
    print(f"{desktop.name}: break window after {shown_after:.2f} s at {where}")
    area = desktop.work_area()
    # The layout settles in a moment (sway moves it once it has floated): read it again.
    desktop.wait_until(
        lambda: _in_corner(desktop.window_rect(BREAK), area),
        timeout=2,
        what=f"the corner of {area}",
    )
    assert desktop.is_above(BREAK, f"^{FOCUSED}$")
    if isinstance(desktop, GnomeDesktop | KwinDesktop):  # sway has no taskbar of its own
        assert desktop.skip_taskbar(BREAK)
    if typing:
        desktop.type_text("during")
    assert desktop.focused_title() == FOCUSED
    session.cli("snooze", "30m")
    desktop.wait_until(
        lambda: desktop.window_rect(BREAK) is None, timeout=5, what="the window to close"
    )
    assert desktop.focused_title() == FOCUSED
    if typing:
        desktop.type_text("after")
        desktop.wait_until(
            lambda: session.terminal.typed() == "beforeduringafter",
            timeout=5,
            what=f"every key in the terminal (got {session.terminal.typed()!r})",
        )


def test_input_resets_the_idle_time(session: Session) -> None:
    desktop = session.desktop
    if not desktop.can_type:
        pytest.skip(f"{desktop.name} lets no test type")
    desktop.wait_until(lambda: _idle(session) >= 5.5, timeout=15, what="the idle time to pass 5 s")
    before = _idle(session)
    desktop.type_text("x")
    desktop.wait_until(lambda: _idle(session) < 2, timeout=5, what="input to reset the idle time")
    print(f"{desktop.name}: idle {before:.1f} s, then {_idle(session):.1f} s after a key")


def test_a_full_screen_window_holds_a_due_break(session: Session) -> None:
    desktop = session.desktop
    desktop.start_terminal("unclench-e2e-full", fullscreen=True)
    expected = FULL_SCREEN
    if isinstance(desktop, GnomeDesktop):
        # GNOME tells no program whether a window is full screen. What it does tell is that
        # an app (a video player, a slide show) asked its session manager not to go idle,
        # which is what gnome-session reports here, played by a stand-in: the headless
        # Shell runs without gnome-session.
        expected = "an app asked the desktop to stay awake (a video or a presentation)"
        stand_in = desktop.stand_in([f"{SESSION_MANAGER}=8"], name="gnome-session")
        desktop.programs.append(stand_in)
    session.cli("now")
    desktop.wait_until(lambda: desktop.window_rect(BREAK), timeout=5, what="the break window")
    session.cli("snooze", "1m")  # the shortest snooze: due again after a minute of activity
    desktop.wait_until(
        lambda: session.status()["due"] is True, timeout=80, what="the snoozed break to be due"
    )
    # Due, past the lull it waits for (nobody types), and still held by the full screen.
    time.sleep(7)
    status = session.status()
    assert (status["state"], status["due"], status["dnd"]) == ("running", True, expected)
    assert desktop.window_rect(BREAK) is None


def test_locking_the_screen_counts_as_time_away(session: Session) -> None:
    desktop = session.desktop
    desktop.lock_screen(True)
    desktop.wait_until(lambda: session.status()["locked"] is True, timeout=5, what="locked")
    desktop.lock_screen(False)
    desktop.wait_until(lambda: session.status()["locked"] is False, timeout=5, what="unlocked")
    assert "listening for lock and suspend" in session.log()


def test_where_asked_a_break_comes_as_a_notification_first(
    wayland: WaylandDesktop, tmp_path: Path
) -> None:
    """The mechanism for desktops where no window can appear unfocused, tried against GNOME
    Shell's real notification server (``UNCLENCH_POPUP`` picks it here)."""
    if not isinstance(wayland, GnomeDesktop):
        pytest.skip("reads GNOME Shell's notifications")
    env = wayland.env(home=tmp_path) | {"UNCLENCH_POPUP": "notification"}
    running = Session(
        wayland,
        wayland.start_terminal(FOCUSED),
        wayland.spawn([sys.executable, "-m", "unclench", "--verbose"], env=env, name="unclench"),
        env,
        tmp_path,
    )
    wayland.wait_until(
        lambda: running.cli("status", check=False) != "", timeout=20, what="the app to answer"
    )
    assert running.status()["break_window"] == "notification"
    running.cli("now")
    title = "Time for a short break"
    offered = wayland.wait_until(
        lambda: [n for n in wayland.notifications() if n["title"] == title],
        timeout=5,
        what="the break's notification",
    )
    assert offered[0]["actions"] == ["Start", "Snooze", "Skip"]
    assert wayland.window_rect(BREAK) is None  # nothing takes the keyboard until asked
    wayland.press_notification_button(title, "Start")
    wayland.wait_until(lambda: wayland.window_rect(BREAK), timeout=5, what="the window")
    wayland.wait_until(lambda: running.status()["state"] == "break", timeout=5, what="a break")
    running.cli("quit")
    assert running.app.popen.wait(timeout=10) == 0
    wayland.stop_programs()


def test_quit_ends_the_app_cleanly(session: Session) -> None:
    session.cli("quit")
    assert session.app.popen.wait(timeout=10) == 0


def _idle(session: Session) -> float:
    idle = session.status()["idle_s"]
    if not isinstance(idle, int | float):
        raise DesktopError(f"the status has no idle time: {idle!r}")
    return float(idle)


def _in_corner(rect: Geometry | None, area: Geometry) -> str | None:
    """Within ``CORNER_SLACK`` of the right and bottom edges of the screen's free area (the
    default corner; panels and bars are not the window's to cover): the gaps, or ``None``."""
    if rect is None:
        return None
    right_gap = area.x + area.width - (rect.x + rect.width)
    bottom_gap = area.y + area.height - (rect.y + rect.height)
    if 0 <= right_gap <= CORNER_SLACK and 0 <= bottom_gap <= CORNER_SLACK:
        return f"{rect} ({right_gap} px from the right, {bottom_gap} px from the bottom)"
    return None


def test_a_wayland_desktop_without_a_tray_says_once_how_to_reach_unclench(
    tmp_path: Path,
) -> None:
    """KWin without Plasma's shell has no tray, as GNOME has none without its extension."""
    missing = missing_tools(KwinDesktop)
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    with KwinDesktop(tmp_path / "kwin", plasma=False) as desktop:
        assert not desktop.has_tray_host()
        env = desktop.env(home=tmp_path / "home")
        command = [sys.executable, "-m", "unclench"]
        for first_time in (True, False):
            app = desktop.spawn(command, env=env, name="unclench")
            desktop.wait_until(
                lambda: desktop.run([*command, "status"], env=env, check=False).returncode == 0,
                timeout=20,
                what="the app to answer",
            )
            if first_time:
                desktop.wait_until(
                    lambda: desktop.window_rect("^Unclench is running"),
                    timeout=10,
                    what="the window that says how to reach Unclench",
                )
            else:  # the next login: it has been said
                time.sleep(2)
                assert desktop.window_rect("^Unclench is running") is None
            desktop.run([*command, "quit"], env=env)
            assert app.popen.wait(timeout=10) == 0
