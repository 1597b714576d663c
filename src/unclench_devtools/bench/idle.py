"""The idle window: a program sits in the tray while its memory, CPU time and each thread's
wake-ups are sampled, with a timeline and the seconds in which anything woke."""

from __future__ import annotations

import time
from typing import Any

from Xlib.display import Display

from unclench_devtools.bench.starts import launch
from unclench_devtools.bench.targets import Target
from unclench_devtools.programs import DesktopError, Program
from unclench_devtools.sampling import (
    CLK_TCK,
    ThreadLedger,
    TreeSample,
    memory_change,
    sample_tree,
)
from unclench_devtools.x11.desktop import Desktop

SETTLE_S = 5.0
THREAD_SAMPLE_S = 1.0  # how often thread counters are read, so exiting threads still count
TIMELINE_S = 30.0


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
