"""Whether the person asked the system for less motion (then the pacer is static text)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping

log = logging.getLogger(__name__)

#: Set to 1 or 0 to override what the desktop says (useful for testing and for desktops
#: that have no such setting).
ENV_OVERRIDE = "UNCLENCH_REDUCED_MOTION"


def prefers_reduced_motion(env: Mapping[str, str] | None = None) -> bool:
    """Read once at start-up; a failed probe means "no preference"."""
    env = os.environ if env is None else env
    override = env.get(ENV_OVERRIDE)
    if override is not None:
        return override.strip() not in ("", "0", "false", "no")
    try:
        if sys.platform == "win32":
            return _windows_reduced_motion()
        if sys.platform == "darwin":
            return _read(["defaults", "read", "com.apple.universalaccess", "reduceMotion"]) == "1"
        # GNOME and most GTK desktops; KDE exposes the same choice through its animation speed.
        return _read(["gsettings", "get", "org.gnome.desktop.interface", "enable-animations"]) == (
            "false"
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("reduced-motion probe failed: %s", exc)
        return False


def _read(cmd: list[str]) -> str:
    if shutil.which(cmd[0]) is None:
        return ""
    # A fixed command of ours, found on PATH: nothing from outside reaches it.
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=2, check=False)  # noqa: S603
    return done.stdout.strip()


def _windows_reduced_motion() -> bool:
    import ctypes  # noqa: PLC0415 - Windows only

    windll = getattr(ctypes, "windll", None)  # absent off Windows
    if windll is None:
        return False
    spi_get_client_area_animation = 0x1042
    enabled = ctypes.c_int(1)
    ok = windll.user32.SystemParametersInfoW(
        spi_get_client_area_animation, 0, ctypes.byref(enabled), 0
    )
    return bool(ok) and not enabled.value
