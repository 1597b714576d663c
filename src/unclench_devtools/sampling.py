"""A process tree's memory, CPU time and per-thread wake-ups, read from ``/proc``.

``sample_tree`` reads a program and its descendants (a PyInstaller one-file bundle runs as
two): RSS, PSS and anonymous memory from ``smaps_rollup``, CPU ticks from ``stat``, and each
thread's context switches and time on a CPU. ``ThreadLedger`` keeps the counts of threads
that end during a measured window. The benchmarks (``bench/run.py``, ``bench/wayland.py``)
use it.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK")


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
