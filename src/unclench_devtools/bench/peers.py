"""The peers, Workrave and Safe Eyes: installed from Debian when missing, and skipped with a
note when they cannot run."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from unclench_devtools.bench.common import log
from unclench_devtools.bench.targets import Target

PEER_PACKAGES = ("workrave", "safeeyes", "gir1.2-ayatanaappindicator3-0.1")


def package_version(package: str) -> str | None:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status} ${Version}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    words = result.stdout.split()
    installed = result.returncode == 0 and words[:3] == ["install", "ok", "installed"]
    return words[3] if installed and len(words) > 3 else None


def install_peers() -> list[str]:
    """Installs the missing peer packages with apt-get; returns what went wrong, if anything."""
    missing = [p for p in PEER_PACKAGES if package_version(p) is None]
    if not missing:
        return []
    if shutil.which("apt-get") is None:
        return [f"cannot install {' '.join(missing)}: no apt-get on this machine"]
    if os.geteuid() != 0:
        return [f"cannot install {' '.join(missing)}: apt-get needs root; run as root or install"]
    log(f"installing {' '.join(missing)} with apt-get (as root)")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-q", *missing]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    if result.returncode != 0:
        # A fresh machine has no package lists yet.
        log("apt-get install failed; running apt-get update and trying once more")
        subprocess.run(
            ["apt-get", "update", "-q"],
            env=env,
            capture_output=True,
            check=False,
            timeout=900,
        )
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, check=False, timeout=900
        )
    if result.returncode != 0:
        return [f"apt-get install {' '.join(missing)} failed: {result.stderr.strip()[-500:]}"]
    return []


def safe_eyes_running() -> list[str]:
    """Processes that would make Safe Eyes refuse to start, by its own rule: a Python whose
    first argument contains 'safeeyes', or with 'safeeyes' among its arguments."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if len(args) > 1 and "python" in args[0] and ("safeeyes" in args[1] or "safeeyes" in args):
            found.append(f"pid {entry.name}: {' '.join(args).strip()}")
    return found


def peer_targets(notes: list[str]) -> list[Target]:
    problems = install_peers()
    for problem in problems:
        log(f"PEERS: {problem}")
    notes += problems
    peers = []
    workrave = package_version("workrave")
    if workrave and shutil.which("workrave"):
        peers.append(Target("workrave", "Workrave", workrave, ["workrave"], is_unclench=False))
    else:
        notes.append("Workrave is not installed: measured without it")
    safeeyes = package_version("safeeyes")
    indicator = package_version("gir1.2-ayatanaappindicator3-0.1")
    running = safe_eyes_running()
    if not (safeeyes and indicator and shutil.which("safeeyes")):
        notes.append("Safe Eyes (or gir1.2-ayatanaappindicator3-0.1) is not installed")
    elif running:
        notes.append(
            "Safe Eyes skipped: it refuses to start while another process has 'safeeyes' "
            f"among its arguments ({'; '.join(running)})"
        )
    else:
        peers.append(
            Target(
                "safeeyes",
                "Safe Eyes",
                safeeyes,
                ["safeeyes"],
                is_unclench=False,
                needs_system_bus=True,
            )
        )
    for note in notes:
        log(f"note: {note}")
    return peers
