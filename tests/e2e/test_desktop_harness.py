"""The e2e desktop itself: focus, typing, tray docking and screenshots work as tests assume."""

from __future__ import annotations

import stat
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from unclench_devtools.programs import DesktopError, Program
from unclench_devtools.x11.desktop import Desktop

pytestmark = pytest.mark.slow

ICON_COLOR = QColor(0xD0, 0x30, 0x6A)

TRAY_SCRIPT = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtGui import QColor, QIcon, QPixmap
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    app = QApplication(sys.argv)
    if not QSystemTrayIcon.isSystemTrayAvailable():
        sys.exit("no system tray")
    pixmap = QPixmap(64, 64)
    pixmap.fill(QColor("{ICON_COLOR.name()}"))
    icon = QSystemTrayIcon(QIcon(pixmap))
    icon.activated.connect(lambda reason: print("activated", reason.name, flush=True))
    icon.show()
    print("ready", flush=True)
    sys.exit(app.exec())
    """
)

# argv: a window title, then "focus-safe" for the flags Unclench's break popup uses, or
# "plain" for the same window without the two that keep it from taking the focus.
POPUP_SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv)
    title, kind = sys.argv[1], sys.argv[2]
    popup = QLabel("Unclench your jaw")
    flags = Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
    flags |= Qt.WindowType.WindowStaysOnTopHint
    if kind == "focus-safe":
        flags |= Qt.WindowType.WindowDoesNotAcceptFocus
        popup.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    popup.setWindowFlags(flags)
    popup.setWindowTitle(title)
    popup.resize(320, 160)
    popup.move(900, 560)
    popup.show()
    print("ready", flush=True)
    sys.exit(app.exec())
    """
)


def run_script(desktop: Desktop, tmp_path: Path, source: str, *args: str) -> Program:
    script = tmp_path / f"script{len(list(tmp_path.glob('script*.py')))}.py"
    script.write_text(source)
    program = desktop.spawn([sys.executable, script, *args], name=script.stem)
    program.wait_for_output("ready", timeout=10.0)
    return program


@pytest.fixture
def xterm(desktop: Desktop, tmp_path: Path, request: pytest.FixtureRequest) -> int:
    return desktop.start_xterm(f"e2e {request.node.name}", cwd=tmp_path)


def test_programs_get_the_desktop_and_clean_folders(desktop: Desktop, tmp_path: Path) -> None:
    env = desktop.env(home=tmp_path)
    assert env["DISPLAY"] == desktop.display
    assert env["HOME"] == str(tmp_path)
    assert Path(env["XDG_CONFIG_HOME"]).is_dir()
    assert env["XDG_CONFIG_HOME"].startswith(str(tmp_path))
    runtime = Path(env["XDG_RUNTIME_DIR"])
    assert stat.S_IMODE(runtime.stat().st_mode) == 0o700
    assert env["DBUS_SESSION_BUS_ADDRESS"].startswith("unix:path=")
    assert env["QT_QPA_PLATFORM"] == "xcb"


def test_a_window_that_never_comes_is_reported_with_the_stderr_of_its_program(
    desktop: Desktop,
) -> None:
    desktop.spawn(["sh", "-c", "echo 'cannot open the tray' >&2; exit 3"], name="crasher")
    with pytest.raises(DesktopError, match=r"(?s)crasher .* exited with 3.*cannot open the tray"):
        desktop.wait_for_window(name="^never$", timeout=0.3)


def test_new_xterm_holds_the_keyboard_focus(desktop: Desktop, xterm: int) -> None:
    assert desktop.focused_window() == xterm
    assert desktop.active_window_name().startswith("e2e test_new_xterm")


def test_closing_a_window_ends_its_program(desktop: Desktop, xterm: int) -> None:
    (program,) = desktop.programs
    desktop.close_window(xterm)
    assert not program.running()
    desktop.wait_until(
        lambda: xterm not in desktop.search_windows(class_="^XTerm$"),
        timeout=2.0,
        what="the xterm window to go",
    )


def test_typed_text_reaches_the_focused_xterm(desktop: Desktop, xterm: int, tmp_path: Path) -> None:
    assert type_a_command(desktop, tmp_path) == "hi\n"


def test_tray_icon_docks_shows_and_leaves(desktop: Desktop, tmp_path: Path) -> None:
    before = desktop.tray_children()
    app = run_script(desktop, tmp_path, TRAY_SCRIPT)

    icons = desktop.wait_for_tray_children(len(before) + 1)
    (icon,) = set(icons) - set(before)
    geometry = desktop.window_geometry(icon)
    assert geometry.y < 24, "trayer sits on the top edge"
    assert geometry.x > 1280 - 100, "trayer sits at the right"

    shot = tmp_path / "tray.png"

    def icon_drawn() -> QImage | None:
        image = QImage(str(desktop.screenshot(shot)))
        return image if image.pixelColor(*geometry.center) == ICON_COLOR else None

    image = desktop.wait_until(icon_drawn, timeout=5.0, what="the icon to be painted")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (image.width(), image.height()) == (1280, 800)

    assert desktop.click_tray_icon() == geometry
    assert desktop.window_at_pointer() == icon
    app.wait_for_output("activated Trigger")

    app.stop()
    assert desktop.wait_for_tray_children(len(before)) == before


def test_focus_safe_popup_leaves_focus_and_typing_with_the_xterm(
    desktop: Desktop, xterm: int, tmp_path: Path
) -> None:
    popup = show_popup(desktop, tmp_path, "focus-safe")

    assert desktop.watch_focus(0.3) == {xterm}
    assert type_a_command(desktop, tmp_path) == "hi\n"
    assert desktop.search_windows(name="^e2e focus-safe popup$") == [popup], "still shown"


def test_plain_tool_window_takes_the_focus(desktop: Desktop, xterm: int, tmp_path: Path) -> None:
    """The control for the test above: without the two flags, the same check sees the theft."""
    popup = show_popup(desktop, tmp_path, "plain")

    assert popup in desktop.watch_focus(0.3)


def show_popup(desktop: Desktop, tmp_path: Path, kind: str) -> int:
    """Shows the popup of ``POPUP_SCRIPT``; returns it once the window manager has placed it."""
    title = f"e2e {kind} popup"
    run_script(desktop, tmp_path, POPUP_SCRIPT, title, kind)
    popup = desktop.wait_for_window(name=f"^{title}$")
    desktop.wait_for_managed(popup)
    return popup


def type_a_command(desktop: Desktop, tmp_path: Path) -> str:
    """Types a shell command that writes a file, as a person would; returns what it wrote."""
    target = tmp_path / "typed.txt"
    desktop.type_text(f"echo hi > {target}")
    desktop.key("Return")
    return desktop.wait_until(
        lambda: target.read_text() if target.exists() else None,
        timeout=5.0,
        what="the shell in the xterm to run the typed command",
    )
