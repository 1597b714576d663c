"""A throwaway X desktop for end-to-end tests and benchmarks: Xvfb, openbox and trayer.

Programs get their display and folders from ``Desktop.env()``, never from this process's
environment: pytest-xvfb may have pointed ``DISPLAY`` at another server. How programs are
started and stopped is in ``host.py``; windows and input in ``windows.py``; the tray in
``tray.py``.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

from unclench_devtools.programs import DesktopError, Program, wait_until
from unclench_devtools.x11.tray import TRAY_TOOLS, XTray

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


def missing_tools(*, tray: bool = True) -> list[str]:
    """The harness's programs that are not on PATH, as ``"tool (debian-package)"``."""
    needed = TOOLS | TRAY_TOOLS if tray else TOOLS
    return [f"{tool} ({package})" for tool, package in needed.items() if not shutil.which(tool)]


class Desktop(XTray):
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
        self._xvfb_pid: int | None = None
        self._bus_address = ""

    # -- life cycle ---------------------------------------------------------------------------

    def _start_services(self) -> None:
        self._start_xvfb()
        self._start_bus()
        self._start_service(["openbox", "--sm-disable"], self._wm_ready, "openbox")
        if self.tray:
            self._start_tray()

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

    def _remove_stale_lock(self) -> None:
        """Xvfb removes its lock and socket on SIGTERM; after a SIGKILL they would block reuse."""
        if self.number is not None and _lock_pid(self.number) == self._xvfb_pid:
            Path(f"/tmp/.X{self.number}-lock").unlink(missing_ok=True)  # noqa: S108 - X's path
            Path(f"/tmp/.X11-unix/X{self.number}").unlink(missing_ok=True)  # noqa: S108
        self._xvfb_pid = None


def _display_taken(number: int) -> bool:
    lock, socket = Path(f"/tmp/.X{number}-lock"), Path(f"/tmp/.X11-unix/X{number}")  # noqa: S108
    return lock.exists() or socket.exists()


def _lock_pid(number: int | None) -> int | None:
    try:
        return int(Path(f"/tmp/.X{number}-lock").read_text().strip())  # noqa: S108 - X's path
    except (OSError, ValueError):
        return None
