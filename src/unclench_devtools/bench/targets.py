"""The programs under test: each with a fresh HOME, a session bus of its own and, for Safe
Eyes, a system bus; Unclench from source with a bytecode cache in the run's own folder."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from unclench_devtools.programs import Program
from unclench_devtools.x11.desktop import Desktop


@dataclass
class Target:
    """A program under test, with its own fresh HOME and session bus."""

    key: str
    name: str
    version: str  # the Debian package's for the peers
    command: list[str]
    is_unclench: bool
    variant: str = ""
    needs_system_bus: bool = False
    #: The session's locale (``LANG``), to measure what a language costs; None: the machine's.
    locale: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    services: list[Program] = field(default_factory=list)

    @property
    def label(self) -> str:
        upstream = self.version.split("-")[0]  # without the Debian revision
        return f"{self.name} {upstream}" + (f" ({self.variant})" if self.variant else "")


def bus_address(program: Program) -> str:
    program.wait_for_output("unix:", timeout=10.0)
    return program.output().splitlines()[0].strip()


def prepare(d: Desktop, target: Target, home: Path) -> None:
    """Fresh HOME; a session bus started inside it, so that what GTK programs activate on it
    (dconf, at-spi) writes there and not into the real home; and for Safe Eyes a system bus,
    without which it crashes."""
    env = d.env(home=home)
    if target.variant == "source":
        env = with_bytecode_cache(env, home.parent / "pycache")
    runtime = Path(env["XDG_RUNTIME_DIR"])
    session = d.spawn(
        [
            "dbus-daemon",
            "--session",
            "--nofork",  # --fork would leave a daemon the desktop could not stop
            f"--address=unix:path={runtime / 'session-bus'}",
            "--print-address=1",
        ],
        name=f"session-bus-{target.key}",
        env=env,
    )
    target.services.append(session)
    extra = {"DBUS_SESSION_BUS_ADDRESS": bus_address(session)}
    if target.locale is not None:
        extra |= {"LANG": target.locale, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    if target.needs_system_bus:
        system = d.spawn(
            [
                "dbus-daemon",
                "--session",
                "--nofork",
                f"--address=unix:path={runtime / 'system-bus'}",
                "--print-address=1",
            ],
            name=f"system-bus-{target.key}",
            env=env,
        )
        target.services.append(system)
        extra["DBUS_SYSTEM_BUS_ADDRESS"] = bus_address(system)
    target.env = env | extra


def with_bytecode_cache(env: dict[str, str], folder: Path) -> dict[str, str]:
    """Bytecode cached in a folder of the run's own, written by the warm-up start.

    Without this, start-up would time the checkout's state rather than the app: where
    PYTHONDONTWRITEBYTECODE is set (this development machine sets it) every module whose
    ``.pyc`` is missing or older than its source, as happens while others edit ``src``, is
    compiled again on every start. Installed copies and bundles carry compiled bytecode.
    """
    cached = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return cached | {"PYTHONPYCACHEPREFIX": str(folder)}


def release(d: Desktop, target: Target) -> None:
    """Stops the target's buses, and with them what was activated on them."""
    for service in reversed(target.services):
        service.stop()
        with contextlib.suppress(ValueError):
            d.programs.remove(service)
    target.services.clear()


def control_socket(target: Target) -> str:
    return str(Path(target.env["XDG_RUNTIME_DIR"]) / "unclench" / "unclench.sock")
