"""A throwaway X desktop for end-to-end tests: Xvfb, openbox, a trayer tray and xdotool.

Programs get their display and folders from ``Desktop.env()``, never from this process's
environment: pytest-xvfb may have pointed ``DISPLAY`` at another server. How programs are
started and stopped is in ``programs.py``.
"""

from __future__ import annotations

import functools
import re
import shutil
import time
from pathlib import Path

from helpers.programs import (
    POLL,
    DesktopError,
    Geometry,
    Program,
    ProgramHost,
    wait_until,
)

__all__ = ["Desktop", "DesktopError", "Geometry", "Program", "missing_tools", "wait_until"]

#: The programs the harness runs, with the Debian package that ships each.
TOOLS: dict[str, str] = {
    "Xvfb": "xvfb",
    "openbox": "openbox",
    "dbus-daemon": "dbus",
    "xdotool": "xdotool",
    "xdpyinfo": "x11-utils",
    "xwininfo": "x11-utils",
    "xprop": "x11-utils",
    "import": "imagemagick",
    "xterm": "xterm",
}
TRAY_TOOLS: dict[str, str] = {"trayer": "trayer"}

TRAYER_ARGS = (
    "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24",
    "--SetDockType", "true", "--expand", "true", "--transparent", "false",
)  # fmt: skip

_CHILD_LINE = re.compile(r"^\s+(0x[0-9a-fA-F]+)\s")


def missing_tools(*, tray: bool = True) -> list[str]:
    """The harness's programs that are not on PATH, as ``"tool (debian-package)"``."""
    needed = TOOLS | TRAY_TOOLS if tray else TOOLS
    return [f"{tool} ({package})" for tool, package in needed.items() if not shutil.which(tool)]


