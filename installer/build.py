"""The one build entry: a PyInstaller onedir bundle for this OS, then its package.

    uv run --group build python installer/build.py [--no-package] [--smoke]

1. renders ``resources/icons/unclench.svg`` to every icon file (``installer/icons.py``);
2. runs PyInstaller with ``installer/unclench.spec`` into ``build/dist/unclench`` (on macOS
   also ``build/dist/Unclench.app``);
3. packages it: on Linux the ``.deb`` (``installer/deb.py``); on Windows the Inno Setup
   installer when ``iscc`` is on PATH; on macOS a DMG (``installer/macos/make-dmg.sh``).

Everything goes under ``build/`` (the packages into ``build/out``); ``--smoke`` runs the
bundle's ``--smoke`` afterwards, off-screen. Prints each step's time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
BUILD = ROOT / "build"
ICONS = BUILD / "icons"
DIST = BUILD / "dist"
OUT = BUILD / "out"


def version() -> str:
    """The version, read from the package without importing it (or Qt)."""
    for line in (ROOT / "src" / "unclench" / "__init__.py").read_text().splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip('"')
    raise RuntimeError("no __version__ in src/unclench/__init__.py")


def bundle_program() -> Path:
    """The bundle's executable, for running and measuring it."""
    if sys.platform == "darwin":
        return DIST / "Unclench.app" / "Contents" / "MacOS" / "unclench"
    return DIST / "unclench" / ("unclench.exe" if sys.platform == "win32" else "unclench")


def step(name: str, command: Sequence[str | Path], **env: str) -> None:
    started = time.monotonic()
    print(f"== {name}", flush=True)
    subprocess.run([str(c) for c in command], check=True, env={**os.environ, **env}, cwd=ROOT)
    print(f"== {name}: {time.monotonic() - started:.1f} s", flush=True)


def build_bundle() -> Path:
    shutil.rmtree(ICONS, ignore_errors=True)
    step("icons", [sys.executable, INSTALLER / "icons.py", ICONS])
    step(
        "bundle",
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
            "--distpath", DIST, "--workpath", BUILD / "pyinstaller", INSTALLER / "unclench.spec",
        ],
        UNCLENCH_ICONS=str(ICONS),
    )  # fmt: skip
    return DIST / "unclench"


def package() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if sys.platform.startswith("linux"):
        deb: list[str | Path] = [INSTALLER / "deb.py", DIST / "unclench", ICONS, OUT]
        deb += ["--version", version()]
        step("deb", [sys.executable, *deb])
    elif sys.platform == "win32":
        iscc = shutil.which("iscc") or shutil.which("ISCC")
        if iscc is None:
            print("iscc (Inno Setup) is not on PATH: no Windows installer made")
            return
        script = INSTALLER / "windows" / "unclench.iss"
        step("inno setup", [iscc, f"/DAppVersion={version()}", f"/O{OUT}", script])
    elif sys.platform == "darwin":
        app = DIST / "Unclench.app"
        step("dmg", ["bash", INSTALLER / "macos" / "make-dmg.sh", app, OUT, version()])


def smoke() -> None:
    step("smoke", [bundle_program(), "--smoke"], QT_QPA_PLATFORM="offscreen")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--no-package", action="store_true", help="stop after the bundle")
    parser.add_argument("--smoke", action="store_true", help="run the bundle's --smoke")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if not args.no_package:
        shutil.rmtree(OUT, ignore_errors=True)  # only this build's packages in the listing
    build_bundle()
    if args.smoke:
        smoke()
    if not args.no_package:
        package()
    print(f"built in {time.monotonic() - started:.0f} s: {bundle_program()}")
    for made in sorted(OUT.glob("*")) if OUT.is_dir() else []:
        print(f"  {made} ({made.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
