"""What a screen reader sees of a program on the e2e desktop, read through AT-SPI.

``AtSpi(desktop).start()`` starts the accessibility bus (``at-spi-bus-launcher``, which
starts its own dbus-daemon and, on the first call, ``at-spi2-registryd``) on the desktop's
private session bus. Programs started with ``AtSpi.env()`` export their accessible tree
there; Qt needs ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`` to do so without a running screen
reader. ``read_tree`` and the event listeners run ``atspi_reader.py`` with Debian's
``/usr/bin/python3``: pyatspi comes from apt (``python3-pyatspi``) and the venv's Python
cannot import it. ``skip_reason()`` says why the tests cannot run, or None.

The launcher is started with ``spawn``, so the e2e conftest's per-test ``stop_programs``
ends it with the test's other programs: make a new ``AtSpi`` per test.
"""

from __future__ import annotations

import functools
import json
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Self

from unclench_devtools.host import ProgramHost
from unclench_devtools.programs import Program

READER = Path(__file__).with_name("atspi_reader.py")
SYSTEM_PYTHON = Path("/usr/bin/python3")
BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
#: Makes Qt export its accessible tree although no screen reader asked for it.
QT_ACCESSIBILITY_ENV = {"QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}

Node = dict[str, Any]
Event = dict[str, Any]


@functools.cache
def skip_reason() -> str | None:
    """Why AT-SPI tests cannot run here (for ``pytest.skip``), or None when they can."""
    if not BUS_LAUNCHER.exists():
        return f"AT-SPI tests need {BUS_LAUNCHER} (apt-get install at-spi2-core)"
    if not SYSTEM_PYTHON.exists():
        return f"AT-SPI tests need {SYSTEM_PYTHON} with pyatspi (apt-get install python3-pyatspi)"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return f"{SYSTEM_PYTHON} cannot import pyatspi ({last}): apt-get install python3-pyatspi"
    return None


class AtSpi:
    """The accessibility bus of one desktop, and a screen reader's view of its programs."""

    def __init__(self, desktop: ProgramHost, *, timeout: float = 10.0) -> None:
        self.desktop = desktop
        self.timeout = timeout
        self.address = ""
        self.launcher: Program | None = None

    def start(self) -> Self:
        """Starts the bus launcher and waits until it gives the a11y bus's address."""
        self.launcher = self.desktop.spawn(
            [BUS_LAUNCHER, "--launch-immediately", "--a11y=1"], name="at-spi-bus-launcher"
        )
        self.address = self.desktop.wait_until(
            self._bus_address, timeout=self.timeout, what="the AT-SPI bus to start"
        )
        return self

    def _bus_address(self) -> str | None:
        # Until the launcher owns org.a11y.Bus, the session bus would start another one itself.
        owner = self.desktop.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/",
             "org.freedesktop.DBus.NameHasOwner", "string:org.a11y.Bus"],
            check=False,
        )  # fmt: skip
        if "boolean true" not in owner.stdout:
            return None
        reply = self.desktop.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus",
             "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
            check=False,
        )  # fmt: skip
        quoted = [line for line in reply.stdout.splitlines() if "string" in line]
        return quoted[0].split('"')[1] if quoted else None

    def env(self, home: Path | None = None, **extra: str) -> dict[str, str]:
        """The desktop's environment for ``home``, with the a11y bus and Qt's a11y switched on."""
        if not self.address:
            raise RuntimeError("AtSpi.start() first")
        env = self.desktop.env(home, **QT_ACCESSIBILITY_ENV, AT_SPI_BUS_ADDRESS=self.address)
        env.pop("NO_AT_BRIDGE", None)  # it turns GTK's bridge off; harmless for Qt, dropped anyway
        return env | extra

    # -- the reader -----------------------------------------------------------------------------

    def _reader(self, *args: str | int | float, timeout: float = 30.0) -> str:
        result = self.desktop.run(
            [SYSTEM_PYTHON, READER, *map(str, args)], env=self.env(), timeout=timeout
        )
        return result.stdout

    def applications(self) -> list[dict[str, Any]]:
        """The programs on the registry, as ``{"name", "pid"}``."""
        apps: list[dict[str, Any]] = json.loads(self._reader("apps"))
        return apps

    def read_tree(
        self, name: str | None = None, *, pid: int | None = None, wait: float = 5.0
    ) -> Node:
        """The accessible tree of the program named ``name`` (Qt: its applicationName) or with
        ``pid``, waiting up to ``wait`` s for it to show up on the registry."""
        if (name is None) == (pid is None):
            raise ValueError("give a name or a pid")
        who = ["--name", name] if name is not None else ["--pid", str(pid)]
        tree: Node = json.loads(self._reader("tree", *who, "--wait", wait, timeout=wait + 30))
        return tree

    def listen(self, seconds: float = 30.0, types: Sequence[str] = ()) -> Listener:
        """Starts listening in the background; returns once the listeners are registered.

        ``types``: AT-SPI event types; none given, the reader's own list (``atspi_reader``)."""
        type_args = [arg for event_type in types for arg in ("--type", event_type)]
        program = self.desktop.spawn(
            [SYSTEM_PYTHON, READER, "events", "--seconds", str(seconds), *type_args],
            env=self.env(),
            name="atspi-events",
        )
        program.wait_for_output('"ready"', timeout=self.timeout)
        return Listener(self.desktop, program)

    def collect_events(self, seconds: float, types: Sequence[str] = ()) -> list[Event]:
        """Every event of ``types`` in the next ``seconds`` (blocks that long)."""
        listener = self.listen(seconds, types)
        listener.program.popen.wait(seconds + self.timeout)
        return listener.events()


class Listener:
    """A running ``atspi_reader.py events``: the events so far, and waiting for one."""

    def __init__(self, desktop: ProgramHost, program: Program) -> None:
        self.desktop = desktop
        self.program = program

    def events(self) -> list[Event]:
        lines = self.program.output().splitlines()
        parsed = [json.loads(line) for line in lines if line.endswith("}")]
        return [event for event in parsed if "ready" not in event]

    def wait_for(self, match: Callable[[Event], bool], timeout: float = 5.0) -> Event:
        """The first event for which ``match`` is true, waiting up to ``timeout`` s."""
        return self.desktop.wait_until(
            lambda: next((event for event in self.events() if match(event)), None),
            timeout=timeout,
            what="an AT-SPI event that matches",
        )

    def stop(self) -> list[Event]:
        self.program.stop()
        return self.events()


# -- reading trees ------------------------------------------------------------------------------


def walk(node: Node) -> Iterator[Node]:
    """The node and all below it, depth first."""
    yield node
    for child in node["children"]:
        yield from walk(child)


def find(node: Node, *, role: str | None = None, name: str | None = None) -> list[Node]:
    """The nodes with this AT-SPI role name ("label", "push button") and accessible name."""
    return [
        found
        for found in walk(node)
        if (role is None or found["role"] == role) and (name is None or found["name"] == name)
    ]


def spoken(node: Node) -> list[str]:
    """Roughly what a screen reader can say of the tree: each node's name, description and
    text, skipping empty ones and the application's own."""
    words: list[str] = []
    for found in walk(node):
        if found["role"] == "application":
            continue
        for key in ("name", "description", "text"):
            value = found.get(key)
            if value and value not in words:
                words.append(value)
    return words
