"""Start at login on Linux and BSD desktops: a file in ``$XDG_CONFIG_HOME/autostart``.

The XDG Autostart spec: every desktop (GNOME, KDE, Xfce, LXQt…) starts the ``.desktop``
files found there at login. The file takes the name of the app's own menu entry, which is
also what a desktop's "startup apps" tool copies in: so there is at most one entry, and
Unclench never starts twice. Ours carries a key of its own, so a file someone else put
there under that name is never overwritten or removed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from unclench import APP_ID, APP_NAME, APP_REVERSE_ID
from unclench.core.atomic_file import write_atomic
from unclench.platform.autostart import AutostartError

FILE_NAME = f"{APP_REVERSE_ID}.desktop"
#: Marks the file as written by Unclench's own setting.
OWNER_KEY = "X-Unclench-Autostart"
#: Characters that make the spec require an argument to be quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def autostart_dir(env: Mapping[str, str], home: Path) -> Path:
    """``$XDG_CONFIG_HOME/autostart``; the spec says to ignore a relative XDG_CONFIG_HOME."""
    config = env.get("XDG_CONFIG_HOME", "")
    base = Path(config) if config and Path(config).is_absolute() else home / ".config"
    return base / "autostart"


def exec_line(command: Sequence[str]) -> str:
    """``command`` as the value of an ``Exec=`` key, quoted and escaped as the spec asks."""
    words = []
    for arg in command:
        escaped = arg.replace("%", "%%")
        if _RESERVED & set(arg):
            inner = "".join("\\" + c if c in '"`$\\' else c for c in escaped)
            escaped = f'"{inner}"'
        # The whole value is a string value too, where a backslash is written twice.
        words.append(escaped.replace("\\", "\\\\"))
    return " ".join(words)


def desktop_entry(command: Sequence[str]) -> str:
    """The autostart file's text."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        f"Name={APP_NAME}",
        "Comment=Short self-massage breaks after active screen time",
        f"Exec={exec_line(command)}",
        # Desktops skip the entry if the program is gone (say, uninstalled).
        f"TryExec={exec_line(command[:1])}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        f"{OWNER_KEY}=true",
    ]
    return "\n".join(lines) + "\n"


class XdgAutostart:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME

    @property
    def name(self) -> str:
        return "xdg-autostart"

    @property
    def location(self) -> str:
        return str(self.path)

    def is_enabled(self) -> bool:
        return self._ours()

    def enable(self, command: Sequence[str]) -> None:
        if self.path.exists() and not self._ours():
            raise AutostartError(
                f"{self.path} already exists and was not made by {APP_NAME}; it was left as "
                f"it is. Remove it, or keep using it to start {APP_NAME}."
            )
        try:
            write_atomic(self.path, desktop_entry(command).encode(), mode=0o644)
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
        text = ""
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = self.path.read_text(encoding="utf-8")
        return any(line.strip() == f"{OWNER_KEY}=true" for line in text.splitlines())
