"""A throwaway X desktop for end-to-end tests: Xvfb, openbox, a trayer tray and xdotool.

Everything the desktop starts leads its own process group and writes its output to files, so
an error can quote the stderr of the program that broke and ``stop`` leaves nothing behind.
Programs get their display and folders from ``Desktop.env()``, never from this process's
environment: pytest-xvfb may have pointed ``DISPLAY`` at another server.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import NamedTuple, TypeVar

T = TypeVar("T")

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

POLL = 0.05
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_CHILD_LINE = re.compile(r"^\s+(0x[0-9a-fA-F]+)\s")


class DesktopError(RuntimeError):
    """The desktop or a program on it did not do what was expected in time."""


class Geometry(NamedTuple):
    x: int
    y: int
    width: int
    height: int

    @property
    def center(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2


def missing_tools(*, tray: bool = True) -> list[str]:
    """The harness's programs that are not on PATH, as ``"tool (debian-package)"``."""
    needed = TOOLS | TRAY_TOOLS if tray else TOOLS
    return [f"{tool} ({package})" for tool, package in needed.items() if not shutil.which(tool)]


def wait_until(
    condition: Callable[[], T | None], *, timeout: float, what: str, step: float | None = None
) -> T:
    """Polls ``condition`` every ``step`` s (50 ms by default) until it returns something
    truthy, which is returned."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise DesktopError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(POLL if step is None else step)


@dataclass
class Program:
    """A program started on the desktop, leading its own process group."""

    name: str
    popen: subprocess.Popen[bytes]
    stdout_path: Path
    stderr_path: Path
    stopped: bool = False  # ended on purpose, so its exit is no news

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def errors(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def report(self) -> str:
        """For error messages: whether it still runs, and the end of its stderr."""
        status = "running" if self.running() else f"exited with {self.popen.returncode}"
        errors = self.errors().strip()[-2000:] or "(nothing)"
        return f"{self.name} (pid {self.pid}) {status}; its stderr:\n{errors}"

    def wait_for_output(self, text: str, timeout: float = 5.0) -> None:
        """Waits for ``text`` on stdout; fails at once, quoting stderr, if the program exits."""

        def seen() -> bool:
            if text in self.output():
                return True
            if not self.running():
                raise DesktopError(f"{self.name} exited before printing {text!r}: {self.report()}")
            return False

        try:
            wait_until(seen, timeout=timeout, what=f"{self.name} to print {text!r}")
        except DesktopError as error:
            if not self.running():
                raise  # the message has the report already
            raise DesktopError(f"{error}\n{self.report()}") from None

    def stop(self, timeout: float = 3.0) -> int:
        """SIGTERM to the whole process group, SIGKILL after ``timeout``; returns the exit code."""
        self.stopped = True
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):  # the group is gone already
                os.killpg(self.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                return self.popen.wait(timeout)
        raise DesktopError(f"{self.name} (pid {self.pid}) survived SIGKILL")


class Desktop:
    """Xvfb on a free display with openbox, a private session bus and (``tray``) trayer.

    ``workdir`` receives the logs and the clean home folder; without one a temporary folder is
    made and removed on ``stop`` (pass a pytest ``tmp_path_factory`` folder to keep the logs).
    """

    def __init__(
        self,
        *,
        tray: bool = True,
        size: tuple[int, int] = (1280, 800),
        first_display: int = 90,
        workdir: Path | None = None,
        start_timeout: float = 10.0,
    ) -> None:
        self.tray = tray
        self.size = size
        self.first_display = first_display
        self.start_timeout = start_timeout
        self._own_workdir = workdir is None
        self.workdir = workdir if workdir is not None else Path(tempfile.mkdtemp(prefix="desktop-"))
        self.home = self.workdir / "home"
        self.number: int | None = None
        self.programs: list[Program] = []  # the tests' programs, stopped with the desktop
        self._services: list[Program] = []  # Xvfb, the bus, openbox, trayer
        self._xvfb_pid: int | None = None
        self._bus_address = ""
        self._panel: int | None = None
        self._tray_state = ""
        self._runtime_dirs: dict[Path, Path] = {}  # by home
        self._envs: dict[Path, dict[str, str]] = {}  # by home
        self._launched = 0

    # -- life cycle ---------------------------------------------------------------------------

    def __enter__(self) -> Desktop:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def display(self) -> str:
        if self.number is None:
            raise DesktopError("the desktop is not started")
        return f":{self.number}"

    def start(self) -> Desktop:
        try:
            self._start_xvfb()
            self._start_bus()
            self._start_service(["openbox", "--sm-disable"], self._wm_ready, "openbox")
            if self.tray:
                try:
                    self._start_service(["trayer", *TRAYER_ARGS], self._tray_ready, "trayer")
                except DesktopError as error:
                    raise DesktopError(f"{error}\n({self._tray_state})") from None
        except BaseException:
            # The start failure is the news; trouble while stopping would only hide it.
            with contextlib.suppress(DesktopError):
                self.stop()
            raise
        return self

    def stop_programs(self) -> None:
        """Stops the programs started with ``spawn``, newest first; the desktop goes on."""
        self._stop_all(self.programs)

    def stop(self) -> None:
        """Stops the tests' programs, then the desktop, newest first; removes what it made."""
        failures: list[str] = []
        for programs in (self.programs, self._services):
            try:
                self._stop_all(programs)
            except DesktopError as error:
                failures.append(str(error))
        self._remove_stale_lock()
        self.number = self._panel = None
        self._bus_address = ""
        for runtime in self._runtime_dirs.values():
            shutil.rmtree(runtime, ignore_errors=True)
        self._runtime_dirs.clear()
        self._envs.clear()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        if failures:
            raise DesktopError("; ".join(failures))

    @staticmethod
    def _stop_all(programs: list[Program]) -> None:
        failures: list[str] = []
        for program in reversed(programs):
            try:
                program.stop()
            except DesktopError as error:
                failures.append(str(error))
        programs.clear()
        if failures:
            raise DesktopError("; ".join(failures))

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
        # A private session bus: without one Qt runs dbus-launch, whose daemon outlives the
        # test, and on the developer's own bus the app would find their desktop's tray watcher.
        socket = self._runtime_dir(self.home) / "bus"
        args = ["--session", "--nofork", f"--address=unix:path={socket}", "--print-address=1"]
        bus = self._launch(["dbus-daemon", *args], "dbus-daemon", self._base_env())
        self._services.append(bus)
        bus.wait_for_output("unix:", timeout=self.start_timeout)
        self._bus_address = bus.output().splitlines()[0].strip()
        self._envs.clear()  # environments made before the bus existed lack it

    def _start_service(self, cmd: list[str], ready: Callable[[], bool], name: str) -> None:
        service = self._launch(cmd, name, self.env())
        self._services.append(service)

        def up() -> bool:
            if not service.running():
                raise DesktopError(f"{name} exited while starting: {service.report()}")
            return ready()

        try:
            wait_until(up, timeout=self.start_timeout, what=f"{name} to start")
        except DesktopError as error:
            if not service.running():
                raise
            raise DesktopError(f"{error}\n{service.report()}") from None

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

    # -- programs -----------------------------------------------------------------------------

    @staticmethod
    def _base_env() -> dict[str, str]:
        dropped = {
            "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS",
            "SESSION_MANAGER", "XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION",
            "QT_QPA_PLATFORM", "QT_QPA_PLATFORMTHEME", "XDG_RUNTIME_DIR",
        }  # fmt: skip
        return {key: value for key, value in os.environ.items() if key not in dropped}

    def env(self, home: Path | None = None, **extra: str) -> dict[str, str]:
        """Environment for a program on this desktop: display, session bus, clean XDG folders.

        ``home`` gives a program a clean home of its own (a test's ``tmp_path``, say); its XDG
        folders are made on first use. ``extra`` adds or overrides variables.
        """
        home = home if home is not None else self.home
        if home not in self._envs:
            folders = {
                "XDG_CONFIG_HOME": home / ".config",
                "XDG_DATA_HOME": home / ".local" / "share",
                "XDG_STATE_HOME": home / ".local" / "state",
                "XDG_CACHE_HOME": home / ".cache",
            }
            for folder in folders.values():
                folder.mkdir(parents=True, exist_ok=True)
            env = self._base_env() | {key: str(folder) for key, folder in folders.items()}
            env |= {
                "DISPLAY": self.display,
                "HOME": str(home),
                "XDG_RUNTIME_DIR": str(self._runtime_dir(home)),
                "XDG_SESSION_TYPE": "x11",
                "QT_QPA_PLATFORM": "xcb",
            }
            if self._bus_address:
                env["DBUS_SESSION_BUS_ADDRESS"] = self._bus_address
            self._envs[home] = env
        return self._envs[home] | extra

    def _runtime_dir(self, home: Path) -> Path:
        # In /tmp rather than the home: a socket's path must fit in 108 bytes, pytest's are long.
        if home not in self._runtime_dirs:
            # mkdtemp makes it 0700, as the XDG spec asks.
            self._runtime_dirs[home] = Path(tempfile.mkdtemp(prefix="xdg-runtime-"))
        return self._runtime_dirs[home]

    def _launch(
        self,
        cmd: Sequence[str | Path],
        name: str,
        env: Mapping[str, str],
        cwd: Path | None = None,
    ) -> Program:
        logs = self.workdir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self._launched += 1
        stem = f"{self._launched:02d}-{Path(name).name}"
        out_path, err_path = logs / f"{stem}.out", logs / f"{stem}.err"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            popen = subprocess.Popen(
                [str(part) for part in cmd],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=dict(env),
                cwd=cwd if cwd is not None else self.workdir,
                start_new_session=True,
                # Safe here: the hook neither imports nor takes locks, the risks with threads.
                preexec_fn=functools.partial(_end_with_parent, os.getpid(), _libc()),  # noqa: PLW1509
            )
        return Program(name, popen, out_path, err_path)

    def spawn(
        self,
        cmd: Sequence[str | Path],
        *,
        name: str | None = None,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Program:
        """Starts a program in the background; ``stop`` ends it if the test has not."""
        env = env if env is not None else self.env()
        program = self._launch(cmd, name or Path(cmd[0]).name, env, cwd)
        self.programs.append(program)
        return program

    def run(
        self,
        cmd: Sequence[str | Path],
        *,
        timeout: float = 10.0,
        check: bool = True,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Runs a command on the desktop to its end; errors quote its stderr."""
        args = [str(part) for part in cmd]
        try:
            result = subprocess.run(
                args,
                input=input,
                capture_output=True,
                text=True,
                errors="replace",
                env=dict(env) if env is not None else self.env(),
                cwd=cwd,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            stderr = error.stderr.decode(errors="replace") if error.stderr else ""
            raise DesktopError(
                f"{' '.join(args)} took over {timeout} s; stderr:\n{stderr}"
            ) from None
        if check and result.returncode != 0:
            raise DesktopError(
                f"{' '.join(args)} exited with {result.returncode}; stderr:\n"
                f"{result.stderr.strip()}{self._dead_programs()}"
            )
        return result

    def _succeeds(self, cmd: list[str]) -> bool:
        return self.run(cmd, check=False).returncode == 0

    def _dead_programs(self) -> str:
        """The tests' programs that died unasked: why a window usually never shows up."""
        dead = [p.report() for p in self.programs if not p.stopped and not p.running()]
        return "".join(f"\n{report}" for report in dead)

    def wait_until(self, condition: Callable[[], T | None], *, timeout: float, what: str) -> T:
        """The module's ``wait_until``; a timeout also reports the programs that died."""
        try:
            return wait_until(condition, timeout=timeout, what=what)
        except DesktopError as error:
            raise DesktopError(f"{error}{self._dead_programs()}") from None

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


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _end_with_parent(parent: int, libc: ctypes.CDLL) -> None:
    """In a new program, before it starts: have the kernel SIGTERM it when this process dies.

    Programs lead their own process groups, so a test run killed outright (no fixture
    teardown) would otherwise leave Xvfb, openbox and the app running. Strictly, the signal
    comes when the *thread* that started the program ends: start programs from pytest's own.
    """
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the kernel was asked to watch it
        os._exit(1)


def _display_taken(number: int) -> bool:
    lock, socket = Path(f"/tmp/.X{number}-lock"), Path(f"/tmp/.X11-unix/X{number}")  # noqa: S108
    return lock.exists() or socket.exists()


def _lock_pid(number: int | None) -> int | None:
    try:
        return int(Path(f"/tmp/.X{number}-lock").read_text().strip())  # noqa: S108 - X's path
    except (OSError, ValueError):
        return None
