"""The real app on a real (virtual) desktop: tray, menu, break window, focus, CLI, bad files."""

from __future__ import annotations

import contextlib
import json
import random
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from unclench_devtools.programs import DesktopError, Program
from unclench_devtools.x11.desktop import Desktop

BREAK_WINDOW = "^Unclench break$"
NO_TRAY_TITLE = "Unclench is running"


@dataclass
class RunningApp:
    desktop: Desktop
    program: Program
    env: dict[str, str]
    home: Path
    start_to_tray_s: float

    def cli(self, *args: str, check: bool = True) -> str:
        result = self.desktop.run(
            [sys.executable, "-m", "unclench", *args], env=self.env, check=check, timeout=15
        )
        return result.stdout

    def status(self) -> dict[str, object]:
        data = json.loads(self.cli("status", "--json"))
        assert isinstance(data, dict)
        return data

    def log_text(self) -> str:
        logs = list((self.home / ".local" / "state").rglob("unclench.log"))
        return logs[0].read_text() if logs else ""


def start_app(desktop: Desktop, home: Path, *args: str, expect_tray: bool = True) -> RunningApp:
    env = desktop.env(home=home)
    before = len(desktop.tray_children()) if desktop.tray else 0
    started = time.perf_counter()
    program = desktop.spawn(
        [sys.executable, "-m", "unclench", "--verbose", *args], env=env, name="unclench"
    )
    elapsed = 0.0
    if expect_tray:
        desktop.wait_for_tray_children(before + 1, timeout=15)
        elapsed = time.perf_counter() - started
    app = RunningApp(desktop, program, env, home, elapsed)
    desktop.wait_until(lambda: _answers(app), timeout=15, what="the app to answer on its socket")
    return app


def _answers(app: RunningApp) -> bool:
    return (
        app.desktop.run(
            [sys.executable, "-m", "unclench", "status"], env=app.env, check=False
        ).returncode
        == 0
    )


@pytest.fixture(params=["qt", "pystray"])
def app(request: pytest.FixtureRequest, desktop: Desktop, tmp_path: Path) -> Iterator[RunningApp]:
    running = start_app(desktop, tmp_path, "--tray", request.param)
    print(f"start to tray ({request.param}): {running.start_to_tray_s:.2f} s")
    yield running
    assert "Traceback" not in running.program.errors()


@pytest.fixture
def qt_app(desktop: Desktop, tmp_path: Path) -> Iterator[RunningApp]:
    """The app with Qt's tray: the menu is the same Qt menu with either backend, so walking it
    item by item is tested once; the pystray tests check that a click opens it."""
    running = start_app(desktop, tmp_path, "--tray", "qt")
    yield running
    assert "Traceback" not in running.program.errors()


def open_menu(app: RunningApp) -> int:
    """Clicks the tray icon and returns the menu's window once it shows.

    A click that opened nothing is tried once more, as a person would; a second miss fails
    the test with the end of the app's log, which says whether the clicks reached the app.
    """
    try:
        return app.desktop.open_tray_menu(class_="unclench")
    except DesktopError as error:
        tail = "\n".join(app.log_text().splitlines()[-12:])
        raise DesktopError(f"{error}; the app's log ends:\n{tail}") from None


def choose(app: RunningApp, *keys: str) -> None:
    """Opens the tray menu and picks an item with the keyboard, like a person could."""
    menu = open_menu(app)
    app.desktop.xdotool("key", *keys, *([] if keys[-1:] == ("Escape",) else ["Return"]))
    # A click that comes while the menu is still up would only close it.
    app.desktop.wait_until(
        lambda: menu not in app.desktop.search_windows(class_="unclench"),
        timeout=5,
        what="the menu to close",
    )


def down(n: int) -> list[str]:
    return ["Down"] * n


def test_the_tray_icon_docks(app: RunningApp) -> None:
    assert len(app.desktop.tray_children()) == 1
    assert app.status()["state"] == "running"
    assert app.start_to_tray_s < 10


@pytest.mark.parametrize(
    ("downs", "window"),
    # Snooze is grayed out while no break is due, and keyboard navigation skips it.
    [(1, BREAK_WINDOW), (2, BREAK_WINDOW), (4, "^Unclench Settings$"), (6, "About")],
)
def test_tray_menu_items_open_their_windows(qt_app: RunningApp, downs: int, window: str) -> None:
    choose(qt_app, *down(downs))
    qt_app.desktop.wait_for_window(name=window, timeout=5)


