"""A headless KWin 5.27 (Plasma's compositor) for end-to-end tests.

KWin runs with its virtual backend and a rootless Xwayland, as root (it needs no ordinary
user). The tests' questions about windows are answered by small KWin scripts loaded over
D-Bus: each prints its answer as one JSON line with a unique marker, which is read back from
KWin's stderr log. Screenshots come from KWin's own ScreenShot2 interface; typing goes
through KWin's fake-input Wayland protocol (KWin offers no virtual keyboard to wtype), which
this process speaks itself. ``plasma=True`` adds Plasma's shell: a panel, a tray and
notifications.
"""

from __future__ import annotations

import json
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from unclench.platform.wayland_wire import Connection, WaylandError, string, uint

from helpers.programs import DesktopError, Geometry, Program
from helpers.wayland import WATCHER, Unsupported, WaylandDesktop

KWIN = ("org.kde.KWin", "/Scripting", "org.kde.kwin.Scripting")
SCREENSHOT = ("org.kde.KWin.ScreenShot2", "/org/kde/KWin/ScreenShot2", "org.kde.KWin.ScreenShot2")
#: Qt's default pattern: the answers are found by their ``js: `` prefix.
MESSAGE_PATTERN = "%{if-category}%{category}: %{endif}%{message}"

#: KWin's record of a window, as WINDOWS_SCRIPT gives it.
Window = dict[str, object]

#: Every managed window, bottom of the stacking order first, and the active one.
WINDOWS_SCRIPT = """
var windows = [];
var clients = workspace.clientList();
for (var i = 0; i < clients.length; i++) {
    var c = clients[i];
    var g = c.frameGeometry;
    windows.push({
        caption: String(c.caption), x: g.x, y: g.y, width: g.width, height: g.height,
        stacking: c.stackingOrder, keepAbove: c.keepAbove, keepBelow: c.keepBelow,
        skipTaskbar: c.skipTaskbar, fullScreen: c.fullScreen, minimized: c.minimized,
        normalWindow: c.normalWindow, x11: c.windowId !== undefined && c.windowId !== 0,
        resourceClass: String(c.resourceClass), pid: c.pid
    });
}
windows.sort(function (a, b) { return a.stacking - b.stacking; });
var active = workspace.activeClient;
var area = workspace.clientArea(
    KWin.MaximizeArea, workspace.activeScreen, workspace.currentDesktop);
print(marker + JSON.stringify({
    active: active ? String(active.caption) : null, windows: windows,
    area: {x: area.x, y: area.y, width: area.width, height: area.height}
}));
"""

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


