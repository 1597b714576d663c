"""What the tests ask of any headless Wayland desktop, and its tray over D-Bus.

A subclass (``sway.py``, ``gnome.py``, ``kwin.py``) starts its compositor and answers the
questions the tests ask of any desktop: which window has the keyboard, where a window is and
whether it is above another, typing text and taking a screenshot. Tray questions go over
D-Bus and are the same everywhere. The session under it (users, buses, environments) is in
``session.py``.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path
from typing import ClassVar

from unclench_devtools.programs import DesktopError, Geometry, Program
from unclench_devtools.wayland.session import Unsupported, WaylandSession

WATCHER = ("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher")
WATCHER_INTERFACE = "org.kde.StatusNotifierWatcher"


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


class WaylandDesktop(WaylandSession):
    """The parts every headless Wayland desktop shares; see the module docstring."""

    #: Whether ``type_text`` works here (KWin 5.27 refuses virtual keyboards).
    can_type: ClassVar[bool] = False

    def __init__(self, workdir: Path | None = None, start_timeout: float = 30.0) -> None:
        super().__init__(workdir, start_timeout)
        self._terminals = 0

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

    def type_text(self, text: str) -> None:  # noqa: ARG002 - a subclass's to use
        """Types ``text`` as keyboard input into whatever has the focus."""
        raise Unsupported(f"{self.name}: typing is not supported")

    def screenshot(self, path: Path) -> Path:  # noqa: ARG002 - a subclass's to use
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

    def press(self, key: str) -> None:  # noqa: ARG002 - a subclass's to use
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


def missing_tools(desktop: type[WaylandDesktop]) -> list[str]:
    """The desktop's programs that are not on PATH, as ``"tool (debian-package)"``."""
    return [
        f"{tool} ({package})" for tool, package in desktop.tools.items() if not shutil.which(tool)
    ]
