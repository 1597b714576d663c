"""A headless KWin 5.27 (Plasma's compositor) for end-to-end tests.

KWin runs with its virtual backend and a rootless Xwayland, as root (it needs no ordinary
user). The tests' questions about windows are answered by small KWin scripts loaded over
D-Bus (``kwin_windows.py``): each prints its answer as one JSON line with a unique marker,
which is read back from KWin's stderr log. Screenshots come from KWin's own ScreenShot2
interface (``kwin_screenshot.py``); typing goes through KWin's fake-input Wayland protocol
(KWin offers no virtual keyboard to wtype), which this process speaks itself
(``fake_input.py``). ``plasma=True`` adds Plasma's shell: a panel, a tray and notifications.
"""

from __future__ import annotations

import shlex
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from unclench_devtools.programs import DesktopError
from unclench_devtools.wayland.base import WATCHER
from unclench_devtools.wayland.fake_input import (
    BTN_RIGHT,
    KEY_LEFTSHIFT,
    NAMED_KEYS,
    FakeInput,
    key_for,
)
from unclench_devtools.wayland.kwin_screenshot import capture_workspace
from unclench_devtools.wayland.kwin_windows import KWIN, MESSAGE_PATTERN, KwinWindows

#: The tray icon's outline colour (resources/icons), found in Plasma's panel by it.
TRAY_ICON_TEAL = "#1f8a78"

