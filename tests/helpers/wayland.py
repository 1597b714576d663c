"""Throwaway Wayland desktops for end-to-end tests: headless sway, GNOME Shell and KWin.

Each runs in its own folders with a private session bus (and, for the desktops that need
logind's bus, a private "system" bus), so nothing touches the machine's own session. Some
compositors refuse to run as root: then they run as an ordinary user made for the tests,
while the app under test runs as this process's user and reaches the compositor through an
absolute ``WAYLAND_DISPLAY`` and buses that admit both users.

A subclass starts its compositor and answers the questions the tests ask of any desktop:
which window has the keyboard, where a window is and whether it is above another, typing
text and taking a screenshot. Tray questions go over D-Bus and are the same everywhere.
"""

from __future__ import annotations

import ast
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import ClassVar

from helpers.programs import DesktopError, Geometry, Program, ProgramHost

#: The ordinary user the compositors run as when the tests run as root.
COMPOSITOR_USER = "unclench-e2e"
SIZE = (1280, 800)

#: A bus that admits every local user: the compositor's user and the tests' (root).
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>{kind}</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_SESSION = "/org/freedesktop/login1/session/e2e"
#: The stand-in desktop service of the platform tests, here as logind on the system bus.
FAKE_SERVICE = Path(__file__).parents[1] / "unit" / "platform" / "fake_desktop_service.py"
WATCHER = ("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher")
WATCHER_INTERFACE = "org.kde.StatusNotifierWatcher"


class Unsupported(DesktopError):
    """This desktop gives the tests no way to do that (say, type on KWin 5.27)."""


class Terminal:
    """A native Wayland terminal that writes what is typed into it to a file."""

    def __init__(self, program: Program, typed_path: Path, title: str) -> None:
        self.program = program
        self.typed_path = typed_path
        self.title = title

    def typed(self) -> str:
        try:
            return self.typed_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