class KwinDesktop(WaylandDesktop):
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
        self.kwin: Program | None = None
        self._queries = 0

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

    def _require_kwin(self) -> Program:
        if self.kwin is None:
            raise DesktopError("kwin is not started")
        return self.kwin

    # -- D-Bus and scripts --------------------------------------------------------------------

    def run_script(self, source: str, timeout: float = 10.0) -> object:
        """Runs a KWin script that prints ``marker + JSON`` (``marker`` is a variable the
        script gets first) and returns the decoded JSON."""
        kwin = self._require_kwin()
        self._queries += 1
        plugin = f"unclench-query-{self._queries}"
        marker = f"UNCLENCH-{uuid.uuid4().hex} "
        script = self.shared / f"{plugin}.js"
        script.write_text(f"var marker = {json.dumps(marker)};\n{source}")
        script.chmod(0o644)
        start = kwin.stderr_path.stat().st_size
        try:
            out = self.call(*KWIN, "loadScript", str(script), plugin)
            script_id = int(re.findall(r"-?\d+", out)[0])
            if script_id < 0:
                raise DesktopError(f"KWin would not load {script}: {out}")
            self._run_loaded(script_id)

            def answer() -> str | None:
                with kwin.stderr_path.open("rb") as log:
                    log.seek(start)
                    text = log.read().decode(errors="replace")
                for line in text.splitlines():
                    _, found, rest = line.partition(marker)
                    if found:
                        return rest
                    if str(script) in line and "error" in line:
                        raise DesktopError(f"KWin script failed: {line}")
                if not kwin.running():
                    raise DesktopError(f"KWin died: {kwin.report()}")
                return None

            return json.loads(
                self.wait_until(answer, timeout=timeout, what=f"KWin to run {plugin}")
            )
        finally:
            self.call(*KWIN, "unloadScript", plugin, check=False)
            script.unlink(missing_ok=True)

    def _run_loaded(self, script_id: int) -> None:
        # KWin 5.27 puts a loaded script at /<id>; KWin 6 at /Scripting/Script<id>.
        errors = []
        for path in (f"/{script_id}", f"/Scripting/Script{script_id}"):
            try:
                self.call(KWIN[0], path, "org.kde.kwin.Script", "run")
            except DesktopError as error:
                errors.append(str(error))
            else:
                return
        raise DesktopError("; ".join(errors))

    # -- windows ------------------------------------------------------------------------------

    def _state(self) -> dict[str, object]:
        state = self.run_script(WINDOWS_SCRIPT)
        assert isinstance(state, dict)
        return state

    def windows(self) -> list[Window]:
        """KWin's record of each managed window (``caption``, ``x``..``height`` of the frame,
        ``stacking``, ``keepAbove``, ``skipTaskbar``, ``fullScreen``, ``x11``...), bottom first."""
        windows = self._state()["windows"]
        assert isinstance(windows, list)
        return windows

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

    def maximize_focused(self) -> None:
        self.run_script("workspace.activeClient.setMaximize(true, true); print(marker + 'true');")

    def work_area(self) -> Geometry:
        """The screen less Plasma's panels, as KWin gives it to maximised windows."""
        area = self._state()["area"]
        assert isinstance(area, dict)
        return Geometry(area["x"], area["y"], area["width"], area["height"])

    def window_titles(self) -> list[str]:
        return [str(window["caption"]) for window in self.windows()]

    def window_info(self, title: str) -> Window | None:
        """The first window (from the bottom) whose caption matches the regex ``title``."""
        return _find(self.windows(), title)

    def _window(self, title: str, windows: list[Window] | None = None) -> Window:
        windows = self.windows() if windows is None else windows
        window = _find(windows, title)
        if window is None:
            captions = [window["caption"] for window in windows]
            raise DesktopError(f"no window matches {title!r}; there are {captions}")
        return window

    def focused_title(self) -> str | None:
        active = self._state()["active"]
        return None if active is None else str(active)

    def window_rect(self, title: str) -> Geometry | None:
        window = self.window_info(title)
        if window is None:
            return None
        return Geometry(*(_int(window, key) for key in ("x", "y", "width", "height")))

    def is_above(self, title: str, other: str) -> bool:
        windows = self.windows()
        mine, theirs = self._window(title, windows), self._window(other, windows)
        return _int(mine, "stacking") > _int(theirs, "stacking")

    def keeps_above(self, title: str) -> bool:
        """Whether KWin keeps the window above others (``_NET_WM_STATE_ABOVE`` and the like)."""
        return bool(self._window(title)["keepAbove"])

    def skip_taskbar(self, title: str) -> bool:
        return bool(self._window(title)["skipTaskbar"])

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
        self._send_keys([_key(char) for char in text])

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
        read_end, write_end = os.pipe()
        # gdbus sends its own fd ``write_end`` as the "h" argument; KWin writes, then closes.
        cmd = [
            "gdbus", "call", "--session", "--dest", SCREENSHOT[0], "--object-path", SCREENSHOT[1],
            "--method", f"{SCREENSHOT[2]}.CaptureWorkspace",
            "{'include-cursor': <false>, 'native-resolution': <true>}", f"handle {write_end}",
        ]  # fmt: skip
        try:
            gdbus = subprocess.Popen(
                cmd,
                env=self.compositor_env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(write_end,),
            )
        finally:
            os.close(write_end)
        try:
            pixels = _read_to_end(read_end, timeout=10.0)
            out, err = gdbus.communicate(timeout=10.0)
        finally:
            os.close(read_end)
            if gdbus.poll() is None:
                gdbus.kill()
                gdbus.wait()
        reply = out.decode(errors="replace")
        if gdbus.returncode != 0:
            raise DesktopError(f"KWin took no screenshot: {err.decode(errors='replace')}")
        width, height, stride, image_format = (
            _uint(reply, key) for key in ("width", "height", "stride", "format")
        )
        # 4, 5, 6: QImage's RGB32, ARGB32 and ARGB32_Premultiplied, 4 bytes a pixel.
        if image_format not in {4, 5, 6} or len(pixels) < stride * height:
            raise DesktopError(f"an unexpected screenshot ({len(pixels)} bytes): {reply}")
        path.write_bytes(_png(pixels, width, height, stride))
        return path


def _uint(reply: str, key: str) -> int:
    found = re.search(rf"'{key}': <uint32 (\d+)>", reply)
    if found is None:
        raise DesktopError(f"KWin's screenshot reply has no {key}: {reply}")
    return int(found[1])


