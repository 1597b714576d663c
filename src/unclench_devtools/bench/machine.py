"""The machine a run measured on, for the results: CPU, kernel, Python, Qt, and the commit of
the checkout (marked when the app's files differ from it)."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from unclench import __version__ as unclench_version
from unclench_devtools import REPO


def machine_info() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return {
        "cpu_model": model[1].strip() if model else platform.processor(),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "os": _os_name(),
        "python": platform.python_version(),
        "pyside6": importlib.metadata.version("PySide6-Essentials"),
        "unclench": unclench_version,
        "unclench_commit": _commit(),
        "load_average_at_start": os.getloadavg(),
    }


def _commit() -> str | None:
    """The checkout's commit, marked when the app's files differ from it: others commit to the
    same tree while a run goes on, and start-up times follow the code."""
    if shutil.which("git") is None:
        return None
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if head.returncode != 0:
        return None
    changes = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "resources"],
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip() + (" with uncommitted changes" if changes.stdout.strip() else "")


def _os_name() -> str:
    with contextlib.suppress(OSError):
        text = Path("/etc/os-release").read_text()
        match = re.search(r'^PRETTY_NAME="?([^"\n]*)', text, re.MULTILINE)
        if match:
            return match[1]
    return platform.system()
