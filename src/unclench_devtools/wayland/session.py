"""A headless Wayland desktop's session: its users, buses, environments and lock screen.

Each desktop runs in its own folders with a private session bus (and, for the desktops that
need logind's bus, a private "system" bus), so nothing touches the machine's own session.
Some compositors refuse to run as root: then they run as an ordinary user made for the
tests, while the app under test runs as this process's user and reaches the compositor
through an absolute ``WAYLAND_DISPLAY`` and buses that admit both users. What the tests ask
of a running desktop is in ``base.py``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import ClassVar

from unclench_devtools import REPO
from unclench_devtools.host import ProgramHost
from unclench_devtools.programs import DesktopError, Program

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
FAKE_SERVICE = REPO / "tests" / "unit" / "platform" / "fake_desktop_service.py"


class Unsupported(DesktopError):
    """This desktop gives the tests no way to do that (say, type on KWin 5.27)."""


class WaylandSession(ProgramHost):
    """The users, buses and environments of a headless Wayland desktop; a subclass starts
    its compositor in ``_start_compositor``."""

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
