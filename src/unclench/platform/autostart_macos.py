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

from unclench import APP_REVERSE_ID
from unclench.platform.autostart_file import AutostartFile

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


class LaunchAgent(AutostartFile):
    name = "launch-agent"

    def __init__(self, folder: Path) -> None:
        super().__init__(folder / f"{LABEL}.plist")

    def content(self, command: Sequence[str]) -> bytes:
        return agent_plist(command)

    def is_ours(self, data: bytes) -> bool:
        plist: object = None
        with contextlib.suppress(plistlib.InvalidFileException, ValueError):
            plist = plistlib.loads(data)
        return isinstance(plist, dict) and plist.get("Label") == LABEL
