"""Unclench's break windows: how soon each shows after ``unclench now``, and its memory over
a long series of breaks shown and dismissed."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from unclench.core.durations import Duration
from unclench.ipc.client import send
from unclench.ipc.protocol import Command, CommandError, Request
from unclench_devtools.bench.common import log, mb, summary
from unclench_devtools.bench.targets import Target, control_socket
from unclench_devtools.programs import DesktopError, Program, wait_until
from unclench_devtools.sampling import memory_change, sample_tree
from unclench_devtools.x11.desktop import Desktop

T = TypeVar("T")

BREAK_WINDOW = "^Unclench break$"
SHOWN_LINE = re.compile(r"break window shown ([0-9.]+) ms after the decision")
EXIT_REFUSED = 4  # `unclench snooze` when no snoozes are left (unclench.cli)
# Looking for the break window costs one xdotool run; a short sleep between looks keeps the
# poller from taking a whole core away from the app it is timing on this two-core machine.
WINDOW_POLL_S = 0.005
# RSS growth over the series of breaks, from a warm start (after the latency breaks), that still
# counts as "no growth". In trials RSS took one step of 0.5-0.65 MB within the series' first few
# dozen breaks and then grew ~0.1 kB a break, over 800 breaks. A leaked break window would cost
# far more than the 5 kB a break that 1 MiB allows over 200.
GROWTH_LIMIT_KB = 1024


def poll(condition: Callable[[], T | None], *, timeout: float, what: str) -> T:
    """The harness's ``wait_until``, with a finer step for timing windows."""
    return wait_until(condition, timeout=timeout, what=what, step=WINDOW_POLL_S)


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
        now = subprocess.Popen(
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
                log(f"{target.label}: {number}/{count} breaks, RSS {mb(now.rss_kb):.1f} MB")
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
