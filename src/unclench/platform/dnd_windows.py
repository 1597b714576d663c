"""Do-not-disturb on Windows: the shell's own "do not notify now" state."""

from __future__ import annotations

import sys
from collections.abc import Callable

#: QUERY_USER_NOTIFICATION_STATE values from shellapi.h that mean "not now".
QUNS_BUSY = 2
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4

REASONS = {
    QUNS_BUSY: "a full-screen window is in front",
    QUNS_RUNNING_D3D_FULL_SCREEN: "a full-screen game or video is running",
    QUNS_PRESENTATION_MODE: "presentation mode is on",
}


class WindowsNotificationStateDnd:
    """Maps ``SHQueryUserNotificationState`` to a reason; ``None`` when the call fails."""

    def __init__(self, query_state: Callable[[], int | None]) -> None:
        self._query_state = query_state

    @property
    def name(self) -> str:
        return "windows-notification-state"

    def reason(self) -> str | None:
        state = self._query_state()
        return None if state is None else REASONS.get(state)


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

else:

    def create() -> WindowsNotificationStateDnd | None:
        """``None``: this is not Windows."""
        return None
