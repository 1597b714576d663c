"""An X display's windows and input, through xdotool, xprop, xwininfo and python-xlib.

``XWindows`` asks which window has the focus, finds windows by name and class, reads their
places, clicks, types, takes screenshots and opens a focused xterm. It knows the display
only by ``number``; ``desktop.py`` starts the display itself.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from unclench_devtools.host import ProgramHost
from unclench_devtools.programs import POLL, DesktopError, Geometry

#: POLL is watch_focus's step, which bench/run.py sets here.
__all__ = ["POLL", "XWindows"]

_CHILD_LINE = re.compile(r"^\s+(0x[0-9a-fA-F]+)\s")


class XWindows(ProgramHost):
    """Windows and input on the X display ``:number`` (see the module docstring)."""

    def __init__(self, workdir: Path | None, start_timeout: float, prefix: str) -> None:
        super().__init__(workdir, start_timeout, prefix)
        self.number: int | None = None

    @property
    def display(self) -> str:
        if self.number is None:
            raise DesktopError("the desktop is not started")
        return f":{self.number}"

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

    def _children(self, wid: int) -> list[int]:
        # A window can vanish between listing and asking; it then simply has no children.
        result = self.run(["xwininfo", "-children", "-id", str(wid)], check=False)
        if result.returncode != 0:
            return []
        return [
            int(m[1], 16) for line in result.stdout.splitlines() if (m := _CHILD_LINE.match(line))
        ]
