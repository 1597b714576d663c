"""Decoding Windows session messages, and the native event filter that feeds the watcher."""

from __future__ import annotations

import ctypes
import sys
from ctypes import wintypes

import pytest
from PySide6.QtWidgets import QApplication

from unclench.platform.session_windows import (
    PBT_APMRESUMEAUTOMATIC,
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    WTS_SESSION_UNLOCK,
    SessionEvent,
    SessionMessageFilter,
    WindowsSessionWatcher,
    decode,
)

WM_TIMER = 0x0113
WTS_SESSION_LOGON = 5
PBT_APMPOWERSTATUSCHANGE = 0x0A


@pytest.mark.parametrize(
    ("message", "wparam", "event"),
    [
        (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, SessionEvent("locked", True)),
        (WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK, SessionEvent("locked", False)),
        (WM_POWERBROADCAST, PBT_APMSUSPEND, SessionEvent("sleep", True)),
        (WM_POWERBROADCAST, PBT_APMRESUMEAUTOMATIC, SessionEvent("sleep", False)),
        (WM_WTSSESSION_CHANGE, WTS_SESSION_LOGON, None),
        (WM_POWERBROADCAST, PBT_APMPOWERSTATUSCHANGE, None),  # on battery: not our business
        (WM_TIMER, WTS_SESSION_LOCK, None),  # the same number in another message
    ],
)
def test_decode(message: int, wparam: int, event: SessionEvent | None) -> None:
    assert decode(message, wparam) == event


def test_message_numbers_match_the_windows_headers() -> None:
    assert (WM_POWERBROADCAST, WM_WTSSESSION_CHANGE) == (0x0218, 0x02B1)
    assert (WTS_SESSION_LOCK, WTS_SESSION_UNLOCK, PBT_APMSUSPEND, PBT_APMRESUMEAUTOMATIC) == (
        7,
        8,
        4,
        0x12,
    )


@pytest.mark.gui
def test_the_filter_reads_a_msg_and_lets_it_through(qapp: QApplication) -> None:
    watcher = WindowsSessionWatcher(None, hwnd=1)
    events: list[tuple[str, bool]] = []
    watcher.locked_changed.connect(lambda value: events.append(("locked", value)))
    watcher.sleep_changed.connect(lambda value: events.append(("sleep", value)))
    event_filter = SessionMessageFilter(watcher)

    def deliver(message: int, wparam: int, kind: bytes = b"windows_generic_MSG") -> object:
        msg = wintypes.MSG()
        msg.message = message
        msg.wParam = wparam
        return event_filter.nativeEventFilter(kind, ctypes.addressof(msg))

    assert deliver(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) == (False, 0)
    deliver(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)  # a repeat is not a change
    deliver(WM_POWERBROADCAST, PBT_APMSUSPEND)
    deliver(WM_POWERBROADCAST, PBT_APMRESUMEAUTOMATIC)
    deliver(WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK)
    deliver(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, kind=b"xcb_generic_event_t")  # not Windows
    assert events == [("locked", True), ("sleep", True), ("sleep", False), ("locked", False)]


@pytest.mark.gui
@pytest.mark.skipif(sys.platform == "win32", reason="checks the guard off Windows")
def test_off_windows_start_says_unsupported(qapp: QApplication) -> None:
    assert WindowsSessionWatcher(None, hwnd=1).start() is False
