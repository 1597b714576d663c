"""Start at login through one file the system reads at login (XDG autostart, LaunchAgent).

What the file-based backends share: the file is written atomically, only a file we wrote
counts as ours, and turning the setting off removes exactly that file and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from unclench import APP_NAME
from unclench.core.atomic_file import write_atomic
from unclench.core.i18n import N_, _
from unclench.platform.autostart import AutostartError


class AutostartFile:
    """A backend whose whole state is one file; subclasses say what it holds and how ours
    is recognized."""

    name = ""
    #: The message when a file of someone else's is in the way (``{path}``, ``{app}``);
    #: English, marked for translation.
    taken_message = N_("{path} already exists and was not made by {app}; it was left as it is.")

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def location(self) -> str:
        return str(self.path)

    def content(self, command: Sequence[str]) -> bytes:
        raise NotImplementedError

    def is_ours(self, data: bytes) -> bool:
        raise NotImplementedError

    def is_enabled(self) -> bool:
        return self._ours()

    def enable(self, command: Sequence[str]) -> None:
        if self.path.exists() and not self._ours():
            raise AutostartError(_(self.taken_message).format(path=self.path, app=APP_NAME))
        try:
            write_atomic(self.path, self.content(command), mode=0o644)
        except OSError as exc:
            raise AutostartError(
                _(
                    "Could not turn on starting at login: {path} cannot be written ({reason})."
                ).format(path=self.path, reason=exc.strerror or exc)
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
                _(
                    "Could not turn off starting at login: {path} cannot be removed ({reason})."
                ).format(path=self.path, reason=exc.strerror or exc)
            ) from exc

    def _ours(self) -> bool:
        try:
            data = self.path.read_bytes()
        except OSError:
            return False
        return self.is_ours(data)
