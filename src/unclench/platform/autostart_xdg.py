"""Start at login on Linux and BSD desktops: a file in ``$XDG_CONFIG_HOME/autostart``.

The XDG Autostart spec: every desktop (GNOME, KDE, Xfce, LXQt…) starts the ``.desktop``
files found there at login. The file takes the name of the app's own menu entry, which is
also what a desktop's "startup apps" tool copies in: so there is at most one entry, and
Unclench never starts twice. Ours carries a key of its own, so a file someone else put
there under that name is never overwritten or removed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from unclench import APP_ID, APP_NAME, APP_REVERSE_ID
from unclench.core.i18n import N_
from unclench.platform.autostart_file import AutostartFile

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


class XdgAutostart(AutostartFile):
    name = "xdg-autostart"
    taken_message = N_(
        "{path} already exists and was not made by {app}; it was left as it is. Remove it, or "
        "keep using it to start {app}."
    )

    def __init__(self, folder: Path) -> None:
        super().__init__(folder / FILE_NAME)

    def content(self, command: Sequence[str]) -> bytes:
        return desktop_entry(command).encode()

    def is_ours(self, data: bytes) -> bool:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return any(line.strip() == f"{OWNER_KEY}=true" for line in text.splitlines())
