"""Footprint and latency benchmark: Unclench against Workrave and Safe Eyes, on one X display.

    uv run python bench/run.py [--quick] [--no-peers] [--bundle PATH] [--workdir DIR]

Everything runs on one throwaway desktop (Xvfb, openbox, trayer; ``tests/helpers/desktop.py``),
one program at a time, each with a fresh HOME and a session bus of its own. What is measured
and why is in ``docs/performance.md``; the numbers go to the terminal as a Markdown table and to
``bench/results.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from Xlib.display import Display

from unclench import __version__ as unclench_version
from unclench.ipc.client import ClientError, send
from unclench.ipc.protocol import Command, CommandError, Duration, Request

REPO = Path(__file__).resolve().parents[1]
# The desktop harness lives with the tests, which are not an installed package.
sys.path.insert(0, str(REPO / "tests"))

from helpers import desktop as desktop_module  # noqa: E402 - needs the path above
from helpers.desktop import Desktop, DesktopError, Program  # noqa: E402

T = TypeVar("T")

RESULTS = REPO / "bench" / "results.json"
#: Where `installer/build.py` leaves the bundle.
DEFAULT_BUNDLE = REPO / "build" / "dist" / "unclench" / "unclench"
BREAK_WINDOW = "^Unclench break$"
SHOWN_LINE = re.compile(r"break window shown ([0-9.]+) ms after the decision")
CLK_TCK = os.sysconf("SC_CLK_TCK")
MB = 1e6  # decimal megabytes: the unit the targets are written in
EXIT_REFUSED = 4  # `unclench snooze` when no snoozes are left (unclench.cli)

# The harness polls the tray every POLL seconds plus the cost of one look (an xwininfo per
# trayer socket); 50 ms by default is too coarse for start-ups of a few hundred ms.
TRAY_POLL_S = 0.01
# Looking for the break window costs one xdotool run; a short sleep between looks keeps the
# poller from taking a whole core away from the app it is timing on this two-core machine.
WINDOW_POLL_S = 0.005
SETTLE_S = 5.0
THREAD_SAMPLE_S = 1.0  # how often thread counters are read, so exiting threads still count
TIMELINE_S = 30.0
# The pointer is parked where no program's window is (Workrave's timer window sits top left,
# the tray top right, Unclench's break window in a corner): moving it resets X idle time
# without handing anyone an input event.
POINTER_SPOTS = ((640, 420), (641, 420))
# RSS growth over the series of breaks, from a warm start (after the latency breaks), that still
# counts as "no growth". In trials RSS took one step of 0.5-0.65 MB within the series' first few
# dozen breaks and then grew ~0.1 kB a break, over 800 breaks. A leaked break window would cost
# far more than the 5 kB a break that 1 MiB allows over 200.
GROWTH_LIMIT_KB = 1024

TARGET_IDLE_RSS_MB = 70.0
TARGET_IDLE_CPU_PCT = 0.01
TARGET_WAKEUPS = 0.2
TARGET_START_S = 0.35
TARGET_POPUP_MS = 100.0

PEER_PACKAGES = ("workrave", "safeeyes", "gir1.2-ayatanaappindicator3-0.1")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Plan:
    """How long each phase runs. Full: under 15 minutes on two cores; quick: under 3."""

    quick: bool
    unclench_starts: int
    peer_starts: int
    unclench_idle_s: float
    peer_idle_s: float
    bundle_idle_s: float
    popups: int
    breaks: int
    memory_settle_s: float

    @classmethod
    def make(cls, *, quick: bool) -> Plan:
        if quick:
            # Unclench keeps a full minute; the peers and the bundle, which wake often or
            # run the same code, give up time so the whole run stays under three minutes.
            return cls(True, 4, 3, 60.0, 10.0, 10.0, 20, 50, 5.0)
        # Unclench gets the full 300 s: its wake-ups are rare and a short window would miss
        # them. The peers wake several times a second, so even a shorter window holds hundreds
        # of wake-ups, and it keeps the run sequential (no program measured beside another).
        # The bundle runs the same code as the source: its window checks the footprint of its
        # own copies of the libraries, which 120 s shows as well as 300 s.
        return cls(False, 10, 5, 300.0, 150.0, 120.0, 20, 200, 10.0)


# ----------------------------------------------------------------------------- /proc


@dataclass(frozen=True)
class ProcSample:
    rss_kb: int
    pss_kb: int
    anon_kb: int
    ticks: int  # utime + stime
    child_ticks: int  # cutime + cstime: children that ended and were waited for


@dataclass(frozen=True)
class ThreadSample:
    pid: int
    comm: str
    switches: int  # voluntary + involuntary context switches
    run_ns: int  # time on a CPU (schedstat), nanoseconds


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None  # gone between listing and reading


def _field_kb(text: str, key: str) -> int:
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match[1]) if match else 0


def process_tree(root: int) -> list[int]:
    """``root`` and its living descendants: a PyInstaller one-file bundle runs as two."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _read(entry / "stat")
        if stat is not None:
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        children = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree += children
        frontier = children
    return tree


