"""The platform-neutral session watcher: one signal per change, and the per-platform choice."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from unclench.platform.session import SessionWatcher, create_session_watcher
from unclench.platform.session_linux import LinuxSessionWatcher
from unclench.platform.session_windows import WindowsSessionWatcher

pytestmark = pytest.mark.gui  # QObjects with signals


def test_each_change_is_signaled_once(qapp: QApplication) -> None:
    watcher = SessionWatcher()
    locked: list[bool] = []
    asleep: list[bool] = []
    watcher.locked_changed.connect(locked.append)
    watcher.sleep_changed.connect(asleep.append)
    for value in (True, True, False, False, True):
        watcher.report_locked(value)
        watcher.report_sleep(value)
    assert locked == asleep == [True, False, True]


def test_the_base_watcher_says_unsupported(qapp: QApplication) -> None:
    assert SessionWatcher().start() is False


@pytest.mark.parametrize(
    ("platform", "kind"),
    [("linux", LinuxSessionWatcher), ("win32", WindowsSessionWatcher), ("darwin", SessionWatcher)],
)
def test_the_watcher_is_picked_per_platform(
    qapp: QApplication, platform: str, kind: type[SessionWatcher]
) -> None:
    watcher = create_session_watcher(None, platform)
    assert type(watcher) is kind


def test_macos_relies_on_idle_time_and_late_ticks(qapp: QApplication) -> None:
    assert create_session_watcher(None, "darwin").start() is False
