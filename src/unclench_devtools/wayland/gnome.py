"""A throwaway headless GNOME Shell 43 desktop (Wayland, with Xwayland) for end-to-end tests.

GNOME Shell answers the tests' questions through ``org.gnome.Shell.Eval``, which GNOME 43
only allows in "unsafe mode": a tiny extension of our own turns that on. The same extension
plugs in a virtual keyboard and leaves the overview the shell starts in, so windows get the
keyboard as on a logged-in desktop. The tray is the AppIndicator extension's
StatusNotifierWatcher, and settings live in a keyfile in the compositor's own home. The
extension, the settings and the JavaScript the harness evaluates are in ``gnome_shell.py``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from unclench_devtools.programs import DesktopError, Geometry, Program
from unclench_devtools.wayland.base import WaylandDesktop, missing_tools
from unclench_devtools.wayland.gnome_shell import (
    APPINDICATOR,
    EFFECTS_JS,
    HELPER,
    HELPER_METADATA,
    HELPER_SOURCE,
    KEYSYMS,
    SETTINGS,
    SYSTEM_EXTENSIONS,
    TYPE_JS,
    WINDOWS_JS,
)
from unclench_devtools.wayland.session import Unsupported

#: GNOME Shell's notification server (org.freedesktop.Notifications), started by D-Bus.
NOTIFICATIONS_SERVICE = "/usr/share/gnome-shell/org.gnome.Shell.Notifications"


class GnomeDesktop(WaylandDesktop):
    """Headless GNOME Shell 43 with the AppIndicator tray; windows are read through Eval."""

    name = "gnome"
    current_desktop = "GNOME"
    tools: ClassVar[dict[str, str]] = {
        "gnome-shell": "gnome-shell",
        "foot": "foot",
        "gdbus": "libglib2.0-bin",
        "dbus-daemon": "dbus",
        "Xwayland": "xwayland",
        "setpriv": "util-linux",
        "gjs": "gjs",
    }
    # As root the shell posts a "Logged in as a privileged user" notification over the screen.
    needs_ordinary_user = True
    needs_system_bus = True  # GNOME Shell exits at once without logind's bus
    fake_logind = True  # GNOME Shell minds the stand-in no more than the real logind
    can_type = True  # through Mutter's RemoteDesktop

    def __init__(self, workdir: Path | None = None, start_timeout: float = 30.0) -> None:
        super().__init__(workdir, start_timeout)
        self.xauthority = ""
        self._shell: Program | None = None
        self._shots = 0
        self._typing = itertools.count(1)

    # -- start --------------------------------------------------------------------------------

    def stop(self) -> None:
        # The shell first and alone: ended with its process group, it loses Xwayland before
        # it can remove Xwayland's sockets and lock files from /tmp.
        if self._shell is not None and self._shell.running():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._shell.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._shell.popen.wait(5)
        super().stop()

    def compositor_env(self, **extra: str) -> dict[str, str]:
        home = self.compositor_home
        own = {
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_STATE_HOME": str(home / ".local" / "state"),
            "GSETTINGS_BACKEND": "keyfile",
        }
        return super().compositor_env(**own) | extra

    def session_env(self) -> dict[str, str]:
        env = super().session_env()
        if self.xauthority:
            # Xwayland wants mutter's cookie; the app may run as another user (root).
            env["XAUTHORITY"] = self.xauthority
        return env

    def _start_compositor(self) -> None:
        self._write_home()
        width, height = self.size
        # Xwayland starts with the shell (no --no-x11): the app under test runs on it.
        cmd = [
            "gnome-shell", "--headless", "--wayland",
            f"--virtual-monitor={width}x{height}", "--wayland-display=wayland-unclench",
        ]  # fmt: skip
        env = self.compositor_env()
        shell = self._launch(self.as_user(cmd), "gnome-shell", env, cwd=self.compositor_home)
        self._services.append(shell)
        self._shell = shell
        self.wayland_socket = self._wait_for_socket(shell)

        def ready() -> bool:
            try:
                answer = self.eval_js("!Main.layoutManager._startingUp && !Main.overview.visible")
            except DesktopError:  # not on the bus yet, or the helper not yet enabled
                return False
            return answer is True

        self._wait_for(shell, ready, "GNOME Shell to start and answer Eval")
        display, auth = self._eval_list("[GLib.getenv('DISPLAY'), GLib.getenv('XAUTHORITY')]")
        if not display or not auth:
            raise DesktopError(f"GNOME Shell started no Xwayland:\n{shell.report()}")
        self.x_display, self.xauthority = display, auth
        self._wait_for(shell, self.has_tray_host, "the AppIndicator extension's tray")
        # GNOME's notification server is a service of its own that the session bus starts
        # on demand; this private bus starts nothing, so it is started here.
        self._start_service(
            self.as_user(["gjs", NOTIFICATIONS_SERVICE]),
            lambda: self.has_name("org.freedesktop.Notifications"),
            "gnome-shell-notifications",
            self.compositor_env(),
        )
        self._envs.clear()

    def _write_home(self) -> None:
        """The helper extension and the settings, in the compositor's home."""
        home = self.compositor_home
        helper = home / ".local" / "share" / "gnome-shell" / "extensions" / HELPER
        helper.mkdir(parents=True)
        (helper / "metadata.json").write_text(json.dumps(HELPER_METADATA, indent=2))
        (helper / "extension.js").write_text(HELPER_SOURCE)
        # Else a notice that GDM is needed to lock the screen covers the top of it at first.
        (helper.parent.parent / "lock-warning-shown").touch()
        keyfile = home / ".config" / "glib-2.0" / "settings" / "keyfile"
        keyfile.parent.mkdir(parents=True)
        keyfile.write_text(SETTINGS)
        for root, folders, files in os.walk(home):
            for name in [*folders, *files]:
                self._give_to_user(Path(root) / name)

    def _wait_for(self, shell: Program, condition: Callable[[], bool], what: str) -> None:
        def check() -> bool:
            if not shell.running():
                raise DesktopError(f"gnome-shell exited while starting: {shell.report()}")
            return condition()

        try:
            self.wait_until(check, timeout=self.start_timeout, what=what)
        except DesktopError as error:
            if not shell.running():
                raise
            raise DesktopError(f"{error}\n{shell.report()}") from None

    # -- Eval ---------------------------------------------------------------------------------

    def notifications(self) -> list[dict[str, object]]:
        """The notifications GNOME Shell holds: title, body and the labels of the buttons."""
        found = self.eval_js(
            "Main.messageTray.getSources().flatMap(s => s.notifications).map(n => ({"
            "title: n.title, body: n.bannerBodyText, actions: (n.actions ?? []).map(a => a.label)"
            "}))"
        )
        assert isinstance(found, list)
        return found

    def press_notification_button(self, title: str, label: str) -> None:
        """Presses a button of the notification titled ``title``, as a click would."""
        found = self.eval_js(
            "(() => { const n = Main.messageTray.getSources().flatMap(s => s.notifications)"
            f".find(n => n.title === {json.dumps(title)}); if (!n) return false;"
            f" const a = (n.actions ?? []).find(a => a.label === {json.dumps(label)});"
            " if (!a) return false; a.callback(); return true; })()"
        )
        if found is not True:
            raise DesktopError(f"no notification {title!r} with a button {label!r}")

    def maximize_focused(self) -> None:
        self.eval_js("global.display.focus_window.maximize(Meta.MaximizeFlags.BOTH) ?? true")

    def eval_js(self, expression: str) -> object:
        """The JSON value of a JavaScript expression evaluated inside GNOME Shell."""
        # URI-encoded, so gdbus prints the answer without quoting of its own to undo.
        code = f"encodeURIComponent(JSON.stringify(({expression})) ?? 'null').replace(/'/g, '%27')"
        result = self.run(
            [
                "gdbus", "call", "--session", "--dest", "org.gnome.Shell",
                "--object-path", "/org/gnome/Shell", "--method", "org.gnome.Shell.Eval", code,
            ],
            env=self.compositor_env(),
            check=False,
        )  # fmt: skip
        found = re.fullmatch(r"""\(true, '"([^"']*)"'\)""", result.stdout.strip())
        if found is None:
            answer = (result.stdout + result.stderr).strip()
            raise DesktopError(f"GNOME Shell could not evaluate {expression!r}: {answer}")
        value: object = json.loads(urllib.parse.unquote(found[1]))
        return value

    def _eval_list(self, expression: str) -> list[str]:
        value = self.eval_js(expression)
        assert isinstance(value, list)
        return [str(item) if item is not None else "" for item in value]

    # -- windows ------------------------------------------------------------------------------

    def windows(self) -> list[dict[str, object]]:
        """Every window (title, wm_class, frame rect, focused, above, skip_taskbar,
        fullscreen, minimized, x11), bottom to top as drawn."""
        value = self.eval_js(WINDOWS_JS)
        assert isinstance(value, list)
        return value

    def window_info(self, title: str) -> dict[str, object] | None:
        """The first window whose title matches the regular expression ``title``."""
        pattern = re.compile(title)
        return next((w for w in self.windows() if pattern.search(str(w["title"]))), None)

    def _window(self, title: str) -> dict[str, object]:
        window = self.window_info(title)
        if window is None:
            raise DesktopError(f"no window matches {title!r}: {self.window_titles()}")
        return window

    def window_titles(self) -> list[str]:
        return [str(window["title"]) for window in self.windows()]

    def focused_title(self) -> str | None:
        title = self.eval_js("global.display.focus_window?.get_title() ?? null")
        return None if title is None else str(title)

    def window_rect(self, title: str) -> Geometry | None:
        window = self.window_info(title)
        if window is None:
            return None
        x, y, width, height = (window[key] for key in ("x", "y", "width", "height"))
        assert isinstance(x, int)
        assert isinstance(y, int)
        assert isinstance(width, int)
        assert isinstance(height, int)
        return Geometry(x, y, width, height)

    def is_above(self, title: str, other: str) -> bool:
        windows = self.windows()
        mine = next(i for i, w in enumerate(windows) if re.search(title, str(w["title"])))
        theirs = next(i for i, w in enumerate(windows) if re.search(other, str(w["title"])))
        return mine > theirs

    def work_area(self) -> Geometry:
        area = self.eval_js(
            "(a => [a.x, a.y, a.width, a.height])"
            "(Main.layoutManager.getWorkAreaForMonitor(Main.layoutManager.primaryIndex))"
        )
        assert isinstance(area, list)
        return Geometry(*(int(value) for value in area))

    def keeps_above(self, title: str) -> bool:
        """Whether the window is "always on top" (mutter's ``is_above``)."""
        return bool(self._window(title)["above"])

    def skip_taskbar(self, title: str) -> bool:
        return bool(self._window(title)["skip_taskbar"])

    # -- input and output ---------------------------------------------------------------------

    def type_text(self, text: str) -> None:
        """Types ``text`` (printable ASCII, tabs and newlines) through Mutter's RemoteDesktop,
        as real keys: they also reset Mutter's idle time."""
        self._send_keys([_keysym(char) for char in text], repr(text))

    def press(self, key: str) -> None:
        if not re.fullmatch(r"\w+", key):
            raise Unsupported(f"gnome: no key named {key!r}")
        keysym = self.eval_js(f"imports.gi.Clutter.KEY_{key} ?? null")
        if not isinstance(keysym, int):
            raise Unsupported(f"gnome: no key named {key!r}")
        self._send_keys([keysym], key)

    def _send_keys(self, keysyms: list[int], what: str) -> None:
        token = next(self._typing)
        code = TYPE_JS.replace("TOKEN", str(token)).replace("KEYSYMS", json.dumps(keysyms))
        self.eval_js(code)

        def typed() -> bool:
            state = self.eval_js(f"globalThis.unclenchTyping[{token}]")
            if state not in {"busy", "done"}:
                raise DesktopError(f"typing {what} failed: {state}")
            return state == "done"

        self.wait_until(typed, timeout=10, what=f"GNOME Shell to type {what}")

    # -- the tray -----------------------------------------------------------------------------

    def tray_items(self) -> list[str]:
        # The extension names items "bus@/path"; the base class reads "bus/path".
        return [item.replace("@/", "/", 1) for item in super().tray_items()]

    def open_tray_menu(self, item: str) -> None:
        """Opens the menu the AppIndicator extension draws for ``item``, as a left click does
        (a double click would send ``Activate``)."""
        service, slash, path = item.partition("/")
        unique_id = json.dumps(f"{service}@/{path}" if slash else service)
        opened = self.eval_js(
            f"(icon => icon ? (icon.menu.open(), icon.menu.isOpen) : null)"
            f"(Object.values(Main.panel.statusArea)"
            f".find(area => area?._indicator?.uniqueId === {unique_id}))"
        )
        if opened is None:
            raise DesktopError(f"the top bar shows no icon for {item}")

    def close_tray_menu(self) -> None:
        # Through the shell rather than with Escape, which would reach the focused window if
        # the menu were not open.
        self.eval_js("Main.panel.menuManager.activeMenu?.close() ?? null")

    def tray_menu_is_open(self) -> bool:
        return self.eval_js("Main.panel.menuManager.activeMenu?.isOpen ?? false") is True

    def screenshot(self, path: Path) -> Path:
        # Even without animations a window fades in (and out) over a 1 ms transition, so a
        # shot right after it maps could show it transparent: wait for the shell's effects.
        self.wait_until(
            lambda: self.eval_js(EFFECTS_JS) == 0, timeout=5, what="the window effects to end"
        )
        self._shots += 1
        shot = self.compositor_runtime / f"shot-{self._shots}.png"
        out = self.gdbus(
            "call", "--session", "--dest", "org.gnome.Shell.Screenshot",
            "--object-path", "/org/gnome/Shell/Screenshot",
            "--method", "org.gnome.Shell.Screenshot.Screenshot", "false", "false", str(shot),
        )  # fmt: skip
        if not out.startswith("(true,"):
            raise DesktopError(f"GNOME Shell took no screenshot: {out}")
        shutil.copyfile(shot, path)
        shot.unlink()
        return path


def _keysym(char: str) -> int:
    if char in KEYSYMS:
        return KEYSYMS[char]
    if " " <= char <= "~":
        return ord(char)
    raise Unsupported(f"gnome: cannot type {char!r}: only printable ASCII, tab and newline")


def missing_parts() -> list[str]:
    """What ``GnomeDesktop`` needs and this machine lacks, as ``"thing (debian-package)"``."""
    missing = missing_tools(GnomeDesktop)
    if not (SYSTEM_EXTENSIONS / APPINDICATOR).is_dir():
        missing.append(f"the {APPINDICATOR} extension (gnome-shell-extension-appindicator)")
    return missing