class Desktop(ProgramHost):
    """Xvfb on a free display with openbox, a private session bus and (``tray``) trayer."""

    def __init__(
        self,
        *,
        tray: bool = True,
        size: tuple[int, int] = (1280, 800),
        first_display: int = 90,
        workdir: Path | None = None,
        start_timeout: float = 10.0,
    ) -> None:
        super().__init__(workdir, start_timeout, prefix="desktop-")
        self.tray = tray
        self.size = size
        self.first_display = first_display
        self.number: int | None = None
        self._xvfb_pid: int | None = None
        self._bus_address = ""
        self._panel: int | None = None
        self._tray_state = ""

    # -- life cycle ---------------------------------------------------------------------------

    @property
    def display(self) -> str:
        if self.number is None:
            raise DesktopError("the desktop is not started")
        return f":{self.number}"

    def _start_services(self) -> None:
        self._start_xvfb()
        self._start_bus()
        self._start_service(["openbox", "--sm-disable"], self._wm_ready, "openbox")
        if self.tray:
            try:
                self._start_service(["trayer", *TRAYER_ARGS], self._tray_ready, "trayer")
            except DesktopError as error:
                raise DesktopError(f"{error}\n({self._tray_state})") from None

    def _forget_services(self) -> None:
        self._remove_stale_lock()
        self.number = self._panel = None
        self._bus_address = ""

    def _start_xvfb(self) -> None:
        width, height = self.size
        for number in range(self.first_display, self.first_display + 30):
            if _display_taken(number):
                continue
            # -noreset: by default Xvfb resets when its last client leaves, and refuses a client
            # that connects meanwhile (openbox, right after the readiness probe).
            screen = f"{width}x{height}x24"
            args = [f":{number}", "-screen", "0", screen, "-nolisten", "tcp", "-noreset"]
            xvfb = self._launch(["Xvfb", *args], f"Xvfb-{number}", self._base_env())
            self.number = number
            try:
                wait_until(
                    functools.partial(self._xvfb_answers, xvfb),
                    timeout=self.start_timeout,
                    what=f"Xvfb on :{number} to answer",
                )
            except DesktopError as error:
                self.number = None
                xvfb.stop()
                # Another run took the number between our look at /tmp and Xvfb's start.
                if "already active" in xvfb.errors():
                    continue
                raise DesktopError(f"{error}\n{xvfb.report()}") from None
            self._services.append(xvfb)
            self._xvfb_pid = xvfb.pid
            return
        raise DesktopError(f"no free X display from :{self.first_display} on")

    def _xvfb_answers(self, xvfb: Program) -> bool:
        if not xvfb.running():
            raise DesktopError(f"Xvfb exited: {xvfb.report()}")
        # A server answering on the number is ours only if its lock names our Xvfb.
        return _lock_pid(self.number) == xvfb.pid and self._succeeds(["xdpyinfo"])

    def _start_bus(self) -> None:
        # Without a bus of its own, Qt runs dbus-launch, whose daemon outlives the test.
        self._bus_address = self._start_session_bus()

    def session_env(self) -> dict[str, str]:
        env = {"DISPLAY": self.display, "XDG_SESSION_TYPE": "x11", "QT_QPA_PLATFORM": "xcb"}
        if self._bus_address:
            env["DBUS_SESSION_BUS_ADDRESS"] = self._bus_address
        return env

    def _wm_ready(self) -> bool:
        # Openbox names its check window before it handles requests: a window mapped then (as
        # trayer's panel was, in about one start in eight) never showed. It focuses that window
        # just before entering its event loop, so that focus is the signal to wait for.
        out = self.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], check=False).stdout
        if "window id #" not in out:
            return False
        check_window = int(out.rsplit("#", 1)[1].strip(), 16)
        focus = self.run(["xdotool", "getwindowfocus", "-f"], check=False).stdout.strip()
        return focus == str(check_window)

    def _tray_ready(self) -> bool:
        # Icons dock with the owner of the tray selection; trayer's panel shows them once mapped.
        if not self._tray_selection_owned():
            self._tray_state = "nobody owns the tray selection _NET_SYSTEM_TRAY_S0"
            return False
        self._tray_state = "trayer owns the tray selection but its panel is not shown"
        panels = self.search_windows(name="^panel$", class_="^trayer$")
        self._panel = panels[0] if panels else None
        return self._panel is not None

    def _tray_selection_owned(self) -> bool:
        # python-xlib is imported here: it is a Linux-only dependency, like this harness.
        from Xlib import X
        from Xlib.display import Display

        connection = Display(self.display)
        try:
            owner = connection.get_selection_owner(connection.intern_atom("_NET_SYSTEM_TRAY_S0"))
            return bool(owner != X.NONE)
        finally:
            connection.close()

    def _remove_stale_lock(self) -> None:
        """Xvfb removes its lock and socket on SIGTERM; after a SIGKILL they would block reuse."""
        if self.number is not None and _lock_pid(self.number) == self._xvfb_pid:
            Path(f"/tmp/.X{self.number}-lock").unlink(missing_ok=True)  # noqa: S108 - X's path
            Path(f"/tmp/.X11-unix/X{self.number}").unlink(missing_ok=True)  # noqa: S108
        self._xvfb_pid = None

    # -- windows and input --------------------------------------------------------------------

    def xdotool(self, *args: str | int) -> str:
        return self.run(["xdotool", *map(str, args)]).stdout.strip()

    def focused_window(self) -> int:
        return int(self.xdotool("getwindowfocus"))

    def active_window_name(self) -> str:
        return self.xdotool("getactivewindow", "getwindowname")

    def search_windows(
        self, name: str | None = None, class_: str | None = None, visible: bool = True
    ) -> list[int]:
        """Windows whose name and class match these regular expressions (both, when both given)."""
        if name is None and class_ is None:
            raise ValueError("give a name or a class to search for")
        found: list[int] | None = None
        for option, pattern in (("--name", name), ("--class", class_)):
            if pattern is None:
                continue
            cmd = ["xdotool", "search", *(["--onlyvisible"] if visible else []), option, pattern]
            result = self.run(cmd, check=False)
            if result.returncode not in (0, 1):  # 1: nothing matched
                raise DesktopError(f"{' '.join(cmd)} failed; stderr:\n{result.stderr.strip()}")
            wids = [int(line) for line in result.stdout.split()]
            found = wids if found is None else [wid for wid in found if wid in wids]
        return found or []

    def wait_for_window(
        self, name: str | None = None, class_: str | None = None, timeout: float = 5.0
    ) -> int:
        """The first visible window matching ``name`` and ``class_`` (regular expressions)."""
        wids = self.wait_until(
            lambda: self.search_windows(name=name, class_=class_),
            timeout=timeout,
            what=f"a visible window named {name!r} of class {class_!r}",
        )
        return wids[0]

    def wait_for_focus(self, wid: int, timeout: float = 5.0) -> None:
        self.wait_until(
            lambda: self.focused_window() == wid, timeout=timeout, what=f"window {wid} to get focus"
        )

    def watch_focus(self, seconds: float) -> set[int]:
        """Every window that held the keyboard focus while polling it for ``seconds``."""
        seen = {self.focused_window()}
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(POLL)
            seen.add(self.focused_window())
        return seen

    def wait_for_managed(self, wid: int, timeout: float = 5.0) -> None:
        """Waits until the window manager has taken the window on (it sets WM_STATE).

        Openbox decides whether a new window gets the focus while taking it on, so a focus check
        made after this sees that decision.
        """
        self.wait_until(
            lambda: "WM_STATE(WM_STATE)" in self.run(["xprop", "-id", str(wid), "WM_STATE"]).stdout,
            timeout=timeout,
            what=f"the window manager to manage window {wid}",
        )

    def window_geometry(self, wid: int) -> Geometry:
        """Position on the screen and size, as xdotool reports them."""
        shell = self.xdotool("getwindowgeometry", "--shell", wid)
        values = dict(line.split("=", 1) for line in shell.splitlines() if "=" in line)
        return Geometry(*(int(values[key]) for key in ("X", "Y", "WIDTH", "HEIGHT")))

    def close_window(self, wid: int) -> None:
        """Ends the window's program: stops it if this desktop started it, else disconnects it
        from the X server (which ends most programs)."""
        pid = self.run(["xdotool", "getwindowpid", str(wid)], check=False).stdout.strip()
        owners = [program for program in self.programs if str(program.pid) == pid]
        if owners:
            owners[0].stop()
        else:
            self.xdotool("windowkill", wid)

    def click(self, x: int, y: int, button: int = 1) -> None:
        self.xdotool("mousemove", x, y, "click", button)

    def key(self, *keys: str, window: int | None = None) -> None:
        """Presses keys (xdotool's names: ``Return``, ``ctrl+q``) in the focused window.

        With ``window`` they go to that window as synthetic events, which many programs ignore
        (the xterm of ``start_xterm`` accepts them) and which leave the focus where it is.
        """
        target = ["--window", str(window)] if window is not None else []
        self.xdotool("key", *target, *keys)

    def type_text(self, text: str) -> None:
        """Types into the focused window, as a person at the keyboard would."""
        self.run(["xdotool", "type", "--delay", "5", "--", text], timeout=10.0 + len(text) * 0.05)

    def screenshot(self, path: Path) -> Path:
        """The whole screen as an image file; the suffix picks the format (.png)."""
        self.run(["import", "-window", "root", str(path)])
        return path

    def start_xterm(self, title: str, cwd: Path | None = None) -> int:
        """Opens an xterm running /bin/sh and waits until it holds the focus; returns its window."""
        # "fixed" is the one font a bare Xvfb is sure to have.
        look = ["-T", title, "-n", title, "-geometry", "80x20+40+60", "-fn", "fixed"]
        accept_synthetic_keys = ["-xrm", "XTerm.vt100.allowSendEvents: true"]
        self.spawn(["xterm", *look, *accept_synthetic_keys, "-e", "/bin/sh"], name="xterm", cwd=cwd)
        wid = self.wait_for_window(name=f"^{re.escape(title)}$")
        self.xdotool("windowactivate", wid)
        self.wait_for_focus(wid)
        return wid

    # -- the tray -----------------------------------------------------------------------------

    def tray_children(self) -> list[int]:
        """The windows of the icons docked in trayer.

        Trayer wraps each icon in a socket window inside its ``panel`` window, and the icon's
        own window (the XEmbed client) sits in that socket: the icons are the panel's
        grandchildren. A socket goes when its client does, so quitting programs leave the list.
        """
        if self._panel is None:
            raise DesktopError("this desktop has no tray (started with tray=False, or stopped)")
        return [icon for socket in self._children(self._panel) for icon in self._children(socket)]

    def click_tray_icon(self, timeout: float = 5.0) -> Geometry:
        """Clicks the middle of the one docked icon, once it stays where it shows; returns where.

        Trayer lays its panel out again as icons come and go, so an icon can move just after
        it docks, and a click at a place read a moment earlier lands on the panel. The click
        waits until two readings of the icon agree and the pointer is over the icon itself.
        """
        last: list[Geometry] = []

        def settled() -> Geometry | None:
            icons = self.tray_children()
            if len(icons) != 1:
                last.clear()
                return None
            geometry = self.window_geometry(icons[0])
            steady = last == [geometry]
            last[:] = [geometry]
            if not steady:
                return None
            self.xdotool("mousemove", *geometry.center)
            return geometry if self.window_at_pointer() == icons[0] else None

        geometry = self.wait_until(settled, timeout=timeout, what="the pointer on a settled icon")
        self.xdotool("click", 1)
        return geometry

    def open_tray_menu(self, class_: str, attempts: int = 2) -> int:
        """Clicks the tray icon until a new window of ``class_`` shows (the menu); returns it.

        Each attempt reads the icon's place afresh. On failure the message says where each
        click went, for the log of the program behind the icon to be read beside it.
        """
        before = set(self.search_windows(class_=class_))
        clicks: list[tuple[int, int]] = []
        for _ in range(attempts):
            clicks.append(self.click_tray_icon().center)
            try:
                menu = self.wait_until(
                    lambda: list(set(self.search_windows(class_=class_)) - before),
                    timeout=3,
                    what="the tray menu",
                )[0]
            except DesktopError:
                continue
            # Qt takes the keyboard grab for a popup menu just after mapping it; keys sent in
            # between go to the window below. No X event announces the grab, so wait a moment,
            # as a person's hand would.
            time.sleep(0.3)
            return menu
        raise DesktopError(f"no menu of class {class_!r} after clicks at {clicks}")

    def window_at_pointer(self) -> int:
        """The innermost window under the pointer (xdotool names only the top-level one)."""
        from Xlib import X
        from Xlib.display import Display

        connection = Display(self.display)
        try:
            window = connection.screen().root
            while (child := window.query_pointer().child) != X.NONE:
                window = child
            return int(window.id)
        finally:
            connection.close()

    def wait_for_tray_children(self, count: int, timeout: float = 5.0) -> list[int]:
        """Waits until exactly ``count`` icons are docked; returns them."""
        icons: list[int] = []

        def docked() -> bool:
            icons[:] = self.tray_children()
            return len(icons) == count

        self.wait_until(docked, timeout=timeout, what=f"{count} icon(s) in the tray")
        return icons

    def _children(self, wid: int) -> list[int]:
        # A window can vanish between listing and asking; it then simply has no children.
        result = self.run(["xwininfo", "-children", "-id", str(wid)], check=False)
        if result.returncode != 0:
            return []
        return [
            int(m[1], 16) for line in result.stdout.splitlines() if (m := _CHILD_LINE.match(line))
        ]


def _display_taken(number: int) -> bool:
    lock, socket = Path(f"/tmp/.X{number}-lock"), Path(f"/tmp/.X11-unix/X{number}")  # noqa: S108
    return lock.exists() or socket.exists()


def _lock_pid(number: int | None) -> int | None:
    try:
        return int(Path(f"/tmp/.X{number}-lock").read_text().strip())  # noqa: S108 - X's path
    except (OSError, ValueError):
        return None
