"""Do-not-disturb on Windows while the camera or microphone is in use (most likely a call).

Windows records each app's use of the camera and microphone for its privacy settings page,
under ``HKCU\\...\\CapabilityAccessManager\\ConsentStore\\<device>``: one subkey per Store app,
and under ``NonPackaged`` one per desktop program. While an app uses the device its
``LastUsedTimeStart`` is set and its ``LastUsedTimeStop`` is 0.
"""

from __future__ import annotations

import sys
from typing import Protocol

from unclench.core.i18n import N_

CONSENT_STORE = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
#: Each device's registry name, and why a due break waits while it is in use (English,
#: marked for translation).
# Translators: why a due break waits, shown after "Waiting:" in the tray and status.
DEVICES = (("webcam", N_("a camera is in use")), ("microphone", N_("a microphone is in use")))


class RegistryReader(Protocol):
    """The two questions we ask of ``HKEY_CURRENT_USER``; missing keys are not errors."""

    def subkeys(self, path: str) -> list[str]:
        """Names of the subkeys of ``path``; empty when it does not exist."""
        ...

    def integer(self, path: str, value: str) -> int | None:
        """An integer value under ``path``, or ``None`` when absent or not a number."""
        ...


class WindowsCaptureDnd:
    """Looks for an app whose last use of the camera or microphone has not stopped."""

    def __init__(self, registry: RegistryReader) -> None:
        self._registry = registry

    @property
    def name(self) -> str:
        return "windows-capture"

    def reason(self) -> str | None:
        for device, reason in DEVICES:
            if self._in_use(rf"{CONSENT_STORE}\{device}"):
                return reason
        return None

    def _in_use(self, device_key: str) -> bool:
        apps = [rf"{device_key}\{name}" for name in self._registry.subkeys(device_key)]
        non_packaged = rf"{device_key}\NonPackaged"
        apps += [rf"{non_packaged}\{name}" for name in self._registry.subkeys(non_packaged)]
        return any(self._app_in_use(app) for app in apps)

    def _app_in_use(self, app_key: str) -> bool:
        start = self._registry.integer(app_key, "LastUsedTimeStart")
        stop = self._registry.integer(app_key, "LastUsedTimeStop")
        return bool(start) and stop == 0


if sys.platform == "win32":
    import winreg

    class _WinregReader:
        """``RegistryReader`` over ``HKEY_CURRENT_USER``."""

        def subkeys(self, path: str) -> list[str]:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
                    count = winreg.QueryInfoKey(key)[0]
                    return [winreg.EnumKey(key, index) for index in range(count)]
            except OSError:
                return []

        def integer(self, path: str, value: str) -> int | None:
            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
                    data, kind = winreg.QueryValueEx(key, value)
            except OSError:
                return None
            if kind not in (winreg.REG_QWORD, winreg.REG_DWORD) or not isinstance(data, int):
                return None
            return data

    def create() -> WindowsCaptureDnd | None:
        """The Windows camera and microphone check."""
        return WindowsCaptureDnd(_WinregReader())

else:

    def create() -> WindowsCaptureDnd | None:
        """``None``: this is not Windows."""
        return None