def sample_process(pid: int) -> ProcSample | None:
    base = Path(f"/proc/{pid}")
    rollup, stat = _read(base / "smaps_rollup"), _read(base / "stat")
    if rollup is None or stat is None:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return ProcSample(
        rss_kb=_field_kb(rollup, "Rss"),
        pss_kb=_field_kb(rollup, "Pss"),
        anon_kb=_field_kb(rollup, "Anonymous"),
        ticks=int(fields[11]) + int(fields[12]),
        child_ticks=int(fields[13]) + int(fields[14]),
    )


def sample_threads(pids: Sequence[int]) -> dict[int, ThreadSample]:
    threads: dict[int, ThreadSample] = {}
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                status, schedstat = _read(task / "status"), _read(task / "schedstat")
                comm = _read(task / "comm")
                if status is None or schedstat is None or comm is None:
                    continue
                switches = sum(
                    int(m[1])
                    for m in re.finditer(
                        r"^(?:non)?voluntary_ctxt_switches:\s+(\d+)", status, re.MULTILINE
                    )
                )
                threads[int(task.name)] = ThreadSample(
                    pid, comm.strip(), switches, int(schedstat.split()[0])
                )
    return threads


@dataclass(frozen=True)
class TreeSample:
    at: float
    processes: dict[int, ProcSample]
    threads: dict[int, ThreadSample]

    @property
    def rss_kb(self) -> int:
        return sum(p.rss_kb for p in self.processes.values())

    @property
    def pss_kb(self) -> int:
        return sum(p.pss_kb for p in self.processes.values())

    @property
    def anon_kb(self) -> int:
        return sum(p.anon_kb for p in self.processes.values())

    @property
    def ticks(self) -> int:
        # Own and waited-for children's time of every living member: a child that ends moves
        # its time into its parent's cutime/cstime, so this sum only ever grows.
        return sum(p.ticks + p.child_ticks for p in self.processes.values())

    @property
    def child_ticks(self) -> int:
        return sum(p.child_ticks for p in self.processes.values())


def memory_change(before: TreeSample, after: TreeSample) -> dict[str, list[int]]:
    """RSS, PSS and anonymous memory at both ends, as the results file keeps them."""
    return {
        "rss_kb": [before.rss_kb, after.rss_kb],
        "pss_kb": [before.pss_kb, after.pss_kb],
        "anon_kb": [before.anon_kb, after.anon_kb],
    }


def sample_tree(root: int, *, memory: bool = True) -> TreeSample:
    pids = process_tree(root)
    processes: dict[int, ProcSample] = {}
    if memory:
        for pid in pids:
            proc = sample_process(pid)
            if proc is not None:
                processes[pid] = proc
    return TreeSample(time.monotonic(), processes, sample_threads(pids))


class ThreadLedger:
    """Each thread's counters from its first to its last sighting during a window.

    Threads that end inside the window (a pool worker expiring, say) would otherwise take
    their count with them; sampled every second, at most their last second is lost.
    """

    def __init__(self, start: dict[int, ThreadSample]) -> None:
        self.first = dict(start)
        self.last = dict(start)

    def update(self, threads: dict[int, ThreadSample]) -> None:
        for tid, thread in threads.items():
            if tid not in self.first:  # born during the window: counted from zero
                self.first[tid] = ThreadSample(thread.pid, thread.comm, 0, 0)
            self.last[tid] = thread

    def breakdown(self, seconds: float, ended: set[int]) -> list[dict[str, Any]]:
        rows = []
        for tid in sorted(self.last):
            first, last = self.first[tid], self.last[tid]
            switches = last.switches - first.switches
            rows.append(
                {
                    "tid": tid,
                    "pid": last.pid,
                    "comm": last.comm,
                    "switches": switches,
                    "wakeups_per_s": switches / seconds,
                    "cpu_ms": (last.run_ns - first.run_ns) / 1e6,
                    "born_in_window": first.switches == 0 and first.run_ns == 0,
                    "ended_in_window": tid in ended,
                }
            )
        return rows


# ----------------------------------------------------------------------------- programs


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


def summary(values: Sequence[float]) -> dict[str, Any]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
        "all": list(values),
    }


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


def x_idle_s(display: str) -> float:
    connection = Display(display)
    try:
        return float(connection.screen().root.screensaver_query_info().idle) / 1000
    finally:
        connection.close()


