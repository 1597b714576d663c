"""What loads before the tray icon shows: start-up time is spent on imports, so keep them few.

The history (SQLite), the scheduler and the catalogue load after the tray is up
(``UnclenchApp.build``); the command line loads them only for the commands that print them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

LATER = (
    "sqlite3",
    "unclench.core.history",
    "unclench.core.scheduler",
    "unclench.core.catalogue",
    "unclench.core.settings",
    "unclench.ipc.results",
    "unclench.command_handler",
    "unclench.running_app",
    "unclench.controller",
    "unclench.ui.break_window",
    "PySide6.QtNetwork",
    "Xlib",
)


def loaded_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import unclench.cli", id="the command line"),
        pytest.param("import unclench.cli, unclench.app", id="the app before its tray"),
    ],
)
def test_start_up_leaves_the_heavy_modules_for_later(code: str) -> None:
    assert loaded_after(code) & set(LATER) == set()


def test_the_check_above_would_see_them() -> None:
    """A control for the test above: the same probe finds modules that are loaded."""
    assert {"sqlite3", "unclench.core.history"} <= loaded_after("import unclench.core.history")