def test_a_click_on_either_tray_opens_the_menu_and_its_first_item_works(app: RunningApp) -> None:
    choose(app, *down(1))
    app.desktop.wait_for_window(name=BREAK_WINDOW, timeout=5)


def test_tray_menu_pause_and_resume(qt_app: RunningApp) -> None:
    app = qt_app
    choose(app, *down(3), "Right")  # Pause > 30 minutes (Snooze is grayed out: skipped)
    app.desktop.wait_until(lambda: app.status()["state"] == "paused", timeout=5, what="a pause")
    choose(app, *down(3))  # Snooze is grayed out (skipped) and Resume takes Pause's place
    app.desktop.wait_until(lambda: app.status()["state"] == "running", timeout=5, what="resume")


def test_tray_menu_quit_ends_the_app(app: RunningApp) -> None:
    choose(app, *down(7))
    assert app.program.popen.wait(timeout=5) == 0
    app.desktop.wait_for_tray_children(0)


def test_now_shows_the_break_without_taking_the_focus(desktop: Desktop, tmp_path: Path) -> None:
    """How fast it shows is the benchmark's question (bench/run.py); here, only that it does."""
    app = start_app(desktop, tmp_path / "home", "--tray", "qt")
    term = desktop.start_xterm("work", cwd=tmp_path)
    asked = time.perf_counter()
    app.cli("now")
    popup = desktop.wait_for_window(name=BREAK_WINDOW, timeout=5)
    shown_s = time.perf_counter() - asked
    print(f"unclench now to window mapped: {shown_s * 1000:.0f} ms")
    assert desktop.watch_focus(0.5) == {term}
    state = desktop.run(["xprop", "-id", str(popup), "_NET_WM_STATE"]).stdout
    assert "_NET_WM_STATE_SKIP_TASKBAR" in state  # no taskbar entry
    assert "_NET_WM_STATE_ABOVE" in state  # Qt's own, kept beside ours
    desktop.type_text("echo typed-through > proof.txt\n")
    proof = tmp_path / "proof.txt"
    desktop.wait_until(proof.exists, timeout=5, what="the typing")
    assert proof.read_text().strip() == "typed-through"
    # The popup is in the bottom-right corner; Done is the first button of its last row.
    x, y, w, h = desktop.window_geometry(popup)
    assert x + w > desktop.size[0] - 40
    assert y + h > desktop.size[1] - 40
    desktop.click(x + 40, y + h - 27)
    # Done turns the window into the after-question, a shorter window in the same corner;
    # its Close button is at the bottom right.
    desktop.wait_until(
        lambda: desktop.window_geometry(popup)[3] < h, timeout=5, what="the after-question"
    )
    x, y, w, h = desktop.window_geometry(popup)
    assert y + h > desktop.size[1] - 40
    desktop.click(x + w - 50, y + h - 27)
    desktop.wait_until(
        lambda: not desktop.search_windows(name=BREAK_WINDOW), timeout=5, what="close"
    )
    history = json.loads(app.cli("history", "--json", "--days", "7"))
    assert history["breaks"][0]["outcome"] == "done"
    assert history["breaks"][0]["tension_after"] is None
    assert history["totals"]["done"] == 1
    assert history["summary"][0] == "In the last 7 days: 1 break taken, 0 snoozed, 0 skipped."
    assert desktop.focused_window() == term
    app.cli("history")
    desktop.wait_for_window(name="^Unclench History$", timeout=5)


def test_snooze_moves_the_next_break(desktop: Desktop, tmp_path: Path) -> None:
    app = start_app(desktop, tmp_path, "--tray", "qt")
    assert (
        "nothing to snooze"
        in desktop.run(
            [sys.executable, "-m", "unclench", "snooze"], env=app.env, check=False
        ).stderr
    )
    app.cli("now")
    desktop.wait_for_window(name=BREAK_WINDOW, timeout=5)
    app.cli("snooze", "15m")
    desktop.wait_until(
        lambda: not desktop.search_windows(name=BREAK_WINDOW), timeout=5, what="the window to go"
    )
    after = app.status()["next_break_in_s"]
    assert isinstance(after, float)
    assert after == pytest.approx(15 * 60, abs=5)


def test_a_corrupt_settings_file_gives_a_notice_and_defaults(
    desktop: Desktop, tmp_path: Path
) -> None:
    config = tmp_path / ".config" / "unclench"
    config.mkdir(parents=True)
    (config / "settings.toml").write_bytes(b"[schedule\ninterval_minutes = \xff\x00")
    app = start_app(desktop, tmp_path, "--tray", "qt")
    assert app.status()["next_break_in_s"] == pytest.approx(50 * 60, abs=10)
    assert len(list(config.glob("settings.toml.bad-*"))) == 1
    assert "not valid TOML" in app.log_text() or "not UTF-8" in app.log_text()
    assert "Traceback" not in app.program.errors()


