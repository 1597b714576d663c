"""Idle time from the compositor's idle notifications, for Wayland desktops without a D-Bus
idle service (KDE Plasma on Wayland, sway and other wlroots compositors).

The compositor tells us when nobody has touched the keyboard or mouse for ``resolution_s``
("idled") and when input comes back ("resumed"). Noting the moment of each gives the idle
time exactly from ``resolution_s`` on; below it the source answers 0, which is what the
scheduler needs: ``resolution_s`` is its lull, the shortest pause it looks for. Nothing
polls: an event wakes the app only when the person stops or starts using the machine.

``ext-idle-notify-v1`` is the standard protocol (KWin 5.27, sway 1.8 and newer); the older
``org_kde_kwin_idle`` (sway 1.7, KWin) says the same and is used where the standard one is
missing. Both honor idle inhibitors: while a video plays full screen, the person counts as
present, as they are.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from unclench.platform.wayland_wire import Connection, Event, uint

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IdleProtocol:
    """How one idle protocol asks for a notification and names its two events."""

    name: str  # our name for it in logs and ``unclench status``
    manager: str
    version: int
    request: int  # the manager's request that makes a notification
    seat_first: bool  # argument order of that request: (id, seat, timeout) or (id, timeout, seat)
    idled: int
    resumed: int


EXT_IDLE = IdleProtocol("wayland-idle-notify", "ext_idle_notifier_v1", 1, 1, False, 0, 1)
KDE_IDLE = IdleProtocol("wayland-kde-idle", "org_kde_kwin_idle", 1, 0, True, 0, 1)
PROTOCOLS = (EXT_IDLE, KDE_IDLE)
SEAT = "wl_seat"


class WaylandIdleSource:
    """Idle time from one idle notification; ``None`` once the connection is gone."""

    def __init__(
        self,
        connection: Connection,
        protocol: IdleProtocol,
        resolution_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connection = connection
        self._protocol = protocol
        self._resolution_s = resolution_s
        self._clock = clock
        self._last_input: float | None = None  # set while the compositor says "idle"
        seat = connection.bind(SEAT, 1, _ignore)
        manager = connection.bind(protocol.manager, protocol.version, _ignore)
        notification = connection.new_id(self._on_event)
        timeout_ms = uint(round(resolution_s * 1000))
        args = (
            uint(notification) + uint(seat) + timeout_ms
            if protocol.seat_first
            else uint(notification) + timeout_ms + uint(seat)
        )
        connection.request(manager, protocol.request, args)

    @property
    def name(self) -> str:
        return self._protocol.name

    def idle_seconds(self) -> float | None:
        # Read whatever is waiting first: a tick may run before the socket's own turn.
        if not self._connection.dispatch():
            return None
        if self._last_input is None:
            return 0.0
        return max(0.0, self._clock() - self._last_input)

    def _on_event(self, event: Event) -> None:
        if event.opcode == self._protocol.idled:
            self._last_input = self._clock() - self._resolution_s
        elif event.opcode == self._protocol.resumed:
            self._last_input = None


def _ignore(_event: Event) -> None:
    """The seat's and the manager's own events (capabilities, name) say nothing we need."""


def create(
    connection: Connection | None,
    resolution_s: float,
    clock: Callable[[], float] = time.monotonic,
) -> WaylandIdleSource | None:
    """A source on the first idle protocol the compositor offers, or ``None``."""
    if connection is None or SEAT not in connection.globals:
        return None
    for protocol in PROTOCOLS:
        if protocol.manager in connection.globals:
            source = WaylandIdleSource(connection, protocol, resolution_s, clock)
            if source.idle_seconds() is None:
                return None
            log.debug("idle notifications through %s", protocol.manager)
            return source
    log.info("the compositor offers no idle notifications")
    return None