class WaylandDesktop(ProgramHost):
    """The parts every headless Wayland desktop shares; see the module docstring."""

    name: ClassVar[str] = "wayland"
    #: XDG_CURRENT_DESKTOP as the real session sets it.
    current_desktop: ClassVar[str] = ""
    #: The programs a subclass needs, with the Debian package that ships each.
    tools: ClassVar[dict[str, str]] = {}
    #: Whether the compositor refuses to run as root.
    needs_ordinary_user: ClassVar[bool] = False
    #: Whether the desktop gets a private system bus (GNOME Shell exits without one).
    needs_system_bus: ClassVar[bool] = True
    #: Whether a stand-in logind serves on that bus, so tests can lock the screen as
    #: ``loginctl lock-session`` does (GNOME Shell speaks to logind itself: not there).
    fake_logind: ClassVar[bool] = True
    #: Whether ``type_text`` works here (KWin 5.27 refuses virtual keyboards).
    can_type: ClassVar[bool] = False

    def __init__(self, workdir: Path | None = None, start_timeout: float = 30.0) -> None:
        super().__init__(workdir, start_timeout, prefix=f"{self.name}-")
        self.size = SIZE
        self.user: str | None = None
        # Folders the compositor's user can reach: the test's tmp_path may be private to root.
        self.shared = Path(tempfile.mkdtemp(prefix=f"unclench-{self.name}-"))
        self.shared.chmod(0o755)
        self.compositor_home = self.shared / "home"
        self.compositor_runtime = self.shared / "runtime"
        self.wayland_socket: Path | None = None
        self.x_display = ""
        self._bus_address = ""
        self._system_bus_address = ""
        self._terminals = 0

    # -- life cycle ---------------------------------------------------------------------------

    def _start_services(self) -> None:
        self.user = self._compositor_user()
        for folder in (self.compositor_home, self.compositor_runtime):
            folder.mkdir(mode=0o700)
            self._give_to_user(folder)
        self._bus_address = self._start_bus("session")
        if self.needs_system_bus:
            self._system_bus_address = self._start_bus("system")
            if self.fake_logind:
                self._start_fake_logind()
        self._start_compositor()

    def _forget_services(self) -> None:
        shutil.rmtree(self.shared, ignore_errors=True)

    def _start_compositor(self) -> None:
        raise NotImplementedError

    def _start_fake_logind(self) -> None:
        manager = f"{LOGIN1}:{LOGIN1_PATH}:{LOGIN1}.Manager"
        session = f"{LOGIN1}:{LOGIN1_SESSION}:{LOGIN1}.Session"
        specs = [
            f"{manager}.GetSession={LOGIN1_SESSION}",
            f"{manager}.PrepareForSleep=emit",
            f"{session}.Lock=emit",
            f"{session}.Unlock=emit",
        ]
        self._services.append(self.stand_in(specs, bus="system", name="fake-logind"))

    def stand_in(self, specs: list[str], *, bus: str = "session", name: str) -> Program:
        """A stand-in for a desktop service (the platform tests' fake, whose ``specs`` say
        what it answers), started on one of this desktop's buses; ``stop_programs`` ends it
        unless the desktop keeps it as a service."""
        address = self._bus_address if bus == "session" else self._system_bus_address
        cmd = [sys.executable, str(FAKE_SERVICE), address, *specs]
        program = self._launch(cmd, name, self._base_env())
        program.wait_for_output("ready", timeout=self.start_timeout)
        return program

    def lock_screen(self, locked: bool) -> None:
        """Locks or unlocks the screen as logind announces it (``loginctl lock-session``)."""
        if not self.fake_logind:
            raise Unsupported(f"{self.name}: no way to lock the screen here")
        member = "Lock" if locked else "Unlock"
        self.run(
            ["gdbus", "call", "--system", "--dest", LOGIN1, "--object-path", LOGIN1_SESSION,
             "--method", f"{LOGIN1}.Session.{member}"],
            env=self.compositor_env(),
        )  # fmt: skip

    def _compositor_user(self) -> str | None:
        """Who runs the compositor: this process's user, or a test user when we are root."""
        if os.geteuid() != 0 or not self.needs_ordinary_user:
            return None
        try:
            pwd.getpwnam(COMPOSITOR_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", COMPOSITOR_USER],
                check=True,
                capture_output=True,
            )
        return COMPOSITOR_USER

    def _give_to_user(self, path: Path) -> None:
        if self.user is not None:
            shutil.chown(path, self.user, self.user)

    def _start_bus(self, kind: str) -> str:
        config = self.shared / f"{kind}-bus.conf"
        socket = self.shared / f"{kind}-bus"
        config.write_text(BUS_CONFIG.format(kind=kind, socket=socket))
        args = ["--nofork", f"--config-file={config}"]
        bus = self._launch(
            ["dbus-daemon", *args, "--print-address=1"], f"dbus-{kind}", self._base_env()
        )
        self._services.append(bus)
        bus.wait_for_output("unix:", timeout=self.start_timeout)
        socket.chmod(0o777)  # the compositor's user and ours both connect
        self._envs.clear()
        return bus.output().splitlines()[0].strip()

    # -- environments -------------------------------------------------------------------------

    def session_env(self) -> dict[str, str]:
        """What the app under test sees, as in a real session of this desktop."""
        if self.wayland_socket is None:
            raise DesktopError(f"{self.name} is not started")
        env = {
            "WAYLAND_DISPLAY": str(self.wayland_socket),
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": self.current_desktop,
            "DBUS_SESSION_BUS_ADDRESS": self._bus_address,
        }
        if self.x_display:
            env["DISPLAY"] = self.x_display
        if self._system_bus_address:
            env["DBUS_SYSTEM_BUS_ADDRESS"] = self._system_bus_address
        return env

    def compositor_env(self, **extra: str) -> dict[str, str]:
        """For the compositor and the programs that must run as its user (terminal, typing)."""
        env = self._base_env() | {
            "HOME": str(self.compositor_home),
            "XDG_RUNTIME_DIR": str(self.compositor_runtime),
            "DBUS_SESSION_BUS_ADDRESS": self._bus_address,
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": self.current_desktop,
        }
        if self._system_bus_address:
            env["DBUS_SYSTEM_BUS_ADDRESS"] = self._system_bus_address
        if self.wayland_socket is not None:
            env["WAYLAND_DISPLAY"] = self.wayland_socket.name
        return env | extra

    def as_user(self, cmd: list[str]) -> list[str]:
        """``cmd`` run as the compositor's user, keeping the environment it is given."""
        if self.user is None:
            return cmd
        return ["setpriv", f"--reuid={self.user}", f"--regid={self.user}", "--init-groups", *cmd]

    def _wait_for_socket(self, program: Program) -> Path:
        def socket() -> Path | None:
            if not program.running():
                raise DesktopError(f"{program.name} exited while starting: {program.report()}")
            found = [
                path
                for path in self.compositor_runtime.glob("wayland-*")
                if not path.name.endswith(".lock")
            ]
            return found[0] if found else None

        try:
            return self.wait_until(socket, timeout=self.start_timeout, what="a Wayland socket")
        except DesktopError as error:
            raise DesktopError(f"{error}\n{program.report()}") from None

    # -- windows ------------------------------------------------------------------------------

    def start_terminal(self, title: str, *, fullscreen: bool = False) -> Terminal:
        """A native terminal that keeps what is typed into it; waits until it has the focus."""
        self._terminals += 1
        typed = self.compositor_runtime / f"typed-{self._terminals}.txt"
        cmd, env = self._terminal_command(title, typed, fullscreen)
        program = self.spawn(
            self.as_user(cmd),
            name=Path(cmd[0]).name,
            env=env,
            cwd=self.compositor_home,  # the test's folders may be closed to the user
        )
        terminal = Terminal(program, typed, title)
        self.wait_until(
            lambda: self.focused_title() == title,
            timeout=10,
            what=f"the terminal {title!r} to have the keyboard focus",
        )
        return terminal

    def _terminal_command(
        self, title: str, typed: Path, fullscreen: bool
    ) -> tuple[list[str], dict[str, str]]:
        """foot, running ``cat`` into ``typed``; the command and its environment."""
        cmd = ["foot", "--title", title, "--app-id", "unclench-e2e-terminal"]
        if fullscreen:
            cmd.append("--fullscreen")
        # stty -echo: the terminal shows nothing, so screenshots show only what is on top;
        # -icanon: each key reaches the file at once, not at the end of a line.
        shell = f"stty -echo -icanon; exec cat > {typed}"
        return [*cmd, "sh", "-c", shell], self.compositor_env()

    def maximize_focused(self) -> None:
        """Makes the focused window fill the free area (sway's tiling does it already)."""

    def focused_title(self) -> str | None:
        """The title of the window that has the keyboard focus, or ``None``."""
        raise NotImplementedError

    def window_rect(self, title: str) -> Geometry | None:
        """Where the first window whose title matches the regular expression ``title`` is,
        in the desktop's logical pixels; ``None`` when there is no such window."""
        raise NotImplementedError

    def is_above(self, title: str, other: str) -> bool:
        """Whether the window matching ``title`` is stacked above the one matching ``other``."""
        raise NotImplementedError

    def screen_rect(self) -> Geometry:
        """The screen's geometry in logical pixels."""
        return Geometry(0, 0, *self.size)

    def work_area(self) -> Geometry:
        """The part of the screen that panels and bars leave to windows."""
        return self.screen_rect()

    def type_text(self, text: str) -> None:
        """Types ``text`` as keyboard input into whatever has the focus."""
        raise Unsupported(f"{self.name}: typing is not supported")

    def screenshot(self, path: Path) -> Path:
        raise Unsupported(f"{self.name}: screenshots are not supported")

    # -- the tray, over D-Bus -----------------------------------------------------------------

    def gdbus(self, *args: str, check: bool = True) -> str:
        """``gdbus`` on the session bus, as the compositor's user would call it."""
        env = self.compositor_env()
        result = self.run(["gdbus", *args], env=env, check=check)
        return result.stdout.strip()

    def call(
        self, dest: str, path: str, interface: str, method: str, *args: str, check: bool = True
    ) -> str:
        """A D-Bus method call; the reply in GVariant text, as gdbus prints it."""
        return self.gdbus(
            "call", "--session", "--dest", dest, "--object-path", path,
            "--method", f"{interface}.{method}", *args, check=check,
        )  # fmt: skip

    def get_property(self, dest: str, path: str, interface: str, name: str) -> str:
        properties = "org.freedesktop.DBus.Properties"
        return self.call(dest, path, properties, "Get", interface, name, check=False)

    def has_name(self, name: str) -> bool:
        """Whether a program owns ``name`` on the session bus."""
        bus = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")
        return "true" in self.call(*bus, "NameHasOwner", name, check=False)

    def has_tray_host(self) -> bool:
        """Whether a tray runs: a StatusNotifierWatcher with a host registered (a panel or
        bar that shows the items)."""
        if not self.has_name(WATCHER[0]):
            return False
        registered = "IsStatusNotifierHostRegistered"
        return "true" in self.get_property(*WATCHER, WATCHER_INTERFACE, registered)

    def tray_items(self) -> list[str]:
        """The StatusNotifierItems registered with the desktop's tray host."""
        out = self.get_property(*WATCHER, WATCHER_INTERFACE, "RegisteredStatusNotifierItems")
        return re.findall(r"'([^']+)'", out)

    def open_tray_menu(self, item: str) -> None:
        """Clicks the item as a tray host does on a left click (``Activate``); where the host
        draws the menu itself, a subclass opens it the host's way."""
        service, _, path = item.partition("/")
        self.call(service, "/" + path, "org.kde.StatusNotifierItem", "Activate", "0", "0")

    def close_tray_menu(self) -> None:
        """Closes the menu opened by ``open_tray_menu`` (Escape where keys can be typed)."""
        if self.can_type:
            self.press("Escape")

    def press(self, key: str) -> None:
        """Presses one named key (``Escape``, ``Down``, ``Return``) in the focused window."""
        raise Unsupported(f"{self.name}: keys cannot be pressed")

    def menu_labels(self, item: str) -> list[str]:
        """The labels of the top level of an item's menu, read through its dbusmenu."""
        service, _, path = item.partition("/")
        path = "/" + path if path else "/StatusNotifierItem"
        menu = self.get_property(service, path, "org.kde.StatusNotifierItem", "Menu")
        found = re.search(r"objectpath '([^']+)'", menu)
        if found is None:
            raise DesktopError(f"{item} has no menu: {menu}")
        layout = self.call(
            service, found[1], "com.canonical.dbusmenu", "GetLayout", "0", "1", "['label']"
        )
        return [_unescape(label) for label in re.findall(r"'label': <'((?:[^'\\]|\\.)*)'>", layout)]