def test_a_second_start_opens_settings_in_the_first(desktop: Desktop, tmp_path: Path) -> None:
    app = start_app(desktop, tmp_path, "--tray", "qt")
    result = desktop.run([sys.executable, "-m", "unclench"], env=app.env, timeout=15)
    assert result.returncode == 0
    desktop.wait_for_window(name="^Unclench Settings$", timeout=5)
    assert len(desktop.tray_children()) == 1


def test_quit_exits_with_zero(desktop: Desktop, tmp_path: Path) -> None:
    app = start_app(desktop, tmp_path, "--tray", "qt")
    app.cli("quit")
    assert app.program.popen.wait(timeout=5) == 0
    assert app.cli("status", check=False) == ""


def test_without_a_tray_the_app_keeps_running_and_says_how_to_reach_it(
    tmp_path: Path,
) -> None:
    with Desktop(tray=False, workdir=tmp_path / "bare") as bare:
        app = start_app(bare, tmp_path / "home", expect_tray=False)
        assert app.program.running()
        assert "shows no tray icons" in app.program.errors()
        # A window says so the first time, so the person is never left with an invisible app.
        told = bare.wait_for_window(name=f"^{NO_TRAY_TITLE}$")
        bare.key("Escape", window=told)  # the window's Close
        bare.wait_until(
            lambda: not bare.search_windows(name=f"^{NO_TRAY_TITLE}$"),
            timeout=5,
            what="the window to close",
        )
        app.cli("quit")
        assert app.program.popen.wait(timeout=5) == 0
        again = start_app(bare, tmp_path / "home", expect_tray=False)  # the next login
        time.sleep(1)
        assert bare.search_windows(name=f"^{NO_TRAY_TITLE}$") == []
        again.cli("quit")
        assert again.program.popen.wait(timeout=5) == 0


def test_the_menu_opens_again_on_a_quick_second_click(app: RunningApp) -> None:
    """Regression: a second click within the double-click time opened nothing."""
    choose(app, "Escape")
    open_menu(app)


def test_garbage_on_the_socket_never_stops_the_app(desktop: Desktop, tmp_path: Path) -> None:
    """Random bytes, a huge line, a slow writer, a crowd and a deaf client: the app answers."""
    app = start_app(desktop, tmp_path, "--tray", "qt")
    path = Path(app.env["XDG_RUNTIME_DIR"]) / "unclench" / "unclench.sock"
    rng = random.Random(8)

    def client() -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.connect(str(path))
        return sock

    replies = []
    for size in (1, 17, 300, 4000):
        with client() as sock:
            sock.sendall(bytes(rng.randrange(256) for _ in range(size)) + b"\n")
            replies.append(sock.recv(65536))
    assert all(b'"ok": false' in r or b'"ok":false' in r for r in replies), replies
    # The app may hang up mid-send: that is the point.
    with client() as sock, contextlib.suppress(OSError):
        sock.sendall(b"x" * 100_000)
    slow = client()
    slow.sendall(b'{"v": 1, "cmd": "sta')  # and never the rest
    deaf = client()
    deaf.sendall(b'{"v": 1, "cmd": "history"}\n')  # and never reads the reply
    crowd = [client() for _ in range(30)]
    for sock in crowd:
        with contextlib.suppress(OSError):
            sock.sendall(b'{"v": 1, "cmd": "status"}\n')
    first = app.status()["next_break_in_s"]
    for sock in [slow, deaf, *crowd]:
        sock.close()
    time.sleep(1.5)  # let the countdown move: the app's timers must still run
    second = app.status()["next_break_in_s"]
    assert isinstance(first, float)
    assert isinstance(second, float)
    assert second < first
    assert app.program.running()


def test_the_running_app_serves_its_socket_without_loading_qtnetwork(qt_app: RunningApp) -> None:
    """QtNetwork and the Kerberos libraries it links cost ~2.8 MB of idle memory."""
    assert qt_app.status()["state"] == "running"
    maps = Path(f"/proc/{qt_app.program.pid}/maps").read_text()
    assert "libQt6Widgets" in maps  # the check looks where Qt's libraries are listed
    assert "Qt6Network" not in maps
    assert "QtNetwork" not in maps
