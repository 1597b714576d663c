"""The Windows notification-state check, with SHQueryUserNotificationState faked."""

from __future__ import annotations

import sys

import pytest

from unclench.platform import dnd_windows
from unclench.platform.dnd_windows import WindowsFocusAssistDnd, WindowsNotificationStateDnd


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (1, None),  # QUNS_NOT_PRESENT: the screen saver or lock screen is up
        (2, "a full-screen window is in front"),
        (3, "a full-screen game or video is running"),
        (4, "presentation mode is on"),
        (5, None),  # QUNS_ACCEPTS_NOTIFICATIONS
        (7, "a full-screen window is in front"),  # QUNS_APP
        (None, None),  # the call failed
    ],
)
def test_busy_states_give_a_reason(state: int | None, reason: str | None) -> None:
    check = WindowsNotificationStateDnd(lambda: state)
    assert check.reason() == reason
    assert check.name == "windows-notification-state"


@pytest.mark.parametrize(
    ("profile", "reason"),
    [(0, None), (1, "do not disturb is on"), (2, "do not disturb is on"), (None, None)],
)
def test_focus_assist_on_holds_breaks(profile: int | None, reason: str | None) -> None:
    """0 off, 1 priority only, 2 alarms only; a failed read counts as off."""
    check = WindowsFocusAssistDnd(lambda: profile)
    assert check.reason() == reason
    assert check.name == "windows-focus-assist"


@pytest.mark.skipif(sys.platform == "win32", reason="checks the guard off Windows")
def test_off_windows_it_is_unsupported() -> None:
    assert dnd_windows.create() is None
    assert dnd_windows.create_focus_assist() is None
