"""The headless KWin desktop itself: focus, window queries, Xwayland, screenshots, the tray."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from unclench_devtools.programs import Geometry
from unclench_devtools.wayland.base import missing_tools
from unclench_devtools.wayland.kwin import KwinDesktop, missing_plasma_tools

pytestmark = pytest.mark.slow

TERMINAL_COLOR = QColor(0x24, 0x24, 0x24)  # what the KWin harness's terminal paints

# argv: a title, then "skip" to ask the window manager to leave it off the taskbar. Unclench's
# break popup's flags, on X11 (Xwayland) as the app runs there.
POPUP_SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLabel
    from Xlib import X, display, protocol

    app = QApplication(sys.argv)
    popup = QLabel("Unclench your jaw")
    popup.setWindowFlags(
        Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
        | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus
    )
    popup.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    popup.setWindowTitle(sys.argv[1])
    popup.resize(320, 160)
    popup.show()
    if sys.argv[2] == "skip":
        x = display.Display()
        state = x.intern_atom("_NET_WM_STATE")
        skip = x.intern_atom("_NET_WM_STATE_SKIP_TASKBAR")
        window = x.create_resource_object("window", int(popup.winId()))
        add = protocol.event.ClientMessage(
            window=window, client_type=state, data=(32, [1, skip, 0, 1, 0])
        )
        mask = X.SubstructureRedirectMask | X.SubstructureNotifyMask
        x.screen().root.send_event(add, event_mask=mask)
        x.flush()
    print("ready", flush=True)
    sys.exit(app.exec())
    """
)

