"""The app ends with exit code 0 even when Qt speaks while Python shuts down."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _env(tmp_path: Path) -> dict[str, str]:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISPLAY", "WAYLAND"))}
    return env | {
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_SESSION_TYPE": "",
        # Qt reports every plugin it unloads, the last ones while the interpreter shuts down.
        "QT_DEBUG_PLUGINS": "1",
    }


@pytest.mark.slow
def test_quit_with_qt_talking_at_shutdown_exits_zero(tmp_path: Path) -> None:
    """Regression: Qt called our Python message handler during interpreter shutdown and the
    process died of SIGSEGV (exit 139), 3 runs of 3."""
    env = _env(tmp_path)
    app = subprocess.Popen(
        [sys.executable, "-m", "unclench"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            command = [sys.executable, "-m", "unclench", "status"]
            status = subprocess.run(command, env=env, capture_output=True, check=False)
            if status.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert status.returncode == 0, status.stderr
        subprocess.run([sys.executable, "-m", "unclench", "quit"], env=env, check=True)
        _, errors = app.communicate(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == 0, errors.decode(errors="replace")[-2000:]