#: foot 1.13 (Debian 12) dies of SIGFPE on KWin 5.27's virtual output, whose physical size
#: is -1 mm, so the "terminal" here is a native Wayland Qt window that keeps what is typed.
TERMINAL_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtGui import QColor, QGuiApplication, QPainter, QRasterWindow

    title, typed, fullscreen = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "1"
    app = QGuiApplication(sys.argv[:1])
    app.setDesktopFileName("unclench-e2e-terminal")


    class Terminal(QRasterWindow):
        def paintEvent(self, event):
            QPainter(self).fillRect(event.rect(), QColor(0x24, 0x24, 0x24))

        def keyPressEvent(self, event):
            with typed.open("a") as out:
                out.write(event.text().replace("\\r", "\\n"))


    typed.touch()
    window = Terminal()
    window.setTitle(title)
    window.resize(640, 400)
    window.showFullScreen() if fullscreen else window.show()
    sys.exit(app.exec())
    """
)


class KwinDesktop(KwinWindows):
    """Headless KWin with Xwayland; windows are read by KWin scripts (see the module doc)."""

    name = "kwin"
    current_desktop = "KDE"
    tools: ClassVar[dict[str, str]] = {
        "kwin_wayland": "kwin-wayland",
        "Xwayland": "xwayland",
        "gdbus": "libglib2.0-bin",
        "dbus-daemon": "dbus",
    }
    needs_ordinary_user = False  # KWin runs as root (from a copy: see _start_compositor)
    can_type = True  # through KWin's fake-input protocol (see FakeInput)

    def __init__(
        self, workdir: Path | None = None, start_timeout: float = 30.0, *, plasma: bool = False
    ) -> None:
        """``plasma`` also starts Plasma's shell, kded and the activity manager: a panel with
        a tray (StatusNotifierWatcher) and Plasma's notification server."""
        super().__init__(workdir, start_timeout)
        self.plasma = plasma

    # -- life cycle ---------------------------------------------------------------------------

    def _start_compositor(self) -> None:
        installed = shutil.which("kwin_wayland")
        if installed is None:
            raise DesktopError("kwin_wayland is not installed (Debian package kwin-wayland)")
        # The packaged binary carries cap_sys_resource, which a container's bounding set
        # lacks: exec fails with EPERM. A plain copy (no xattrs, so no capability) runs.
        kwin_binary = self.shared / "kwin_wayland"
        shutil.copyfile(installed, kwin_binary)
        kwin_binary.chmod(0o755)
        config = self.compositor_home / ".config"
        config.mkdir(parents=True, exist_ok=True)
        # No animations: windows are in place, and fully drawn, as soon as they are mapped.
        (config / "kdeglobals").write_text("[KDE]\nAnimationDurationFactor=0\n")
        # The US layout, whatever XKB_DEFAULT_LAYOUT says: type_text's key codes assume it.
        (config / "kxkbrc").write_text("[Layout]\nLayoutList=us\nUse=true\n")
        self._grant_fake_input()
        self._give_to_user(config)
        display_file = self.shared / "display"
        width, height = self.size
        env = self.kde_env(
            KWIN_SCREENSHOT_NO_PERMISSION_CHECKS="1",
            QT_LOGGING_RULES="js.debug=true",
            QT_MESSAGE_PATTERN=MESSAGE_PATTERN,
        )
        # KWin starts its "applications" once Xwayland is up, with DISPLAY set to it.
        new = f"{display_file}.new"
        hook = "sh -c " + shlex.quote(f'printf %s "$DISPLAY" > {new} && mv {new} {display_file}')
        cmd = [
            kwin_binary, "--virtual", "--width", str(width), "--height", str(height),
            "--xwayland", "--no-lockscreen", "--no-kactivities", "--socket", "wayland-0", hook,
        ]  # fmt: skip
        self.kwin = self._launch(self.as_user([str(part) for part in cmd]), "kwin_wayland", env)
        self._services.append(self.kwin)
        self.wayland_socket = self._wait_for_socket(self.kwin)
        self.x_display = self._wait_for_kwin(
            lambda: display_file.read_text().strip() if display_file.exists() else None,
            "KWin to start Xwayland",
        )
        self._wait_for_kwin(
            lambda: self.call(*KWIN, "isScriptLoaded", "unclench-none", check=False).startswith(
                "("
            ),
            "KWin's scripting interface",
        )
        self._envs.clear()
        if self.plasma:
            self._start_plasma()

    def _grant_fake_input(self) -> None:
        """Lets this Python use KWin's restricted fake-input protocol (for ``type_text``).

        KWin offers a restricted Wayland interface only to a client whose executable is the
        Exec of an installed .desktop file that lists the interface. KWin reads the file
        through its service cache, which it builds on first use: the file must come first.
        """
        apps = self.compositor_home / ".local" / "share" / "applications"
        apps.mkdir(parents=True, exist_ok=True)
        (apps / "unclench-e2e-typist.desktop").write_text(
            "[Desktop Entry]\nType=Application\nName=Unclench e2e typist\nNoDisplay=true\n"
            f"Exec={Path('/proc/self/exe').resolve()}\n"
            "X-KDE-Wayland-Interfaces=org_kde_kwin_fake_input\n"
        )
        for folder in (apps.parent, apps.parent.parent, apps):
            self._give_to_user(folder)

    def kde_env(self, **extra: str) -> dict[str, str]:
        """``compositor_env`` with every XDG folder in the compositor's home, so no KDE
        program reads the developer's own configuration."""
        home = self.compositor_home
        return self.compositor_env(
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_STATE_HOME=str(home / ".local" / "state"),
            **extra,
        )

    def session_env(self) -> dict[str, str]:
        # As a Plasma 5 session sets them; Qt picks its KDE platform theme by them.
        kde = {"KDE_FULL_SESSION": "true", "KDE_SESSION_VERSION": "5", "XDG_SESSION_DESKTOP": "KDE"}
        return super().session_env() | kde

    def _start_plasma(self) -> None:
        env = self.kde_env(
            DISPLAY=self.x_display,
            QT_QPA_PLATFORM="wayland",
            KDE_FULL_SESSION="true",
            KDE_SESSION_VERSION="5",
            XDG_SESSION_DESKTOP="KDE",
        )
        # The private bus activates nothing, so each service Plasma counts on is started here.
        self._start_service(
            self.as_user([_libexec("kactivitymanagerd")]),
            lambda: self.has_name("org.kde.ActivityManager"),
            "kactivitymanagerd",
            env,
        )
        # kded5 hosts the StatusNotifierWatcher; plasmashell's tray registers with it.
        self._start_service(
            self.as_user(["kded5"]), lambda: self.has_name(WATCHER[0]), "kded5", env
        )
        self._start_service(
            self.as_user(["plasmashell", "--no-respawn"]),
            lambda: self.has_name("org.freedesktop.Notifications") and self.has_tray_host(),
            "plasmashell",
            env,
        )

    def _wait_for_kwin(self, condition: Callable[[], object], what: str) -> str:
        kwin = self._require_kwin()

        def ready() -> object:
            if not kwin.running():
                raise DesktopError(f"KWin exited while starting: {kwin.report()}")
            return condition()

        try:
            return str(self.wait_until(ready, timeout=self.start_timeout, what=what))
        except DesktopError as error:
            if not kwin.running():
                raise
            raise DesktopError(f"{error}\n{kwin.report()}") from None

    def open_tray_menu(self, item: str) -> None:
        """Right-clicks Unclench's icon in Plasma's panel, where Plasma draws the menu we
        export (a left click opens Settings there). The icon is found by its colour."""
        del item
        x, y = self._find_on_screen(TRAY_ICON_TEAL, below=self.size[1] - 60)
        assert self.wayland_socket is not None
        with FakeInput(self.wayland_socket) as pointer:
            pointer.click(x, y, BTN_RIGHT)

    def close_tray_menu(self) -> None:
        self.press("Escape")

    def _find_on_screen(self, colour: str, *, below: int) -> tuple[int, int]:
        """The middle of the pixels of ``colour`` below the line ``y = below``."""
        from PySide6.QtGui import QImage

        shot = self.screenshot(self.shared / "find.png")
        image = QImage(str(shot))
        hits = [
            (x, y)
            for y in range(max(0, below), image.height())
            for x in range(image.width())
            if image.pixelColor(x, y).name() == colour
        ]
        if not hits:
            raise DesktopError(f"nothing of colour {colour} on screen below y={below}")
        return sum(x for x, _ in hits) // len(hits), sum(y for _, y in hits) // len(hits)

    def _terminal_command(
        self, title: str, typed: Path, fullscreen: bool
    ) -> tuple[list[str], dict[str, str]]:
        """A native Wayland Qt window that keeps what is typed into it. Not foot: see
        ``TERMINAL_SCRIPT``."""
        script = self.shared / "terminal.py"
        if not script.exists():
            script.write_text(TERMINAL_SCRIPT)
            script.chmod(0o644)
        cmd = [sys.executable, str(script), title, str(typed), "1" if fullscreen else "0"]
        return cmd, self.compositor_env(QT_QPA_PLATFORM="wayland")

    def type_text(self, text: str) -> None:
        """Types ``text`` (US layout, printable ASCII and newlines) into the focused window
        through KWin's fake-input protocol, spoken by this process (see _grant_fake_input)."""
        if self.wayland_socket is None:
            raise DesktopError("kwin is not started")
        self._send_keys([key_for(char) for char in text])

    def press(self, key: str) -> None:
        if key not in NAMED_KEYS:
            raise DesktopError(f"press knows {', '.join(NAMED_KEYS)}, not {key!r}")
        self._send_keys([(NAMED_KEYS[key], False)])

    def _send_keys(self, keys: list[tuple[int, bool]]) -> None:
        assert self.wayland_socket is not None
        with FakeInput(self.wayland_socket) as keyboard:
            for code, shifted in keys:
                if shifted:
                    keyboard.key(KEY_LEFTSHIFT, pressed=True)
                keyboard.key(code, pressed=True)
                keyboard.key(code, pressed=False)
                if shifted:
                    keyboard.key(KEY_LEFTSHIFT, pressed=False)
            keyboard.roundtrip()  # KWin has passed every key on before this returns

    # -- screenshots --------------------------------------------------------------------------

    def screenshot(self, path: Path) -> Path:
        """The whole screen as a PNG, from KWin's ScreenShot2 (raw pixels down a pipe)."""
        return capture_workspace(self.compositor_env(), path)


def _libexec(name: str) -> str:
    """A program in a multiarch libexec folder (not on PATH), or ``name`` if none is found."""
    found = sorted(Path("/usr/lib").glob(f"*/libexec/{name}"))
    return str(found[0]) if found else name


def missing_plasma_tools() -> list[str]:
    """What ``KwinDesktop(plasma=True)`` needs and lacks, as ``"what (debian-package)"``."""
    needs = {
        "plasmashell": ("plasma-workspace", shutil.which("plasmashell")),
        "kded5": ("kded5", shutil.which("kded5")),
        "kactivitymanagerd": ("kactivitymanagerd", _found("*/libexec/kactivitymanagerd")),
        # Plasma's shell package and Qt 5's Wayland platform are in packages of their own.
        "the Plasma desktop shell": (
            "plasma-desktop-data",
            Path("/usr/share/plasma/shells/org.kde.plasma.desktop").exists(),
        ),
        "Qt 5's Wayland platform": (
            "qtwayland5",
            _found("*/qt5/plugins/platforms/libqwayland-generic.so"),
        ),
    }
    return [f"{what} ({package})" for what, (package, found) in needs.items() if not found]


def _found(pattern: str) -> bool:
    return any(Path("/usr/lib").glob(pattern))
