"""Start at login: one interface, a backend per OS (chosen here), and the command to launch.

Each backend owns exactly one thing it writes (an XDG autostart file, a value under the
HKCU ``Run`` key, a LaunchAgent plist), recognizes it as ours before touching it, and
removes only that. Nothing here runs when settings load: the app calls :func:`set_enabled`
only when the person changes the setting.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class AutostartError(Exception):
    """Start at login could not be switched; the message is meant for the person."""


class AutostartBackend(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def location(self) -> str:
        """Where the entry lives, for messages and the log (a path or a registry key)."""
        ...

    def is_enabled(self) -> bool:
        """Whether our entry is there (someone else's entry of the same name is not ours)."""
        ...

    def enable(self, command: Sequence[str]) -> None:
        """Write our entry to run ``command``; raises :class:`AutostartError`."""
        ...

    def disable(self) -> None:
        """Remove our entry if it is there, and nothing else; raises :class:`AutostartError`."""
        ...


def launch_command(
    *,
    frozen: bool | None = None,
    executable: str | None = None,
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
) -> list[str]:
    """The command that starts this copy of Unclench at login.

    A bundle (PyInstaller sets ``sys.frozen``) is its own executable; an AppImage is the
    ``.AppImage`` file, since the bundle inside it is mounted at a new path on every start.
    From source or a wheel it is this interpreter with ``-m unclench`` (``pythonw.exe`` on
    Windows, which opens no console window), so the entry follows the environment the person
    ran when they switched the setting on.
    """
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = sys.executable if executable is None else executable
    env = os.environ if env is None else env
    if frozen:
        appimage = env.get("APPIMAGE", "")
        return [appimage if appimage else executable]
    if platform == "win32":
        windowless = Path(executable).with_name("pythonw.exe")
        if Path(executable).name.lower() == "python.exe" and windowless.is_file():
            executable = str(windowless)
    return [executable, "-m", "unclench"]


def choose_backend(
    *,
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    home: Path | None = None,
) -> AutostartBackend | None:
    """The one place that picks the backend; ``None`` where Unclench cannot do it itself.

    Inside a Flatpak sandbox ``~/.config/autostart`` is not the host's, and the portal that
    would do it needs a D-Bus conversation we do not have yet: unsupported there.
    """
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    if platform == "win32":
        from unclench.platform import autostart_windows  # noqa: PLC0415 - imports winreg

        return autostart_windows.create()
    if platform == "darwin":
        from unclench.platform.autostart_macos import LaunchAgent  # noqa: PLC0415

        return LaunchAgent(home / "Library" / "LaunchAgents")
    if platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        if env.get("FLATPAK_ID") or Path("/.flatpak-info").exists():
            return None
        from unclench.platform.autostart_xdg import XdgAutostart, autostart_dir  # noqa: PLC0415

        return XdgAutostart(autostart_dir(env, home))
    return None


def is_supported() -> bool:
    """Whether Unclench can start itself at login on this system."""
    return choose_backend() is not None


def set_enabled(enabled: bool, backend: AutostartBackend | None = None) -> None:
    """Switch start at login on or off; raises :class:`AutostartError` when that fails.

    Where it is not supported this logs and does nothing: the Settings window grays the
    switch out there, so only a hand-edited settings file gets here.
    """
    backend = backend if backend is not None else choose_backend()
    if backend is None:
        log.info("start at login is not supported here; left as it is")
        return
    if enabled:
        command = launch_command()
        backend.enable(command)
        log.info("start at login on: %s runs %s", backend.location, command)
    else:
        backend.disable()
        log.info("start at login off: %s", backend.location)
