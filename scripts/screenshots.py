"""Screenshots of every window, taken from the real app on a virtual desktop.

    uv run python scripts/screenshots.py [--out shots] [--wayland sway|gnome|kwin|all]
                                         [--languages de,ja,ar]

Starts Xvfb, openbox and trayer (the test harness in src/unclench_devtools/x11/), runs the app
with clean folders, and saves: the tray menu, the break window in light and dark, a calming
break, Settings (its top, and About me further down), your own techniques, About, and History
(a month in light, where an area stands out, and two days in dark, where none does yet), each
cropped to its window, plus the whole screen with the break window.

With ``--languages``, it starts the app once per language (its ``LANG``) and per scale (1x
and 2x, ``QT_SCALE_FACTOR``) and saves the break window and History:
``break-CODE-1x.png``, ``history-CODE-2x.png`` and so on.

With ``--wayland``, it starts that headless Wayland desktop instead
(src/unclench_devtools/wayland/) with a full-size terminal focused, and saves the whole screen
with the break window over it (``wayland-DESKTOP-break.png``) and with the tray menu open where
the desktop has a tray (``wayland-DESKTOP-menu.png``), or with the window that says how to reach
Unclench where it has none (``wayland-DESKTOP-no-tray.png``).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from unclench import APP_NAME
from unclench.core.history import HISTORY_FILE, History
from unclench.core.i18n import _, set_language
from unclench.ui.history_window import WINDOW_TITLE as HISTORY_TITLE
from unclench_devtools import REPO
from unclench_devtools.sample_history import fill
from unclench_devtools.wayland.base import WaylandDesktop
from unclench_devtools.wayland.gnome import GnomeDesktop
from unclench_devtools.wayland.kwin import KwinDesktop
from unclench_devtools.wayland.sway import SwayDesktop
from unclench_devtools.x11.desktop import Desktop

WAYLAND_DESKTOPS: dict[str, type[WaylandDesktop]] = {
    "sway": SwayDesktop,
    "gnome": GnomeDesktop,
    "kwin": KwinDesktop,
}

BREAK = "^Unclench break$"
#: Two techniques of a person's own, so their window has something to list.
OWN_TECHNIQUES = """version = 1

[[techniques]]
id = "own-shoulder-drop-1"
area = "neck_shoulders"
title = "Shoulder drop"
steps = ["Lift both shoulders up to your ears.", "Let them fall, and breathe out slowly."]
seconds = 40
discreet = true

