"""Programs started for end-to-end tests and benchmarks, each leading its own process group.

Everything a harness starts writes its output to files, so an error can quote the stderr of
the program that broke, and ``Program.stop`` leaves nothing behind. How a desktop starts its
programs and services is in ``host.py``; this module holds the program itself, the waiting,
and the error and geometry types every desktop shares.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

T = TypeVar("T")

POLL = 0.05


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