def measure_idle(d: Desktop, target: Target, seconds: float) -> tuple[Program, dict[str, Any]]:
    """Starts the target, lets it settle, then watches it sit in the tray for ``seconds``.

    Returns the program still running, for whatever is measured next.
    """
    program, docked = launch(d, target)
    time.sleep(SETTLE_S)
    root = program.pid
    idle_at_start = x_idle_s(d.display)
    start = sample_tree(root)
    ledger = ThreadLedger(start.threads)
    timeline = [_point(start, start)]
    bursts: list[dict[str, Any]] = []
    busy_seconds = 0
    previous = start.threads
    end_at = start.at + seconds
    next_point = start.at + TIMELINE_S
    while (left := end_at - time.monotonic()) > 0:
        time.sleep(min(THREAD_SAMPLE_S, left))
        if not program.running():
            raise DesktopError(f"{target.label} exited while idle: {program.report()}")
        now = time.monotonic()
        full = now >= next_point or now >= end_at
        current = sample_tree(root, memory=full)
        ledger.update(current.threads)
        woke = {
            f"{t.comm}/{tid}": t.switches - previous[tid].switches
            if tid in previous
            else t.switches
            for tid, t in current.threads.items()
            if tid not in previous or t.switches != previous[tid].switches
        }
        if woke:
            busy_seconds += 1
            if len(bursts) < 200:  # the chatty peers would fill the file
                bursts.append({"t": round(now - start.at, 2), "switches": woke})
        previous = current.threads
        if full and current.processes:
            timeline.append(_point(start, current))
            next_point += TIMELINE_S
    end = sample_tree(root)
    ledger.update(end.threads)
    idle_at_end = x_idle_s(d.display)
    window = end.at - start.at
    threads = ledger.breakdown(window, ended=set(ledger.last) - set(end.threads))
    switches = sum(row["switches"] for row in threads)
    cpu_s = (end.ticks - start.ticks) / CLK_TCK
    result = {
        "start_to_tray_s": docked,
        "settle_s": SETTLE_S,
        "window_s": window,
        **memory_change(start, end),
        "processes": len(end.processes),
        "threads": len(end.threads),
        "cpu_s": cpu_s,
        "cpu_pct": 100 * cpu_s / window,
        "children_cpu_s": (end.child_ticks - start.child_ticks) / CLK_TCK,
        "cpu_tick_s": 1 / CLK_TCK,
        "cpu_s_schedstat": sum(row["cpu_ms"] for row in threads) / 1000,
        "switches": switches,
        "wakeups_per_s": switches / window,
        "seconds_with_wakeups": busy_seconds,
        "x_idle_s": [idle_at_start, idle_at_end],
        "per_thread": threads,
        "timeline": timeline,
        "bursts": bursts,
    }
    return program, result


def _point(start: TreeSample, now: TreeSample) -> dict[str, Any]:
    return {
        "t": round(now.at - start.at, 1),
        "rss_kb": now.rss_kb,
        "pss_kb": now.pss_kb,
        "anon_kb": now.anon_kb,
        "cpu_s": (now.ticks - start.ticks) / CLK_TCK,
        "switches": sum(t.switches for t in now.threads.values()),
    }


# ----------------------------------------------------------------------------- break windows


def poll(condition: Callable[[], T | None], *, timeout: float, what: str) -> T:
    """The harness's ``wait_until``, with a finer step for timing windows."""
    return desktop_module.wait_until(condition, timeout=timeout, what=what, step=WINDOW_POLL_S)


def break_shown(d: Desktop) -> list[int]:
    return d.search_windows(name=BREAK_WINDOW)


def break_gone(d: Desktop) -> bool:
    return not d.search_windows(name=BREAK_WINDOW)


def app_log(target: Target) -> Path:
    found = sorted(Path(target.env["XDG_STATE_HOME"]).rglob("unclench.log"))
    if not found:
        raise DesktopError(f"no unclench.log under {target.env['XDG_STATE_HOME']}")
    return found[0]


def shown_latencies(target: Target) -> list[float]:
    return [float(m[1]) for m in SHOWN_LINE.finditer(app_log(target).read_text())]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "unclench", *args]


