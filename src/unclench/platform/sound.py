"""A soft chime when a break starts (off by default), with the player each platform has.

QtMultimedia is not in PySide6-Essentials, so the sound goes through the system's own
player: one short-lived process (or an async call on Windows), never a thread of ours.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from unclench.core.resources import resource_path

log = logging.getLogger(__name__)

#: Tried in order on Linux: PipeWire, PulseAudio, ALSA.
LINUX_PLAYERS: tuple[tuple[str, ...], ...] = (("pw-play",), ("paplay",), ("aplay", "-q"))


def chime_path() -> Path:
    return resource_path("sounds", "chime.wav")


def player_command(
    path: Path, platform: str = sys.platform, which: Callable[[str], str | None] = shutil.which
) -> list[str] | None:
    """The command that plays ``path`` here, or None when there is no player."""
    if platform == "darwin":
        candidates: Sequence[tuple[str, ...]] = (("afplay",),)
    elif platform.startswith(("linux", "freebsd")):
        candidates = LINUX_PLAYERS
    else:
        return None
    for candidate in candidates:
        found = which(candidate[0])
        if found:
            return [found, *candidate[1:], str(path)]
    return None


def play_chime() -> bool:
    """Start the chime and return at once; False when it cannot be played here."""
    path = chime_path()
    if sys.platform == "win32":
        import winsound  # noqa: PLC0415 - Windows only

        winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC)
        return True
    command = player_command(path)
    if command is None:
        log.info("no sound player found; the chime is skipped")
        return False
    try:
        # Fire and forget; the player exits by itself after 1.2 s.
        subprocess.Popen(  # noqa: S603 - our own file, a player found on PATH
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
    except OSError as exc:
        log.warning("could not play the chime: %s", exc)
        return False
    return True