[[techniques]]
id = "own-warm-palms-1"
area = "hands"
title = "Warm palms"
steps = ["Rub your palms together until they feel warm.", "Rest them on your cheeks."]
seconds = 60
"""


class Shooter:
    def __init__(self, desktop: Desktop, out: Path) -> None:
        self.desktop = desktop
        self.out = out

    def app(self, home: Path, theme: str, history_days: int, **env_extra: str) -> None:
        config = home / ".config" / "unclench"
        config.mkdir(parents=True, exist_ok=True)
        (config / "settings.toml").write_text(f'[popup]\ntheme = "{theme}"\n')
        with History.open(home / ".local" / "share" / "unclench" / HISTORY_FILE) as history:
            fill(history, datetime.now().astimezone() - timedelta(hours=1), days=history_days)
        (config / "techniques.toml").write_text(OWN_TECHNIQUES)
        env = self.desktop.env(home=home, **env_extra)
        self.env = env
        self.desktop.spawn([sys.executable, "-m", "unclench", "--tray", "qt"], env=env)
        self.desktop.wait_for_tray_children(1, timeout=15)

    def cli(self, *args: str) -> None:
        self.desktop.run([sys.executable, "-m", "unclench", *args], env=self.env, timeout=15)

    def window(self, name: str, file: str) -> Path:
        """The window's own area (without the window manager's frame)."""
        wid = self.desktop.wait_for_window(name=name, timeout=5)
        self.desktop.wait_until(
            lambda: self.desktop.window_geometry(wid).width > 1, timeout=5, what="a laid-out window"
        )
        info = self.desktop.run(["xwininfo", "-id", str(wid)]).stdout
        # xwininfo's absolute corner is the window's own, inside any frame the WM adds.
        fields = dict(line.strip().split(": ", 1) for line in info.splitlines() if ": " in line)
        x, y = int(fields["Absolute upper-left X"]), int(fields["Absolute upper-left Y"])
        return self.crop(file, x, y, int(fields["Width"]), int(fields["Height"]))

    def crop(self, file: str, x: int, y: int, w: int, h: int) -> Path:
        full = self.out / f"_screen-{file}"
        self.desktop.screenshot(full)
        target = self.out / file
        x, y = max(0, x), max(0, y)
        subprocess.run(
            ["convert", str(full), "-crop", f"{w}x{h}+{x}+{y}", "+repage", str(target)], check=True
        )
        full.unlink()
        return target

    def break_with_checkin(self, theme: str) -> list[Path]:
        """The break window with the before-question answered, then the after-question."""
        wid = self.desktop.wait_for_window(name=BREAK, timeout=5)
        x, y, w, h = self.desktop.window_geometry(wid)
        self.desktop.click(x + w // 3, y + 12)  # the area's name: hands the window the keyboard
        self.desktop.key("6")
        shots = [self.window(BREAK, f"break-{theme}.png")]
        self.desktop.click(x + 40, y + h - 27)  # Done
        self.desktop.wait_until(
            lambda: self.desktop.window_geometry(wid)[3] < h, timeout=5, what="the question"
        )
        shots.append(self.window(BREAK, f"break-after-{theme}.png"))
        self.desktop.key("Escape")
        return shots

    def scrolled_to_bottom(self, name: str, file: str) -> Path:
        """The window after the mouse wheel has taken its scroll area to the end."""
        wid = self.desktop.wait_for_window(name=name, timeout=5)
        x, y, w, h = self.desktop.window_geometry(wid)
        self.desktop.xdotool("mousemove", str(x + w // 2), str(y + h // 2))
        self.desktop.xdotool("click", "--repeat", "40", "--delay", "10", "5")
        time.sleep(0.3)
        return self.window(name, file)

    def own_techniques(self) -> Path:
        """Opens the person's techniques from Settings with its Alt key, as a person could."""
        settings = self.desktop.wait_for_window(name="^Unclench Settings$", timeout=5)
        self.desktop.wait_for_focus(settings)
        self.desktop.key("alt+y")
        return self.window("^Unclench: your techniques$", "own-techniques.png")

    def open_from_menu(self, downs: int) -> None:
        """Picks a tray menu item with the keyboard, as a person could."""
        menu = self._open_menu()
        self.desktop.xdotool("key", *(["Down"] * downs), "Return")
        self._wait_closed(menu)

    def tray_menu(self) -> Path:
        menu = self._open_menu()
        mx, my, mw, mh = self.desktop.window_geometry(menu)
        path = self.crop("tray-menu.png", mx - 60, 0, mw + 64, my + mh + 4)
        self.desktop.xdotool("key", "Escape")
        self._wait_closed(menu)
        return path

    def _wait_closed(self, menu: int) -> None:
        # A click that comes before the menu is gone only closes it.
        self.desktop.wait_until(
            lambda: menu not in self.desktop.search_windows(class_="unclench"),
            timeout=5,
            what="the menu to close",
        )

    def _open_menu(self) -> int:
        return self.desktop.open_tray_menu(class_="unclench")


def _started(kind: type[WaylandDesktop], workdir: Path) -> WaylandDesktop:
    """KWin comes with Plasma's shell (a panel with a tray), as people use it."""
    return KwinDesktop(workdir, plasma=True) if kind is KwinDesktop else kind(workdir)


def wayland_shots(kind: type[WaylandDesktop], out: Path) -> list[Path]:
    """The break window over a focused full-size window, and the tray menu or the no-tray note."""
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, _started(kind, Path(tmp)) as desktop:
        desktop.start_terminal("A window you are working in")
        desktop.maximize_focused()
        env = desktop.env(home=Path(tmp) / "home")
        desktop.spawn([sys.executable, "-m", "unclench"], env=env, name="unclench")

        def cli(*args: str) -> None:
            desktop.run([sys.executable, "-m", "unclench", *args], env=env, timeout=15)

        desktop.wait_until(
            lambda: (
                desktop.run(
                    [sys.executable, "-m", "unclench", "status"], env=env, check=False
                ).returncode
                == 0
            ),
            timeout=20,
            what="the app to answer",
        )
        if desktop.has_tray_host():
            item = desktop.wait_until(desktop.tray_items, timeout=10, what="the tray item")[0]
            desktop.open_tray_menu(item)
            time.sleep(1.5)  # the menu's first frame (Plasma's asks us for its items first)
            made.append(desktop.screenshot(out / f"wayland-{kind.name}-menu.png"))
            desktop.close_tray_menu()
        else:
            desktop.wait_until(
                lambda: desktop.window_rect("^Unclench is running"),
                timeout=10,
                what="the window that says how to reach Unclench",
            )
            made.append(desktop.screenshot(out / f"wayland-{kind.name}-no-tray.png"))
        cli("now")
        desktop.wait_until(
            lambda: desktop.window_rect("^Unclench break"), timeout=5, what="the break window"
        )
        time.sleep(1)  # placed and drawn
        made.append(desktop.screenshot(out / f"wayland-{kind.name}-break.png"))
        cli("quit")
    return made