def measure_popups(d: Desktop, target: Target, count: int) -> dict[str, Any]:
    """``unclench now`` ``count`` times, timing until the window is mapped; each break is
    closed with ``unclench snooze``, or with pause and resume once no snoozes are left."""
    logged_before = len(shown_latencies(target))
    mapped, cli_s, closes = [], [], {"snooze": 0, "pause/resume": 0}
    for number in range(count):
        began = time.perf_counter()
        # Popen rather than run: the window may be mapped before the command has exited.
        now = subprocess.Popen(  # noqa: S603 - our own program, fixed arguments
            cli("now"),
            env=target.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            poll(lambda: break_shown(d), timeout=15.0, what="the break window")
            mapped.append(time.perf_counter() - began)
        finally:
            out, err = now.communicate(timeout=15.0)
        cli_s.append(time.perf_counter() - began)
        if now.returncode != 0:
            raise DesktopError(f"unclench now exited with {now.returncode}: {out}{err}")
        snooze = d.run(cli("snooze"), env=target.env, check=False, timeout=15.0)
        if snooze.returncode == EXIT_REFUSED:
            d.run(cli("pause", "1m"), env=target.env, timeout=15.0)
            d.run(cli("resume"), env=target.env, timeout=15.0)
            closes["pause/resume"] += 1
        elif snooze.returncode == 0:
            closes["snooze"] += 1
        else:
            raise DesktopError(f"unclench snooze exited with {snooze.returncode}: {snooze.stderr}")
        poll(lambda: break_gone(d), timeout=15.0, what="the break window to close")
        log(f"{target.label}: break {number + 1}/{count} mapped after {mapped[-1] * 1000:.0f} ms")
        time.sleep(0.2)
    logged = shown_latencies(target)[logged_before:]
    if len(logged) != count:
        raise DesktopError(f"the log has {len(logged)} 'break window shown' lines, not {count}")
    return {
        "count": count,
        "logged_ms": summary(logged),
        "now_to_mapped_ms": summary([s * 1000 for s in mapped]),
        "now_command_ms": summary([s * 1000 for s in cli_s]),
        "closed_with": closes,
        "window_poll_step_ms": WINDOW_POLL_S * 1000,
    }


def measure_breaks(
    d: Desktop, target: Target, program: Program, count: int, settle: float
) -> dict[str, Any]:
    """``count`` breaks shown and dismissed in a row; RSS settled before and after.

    Commands go straight to the app's socket, as ``unclench`` sends them, to spare starting
    an interpreter twice a break; each window is still waited for until mapped and unmapped.
    """
    address = control_socket(target)
    logged_before = len(shown_latencies(target))
    time.sleep(settle)
    before = sample_tree(program.pid)
    checkpoints = [{"breaks": 0, "rss_kb": before.rss_kb, "anon_kb": before.anon_kb}]
    closes = {"snooze": 0, "pause/resume": 0}
    began = time.monotonic()
    for number in range(1, count + 1):
        send(Request(Command.NOW), address)
        poll(lambda: break_shown(d), timeout=15.0, what=f"break window {number}")
        try:
            send(Request(Command.SNOOZE), address)
            closes["snooze"] += 1
        except CommandError:  # no snoozes left for this break: pause ends it instead
            send(Request(Command.PAUSE, Duration(60)), address)
            send(Request(Command.RESUME), address)
            closes["pause/resume"] += 1
        poll(lambda: break_gone(d), timeout=15.0, what=f"break window {number} to close")
        if number % max(count // 8, 1) == 0 or number == count:
            now = sample_tree(program.pid)
            checkpoints.append({"breaks": number, "rss_kb": now.rss_kb, "anon_kb": now.anon_kb})
            if len(checkpoints) % 2 == 1 or number == count:
                log(f"{target.label}: {number}/{count} breaks, RSS {_mb(now.rss_kb):.1f} MB")
    series_s = time.monotonic() - began
    time.sleep(settle)
    after = sample_tree(program.pid)
    logged = len(shown_latencies(target)) - logged_before
    if logged != count:
        raise DesktopError(f"the log has {logged} new 'break window shown' lines, not {count}")
    halfway = min(checkpoints, key=lambda c: abs(c["breaks"] - count / 2))
    return {
        "count": count,
        "settle_s": settle,
        "series_s": series_s,
        **memory_change(before, after),
        "growth_kb": after.rss_kb - before.rss_kb,
        "growth_limit_kb": GROWTH_LIMIT_KB,
        # A leak grows steadily; caches filling up do not: the second half tells them apart.
        "second_half": {
            "from_break": halfway["breaks"],
            "growth_kb": checkpoints[-1]["rss_kb"] - halfway["rss_kb"],
        },
        "checkpoints": checkpoints,
        "closed_with": closes,
    }


def app_status(target: Target) -> dict[str, object]:
    return send(Request(Command.STATUS), control_socket(target))


# ----------------------------------------------------------------------------- peers


def package_version(package: str) -> str | None:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["dpkg-query", "-W", "-f", "${Status} ${Version}", package],  # noqa: S607 - dpkg's own
        capture_output=True,
        text=True,
        check=False,
    )
    words = result.stdout.split()
    installed = result.returncode == 0 and words[:3] == ["install", "ok", "installed"]
    return words[3] if installed and len(words) > 3 else None


def install_peers() -> list[str]:
    """Installs the missing peer packages with apt-get; returns what went wrong, if anything."""
    missing = [p for p in PEER_PACKAGES if package_version(p) is None]
    if not missing:
        return []
    if shutil.which("apt-get") is None:
        return [f"cannot install {' '.join(missing)}: no apt-get on this machine"]
    if os.geteuid() != 0:
        return [f"cannot install {' '.join(missing)}: apt-get needs root; run as root or install"]
    log(f"installing {' '.join(missing)} with apt-get (as root)")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-q", *missing]
    result = subprocess.run(  # noqa: S603 - fixed arguments
        command, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    if result.returncode != 0:
        # A fresh machine has no package lists yet.
        log("apt-get install failed; running apt-get update and trying once more")
        subprocess.run(
            ["apt-get", "update", "-q"],  # noqa: S607 - apt's own
            env=env,
            capture_output=True,
            check=False,
            timeout=900,
        )
        result = subprocess.run(  # noqa: S603 - fixed arguments
            command, env=env, capture_output=True, text=True, check=False, timeout=900
        )
    if result.returncode != 0:
        return [f"apt-get install {' '.join(missing)} failed: {result.stderr.strip()[-500:]}"]
    return []


def safe_eyes_running() -> list[str]:
    """Processes that would make Safe Eyes refuse to start, by its own rule: a Python whose
    first argument contains 'safeeyes', or with 'safeeyes' among its arguments."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if len(args) > 1 and "python" in args[0] and ("safeeyes" in args[1] or "safeeyes" in args):
            found.append(f"pid {entry.name}: {' '.join(args).strip()}")
    return found


def peer_targets(notes: list[str]) -> list[Target]:
    problems = install_peers()
    for problem in problems:
        log(f"PEERS: {problem}")
    notes += problems
    peers = []
    workrave = package_version("workrave")
    if workrave and shutil.which("workrave"):
        peers.append(Target("workrave", "Workrave", workrave, ["workrave"], is_unclench=False))
    else:
        notes.append("Workrave is not installed: measured without it")
    safeeyes = package_version("safeeyes")
    indicator = package_version("gir1.2-ayatanaappindicator3-0.1")
    running = safe_eyes_running()
    if not (safeeyes and indicator and shutil.which("safeeyes")):
        notes.append("Safe Eyes (or gir1.2-ayatanaappindicator3-0.1) is not installed")
    elif running:
        notes.append(
            "Safe Eyes skipped: it refuses to start while another process has 'safeeyes' "
            f"among its arguments ({'; '.join(running)})"
        )
    else:
        peers.append(
            Target(
                "safeeyes",
                "Safe Eyes",
                safeeyes,
                ["safeeyes"],
                is_unclench=False,
                needs_system_bus=True,
            )
        )
    for note in notes:
        log(f"note: {note}")
    return peers


# ----------------------------------------------------------------------------- the run


def machine_info() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return {
        "cpu_model": model[1].strip() if model else platform.processor(),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "os": _os_name(),
        "python": platform.python_version(),
        "pyside6": importlib.metadata.version("PySide6-Essentials"),
        "unclench": unclench_version,
        "unclench_commit": _commit(),
        "load_average_at_start": os.getloadavg(),
    }


def _commit() -> str | None:
    """The checkout's commit, marked when the app's files differ from it: others commit to the
    same tree while a run goes on, and start-up times follow the code."""
    if shutil.which("git") is None:
        return None
    head = subprocess.run(  # noqa: S603 - fixed arguments
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],  # noqa: S607 - git's own
        capture_output=True,
        text=True,
        check=False,
    )
    if head.returncode != 0:
        return None
    changes = subprocess.run(  # noqa: S603 - fixed arguments
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "resources"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip() + (" with uncommitted changes" if changes.stdout.strip() else "")


def _os_name() -> str:
    with contextlib.suppress(OSError):
        text = Path("/etc/os-release").read_text()
        match = re.search(r'^PRETTY_NAME="?([^"\n]*)', text, re.MULTILINE)
        if match:
            return match[1]
    return platform.system()


def measure_unclench(d: Desktop, target: Target, plan: Plan) -> dict[str, Any]:
    """Unclench from source: the idle footprint, then breaks in the same running app."""
    result: dict[str, Any] = {}
    program, result["idle"] = measure_idle(d, target, plan.unclench_idle_s)
    result["idle"]["status_after"] = app_status(target)
    _log_idle(target, result["idle"])
    result["popups"] = measure_popups(d, target, plan.popups)
    result["breaks"] = measure_breaks(d, target, program, plan.breaks, plan.memory_settle_s)
    shut(d, target, program)
    return result


def measure_other(d: Desktop, target: Target, plan: Plan) -> dict[str, Any]:
    """A peer or the bundle: the idle footprint, in a shorter window than Unclench's from
    source (see :meth:`Plan.make`)."""
    window = plan.bundle_idle_s if target.variant == "bundle" else plan.peer_idle_s
    program, idle = measure_idle(d, target, window)
    _log_idle(target, idle)
    shut(d, target, program)
    return {"idle": idle}


def _log_idle(target: Target, idle: dict[str, Any]) -> None:
    log(
        f"{target.label}: idle {idle['window_s']:.0f} s: RSS {_mb(idle['rss_kb'][1]):.1f}"
        f" MB, CPU {idle['cpu_pct']:.4f} %, {idle['wakeups_per_s']:.3f} wake-ups/s"
    )


@contextlib.contextmanager
def work_folder(path: Path | None) -> Iterator[Path]:
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    folder = Path(tempfile.mkdtemp(prefix="unclench-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def build_targets(args: argparse.Namespace, notes: list[str]) -> list[Target]:
    targets = [
        Target(
            "unclench",
            "Unclench",
            unclench_version,
            [sys.executable, "-m", "unclench", "--tray", "qt"],
            is_unclench=True,
            variant="source",
        )
    ]
    if args.bundle is None and not args.no_bundle and DEFAULT_BUNDLE.is_file():
        args.bundle = DEFAULT_BUNDLE
    if args.bundle is not None and not args.no_bundle:
        bundle = args.bundle.resolve()
        if os.access(bundle, os.X_OK) and bundle.is_file():
            targets.append(
                Target(
                    "bundle",
                    "Unclench",
                    unclench_version,
                    [str(bundle), "--tray", "qt"],
                    is_unclench=True,
                    variant="bundle",
                )
            )
        else:
            notes.append(f"--bundle {args.bundle}: not an executable file; skipped")
    if not args.no_peers:
        targets += peer_targets(notes)
    return targets


def measure_all(
    d: Desktop, targets: Sequence[Target], plan: Plan, workdir: Path
) -> dict[str, dict[str, Any]]:
    """Start-to-tray for all programs in turns, then each one's idle window on its own."""
    failed: dict[str, str] = {}
    results: dict[str, dict[str, Any]] = {}
    for target in targets:
        prepare(d, target, workdir / f"home-{target.key}")
    runs = {t.key: plan.unclench_starts if t.is_unclench else plan.peer_starts for t in targets}
    log("--- start to tray, the programs taking turns")
    try:
        starts = measure_starts(d, targets, runs, failed)
    finally:
        for target in targets:
            release(d, target)
    for target in targets:
        if target.key in failed:
            continue
        log(f"--- {target.label}")
        # The same home as for the starts, and a new bus: nothing that the starts activated
        # on the old one runs beside the idle window.
        prepare(d, target, workdir / f"home-{target.key}")
        measure = measure_unclench if target.key == "unclench" else measure_other
        try:
            results[target.key] = measure(d, target, plan)
        except (DesktopError, ClientError, CommandError, OSError) as error:
            fail(d, target, error, failed)
        finally:
            release(d, target)
    for target in targets:
        entry = results.setdefault(target.key, {})
        entry |= {"label": target.label, "name": target.name, "version": target.version}
        entry["command"] = target.command
        if "PYTHONPYCACHEPREFIX" in target.env:
            entry["bytecode_cache"] = target.env["PYTHONPYCACHEPREFIX"]
        if target.key in starts:
            entry["start_to_tray"] = starts[target.key]
        if target.key in failed:
            entry["error"] = failed[target.key]
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="shorter windows, fewer runs")
    parser.add_argument("--no-peers", action="store_true", help="measure Unclench alone")
    parser.add_argument(
        "--bundle",
        type=Path,
        help="also measure this PyInstaller executable (default: the installer's build, "
        f"{DEFAULT_BUNDLE.relative_to(REPO)}, when it exists)",
    )
    parser.add_argument("--no-bundle", action="store_true", help="leave the bundle out")
    parser.add_argument("--workdir", type=Path, help="keep the desktop's logs and homes here")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)

    began = time.monotonic()
    plan = Plan.make(quick=args.quick)
    missing = desktop_module.missing_tools()
    if missing:
        print(f"missing programs: {', '.join(missing)}", file=sys.stderr)
        return 2
    desktop_module.POLL = TRAY_POLL_S
    notes: list[str] = []
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if plan.quick else "full",
        "machine": machine_info(),
        "plan": plan.__dict__,
    }
    targets = build_targets(args, notes)
    with work_folder(args.workdir) as workdir, Desktop(workdir=workdir / "desktop") as d:
        log(f"desktop on {d.display}; work folder {workdir}")
        results["tray_poll"] = {
            "sleep_ms": TRAY_POLL_S * 1000,
            "look_ms": tray_look_cost(d) * 1000,
        }
        results["targets"] = measure_all(d, targets, plan, workdir)

    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["duration_s"] = time.monotonic() - began
    results["goals"] = goals(results["targets"], plan)
    results["notes"] = notes
    table = render(results)
    results["table"] = table
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(table)
    log(f"done in {results['duration_s']:.0f} s; results in {args.out}")
    return 0


