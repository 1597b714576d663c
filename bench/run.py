"""Footprint and latency benchmark: Unclench against Workrave and Safe Eyes, on one X display.

    uv run python bench/run.py [--quick] [--no-peers] [--bundle PATH] [--workdir DIR]

Everything runs on one throwaway desktop (Xvfb, openbox, trayer;
``src/unclench_devtools/x11/``), one program at a time, each with a fresh HOME and a session
bus of its own. What is measured and why is in ``docs/performance.md``; the numbers go to the
terminal as a Markdown table and to ``bench/results.json``. This command holds the plan and the
order of the phases; the measurements are in ``src/unclench_devtools/bench/``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from unclench import __version__ as unclench_version
from unclench.ipc.client import ClientError
from unclench.ipc.protocol import CommandError
from unclench_devtools import REPO, programs
from unclench_devtools.bench.breaks import app_status, measure_breaks, measure_popups
from unclench_devtools.bench.common import log, mb
from unclench_devtools.bench.idle import measure_idle
from unclench_devtools.bench.machine import machine_info
from unclench_devtools.bench.peers import peer_targets
from unclench_devtools.bench.report import goals, render
from unclench_devtools.bench.starts import fail, measure_starts, shut, tray_look_cost
from unclench_devtools.bench.targets import Target, prepare, release
from unclench_devtools.programs import DesktopError
from unclench_devtools.x11.desktop import Desktop, missing_tools

RESULTS = REPO / "bench" / "results.json"
#: Where `installer/build.py` leaves the bundle.
DEFAULT_BUNDLE = REPO / "build" / "dist" / "unclench" / "unclench"

# The harness polls the tray every POLL seconds plus the cost of one look (an xwininfo per
# trayer socket); 50 ms by default is too coarse for start-ups of a few hundred ms.
TRAY_POLL_S = 0.01


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
        f"{target.label}: idle {idle['window_s']:.0f} s: RSS {mb(idle['rss_kb'][1]):.1f}"
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
    for code in args.languages:
        targets.append(
            Target(
                f"unclench-{code}",
                "Unclench",
                unclench_version,
                [sys.executable, "-m", "unclench", "--tray", "qt"],
                is_unclench=True,
                variant=f"source, {code}",
                locale=f"{code}.UTF-8" if "_" in code else f"{code}_{code.upper()}.UTF-8",
            )
        )
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
        measure = measure_unclench if target.key == "unclench" or target.locale else measure_other
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
    parser.add_argument(
        "--languages",
        type=lambda text: [c for c in text.split(",") if c],
        default=[],
        help="also measure Unclench in these languages (de,ja...), each in its own session",
    )
    parser.add_argument("--workdir", type=Path, help="keep the desktop's logs and homes here")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)

    began = time.monotonic()
    plan = Plan.make(quick=args.quick)
    missing = missing_tools()
    if missing:
        print(f"missing programs: {', '.join(missing)}", file=sys.stderr)
        return 2
    # The tray waits go through programs.wait_until: its POLL is the one that counts.
    programs.POLL = TRAY_POLL_S
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
    results["goals"] = goals(results["targets"], plan.breaks)
    results["notes"] = notes
    table = render(results)
    results["table"] = table
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(table)
    log(f"done in {results['duration_s']:.0f} s; results in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
