"""The headless GNOME Shell desktop itself: focus, typing, window places, screenshots, Xwayland
and the tray watcher work as the Wayland tests assume."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from unclench_devtools.wayland.gnome import GnomeDesktop, missing_parts

pytestmark = pytest.mark.slow

TRAY_SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtGui import QColor, QIcon, QPixmap
    from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

    app = QApplication(sys.argv)
    if not QSystemTrayIcon.isSystemTrayAvailable():
        sys.exit("no system tray")
    pixmap = QPixmap(64, 64)
    pixmap.fill(QColor("#d0306a"))
    icon = QSystemTrayIcon(QIcon(pixmap))
    menu = QMenu()
    menu.addAction("First")
    menu.addAction("Second")
    icon.setContextMenu(menu)
    icon.show()
    print("ready", flush=True)
    sys.exit(app.exec())
    """
)

# A window with the flags of Unclench's break popup, on Xwayland as the app runs on GNOME.
POPUP_SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv)
    popup = QLabel("Unclench your jaw")
    flags = Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
    flags |= Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus
    popup.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    popup.setWindowFlags(flags)
    popup.setWindowTitle(sys.argv[1])
    popup.resize(320, 160)
    popup.move(900, 560)
    popup.show()
    print("ready", flush=True)
    sys.exit(app.exec())
    """
)


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GnomeDesktop]:
    """Named as conftest's X11 desktop, which this replaces here, so that its per-test
    cleanup (``stop_programs``) applies to this one."""
    missing = missing_parts()
    if missing:
        reason = f"GNOME e2e tests need {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: failing instead of skipping)", pytrace=False)
        pytest.skip(reason)
    started = GnomeDesktop(workdir=tmp_path_factory.mktemp("gnome"))
    with started:
        yield started


def title_for(request: pytest.FixtureRequest, what: str = "") -> str:
    return f"e2e {request.node.name} {what}".strip()


def test_a_new_terminal_has_the_focus_and_gets_typed_keys(
    desktop: GnomeDesktop, request: pytest.FixtureRequest
) -> None:
    terminal = desktop.start_terminal(title_for(request))
    assert desktop.focused_title() == terminal.title

    desktop.type_text("abc")

    desktop.wait_until(lambda: terminal.typed() == "abc", timeout=10, what="'abc' typed")
    assert terminal.typed() == "abc"


def test_typing_resets_the_idle_time(desktop: GnomeDesktop, request: pytest.FixtureRequest) -> None:
    terminal = desktop.start_terminal(title_for(request))
    time.sleep(1.0)
    idle_before = idle_ms(desktop)
    assert idle_before >= 1000

    desktop.type_text("x")

    desktop.wait_until(lambda: terminal.typed() == "x", timeout=10, what="'x' typed")
    # Relative: on a loaded machine reading it may take a while after the key.
    assert idle_ms(desktop) < idle_before


def test_a_terminal_lies_inside_the_work_area_below_the_top_bar(
    desktop: GnomeDesktop, request: pytest.FixtureRequest
) -> None:
    terminal = desktop.start_terminal(title_for(request))

    rect = desktop.window_rect(re.escape(terminal.title))

    area = desktop.work_area()
    assert area.y > 0  # the top bar's
    assert (area.x, area.width, area.y + area.height) == (0, *desktop.size)
    assert rect is not None
    assert rect.width > 0
    assert rect.height > 0
    assert area.x <= rect.x
    assert area.y <= rect.y
    assert rect.x + rect.width <= area.x + area.width
    assert rect.y + rect.height <= area.y + area.height


def test_a_full_screen_terminal_covers_the_screen_and_has_the_focus(
    desktop: GnomeDesktop, request: pytest.FixtureRequest
) -> None:
    terminal = desktop.start_terminal(title_for(request), fullscreen=True)

    assert desktop.window_rect(re.escape(terminal.title)) == desktop.screen_rect()
    assert desktop.focused_title() == terminal.title


def test_a_later_window_is_stacked_above_an_earlier_one(
    desktop: GnomeDesktop, request: pytest.FixtureRequest
) -> None:
    first = desktop.start_terminal(title_for(request, "first"))
    second = desktop.start_terminal(title_for(request, "second"))

    assert desktop.window_titles() == [first.title, second.title]
    assert desktop.is_above(second.title, first.title)
    assert not desktop.is_above(first.title, second.title)
    assert not desktop.keeps_above(second.title)
    assert not desktop.skip_taskbar(second.title)


def test_a_screenshot_shows_the_screen_with_the_terminal(
    desktop: GnomeDesktop, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    terminal = desktop.start_terminal(title_for(request))
    rect = desktop.window_rect(re.escape(terminal.title))
    assert rect is not None

    image = QImage(str(desktop.screenshot(tmp_path / "shot.png")))

    assert (image.width(), image.height()) == desktop.size
    # foot's background is near black; GNOME's default background is blue.
    assert image.pixelColor(*rect.center).lightness() < 40


def test_an_xwayland_popup_stays_on_top_without_the_focus(
    desktop: GnomeDesktop, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    terminal = desktop.start_terminal(title_for(request, "terminal"))
    script = tmp_path / "popup.py"
    script.write_text(POPUP_SCRIPT)
    title = title_for(request, "popup")

    popup = desktop.spawn(
        [sys.executable, script, title], env=desktop.env(QT_QPA_PLATFORM="xcb"), name="popup"
    )
    popup.wait_for_output("ready", timeout=10)
    window = desktop.wait_until(
        lambda: desktop.window_info(re.escape(title)), timeout=10, what="the popup to map"
    )

    assert window["x11"]
    assert (window["x"], window["y"], window["width"], window["height"]) == (900, 560, 320, 160)
    assert desktop.keeps_above(title)
    assert desktop.skip_taskbar(title)
    assert desktop.is_above(title, terminal.title)
    assert desktop.focused_title() == terminal.title


def test_a_named_key_reaches_the_focused_window(
    desktop: GnomeDesktop, request: pytest.FixtureRequest
) -> None:
    terminal = desktop.start_terminal(title_for(request))

    desktop.press("Escape")

    desktop.wait_until(lambda: terminal.typed() == "\x1b", timeout=10, what="an Escape typed")


def test_an_xwayland_tray_icon_registers_and_the_top_bar_draws_its_menu(
    desktop: GnomeDesktop, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    terminal = desktop.start_terminal(title_for(request))
    assert desktop.has_tray_host()
    assert desktop.tray_items() == []
    script = tmp_path / "tray.py"
    script.write_text(TRAY_SCRIPT)

    tray = desktop.spawn([sys.executable, script], env=desktop.env(QT_QPA_PLATFORM="xcb"))
    tray.wait_for_output("ready", timeout=10)
    items = desktop.wait_until(desktop.tray_items, timeout=10, what="a tray item")

    assert desktop.menu_labels(items[0]) == ["First", "Second"]
    desktop.open_tray_menu(items[0])
    assert desktop.tray_menu_is_open()
    desktop.close_tray_menu()
    assert not desktop.tray_menu_is_open()
    assert desktop.focused_title() == terminal.title


def test_xwayland_takes_this_users_clients(desktop: GnomeDesktop) -> None:
    assert desktop.x_display
    # The app under test runs on Xwayland as this process's user (root on CI), not the shell's.
    script = "from PySide6.QtGui import QGuiApplication; print(QGuiApplication([]).platformName())"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=desktop.env(QT_QPA_PLATFORM="xcb"),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "xcb"


def idle_ms(desktop: GnomeDesktop) -> int:
    out = desktop.gdbus(
        "call", "--session", "--dest", "org.gnome.Mutter.IdleMonitor",
        "--object-path", "/org/gnome/Mutter/IdleMonitor/Core",
        "--method", "org.gnome.Mutter.IdleMonitor.GetIdletime",
    )  # fmt: skip
    found = re.fullmatch(r"\(uint64 (\d+),\)", out)
    assert found is not None, out
    return int(found[1])