#: Linux evdev key codes (KWin applies its keymap, US here) of each printable ASCII
#: character, as "unshifted shifted" pairs in code order from KEY_1 (2).
_KEY_ROWS = {
    2: "1! 2@ 3# 4$ 5% 6^ 7& 8* 9( 0) -_ =+",
    16: "qQ wW eE rR tT yY uU iI oO pP [{ ]}",
    30: "aA sS dD fF gG hH jJ kK lL ;: '\" `~",
    43: "\\| zZ xX cC vV bB nN mM ,< .> /?",
}
KEYS = {"\n": (28, False), "\t": (15, False), " ": (57, False)}
for _start, _row in _KEY_ROWS.items():
    for _offset, _pair in enumerate(_row.split(" ")):
        KEYS[_pair[0]] = (_start + _offset, False)
        KEYS[_pair[1]] = (_start + _offset, True)
KEY_LEFTSHIFT = 42
BTN_RIGHT = 0x111  # linux/input-event-codes.h
#: The tray icon's outline colour (resources/icons), found in Plasma's panel by it.
TRAY_ICON_TEAL = "#1f8a78"
NAMED_KEYS = {"Escape": 1, "Return": 28, "Down": 108, "Up": 103, "Tab": 15}


def _key(char: str) -> tuple[int, bool]:
    if char not in KEYS:
        raise DesktopError(f"type_text cannot type {char!r} (US layout, printable ASCII only)")
    return KEYS[char]


class FakeInput:
    """Keys and pointer clicks through KWin's ``org_kde_kwin_fake_input``, spoken over the
    app's own small Wayland client (``unclench.platform.wayland_wire``)."""

    INTERFACE = "org_kde_kwin_fake_input"
    VERSION = 4  # keyboard_key came in version 4

    def __init__(self, socket_path: Path) -> None:
        try:
            self._connection = Connection.connect({"WAYLAND_DISPLAY": str(socket_path)})
        except WaylandError as error:
            raise DesktopError(f"cannot reach KWin for fake input: {error}") from None
        found = self._connection.globals.get(self.INTERFACE)
        if found is None:
            self._connection.close()
            raise Unsupported(
                f"KWin does not offer {self.INTERFACE} to this process: "
                f"{Path('/proc/self/exe').resolve()} lacks a .desktop file granting it"
            )
        if found[1] < self.VERSION:
            self._connection.close()
            raise Unsupported(f"KWin's fake input is version {found[1]}, typing needs 4")
        self._input = self._connection.bind(self.INTERFACE, self.VERSION, lambda _event: None)
        reason = string("unclench-e2e") + string("end-to-end tests type")
        self._connection.request(self._input, 0, reason)  # authenticate: granted at once

    def __enter__(self) -> FakeInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self._connection.close()

    def key(self, code: int, *, pressed: bool) -> None:
        self._connection.request(self._input, 10, uint(code) + uint(int(pressed)))

    def click(self, x: int, y: int, button: int) -> None:
        """Moves the pointer to (x, y) and presses and releases ``button`` (evdev code), a
        moment apart each, as a hand would: Plasma ignored a click sent all at once."""
        self._connection.request(self._input, 9, uint(x * 256) + uint(y * 256))  # fixed-point
        self.roundtrip()
        time.sleep(0.3)  # the panel notices the pointer
        for state in (1, 0):
            self._connection.request(self._input, 2, uint(button) + uint(state))
            self.roundtrip()
            time.sleep(0.1)

    def roundtrip(self) -> None:
        """Waits until KWin has handled every request so far."""
        try:
            self._connection.roundtrip(timeout_s=5.0)
        except WaylandError as error:
            raise DesktopError(f"KWin refused fake input: {error}") from None


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


def _find(windows: list[Window], title: str) -> Window | None:
    pattern = re.compile(title)
    return next((w for w in windows if pattern.search(str(w["caption"]))), None)


def _int(window: Window, key: str) -> int:
    value = window[key]
    assert isinstance(value, int | float), window
    return round(value)


def _read_to_end(fd: int, timeout: float) -> bytes:
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise DesktopError(f"the screenshot took over {timeout} s")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _png(pixels: bytes, width: int, height: int, stride: int) -> bytes:
    """An RGB PNG of Qt's 32-bit little-endian pixels (bytes B, G, R, A or X)."""
    rows = bytearray()
    for y in range(height):
        row = pixels[y * stride : y * stride + width * 4]
        rgb = bytearray(width * 3)
        rgb[0::3], rgb[1::3], rgb[2::3] = row[2::4], row[1::4], row[0::4]
        rows += b"\0" + rgb

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 6))
        + chunk(b"IEND", b"")
    )