# ----------------------------------------------------------------------------- the report


def _mb(kb: float) -> float:
    return kb * 1024 / MB


def goals(targets: dict[str, Any], plan: Plan) -> list[dict[str, Any]]:
    """Each target the project set, with the measured value and whether it is met."""
    own = targets.get("unclench", {})
    if "error" in own or "idle" not in own:
        return []
    idle = own["idle"]
    rss = _mb(idle["rss_kb"][1])
    peer_rss = {
        t["label"]: _mb(t["idle"]["rss_kb"][1])
        for key, t in targets.items()
        if key in ("workrave", "safeeyes") and "idle" in t
    }
    below_peers = all(rss < value for value in peer_rss.values())
    breaks = own["breaks"]
    return [
        {
            "goal": "idle RSS below both peers and ≤ 70 MB",
            "value": f"{rss:.1f} MB"
            + "".join(f"; {label} {value:.1f} MB" for label, value in peer_rss.items()),
            "met": rss <= TARGET_IDLE_RSS_MB and below_peers and len(peer_rss) == 2,
            "note": "" if len(peer_rss) == 2 else "not both peers measured",
        },
        {
            "goal": "idle CPU ≤ 0.01 % of one core",
            "value": f"{idle['cpu_pct']:.4f} % ({idle['cpu_s'] * 1000:.0f} ms in "
            f"{idle['window_s']:.0f} s; schedstat {idle['cpu_s_schedstat'] * 1000:.1f} ms)",
            "met": idle["cpu_pct"] <= TARGET_IDLE_CPU_PCT,
            "note": f"CPU time counts in ticks of {1000 / CLK_TCK:.0f} ms",
        },
        {
            "goal": "≤ 0.2 wake-ups/s",
            "value": f"{idle['wakeups_per_s']:.3f}/s ({idle['switches']} in "
            f"{idle['window_s']:.0f} s)",
            "met": idle["wakeups_per_s"] <= TARGET_WAKEUPS,
            "note": "",
        },
        {
            "goal": "start-to-tray ≤ 0.35 s median from source",
            "value": f"{own['start_to_tray']['median']:.3f} s",
            "met": own["start_to_tray"]["median"] <= TARGET_START_S,
            "note": "",
        },
        {
            "goal": "popup latency ≤ 100 ms",
            "value": f"max {own['popups']['logged_ms']['max']:.1f} ms, median "
            f"{own['popups']['logged_ms']['median']:.1f} ms (logged, decision to shown)",
            "met": own["popups"]["logged_ms"]["max"] <= TARGET_POPUP_MS,
            "note": "judged on the slowest of the breaks",
        },
        {
            "goal": f"no RSS growth after {plan.breaks} breaks",
            "value": f"{breaks['growth_kb']:+d} kB, of which "
            f"{breaks['second_half']['growth_kb']:+d} kB after break "
            f"{breaks['second_half']['from_break']}",
            "met": breaks["growth_kb"] <= GROWTH_LIMIT_KB,
            "note": f"growth up to {GROWTH_LIMIT_KB} kB counts as none",
        },
    ]


