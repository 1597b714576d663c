"""Start at login on macOS: a LaunchAgent plist in ``~/Library/LaunchAgents``.

launchd reads the folder at login and starts agents with ``RunAtLoad``. No ``launchctl``
call is needed: the change takes effect from the next login, which is what the setting
promises. macOS 13 and later list the agent under System Settings > General > Login Items.
"""

from __future__ import annotations

import contextlib
import plistlib
from collections.abc import Sequence
from pathlib import Path

from unclench import APP_NAME, APP_REVERSE_ID
from unclench.core.atomic_file import write_atomic
from unclench.platform.autostart import AutostartError

LABEL = APP_REVERSE_ID


def agent_plist(command: Sequence[str]) -> bytes:
    """The LaunchAgent's XML plist."""
    return plistlib.dumps(
        {
            "Label": LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            # Started once at login; quitting from the tray must not bring it back.
            "KeepAlive": False,
            # Interactive: launchd gives it the same scheduling as an app the person opened.
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
    )


class LaunchAgent:
    def __init__(self, folder: Path) -> None:
        self.path = folder / f"{LABEL}.plist"

    @property
    def name(self) -> str:
        return "launch-agent"

    @property
    def location(self) -> str:
        return str(self.path)

    def is_enabled(self) -> bool:
        return self._ours()

    def enable(self, command: Sequence[str]) -> None:
        if self.path.exists() and not self._ours():
            raise AutostartError(
                f"{self.path} already exists and was not made by {APP_NAME}; it was left as it is."
            )
        try:
            write_atomic(self.path, agent_plist(command), mode=0o644)
        except OSError as exc:
            raise AutostartError(
                f"Could not turn on starting at login: {self.path} cannot be written "
                f"({exc.strerror or exc})."
            ) from exc

    def disable(self) -> None:
        if not self._ours():
            return
        try:
            self.path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise AutostartError(
                f"Could not turn off starting at login: {self.path} cannot be removed "
                f"({exc.strerror or exc})."
            ) from exc

    def _ours(self) -> bool:
        plist: object = None
        with contextlib.suppress(OSError, plistlib.InvalidFileException, ValueError):
            plist = plistlib.loads(self.path.read_bytes())
        return isinstance(plist, dict) and plist.get("Label") == LABEL
