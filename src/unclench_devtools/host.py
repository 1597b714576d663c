"""What the X11 desktop and the Wayland desktops share: ``ProgramHost``.

It launches programs (see ``programs.py``) with clean XDG folders per home, starts a
desktop's services and stops them again, runs commands to their end, and waits with a report
of the programs that died.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from unclench_devtools.programs import DesktopError, Program, wait_until

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
#: What a harness never passes on from the test run's own environment: each harness sets
#: the display, bus and session variables of its own desktop.
SESSION_VARIABLES = frozenset({
    "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS",
    "DBUS_SYSTEM_BUS_ADDRESS", "SESSION_MANAGER", "XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP",
    "XDG_SESSION_TYPE", "DESKTOP_SESSION", "QT_QPA_PLATFORM", "QT_QPA_PLATFORMTHEME",
    "XDG_RUNTIME_DIR", "SWAYSOCK", "I3SOCK", "HYPRLAND_INSTANCE_SIGNATURE",
})  # fmt: skip


class ProgramHost:
    """Starts programs and services for one desktop and stops them all again.

    ``workdir`` receives the logs and the clean home folder; without one a temporary folder
    is made and removed on ``stop`` (pass a pytest ``tmp_path_factory`` folder to keep the
    logs). Subclasses start their services in ``start`` and say in ``session_env`` what a
    program needs to reach the desktop.
    """

    def __init__(self, workdir: Path | None, start_timeout: float, prefix: str) -> None:
        self.start_timeout = start_timeout
        self._own_workdir = workdir is None
        self.workdir = workdir if workdir is not None else Path(tempfile.mkdtemp(prefix=prefix))
        self.home = self.workdir / "home"
        self.programs: list[Program] = []  # the tests' programs, stopped with the desktop
        self._services: list[Program] = []  # the desktop's own programs
        self._runtime_dirs: dict[Path, Path] = {}  # by home
        self._envs: dict[Path, dict[str, str]] = {}  # by home
        self._launched = 0

    def session_env(self) -> dict[str, str]:
        """The variables that lead a program to this desktop (display, bus, session type)."""
        return {}

    def start(self) -> Self:
        """Starts the desktop's services; on failure stops what did start, and re-raises."""
        try:
            self._start_services()
        except BaseException:
            # The start failure is the news; trouble while stopping would only hide it.
            with contextlib.suppress(DesktopError):
                self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stops the tests' programs, then the desktop, newest first; removes what it made."""
        failures = self._stop_everything()
        self._forget_services()
        self._remove_own_folders()
        if failures:
            raise DesktopError("; ".join(failures))

    def _start_services(self) -> None:
        raise NotImplementedError

    def _forget_services(self) -> None:
        """After the services stopped: clears what pointed at them."""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- life cycle ---------------------------------------------------------------------------

    def stop_programs(self) -> None:
        """Stops the programs started with ``spawn``, newest first; the desktop goes on."""
        self._stop_all(self.programs)

    def _stop_everything(self) -> list[str]:
        """Stops the tests' programs, then the services, newest first; returns the failures."""
        failures: list[str] = []
        for programs in (self.programs, self._services):
            try:
                self._stop_all(programs)
            except DesktopError as error:
                failures.append(str(error))
        return failures

    def _remove_own_folders(self) -> None:
        for runtime in self._runtime_dirs.values():
            shutil.rmtree(runtime, ignore_errors=True)
        self._runtime_dirs.clear()
        self._envs.clear()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

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

    def _start_service(
        self,
        cmd: Sequence[str | Path],
        ready: Callable[[], bool],
        name: str,
        env: Mapping[str, str] | None = None,
    ) -> Program:
        service = self._launch(cmd, name, self.env() if env is None else env)
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
        return service

    def _start_session_bus(self, config: Path | None = None) -> str:
        """A private session bus (its address): never the developer's own, whose tray
        watcher and services the programs would otherwise find."""
        socket = self._runtime_dir(self.home) / "bus"
        args = ["--nofork", f"--address=unix:path={socket}", "--print-address=1"]
        args.insert(0, f"--config-file={config}" if config is not None else "--session")
        bus = self._launch(["dbus-daemon", *args], "dbus-daemon", self._base_env())
        self._services.append(bus)
        bus.wait_for_output("unix:", timeout=self.start_timeout)
        self._envs.clear()  # environments made before the bus existed lack it
        return bus.output().splitlines()[0].strip()

    # -- programs -----------------------------------------------------------------------------

    @staticmethod
    def _base_env() -> dict[str, str]:
        return {key: value for key, value in os.environ.items() if key not in SESSION_VARIABLES}

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
            env |= {"HOME": str(home), "XDG_RUNTIME_DIR": str(self._runtime_dir(home))}
            self._envs[home] = env | self.session_env()
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
        """``programs.wait_until``; a timeout also reports the programs that died."""
        try:
            return wait_until(condition, timeout=timeout, what=what)
        except DesktopError as error:
            raise DesktopError(f"{error}{self._dead_programs()}") from None


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
