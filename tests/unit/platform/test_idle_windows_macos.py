"""The Windows and macOS idle arithmetic, with the system calls replaced by fakes."""

from __future__ import annotations

import math
import sys

import pytest

from unclench.platform import idle_macos, idle_windows
from unclench.platform.idle_macos import (
    K_CG_ANY_INPUT_EVENT_TYPE,
    K_CG_EVENT_SOURCE_STATE_COMBINED_SESSION_STATE,
    MacIdleSource,
)
from unclench.platform.idle_windows import WindowsIdleSource


def test_windows_idle_is_the_tick_difference_in_seconds() -> None:
    source = WindowsIdleSource(lambda: 10_000, lambda: 12_500)
    assert source.name == "windows"
    assert source.idle_seconds() == pytest.approx(2.5)


def test_windows_idle_survives_the_32_bit_tick_wrap() -> None:
    """After 49.7 days GetTickCount64 passes 2**32 while the last-input tick restarts at 0."""
    last_input = 2**32 - 1_000  # a key press just before the 32-bit counter wrapped
    now = 2**32 + 2_000  # the 64-bit count three seconds later
    assert WindowsIdleSource(lambda: last_input, lambda: now).idle_seconds() == pytest.approx(3.0)
    # and long after the wrap, with the last input after it as well
    assert WindowsIdleSource(
        lambda: 500, lambda: 5 * 2**32 + 1_500
    ).idle_seconds() == pytest.approx(1.0)


def test_windows_failed_call_answers_none() -> None:
    assert WindowsIdleSource(lambda: None, lambda: 5).idle_seconds() is None


def test_macos_asks_for_any_input_in_the_combined_session_state() -> None:
    calls: list[tuple[int, int]] = []

    def seconds_since(state: int, event_type: int) -> float:
        calls.append((state, event_type))
        return 12.5

    source = MacIdleSource(seconds_since)
    assert source.name == "macos"
    assert source.idle_seconds() == 12.5
    assert calls == [(K_CG_EVENT_SOURCE_STATE_COMBINED_SESSION_STATE, K_CG_ANY_INPUT_EVENT_TYPE)]
    assert (K_CG_EVENT_SOURCE_STATE_COMBINED_SESSION_STATE, K_CG_ANY_INPUT_EVENT_TYPE) == (
        0,
        0xFFFFFFFF,
    )


@pytest.mark.parametrize("answer", [-1.0, math.nan])
def test_macos_impossible_answers_are_unknown(answer: float) -> None:
    assert MacIdleSource(lambda _state, _kind: answer).idle_seconds() is None


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="checks the other platforms' guard")
def test_foreign_backends_say_unsupported_here() -> None:
    assert idle_windows.create() is None
    assert idle_macos.create() is None
