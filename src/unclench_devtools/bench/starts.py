"""Starting and quitting the programs under test, and the start-to-tray phase: each start
timed from the spawn until its icon docks in trayer, the programs taking turns."""

from __future__ import annotations

import contextlib
import itertools
import statistics
import subprocess
import time
from collections.abc import Sequence
from typing import Any

from unclench.ipc.client import ClientError, send
from unclench.ipc.protocol import Command, CommandError, Request
from unclench_devtools.bench.common import log, summary
from unclench_devtools.bench.targets import Target, control_socket
from unclench_devtools.programs import DesktopError, Program
from unclench_devtools.x11.desktop import Desktop

# The pointer is parked where no program's window is (Workrave's timer window sits top left,
# the tray top right, Unclench's break window in a corner): moving it resets X idle time
# without handing anyone an input event.
POINTER_SPOTS = ((640, 420), (641, 420))

_pointer_moves = itertools.count()


def move_pointer(d: Desktop) -> None:
    """Moves the pointer to the other parking spot: X idle time resets only on a real move."""
    x, y = POINTER_SPOTS[next(_pointer_moves) % len(POINTER_SPOTS)]
    d.xdotool("mousemove", x, y)


def launch(d: Desktop, target: Target) -> tuple[Program, float]:
    """Starts the target; returns it and the seconds from the start until its icon docked."""
    if d.tray_children():
        raise DesktopError(f"the tray is not empty before starting {target.label}")
    move_pointer(d)  # X idle time starts from zero for every program
    started = time.perf_counter()
    program = d.spawn(target.command, name=target.key, env=target.env)
    d.wait_for_tray_children(1, timeout=30.0)
    return program, time.perf_counter() - started


def shut(d: Desktop, target: Target, program: Program) -> None:
    """Quits the program and waits until it and its icon are gone."""
    program.stopped = True  # its exit is expected from here on
    if target.is_unclench:
        # Unclench quits cleanly on request, as a person would quit it.
        with contextlib.suppress(ClientError, CommandError):
            send(Request(Command.QUIT), control_socket(target))
        with contextlib.suppress(subprocess.TimeoutExpired):
            program.popen.wait(10.0)
    if program.running():
        program.stop()
    with contextlib.suppress(ValueError):
        d.programs.remove(program)
    d.wait_for_tray_children(0, timeout=10.0)


def tray_look_cost(d: Desktop) -> float:
    """Seconds one look at the tray takes (with nothing docked), the median of ten."""
    costs = []
    for _ in range(10):
        began = time.perf_counter()
        d.tray_children()
        costs.append(time.perf_counter() - began)
    return statistics.median(costs)


def measure_starts(
    d: Desktop, targets: Sequence[Target], runs: dict[str, int], failed: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Start-to-tray times, the programs taking turns (A, B, C, A, B, C...): a change in the
    machine's load during the phase then lands on every program alike, not on whichever
    happened to run at the time. Programs that fail are named in ``failed`` and dropped."""
    times: dict[str, list[float]] = {target.key: [] for target in targets}
    warm_ups: dict[str, float] = {}
    # Turn -1 is a warm-up, not counted: first starts in a fresh home set things up once
    # (Workrave builds GStreamer's registry, Unclench from source fills its bytecode cache).
    for turn in range(-1, max(runs.values(), default=0)):
        for target in targets:
            if target.key in failed or turn >= runs[target.key]:
                continue
            try:
                program, seconds = launch(d, target)
                if turn < 0:
                    warm_ups[target.key] = seconds
                    log(f"{target.label}: warm-up start docked after {seconds:.3f} s")
                else:
                    times[target.key].append(seconds)
                    count = f"{turn + 1}/{runs[target.key]}"
                    log(f"{target.label}: start {count} docked after {seconds:.3f} s")
                shut(d, target, program)
            except (DesktopError, ClientError, CommandError, OSError) as error:
                fail(d, target, error, failed)
            time.sleep(0.5)  # let the X server and the tray forget the last icon
    return {
        key: summary(values) | {"warm_up_s": warm_ups.get(key)}
        for key, values in times.items()
        if key not in failed
    }


def fail(d: Desktop, target: Target, error: Exception, failed: dict[str, str]) -> None:
    """Notes a program's failure and stops what it left running; the others go on."""
    log(f"{target.label} FAILED: {error}")
    failed[target.key] = str(error)
    for program in [p for p in d.programs if p.name == target.key]:
        program.stop()
        d.programs.remove(program)
    with contextlib.suppress(DesktopError):  # its icon, if it had docked, must go first
        d.wait_for_tray_children(0, timeout=10.0)
