"""The Windows notification-state check, with SHQueryUserNotificationState faked."""

from __future__ import annotations

import sys

import pytest

from unclench.platform import dnd_windows
from unclench.platform.dnd_windows import WindowsNotificationStateDnd


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (1, None),  # QUNS_NOT_PRESENT: the screen saver or lock screen is up
        (2, "a full-screen window is in front"),
        (3, "a full-screen game or video is running"),
        (4, "presentation mode is on"),
        (5, None),  # QUNS_ACCEPTS_NOTIFICATIONS
        (None, None),  # the call failed
    ],
)
def test_busy_states_give_a_reason(state: int | None, reason: str | None) -> None:
    check = WindowsNotificationStateDnd(lambda: state)
    assert check.reason() == reason
    assert check.name == "windows-notification-state"


@pytest.mark.skipif(sys.platform == "win32", reason="checks the guard off Windows")
def test_off_windows_it_is_unsupported() -> None:
    assert dnd_windows.create() is None
