"""Build the .deb, install it, run the installed copy, remove it, and check nothing is left.

    uv run --group build python installer/check_install.py [--no-build]

Needs root (dpkg), Xvfb and a Debian-like system. Runs the installed ``/usr/bin/unclench``
from an empty folder with a throw-away home: ``--version``; ``--smoke`` on a virtual X
display (pystray's X11 backend included) and off-screen; start at login switched on and off
through the app's own settings path, checking the autostart file each time; then
``dpkg -r`` and ``dpkg -P``, and that no file the package installed is still there.
Exits 0 when every check passed; the package is removed even when one fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "out"
PACKAGE = "unclench"
APP_REVERSE_ID = "io.github.unclench.Unclench"
PROGRAM = Path("/usr/bin/unclench")
#: Where an X server puts its socket: a fixed, system-wide path, not a temporary file.
X11_SOCKETS = Path("/tmp/.X11-unix")  # noqa: S108
#: Everything the package puts on the system; none of it may outlive ``dpkg -r``.
INSTALLED = (
    Path("/opt/unclench"),
    PROGRAM,
    Path(f"/usr/share/applications/{APP_REVERSE_ID}.desktop"),
    Path(f"/usr/share/metainfo/{APP_REVERSE_ID}.metainfo.xml"),
    Path("/usr/share/icons/hicolor/48x48/apps/unclench.png"),
    Path("/usr/share/icons/hicolor/scalable/apps/unclench.svg"),
    Path("/usr/share/doc/unclench"),
)


class CheckFailed(Exception):
    pass


def run(
    command: Sequence[str | Path],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in command],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=cwd,
        timeout=timeout,
    )


def expect(ok: bool, what: str, detail: str = "") -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok:
        raise CheckFailed(f"{what}\n{detail}".rstrip())


def leftovers() -> list[Path]:
    found = [p for p in INSTALLED if p.exists() or p.is_symlink()]
    found += Path("/usr/share/icons/hicolor").glob("*/apps/unclench.*")
    return sorted(set(found))


@contextmanager
def virtual_display() -> Iterator[str]:
    """A private Xvfb; yields its DISPLAY."""
    number = 90 + os.getpid() % 100
    while (X11_SOCKETS / f"X{number}").exists():
        number += 1
    display = f":{number}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not (X11_SOCKETS / f"X{number}").exists():
            if time.monotonic() > deadline or xvfb.poll() is not None:
                raise CheckFailed("Xvfb did not start")
            time.sleep(0.05)
        yield display
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """A login-like environment: a fresh home, nothing pointing into the source tree."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
    )
    (home / "runtime").mkdir(mode=0o700, exist_ok=True)
    env.update(extra)
    return env


def check_installed_copy(home: Path, display: str) -> None:
    x11 = clean_env(home, DISPLAY=display)
    offscreen = clean_env(home, QT_QPA_PLATFORM="offscreen")
    result = run([PROGRAM, "--version"], env=x11, cwd=home)
    expect(result.stdout.strip().startswith("Unclench "), "--version", result.stderr)
    result = run([PROGRAM, "--smoke"], env=x11, cwd=home, timeout=120)
    expect(
        result.returncode == 0 and "pystray (xorg)" in result.stdout,
        f"--smoke on Xvfb: {result.stdout.strip()}",
        result.stderr,
    )
    result = run([PROGRAM, "--smoke"], env=offscreen, cwd=home, timeout=120)
    expect(result.returncode == 0, "--smoke off-screen", result.stderr)
    entry = home / ".config" / "autostart" / f"{APP_REVERSE_ID}.desktop"
    result = run([PROGRAM, "--smoke", "--start-at-login", "on"], env=x11, cwd=home, timeout=120)
    text = entry.read_text() if entry.is_file() else ""
    expect(
        result.returncode == 0 and "Exec=/opt/unclench/unclench\n" in text,
        f"start at login on writes {entry}",
        result.stderr + text,
    )
    result = run([PROGRAM, "--smoke", "--start-at-login", "off"], env=x11, cwd=home, timeout=120)
    expect(
        result.returncode == 0 and not entry.exists() and not any(entry.parent.iterdir()),
        "start at login off removes it, and only it",
        result.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--no-build", action="store_true", help="use the .deb already built")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("installing a .deb needs root", file=sys.stderr)
        return 2
    if run(["dpkg-query", "-W", PACKAGE]).returncode == 0 or leftovers():
        print(f"{PACKAGE} is already installed here; remove it first", file=sys.stderr)
        return 2
    started = time.monotonic()
    if not args.no_build:
        subprocess.run([sys.executable, ROOT / "installer" / "build.py"], check=True, cwd=ROOT)
    built = time.monotonic()
    debs = sorted(OUT.glob(f"{PACKAGE}_*.deb"), key=lambda p: p.stat().st_mtime)
    if not debs:
        print(f"no .deb in {OUT}", file=sys.stderr)
        return 2
    deb = debs[-1]
    print(f"checking {deb} ({deb.stat().st_size / 1e6:.1f} MB)", flush=True)
    try:
        result = run(["dpkg", "-i", deb])
        expect(result.returncode == 0, "dpkg -i", result.stdout + result.stderr)
        expect(PROGRAM.is_symlink() and os.access(PROGRAM, os.X_OK), f"{PROGRAM} is there")
        with tempfile.TemporaryDirectory(prefix="unclench-check-") as tmp, virtual_display() as d:
            check_installed_copy(Path(tmp), d)
        result = run(["dpkg", "-r", PACKAGE])
        expect(result.returncode == 0, "dpkg -r", result.stdout + result.stderr)
        expect(not leftovers(), "nothing left after dpkg -r", "\n".join(map(str, leftovers())))
        result = run(["dpkg", "-P", PACKAGE])
        expect(result.returncode == 0, "dpkg -P", result.stdout + result.stderr)
        known = run(["dpkg-query", "-W", PACKAGE]).returncode == 0
        expect(not known, "dpkg forgets the package after purge")
    except CheckFailed as exc:
        print(f"check failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if run(["dpkg-query", "-W", PACKAGE]).returncode == 0:
            run(["dpkg", "-P", PACKAGE])
    done = time.monotonic()
    print(f"all checks passed: build {built - started:.0f} s, install checks {done - built:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
