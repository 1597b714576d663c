"""Do-not-disturb on Windows: the shell's own "do not notify now" state, and the person's
Focus assist (Windows 10) or Do not disturb (Windows 11) switch."""

from __future__ import annotations

import sys
from collections.abc import Callable

from unclench.core.i18n import N_, _

#: QUERY_USER_NOTIFICATION_STATE values from shellapi.h that mean "not now".
QUNS_BUSY = 2
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4

QUNS_APP = 7  # a Store app runs full screen

#: Why a due break waits, shown after "Waiting:"; English, marked for translation.
REASONS = {
    QUNS_BUSY: N_("a full-screen window is in front"),
    # Translators: why a due break waits, shown after "Waiting:" in the tray and status.
    QUNS_RUNNING_D3D_FULL_SCREEN: N_("a full-screen game or video is running"),
    # Translators: why a due break waits, shown after "Waiting:" in the tray and status.
    QUNS_PRESENTATION_MODE: N_("presentation mode is on"),
    QUNS_APP: N_("a full-screen window is in front"),
}

#: The shell publishes the Focus assist profile in this Windows Notification Facility state
#: (0 off, 1 priority only, 2 alarms only). It is not documented; reading it is how other
#: programs learn the switch, and a failed read means "off".
WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED = 0x0D83063EA3BF1C75
# Translators: why a due break waits, shown after "Waiting:" in the tray and status.
DND_REASON = N_("do not disturb is on")


class WindowsNotificationStateDnd:
    """Maps ``SHQueryUserNotificationState`` to a reason; ``None`` when the call fails."""

    def __init__(self, query_state: Callable[[], int | None]) -> None:
        self._query_state = query_state

    @property
    def name(self) -> str:
        return "windows-notification-state"

    def reason(self) -> str | None:
        state = self._query_state()
        reason = None if state is None else REASONS.get(state)
        return None if reason is None else _(reason)


class WindowsFocusAssistDnd:
    """Focus assist on (any profile): the person asked not to be interrupted."""

    def __init__(self, query_profile: Callable[[], int | None]) -> None:
        self._query_profile = query_profile

    @property
    def name(self) -> str:
        return "windows-focus-assist"

    def reason(self) -> str | None:
        profile = self._query_profile()
        return DND_REASON if profile else None


if sys.platform == "win32":
    import ctypes

    def create() -> WindowsNotificationStateDnd | None:
        """The Windows check."""
        shell32 = ctypes.windll.shell32

        def query_state() -> int | None:
            state = ctypes.c_int(0)
            if shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:  # S_OK is 0
                return None
            return state.value

        return WindowsNotificationStateDnd(query_state)

    def create_focus_assist() -> WindowsFocusAssistDnd | None:
        """The Focus assist check, or ``None`` where Windows does not publish the state."""
        try:
            query = ctypes.windll.ntdll.NtQueryWnfStateData
        except AttributeError:
            return None
        state_name = ctypes.c_ulonglong(WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED)

        def query_profile() -> int | None:
            stamp, profile, size = ctypes.c_ulong(0), ctypes.c_int(0), ctypes.c_ulong(4)
            status = query(
                ctypes.byref(state_name), None, None, ctypes.byref(stamp),
                ctypes.byref(profile), ctypes.byref(size),
            )  # fmt: skip
            return profile.value if status == 0 else None

        return WindowsFocusAssistDnd(query_profile)

else:

    def create() -> WindowsNotificationStateDnd | None:
        """``None``: this is not Windows."""
        return None

    def create_focus_assist() -> WindowsFocusAssistDnd | None:
        """``None``: this is not Windows."""
        return None