def _ratio(own: float | None, peer: float | None) -> str:
    if own is None or peer is None:
        return "-"
    if peer == 0:
        return "-" if own else "1.00"
    return f"{own / peer:.2f}"


@dataclass(frozen=True)
class Row:
    """A line of the table: how to show a program's number, and (for a ratio) its value."""

    name: str
    text: Callable[[dict[str, Any]], str]
    value: Callable[[dict[str, Any]], float] | None = None


def render(results: dict[str, Any]) -> str:
    targets: dict[str, Any] = results["targets"]
    ok = {key: t for key, t in targets.items() if "error" not in t}
    keys = list(targets)
    peers = [key for key in ("workrave", "safeeyes") if key in ok]
    own = ok.get("unclench")

    def cell(key: str, getter: Callable[[dict[str, Any]], str]) -> str:
        if key not in ok:
            return "failed" if key in targets else "-"
        try:
            return getter(ok[key])
        except KeyError:
            return "-"

    def number(
        target: dict[str, Any], getter: Callable[[dict[str, Any]], float] | None
    ) -> float | None:
        if getter is None:
            return None
        try:
            return getter(target)
        except KeyError:
            return None

    rows = [
        Row(
            "start to tray icon, median (min-max)",
            lambda t: "{median:.3f} s ({min:.2f}-{max:.2f}, n={n})".format(**t["start_to_tray"]),
            lambda t: float(t["start_to_tray"]["median"]),
        ),
        Row(
            "idle RSS",
            lambda t: f"{_mb(t['idle']['rss_kb'][1]):.1f} MB",
            lambda t: float(t["idle"]["rss_kb"][1]),
        ),
        Row(
            "idle PSS",
            lambda t: f"{_mb(t['idle']['pss_kb'][1]):.1f} MB",
            lambda t: float(t["idle"]["pss_kb"][1]),
        ),
        Row(
            "idle anonymous memory",
            lambda t: f"{_mb(t['idle']['anon_kb'][1]):.1f} MB",
            lambda t: float(t["idle"]["anon_kb"][1]),
        ),
        Row(
            "idle CPU (utime+stime, with children), % of one core",
            lambda t: f"{t['idle']['cpu_pct']:.4f} %",
            lambda t: float(t["idle"]["cpu_pct"]),
        ),
        Row(
            "idle CPU, own threads' schedstat (ns), % of one core",
            lambda t: f"{100 * t['idle']['cpu_s_schedstat'] / t['idle']['window_s']:.4f} %",
            lambda t: float(t["idle"]["cpu_s_schedstat"] / t["idle"]["window_s"]),
        ),
        Row(
            "idle wake-ups/s",
            lambda t: f"{t['idle']['wakeups_per_s']:.3f}",
            lambda t: float(t["idle"]["wakeups_per_s"]),
        ),
        Row("threads", lambda t: str(t["idle"]["threads"])),
        Row("idle window", lambda t: f"{t['idle']['window_s']:.0f} s"),
    ]
    header = ["measure", *(targets[key]["label"] for key in keys)]
    header += [f"Unclench / {ok[key]['name']}" for key in peers]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [cell(key, row.text) for key in keys]
        ratios = [
            _ratio(number(own, row.value), number(ok[key], row.value)) if own else "-"
            for key in peers
        ]
        lines.append("| " + " | ".join([row.name, *cells, *ratios]) + " |")
    if own is not None and "popups" in own:
        pop, brk = own["popups"], own["breaks"]
        filler = ["-"] * (len(keys) - 1 + len(peers))
        own_rows = [
            (
                f"popup: shown after the decision (log), median / max, {pop['count']} breaks",
                f"{pop['logged_ms']['median']:.1f} / {pop['logged_ms']['max']:.1f} ms",
            ),
            (
                "popup: `unclench now` to window mapped, median / max",
                "{median:.0f} / {max:.0f} ms".format(**pop["now_to_mapped_ms"]),
            ),
            (
                f"RSS over {brk['count']} more breaks, before → after "
                f"(settled {brk['settle_s']:.0f} s)",
                f"{_mb(brk['rss_kb'][0]):.1f} → {_mb(brk['rss_kb'][1]):.1f} MB "
                f"({brk['growth_kb']:+d} kB; {brk['second_half']['growth_kb']:+d} kB after "
                f"break {brk['second_half']['from_break']})",
            ),
        ]
        for name, value_text in own_rows:
            lines.append("| " + " | ".join([name, value_text, *filler]) + " |")
    out = ["\n".join(lines), ""]
    if results.get("goals"):
        out += ["| target | measured | met |", "|---|---|---|"]
        for goal in results["goals"]:
            note = f" ({goal['note']})" if goal["note"] else ""
            out.append(
                f"| {goal['goal']} | {goal['value']}{note} | {'yes' if goal['met'] else 'NO'} |"
            )
        out.append("")
    for key in keys:
        target = ok.get(key)
        if target is None or "idle" not in target:
            continue
        busiest = sorted(target["idle"]["per_thread"], key=lambda r: -r["switches"])[:6]
        threads = ", ".join(f"{r['comm']} {r['switches']} ({r['cpu_ms']:.1f} ms)" for r in busiest)
        out.append(f"- {target['label']}, wake-ups (CPU) by thread over the idle window: {threads}")
    for target in targets.values():
        if "error" in target:
            out.append(f"- {target['label']}: FAILED: {target['error'].splitlines()[0]}")
    for note in results.get("notes", []):
        out.append(f"- {note}")
    machine = results["machine"]
    poll_info = results.get("tray_poll", {})
    out.append(
        f"- {results['mode']} run, {results['date']}, {results['duration_s']:.0f} s; "
        f"{machine['cpu_model']}, {machine['cores']} cores, Linux {machine['kernel']}, "
        f"Python {machine['python']}, PySide6 {machine['pyside6']}; Unclench at "
        f"{machine['unclench_commit']}; load average "
        f"{machine['load_average_at_start'][0]:.2f} at start, "
        f"{machine['load_average_at_end'][0]:.2f} at end"
    )
    if poll_info:
        out.append(
            f"- tray polled every {poll_info['sleep_ms']:.0f} ms + {poll_info['look_ms']:.0f} ms "
            f"per look; break window every {WINDOW_POLL_S * 1000:.0f} ms + one xdotool run"
        )
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
