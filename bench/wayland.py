"""Idle footprint on each Wayland desktop, against the same app on X11 in the same run.

    uv run python bench/wayland.py [--seconds 120] [--desktops sway,gnome,kwin]

Starts the app with clean folders on a virtual X desktop (the baseline: Xvfb, openbox,
trayer, as ``bench/run.py`` measures it) and then on each headless Wayland desktop
(``src/unclench_devtools/wayland/``), with a native window focused and nobody typing; lets it
settle, and watches it for ``--seconds``: CPU time, wake-ups (context switches of its threads)
and memory. On Wayland the app also holds a connection of its own to the compositor (idle
notifications, and on sway the window list), so this is where a chatty protocol would show.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from unclench_devtools.bench.idle import SETTLE_S, THREAD_SAMPLE_S
from unclench_devtools.host import ProgramHost
from unclench_devtools.sampling import CLK_TCK, ThreadLedger, sample_tree
from unclench_devtools.wayland.gnome import GnomeDesktop
from unclench_devtools.wayland.kwin import KwinDesktop
from unclench_devtools.wayland.sway import SwayDesktop
from unclench_devtools.x11.desktop import Desktop

FOCUSED = "A window you are working in"


def desktop_for(name: str, workdir: Path) -> AbstractContextManager[ProgramHost]:
    if name == "x11":
        return Desktop(tray=True, workdir=workdir)
    if name == "sway":
        return SwayDesktop(workdir)
    if name == "gnome":
        return GnomeDesktop(workdir)
    return KwinDesktop(workdir, plasma=True)


def measure(name: str, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, desktop_for(name, Path(tmp)) as desktop:
        if isinstance(desktop, Desktop):
            desktop.start_xterm(FOCUSED)
        else:
            desktop.start_terminal(FOCUSED)  # type: ignore[attr-defined]
        env = desktop.env(home=Path(tmp) / "home")
        app = desktop.spawn([sys.executable, "-m", "unclench"], env=env, name="unclench")
        status = [sys.executable, "-m", "unclench", "status", "--json"]
        desktop.wait_until(
            lambda: desktop.run(status, env=env, check=False).returncode == 0,
            timeout=30,
            what="the app to answer",
        )
        source = desktop.run(status, env=env).stdout
        time.sleep(SETTLE_S)
        start = sample_tree(app.pid)
        ledger = ThreadLedger(start.threads)
        while time.monotonic() < start.at + seconds:
            time.sleep(THREAD_SAMPLE_S)
            ledger.update(sample_tree(app.pid, memory=False).threads)
        end = sample_tree(app.pid)
        ledger.update(end.threads)
        window = end.at - start.at
        threads = ledger.breakdown(window, ended=set(ledger.last) - set(end.threads))
        switches = sum(row["switches"] for row in threads)
        desktop.run([sys.executable, "-m", "unclench", "quit"], env=env, check=False)
        return {
            "desktop": name,
            "window_s": window,
            "cpu_pct": 100 * (end.ticks - start.ticks) / CLK_TCK / window,
            "wakeups_per_s": switches / window,
            "rss_mb": end.rss_kb / 1000,
            "threads": len(end.threads),
            "busiest": sorted(threads, key=lambda row: -row["switches"])[:3],
            "idle_source": _field(source, "idle_source"),
        }


def _field(status_json: str, key: str) -> str:
    return str(json.loads(status_json).get(key))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--desktops", default="sway,gnome,kwin")
    args = parser.parse_args(argv)
    rows = [measure("x11", args.seconds)]  # the baseline, first
    rows += [measure(name, args.seconds) for name in args.desktops.split(",") if name]
    base = rows[0]
    print(f"idle for {args.seconds:.0f} s after {SETTLE_S:.0f} s to settle, nobody typing\n")
    print("| desktop | idle source | CPU, % of a core | wake-ups/s | vs X11 | RSS MB | threads |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        base_rate = base["wakeups_per_s"]
        ratio = f"{row['wakeups_per_s'] / base_rate:.1f}x" if base_rate else "-"
        print(
            f"| {row['desktop']} | {row['idle_source']} | {row['cpu_pct']:.4f} | "
            f"{row['wakeups_per_s']:.3f} | {ratio} | {row['rss_mb']:.1f} | {row['threads']} |"
        )
    for row in rows:
        busiest = ", ".join(f"{t['comm']} {t['switches']}" for t in row["busiest"])
        print(f"- {row['desktop']}: busiest threads (switches): {busiest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
