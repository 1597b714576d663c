"""The benchmark's report: the project's targets met or not, and the Markdown table of the
programs side by side with the ratios Unclench / peer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from unclench_devtools.bench.breaks import GROWTH_LIMIT_KB, WINDOW_POLL_S
from unclench_devtools.bench.common import mb
from unclench_devtools.sampling import CLK_TCK

TARGET_IDLE_RSS_MB = 70.0
TARGET_IDLE_CPU_PCT = 0.01
TARGET_WAKEUPS = 0.2
TARGET_START_S = 0.35
TARGET_POPUP_MS = 100.0


def goals(targets: dict[str, Any], planned_breaks: int) -> list[dict[str, Any]]:
    """Each target the project set, with the measured value and whether it is met;
    ``planned_breaks`` is the length of the series of breaks the run planned."""
    own = targets.get("unclench", {})
    if "error" in own or "idle" not in own:
        return []
    idle = own["idle"]
    rss = mb(idle["rss_kb"][1])
    peer_rss = {
        t["label"]: mb(t["idle"]["rss_kb"][1])
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
            "goal": f"no RSS growth after {planned_breaks} breaks",
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
            lambda t: f"{mb(t['idle']['rss_kb'][1]):.1f} MB",
            lambda t: float(t["idle"]["rss_kb"][1]),
        ),
        Row(
            "idle PSS",
            lambda t: f"{mb(t['idle']['pss_kb'][1]):.1f} MB",
            lambda t: float(t["idle"]["pss_kb"][1]),
        ),
        Row(
            "idle anonymous memory",
            lambda t: f"{mb(t['idle']['anon_kb'][1]):.1f} MB",
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
                f"{mb(brk['rss_kb'][0]):.1f} → {mb(brk['rss_kb'][1]):.1f} MB "
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
