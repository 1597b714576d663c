"""Idle time on Windows: the tick of the last input (GetLastInputInfo) against the tick now."""

from __future__ import annotations

import sys
from collections.abc import Callable

#: ``LASTINPUTINFO.dwTime`` is a 32-bit GetTickCount value: it wraps every ~49.7 days.
TICK_WRAP = 1 << 32


class WindowsIdleSource:
    """Milliseconds between two ticks, taken modulo the 32-bit wrap."""

    def __init__(
        self, last_input_tick: Callable[[], int | None], tick_now: Callable[[], int]
    ) -> None:
        self._last_input_tick = last_input_tick
        self._tick_now = tick_now

    @property
    def name(self) -> str:
        return "windows"

    def idle_seconds(self) -> float | None:
        last = self._last_input_tick()
        if last is None:
            return None
        # Both ticks count from boot; taking the difference modulo 2**32 stays right across
        # a wrap of the 32-bit counter (an idle stretch is never 49 days long).
        return ((self._tick_now() - last) % TICK_WRAP) / 1000.0


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    class _LastInputInfo(ctypes.Structure):
        _fields_ = (("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD))

    def create() -> WindowsIdleSource | None:
        """The Windows idle source."""
        user32 = ctypes.windll.user32
        kernel32 = ctypes.windll.kernel32
        kernel32.GetTickCount64.restype = ctypes.c_uint64

        def last_input_tick() -> int | None:
            info = _LastInputInfo()
            info.cbSize = ctypes.sizeof(_LastInputInfo)
            if not user32.GetLastInputInfo(ctypes.byref(info)):
                return None
            return int(info.dwTime)

        def tick_now() -> int:
            return int(kernel32.GetTickCount64())

        return WindowsIdleSource(last_input_tick, tick_now)

else:

    def create() -> WindowsIdleSource | None:
        """``None``: this is not Windows."""
        return None
