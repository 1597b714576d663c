"""Idle time on macOS from CoreGraphics: seconds since the last input event of any kind."""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)

COREGRAPHICS = "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"
#: The session's combined input state: all devices, including remote ones.
K_CG_EVENT_SOURCE_STATE_COMBINED_SESSION_STATE = 0
#: ``kCGAnyInputEventType``: ~0 as an unsigned 32-bit event type.
K_CG_ANY_INPUT_EVENT_TYPE = 0xFFFFFFFF


class MacIdleSource:
    """Calls ``CGEventSourceSecondsSinceLastEventType(state, any input)``."""

    def __init__(self, seconds_since_last_event: Callable[[int, int], float]) -> None:
        self._seconds_since = seconds_since_last_event

    @property
    def name(self) -> str:
        return "macos"

    def idle_seconds(self) -> float | None:
        seconds = self._seconds_since(
            K_CG_EVENT_SOURCE_STATE_COMBINED_SESSION_STATE, K_CG_ANY_INPUT_EVENT_TYPE
        )
        if not seconds >= 0.0:  # also catches NaN: neither is an idle time
            return None
        return seconds


if sys.platform == "darwin":

    def create() -> MacIdleSource | None:
        """The macOS idle source, or ``None`` without CoreGraphics."""
        try:
            coregraphics = ctypes.cdll.LoadLibrary(COREGRAPHICS)
        except OSError as exc:
            log.info("CoreGraphics is not available: %s", exc)
            return None
        function = coregraphics.CGEventSourceSecondsSinceLastEventType
        function.restype = ctypes.c_double
        function.argtypes = (ctypes.c_int32, ctypes.c_uint32)

        def seconds_since(state: int, event_type: int) -> float:
            return float(function(state, event_type))

        return MacIdleSource(seconds_since)

else:

    def create() -> MacIdleSource | None:
        """``None``: this is not macOS."""
        return None