TRAY_SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtGui import QColor, QIcon, QPixmap
    from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

    app = QApplication(sys.argv)
    pixmap = QPixmap(64, 64)
    pixmap.fill(QColor("#d0306a"))
    icon = QSystemTrayIcon(QIcon(pixmap))
    menu = QMenu()
    menu.addAction("Take a break")
    icon.setContextMenu(menu)
    icon.show()
    print("ready", flush=True)
    sys.exit(app.exec())
    """
)


def _skip_without(missing: list[str]) -> None:
    """Missing tools skip, except on CI (``CI=true``), where e2e must not vanish quietly."""
    if not missing:
        return
    reason = f"the KWin e2e tests need {', '.join(missing)}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: failing instead of skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def kwin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KwinDesktop]:
    missing = missing_tools(KwinDesktop)
    missing += [] if shutil.which("xterm") else ["xterm (xterm)"]
    _skip_without(missing)
    with KwinDesktop(workdir=tmp_path_factory.mktemp("kwin")) as started:
        yield started


@pytest.fixture(autouse=True)
def _fresh_desktop_per_test(kwin: KwinDesktop) -> Iterator[None]:
    """Replaces the X11 conftest's: a test's programs end with it, and no Xvfb starts."""
    yield
    kwin.stop_programs()


def inside(rect: Geometry, screen: Geometry) -> bool:
    return (
        screen.x <= rect.x
        and screen.y <= rect.y
        and rect.x + rect.width <= screen.x + screen.width
        and rect.y + rect.height <= screen.y + screen.height
    )


def run_script(kwin: KwinDesktop, tmp_path: Path, source: str, *args: str) -> None:
    script = tmp_path / f"script{len(list(tmp_path.glob('script*.py')))}.py"
    script.write_text(source)
    program = kwin.spawn([sys.executable, script, *args], env=kwin.env(QT_QPA_PLATFORM="xcb"))
    program.wait_for_output("ready", timeout=10.0)


def test_kwin_runs_with_xwayland_and_no_tray(kwin: KwinDesktop) -> None:
    env = kwin.session_env()
    assert env["XDG_CURRENT_DESKTOP"] == "KDE"
    assert kwin.wayland_socket is not None
    assert kwin.wayland_socket.is_socket()
    assert env["DISPLAY"] == kwin.x_display
    assert kwin.x_display.startswith(":")
    assert not kwin.has_tray_host()
    assert kwin.tray_items() == []


def test_a_new_terminal_has_the_focus_inside_the_screen(kwin: KwinDesktop) -> None:
    kwin.start_terminal("kwin e2e terminal")  # waits for the focus itself

    assert kwin.focused_title() == "kwin e2e terminal"
    rect = kwin.window_rect("^kwin e2e terminal$")
    assert rect is not None
    assert inside(rect, kwin.screen_rect())
    assert kwin.window_titles() == ["kwin e2e terminal"]
    info = kwin.window_info("kwin e2e terminal")
    assert info is not None
    assert info["x11"] is False
    assert not kwin.keeps_above("kwin e2e terminal")


def test_typing_reaches_the_focused_native_window(kwin: KwinDesktop) -> None:
    terminal = kwin.start_terminal("kwin e2e typing")
    text = "Unclench: jaw & shoulders ~ 100% <ok>?\n"

    kwin.type_text(text)

    kwin.wait_until(lambda: terminal.typed() == text, timeout=5, what="the typed text")


def test_typing_reaches_a_focused_x11_window(kwin: KwinDesktop, tmp_path: Path) -> None:
    typed = tmp_path / "typed.txt"
    kwin.spawn(["xterm", "-T", "kwin e2e xterm typing", "-e", "sh", "-c", f"cat > {typed}"])
    kwin.wait_until(
        lambda: kwin.focused_title() == "kwin e2e xterm typing", timeout=10, what="the focus"
    )

    kwin.type_text("on Xwayland\n")

    kwin.wait_until(
        lambda: typed.exists() and typed.read_text() == "on Xwayland\n",
        timeout=5,
        what="the text typed into xterm",
    )


def test_a_fullscreen_terminal_covers_the_screen(kwin: KwinDesktop) -> None:
    kwin.start_terminal("kwin e2e fullscreen", fullscreen=True)

    assert kwin.window_rect("kwin e2e fullscreen") == kwin.screen_rect()


def test_root_x11_windows_show_on_xwayland(kwin: KwinDesktop) -> None:
    kwin.start_terminal("kwin e2e below")
    kwin.spawn(["xterm", "-T", "kwin e2e xterm"])  # as root, on KWin's Xwayland

    rect = kwin.wait_until(
        lambda: kwin.window_rect("^kwin e2e xterm$"), timeout=10, what="the xterm"
    )
    assert inside(rect, kwin.screen_rect())
    info = kwin.window_info("xterm")
    assert info is not None
    assert info["x11"] is True
    assert info["resourceClass"] == "xterm"
    assert kwin.is_above("kwin e2e xterm", "kwin e2e below")
    assert not kwin.is_above("kwin e2e below", "kwin e2e xterm")
    assert not kwin.skip_taskbar("kwin e2e xterm")
    assert not kwin.keeps_above("kwin e2e xterm")


def test_a_stay_on_top_tool_window_keeps_above_without_the_focus(
    kwin: KwinDesktop, tmp_path: Path
) -> None:
    kwin.start_terminal("kwin e2e focused")
    run_script(kwin, tmp_path, POPUP_SCRIPT, "kwin e2e popup", "plain")

    kwin.wait_until(lambda: kwin.window_rect("kwin e2e popup"), timeout=10, what="the popup")
    assert kwin.keeps_above("kwin e2e popup")
    assert kwin.is_above("kwin e2e popup", "kwin e2e focused")
    assert kwin.focused_title() == "kwin e2e focused"
    info = kwin.window_info("kwin e2e popup")
    assert info is not None
    assert info["normalWindow"] is False  # a utility window, which Plasma's tasks leave out
    # KWin's skipTaskbar is only _NET_WM_STATE_SKIP_TASKBAR, which Qt's Tool does not set.
    assert not kwin.skip_taskbar("kwin e2e popup")


def test_an_active_fullscreen_window_covers_keep_above_ones(
    kwin: KwinDesktop, tmp_path: Path
) -> None:
    """KWin puts the focused fullscreen window above the keep-above layer: the stacking
    order read by script says so, and so does the screen."""
    kwin.start_terminal("kwin e2e fullscreen", fullscreen=True)
    run_script(kwin, tmp_path, POPUP_SCRIPT, "kwin e2e covered", "plain")
    rect = kwin.wait_until(
        lambda: kwin.window_rect("kwin e2e covered"), timeout=10, what="the popup"
    )

    assert kwin.keeps_above("kwin e2e covered")
    assert not kwin.is_above("kwin e2e covered", "kwin e2e fullscreen")
    image = QImage(str(kwin.screenshot(tmp_path / "screen.png")))
    assert image.pixelColor(*rect.center) == TERMINAL_COLOR


def test_skip_taskbar_is_read_from_the_window_state(kwin: KwinDesktop, tmp_path: Path) -> None:
    run_script(kwin, tmp_path, POPUP_SCRIPT, "kwin e2e skipped", "skip")

    kwin.wait_until(
        lambda: kwin.window_rect("kwin e2e skipped") and kwin.skip_taskbar("kwin e2e skipped"),
        timeout=10,
        what="KWin to take the popup off the taskbar",
    )


def test_a_screenshot_shows_the_screen(kwin: KwinDesktop, tmp_path: Path) -> None:
    kwin.start_terminal("kwin e2e shot")
    rect = kwin.window_rect("kwin e2e shot")
    assert rect is not None

    shot = kwin.screenshot(tmp_path / "screen.png")

    image = QImage(str(shot))
    assert (image.width(), image.height()) == kwin.size
    # Below the title bar: the terminal's own color, as it painted it.
    x, y = rect.center
    assert image.pixelColor(x, y + 20) == TERMINAL_COLOR
    assert image.pixelColor(5, 5) != TERMINAL_COLOR


def test_plasma_gives_a_tray_and_notifications(tmp_path_factory: pytest.TempPathFactory) -> None:
    _skip_without(missing_tools(KwinDesktop) + missing_plasma_tools())
    with KwinDesktop(workdir=tmp_path_factory.mktemp("plasma"), plasma=True) as plasma:
        assert plasma.has_tray_host()
        assert plasma.has_name("org.freedesktop.Notifications")
        plasma.start_terminal("kwin e2e plasma")
        run_script(plasma, tmp_path_factory.mktemp("tray"), TRAY_SCRIPT)

        items = plasma.wait_until(plasma.tray_items, timeout=10, what="the tray item")
        assert plasma.menu_labels(items[0]) == ["Take a break"]
        assert plasma.focused_title() == "kwin e2e plasma"
