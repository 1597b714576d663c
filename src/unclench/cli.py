"""The ``unclench`` command line: starts the app, or talks to the running one."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence

from unclench import APP_NAME, __version__

EXIT_OK = 0
EXIT_NO_DISPLAY = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unclench",
        description=f"{APP_NAME}: short self-massage breaks after active screen time.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--verbose", action="store_true", help="also log to the terminal")
    return parser


def has_display(env: Mapping[str, str], platform: str) -> bool:
    """Whether a graphical session is reachable. Windows and macOS always have one."""
    if platform.startswith(("win", "darwin")):
        return True
    if env.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    if not has_display(os.environ, sys.platform):
        print(
            f"{APP_NAME} is a desktop app and needs a graphical session, but neither DISPLAY "
            "nor WAYLAND_DISPLAY is set.\nStart it from your desktop (or its start menu "
            "entry), or set DISPLAY to the screen you use.",
            file=sys.stderr,
        )
        return EXIT_NO_DISPLAY
    print(f"{APP_NAME} {__version__}: the tray app is not part of this build yet.", file=sys.stderr)
    return EXIT_OK
