"""Somewhere for ``print`` to go in a windowed Windows bundle, which starts with no console.

Such a program has ``sys.stdout`` and ``sys.stderr`` set to ``None``, so ``--version`` or
``unclench status`` would crash on their first line of output. Started from a console, it
attaches to that console and writes there; started from the Start menu or at login, its
output goes to ``console.txt`` in the log folder instead.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

CONSOLE_FILE = "console.txt"


def ensure_streams(
    log_dir: Callable[[], Path],
    attach_console: Callable[[], TextIO | None] | None = None,
) -> None:
    """Give ``sys.stdout``/``sys.stderr`` a place to write where they are ``None``.

    ``attach_console`` returns a stream on the parent's console, or ``None``; by default it
    is the Windows one. Does nothing where both streams exist, as on Linux and macOS.
    """
    if sys.stdout is not None and sys.stderr is not None:
        return
    attach = attach_console if attach_console is not None else _parent_console
    stream = attach() or _console_file(log_dir())
    if stream is None:
        return
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream


def _console_file(folder: Path) -> TextIO | None:
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        # Line-buffered: a short-lived command's lines are on disk as soon as written.
        return (folder / CONSOLE_FILE).open("a", encoding="utf-8", buffering=1)
    return None


if sys.platform == "win32":
    import ctypes

    def _parent_console() -> TextIO | None:
        attach_parent_process = -1
        if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):
            return None  # no console to attach to: started from Explorer or at login
        with contextlib.suppress(OSError):
            # CONOUT$ is the console's device name, not a path; kept open for good.
            return open("CONOUT$", "w", encoding="utf-8", buffering=1)  # noqa: PTH123
        return None

else:

    def _parent_console() -> TextIO | None:
        return None
