"""Start at login on Windows: a value named ``Unclench`` under the user's ``Run`` key.

``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` needs no administrator rights,
and Task Manager's Startup tab lists and can disable what is there. The installer's
optional "start at login" task writes the same value, so the setting and the installer
agree on one entry, and uninstalling removes it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Protocol

from unclench import APP_NAME
from unclench.core.i18n import _
from unclench.platform.autostart import AutostartError

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = APP_NAME


class RunKey(Protocol):
    """String values under ``HKCU\\...\\Run``; a missing value is ``None``, not an error."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, command: str) -> None:
        """Raises ``OSError`` when the key cannot be written."""
        ...

    def delete(self, name: str) -> None:
        """Raises ``OSError`` when the value exists and cannot be removed."""
        ...


def command_line(command: Sequence[str]) -> str:
    """Each argument in double quotes: paths under ``Program Files`` or a user name with a
    space stay whole. Our arguments never contain a double quote."""
    return " ".join(f'"{arg}"' for arg in command)


class RunKeyAutostart:
    def __init__(self, run_key: RunKey) -> None:
        self._key = run_key

    @property
    def name(self) -> str:
        return "windows-run-key"

    @property
    def location(self) -> str:
        return rf"HKEY_CURRENT_USER\{RUN_KEY}\{VALUE_NAME}"

    def is_enabled(self) -> bool:
        return self._ours(self._key.get(VALUE_NAME))

    def enable(self, command: Sequence[str]) -> None:
        current = self._key.get(VALUE_NAME)
        if current is not None and not self._ours(current):
            raise AutostartError(
                _(
                    "{location} already holds another program ({program}); it was left as it is."
                ).format(location=self.location, program=current)
            )
        try:
            self._key.set(VALUE_NAME, command_line(command))
        except OSError as exc:
            raise AutostartError(
                _(
                    "Could not turn on starting at login: {path} cannot be written ({reason})."
                ).format(path=self.location, reason=exc)
            ) from exc

    def disable(self) -> None:
        if not self._ours(self._key.get(VALUE_NAME)):
            return
        try:
            self._key.delete(VALUE_NAME)
        except OSError as exc:
            raise AutostartError(
                _(
                    "Could not turn off starting at login: {path} cannot be removed ({reason})."
                ).format(path=self.location, reason=exc)
            ) from exc

    @staticmethod
    def _ours(command: str | None) -> bool:
        # A value of our name that runs an unclench executable, or Python with -m unclench.
        return command is not None and "unclench" in command.lower()


if sys.platform == "win32":
    import winreg

    class _WinregRunKey:
        """``RunKey`` over ``HKEY_CURRENT_USER`` with the standard library's winreg."""

        def get(self, name: str) -> str | None:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                    data, kind = winreg.QueryValueEx(key, name)
            except OSError:
                return None
            if kind not in (winreg.REG_SZ, winreg.REG_EXPAND_SZ) or not isinstance(data, str):
                return None
            return data

        def set(self, name: str, command: str) -> None:
            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.SetValueEx(key, name, 0, winreg.REG_SZ, command)

        def delete(self, name: str) -> None:
            try:
                with winreg.OpenKey(
                    winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE
                ) as key:
                    winreg.DeleteValue(key, name)
            except FileNotFoundError:
                return

    def create() -> RunKeyAutostart | None:
        """The backend over the real registry."""
        return RunKeyAutostart(_WinregRunKey())

else:

    def create() -> RunKeyAutostart | None:
        """``None``: this is not Windows."""
        return None
