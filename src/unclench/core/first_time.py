"""Remembers that the person has been told something once (one empty file per thing), so a
notice that matters only the first time is not repeated at every login."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def default_folder() -> Path:
    """``~/.local/state/unclench/seen`` on Linux (the platform's state folder)."""
    return platformdirs.user_state_path("unclench", appauthor=False) / "seen"


class FirstTime:
    """``claim(name)`` is true once per name; the folder is made when first needed."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def claim(self, name: str) -> bool:
        """True the first time, and notes it. A folder that cannot be written is told in the
        log and counts as "first time": telling twice beats never telling."""
        marker = self._folder / _UNSAFE.sub("-", name)
        if marker.exists():
            return False
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError as exc:
            log.warning("cannot note that %s was shown: %s", name, exc)
        return True