def _unescape(text: str) -> str:
    return str(ast.literal_eval(f"'{text}'"))


class SwayDesktop(WaylandDesktop):
    """Headless sway with swaybar's tray; windows are read from ``swaymsg -t get_tree``."""

    name = "sway"
    current_desktop = "sway"
    tools: ClassVar[dict[str, str]] = {
        "sway": "sway",
        "swaymsg": "sway",
        "foot": "foot",
        "wtype": "wtype",
        "grim": "grim",
        "gdbus": "libglib2.0-bin",
        "dbus-daemon": "dbus",
        "Xwayland": "xwayland",
    }
    needs_ordinary_user = True  # "Unable to drop root"
    can_type = True

    def __init__(self, workdir: Path | None = None, start_timeout: float = 30.0) -> None:
        super().__init__(workdir, start_timeout)
        self.ipc_socket: Path | None = None

    def _start_compositor(self) -> None:
        width, height = self.size
        config = self.shared / "sway.conf"
        display_file = self.compositor_runtime / "display"
        config.write_text(
            f"output HEADLESS-1 resolution {width}x{height} position 0 0\n"
            "default_border normal\n"
            "bar {\n  position top\n  tray_output *\n}\n"
            # DISPLAY, as sway gives it to its clients (Xwayland starts when first used).
            f"exec sh -c 'echo \"$DISPLAY\" > {display_file}'\n"
        )
        env = self.compositor_env(
            WLR_BACKENDS="headless",
            WLR_LIBINPUT_NO_DEVICES="1",
            WLR_RENDERER="pixman",
        )
        command = self.as_user(["sway", "-c", str(config)])
        sway = self._launch(command, "sway", env, cwd=self.compositor_home)
        self._services.append(sway)
        self.wayland_socket = self._wait_for_socket(sway)

        def ipc() -> Path | None:
            found = list(self.compositor_runtime.glob("sway-ipc.*.sock"))
            return found[0] if found else None

        self.ipc_socket = self.wait_until(ipc, timeout=self.start_timeout, what="sway's IPC")
        self.x_display = self.wait_until(
            lambda: display_file.read_text().strip() if display_file.exists() else None,
            timeout=self.start_timeout,
            what="sway to name its X display",
        )
        self.wait_until(self.has_tray_host, timeout=self.start_timeout, what="swaybar's tray")
        self._envs.clear()

    def session_env(self) -> dict[str, str]:
        env = super().session_env()
        if self.ipc_socket is not None:
            env["SWAYSOCK"] = str(self.ipc_socket)
        return env

    def swaymsg(self, *args: str) -> object:
        if self.ipc_socket is None:
            raise DesktopError("sway is not started")
        out = self.run(["swaymsg", "-s", str(self.ipc_socket), "-r", *args]).stdout
        return json.loads(out)

    def _windows(self) -> list[dict[str, object]]:
        """Every window, with ``floating`` set for the floating ones, in stacking order."""
        tree = self.swaymsg("-t", "get_tree")
        found: list[dict[str, object]] = []

        def walk(node: dict[str, object], floating: bool) -> None:
            if node.get("type") in {"con", "floating_con"} and node.get("pid"):
                found.append(node | {"floating": floating})
            for child in _nodes(node, "nodes"):
                walk(child, floating)
            for child in _nodes(node, "floating_nodes"):
                walk(child, True)

        assert isinstance(tree, dict)
        walk(tree, False)
        return found

    def _window(self, title: str) -> dict[str, object] | None:
        pattern = re.compile(title)
        for window in self._windows():
            if pattern.search(str(window.get("name") or "")):
                return window
        return None

    def focused_title(self) -> str | None:
        for window in self._windows():
            if window.get("focused"):
                return str(window.get("name"))
        return None

    def window_rect(self, title: str) -> Geometry | None:
        window = self._window(title)
        if window is None:
            return None
        rect = window["rect"]
        assert isinstance(rect, dict)
        return Geometry(rect["x"], rect["y"], rect["width"], rect["height"])

    def work_area(self) -> Geometry:
        workspaces = self.swaymsg("-t", "get_workspaces")
        assert isinstance(workspaces, list)
        rect = next(w["rect"] for w in workspaces if w.get("focused"))
        return Geometry(rect["x"], rect["y"], rect["width"], rect["height"])

    def window_info(self, title: str) -> dict[str, object] | None:
        """sway's own record of the window (``floating``, ``sticky``, ``border``...)."""
        return self._window(title)

    def is_above(self, title: str, other: str) -> bool:
        windows = self._windows()
        mine = next(i for i, w in enumerate(windows) if re.search(title, str(w.get("name"))))
        theirs = next(i for i, w in enumerate(windows) if re.search(other, str(w.get("name"))))
        # Floating windows are drawn over the tiled ones, later floating ones over earlier.
        return bool(windows[mine]["floating"]) and (
            not windows[theirs]["floating"] or mine > theirs
        )

    def type_text(self, text: str) -> None:
        # wtype makes a new virtual keyboard each time; sway drops a key pressed at once after
        # the new keyboard's keymap arrives, so wait a moment before the first one.
        self.run(self.as_user(["wtype", "-s", "100", text]), env=self.compositor_env())

    def press(self, key: str) -> None:
        self.run(self.as_user(["wtype", "-s", "100", "-k", key]), env=self.compositor_env())

    def screenshot(self, path: Path) -> Path:
        shot = self.compositor_runtime / "shot.png"
        self.run(self.as_user(["grim", str(shot)]), env=self.compositor_env())
        shutil.copyfile(shot, path)
        return path


def _nodes(node: dict[str, object], key: str) -> list[dict[str, object]]:
    children = node.get(key) or []
    assert isinstance(children, list)
    return children


def missing_tools(desktop: type[WaylandDesktop]) -> list[str]:
    """The desktop's programs that are not on PATH, as ``"tool (debian-package)"``."""
    return [
        f"{tool} ({package})" for tool, package in desktop.tools.items() if not shutil.which(tool)
    ]
