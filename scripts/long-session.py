"""A long real session: the app on a virtual desktop, breaks shown and answered by clicks.

    uv run python scripts/long-session.py [--minutes 10] [--every 4]

Starts Xvfb, openbox and trayer (src/unclench_devtools/x11/), the app with clean folders and an
xterm holding the focus, then for the given time asks for a break every few seconds
(`unclench now`) and answers it with a click on Done, Skip, Snooze or "Another one" then Done
(and Close on the check-in question that Done brings).
It samples the app's memory and open files all along, and at the end checks that every break
was recorded, the focus never left the xterm, the memory and file counts stayed flat after
the first minute, and the log has no traceback. Exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from unclench_devtools.programs import DesktopError, Program
from unclench_devtools.x11.desktop import Desktop

BREAK = "^Unclench break$"
#: Allowed growth after the first minute: allocator and Qt caches settle early; a leak of one
#: window or pixmap per break would pass this within a few dozen breaks.
RSS_SLACK_KB = 4096
WARM_UP_S = 60.0


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def fd_count(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/fd").iterdir()))


@dataclass
class Session:
    desktop: Desktop
    env: dict[str, str]
    app: Program
    term: int
    rng: random.Random
    samples: list[tuple[float, int, int]] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=dict)
    breaks: int = 0
    focus_lost: int = 0
    problems: list[str] = field(default_factory=list)

    def cli(self, *args: str) -> str:
        cmd = [sys.executable, "-m", "unclench", *args]
        return self.desktop.run(cmd, env=self.env, timeout=15).stdout

    def sample(self, elapsed: float) -> None:
        self.samples.append((elapsed, rss_kb(self.app.pid), fd_count(self.app.pid)))

    def one_break(self) -> bool:
        """Ask for a break and answer it with a click; False when the click did nothing."""
        self.cli("now")
        popup = self.desktop.wait_for_window(name=BREAK, timeout=5)
        x, y, w, h = self.desktop.window_geometry(popup)
        if self.desktop.focused_window() != self.term:
            self.focus_lost += 1
        choice = self.rng.choice(["done", "skip", "snooze", "another"])
        if choice == "snooze" and not json.loads(self.cli("status", "--json"))["snoozes_left"]:
            choice = "skip"
        bottom = y + h - 27  # the row of Done, Snooze and Skip
        if choice == "another":
            self.desktop.click(x + w - 50, y + h - 58)  # "Another one": the window stays put
            choice = "done"
        target = {"done": x + 40, "skip": x + w - 55, "snooze": x + w - 150}[choice]
        self.desktop.click(target, bottom)
        try:
            if choice == "done":  # the check-in's after-question: close it unanswered
                self.desktop.wait_until(
                    lambda: self.desktop.window_geometry(popup)[3] < h,
                    timeout=5,
                    what="the after-question",
                )
                x, y, w, h = self.desktop.window_geometry(popup)
                self.desktop.click(x + w - 50, y + h - 27)
            self.desktop.wait_until(
                lambda: not self.desktop.search_windows(name=BREAK), timeout=5, what="the answer"
            )
        except DesktopError:
            self.problems.append(f"break {self.breaks + 1}: a click on {choice} did not close it")
            return False
        self.breaks += 1
        self.answers[choice] = self.answers.get(choice, 0) + 1
        return True

    def check(self, history: list[object], code: int, log_text: str) -> None:
        after_warm_up = [s for s in self.samples if s[0] >= WARM_UP_S] or self.samples
        base, last = after_warm_up[0], self.samples[-1]
        if last[1] - base[1] > RSS_SLACK_KB:
            self.problems.append(f"RSS grew {(last[1] - base[1]) / 1024:.1f} MB after warm-up")
        if last[2] > base[2]:
            self.problems.append(f"open files grew from {base[2]} to {last[2]} after warm-up")
        if len(history) != self.breaks:
            self.problems.append(f"{self.breaks} breaks answered but {len(history)} recorded")
        if self.focus_lost:
            self.problems.append(f"the focus left the xterm {self.focus_lost} time(s)")
        if "Traceback" in log_text or not log_text:
            self.problems.append("the log has a traceback (or is empty)")
        if code != 0:
            self.problems.append(f"the app exited with {code}")

    def report(self) -> None:
        minutes = self.samples[-1][0] / 60
        print(f"session: {minutes:.1f} min, {self.breaks} breaks, answers {self.answers}")
        print("   t(s)   RSS(MB)  fds")
        for t, rss, fds in self.samples:
            print(f"{t:7.0f}  {rss / 1024:8.1f}  {fds:3d}")
        for problem in self.problems:
            print("PROBLEM:", problem)
        print("OK" if not self.problems else f"{len(self.problems)} problem(s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--every", type=float, default=4.0, help="seconds between breaks")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Desktop(tray=True, workdir=Path(tmp)) as desktop:
        home = Path(tmp) / "home"
        env = desktop.env(home=home)
        app = desktop.spawn([sys.executable, "-m", "unclench", "--tray", "qt"], env=env)
        desktop.wait_for_tray_children(1, timeout=20)
        term = desktop.start_xterm("work", cwd=Path(tmp))
        session = Session(desktop, env, app, term, random.Random(options.seed))
        started = time.monotonic()
        session.sample(0.0)
        while time.monotonic() - started < options.minutes * 60:
            if not session.one_break():
                break
            if time.monotonic() - started - session.samples[-1][0] >= 30:
                session.sample(time.monotonic() - started)
            time.sleep(max(0.0, options.every - 1.0))
        session.sample(time.monotonic() - started)
        history = json.loads(session.cli("history", "--limit", "500", "--json"))["breaks"]
        session.cli("quit")
        code = app.popen.wait(timeout=10)
        log_text = "".join(p.read_text() for p in home.rglob("unclench.log"))
        session.check(history, code, log_text)
    session.report()
    return 1 if session.problems else 0


if __name__ == "__main__":
    sys.exit(main())