#: Each language's locale, as a person's session would set it.
LOCALES = {
    "de": "de_DE.UTF-8",
    "fr": "fr_FR.UTF-8",
    "es": "es_ES.UTF-8",
    "pt_BR": "pt_BR.UTF-8",
    "it": "it_IT.UTF-8",
    "nl": "nl_NL.UTF-8",
    "pl": "pl_PL.UTF-8",
    "ja": "ja_JP.UTF-8",
    "zh_CN": "zh_CN.UTF-8",
    "ar": "ar_EG.UTF-8",
}


def language_shots(codes: list[str], out: Path) -> list[Path]:
    """The break window and History in each language, at 1x and at 2x (on a screen twice as
    large, as 2x is for high-density screens)."""
    made: list[Path] = []
    for scale in (1, 2):
        with (
            tempfile.TemporaryDirectory() as tmp,
            Desktop(tray=True, workdir=Path(tmp), size=(1280 * scale, 800 * scale)) as desktop,
        ):
            shooter = Shooter(desktop, out)
            for code in codes:
                home = Path(tmp) / f"home-{code}"
                extra = {"LANG": LOCALES[code], "LANGUAGE": "", "LC_ALL": ""}
                shooter.app(home, "light", 30, QT_SCALE_FACTOR=str(scale), **extra)
                shooter.cli("now")
                made.append(shooter.window(BREAK, f"break-{code}-{scale}x.png"))
                shooter.cli("history")
                set_language(code)  # the History window's title, in its language
                title = re.escape(_(HISTORY_TITLE).format(app=APP_NAME))
                made.append(shooter.window(f"^{title}$", f"history-{code}-{scale}x.png"))
                shooter.cli("quit")
                desktop.wait_for_tray_children(0, timeout=5)
                desktop.stop_programs()
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "shots")
    parser.add_argument("--wayland", choices=[*WAYLAND_DESKTOPS, "all"])
    parser.add_argument("--languages", help="comma-separated codes, e.g. de,ja,ar")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.languages:
        for path in language_shots(args.languages.split(","), out):
            print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
        return 0
    if args.wayland:
        names = list(WAYLAND_DESKTOPS) if args.wayland == "all" else [args.wayland]
        for name in names:
            for path in wayland_shots(WAYLAND_DESKTOPS[name], out):
                print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
        return 0
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, Desktop(tray=True, workdir=Path(tmp)) as desktop:
        shooter = Shooter(desktop, out)
        for theme, history_days in (("light", 30), ("dark", 2)):
            shooter.app(Path(tmp) / f"home-{theme}", theme, history_days)
            shooter.cli("now")
            if theme == "light":
                shooter.window(BREAK, "break-light.png")
                made.append(desktop.screenshot(out / "screen-break.png"))
            made += shooter.break_with_checkin(theme)
            if theme == "light":
                shooter.cli("calm")
                made.append(shooter.window(BREAK, "break-calm.png"))
                shooter.cli("now")  # asked for again: the break takes the keyboard...
                shooter.desktop.wait_for_focus(shooter.desktop.wait_for_window(name=BREAK))
                shooter.desktop.key("Escape")  # ...and Esc skips it
                shooter.desktop.wait_until(
                    lambda: not shooter.desktop.search_windows(name=BREAK),
                    timeout=5,
                    what="the calming break to close",
                )
                made.append(shooter.tray_menu())
                shooter.open_from_menu(downs=5)  # History… (grayed-out Snooze is skipped)
                made.append(shooter.window("^Unclench History$", "history.png"))
                shooter.cli("settings")
                made.append(shooter.window("^Unclench Settings$", "settings.png"))
                made.append(shooter.own_techniques())
                made.append(
                    shooter.scrolled_to_bottom("^Unclench Settings$", "settings-about-me.png")
                )
                shooter.cli("about")
                made.append(shooter.window("About", "about.png"))
            else:
                shooter.cli("history")
                made.append(shooter.window("^Unclench History$", "history-dark.png"))
            shooter.cli("quit")
            desktop.wait_for_tray_children(0, timeout=5)
            desktop.stop_programs()
    for path in made:
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
