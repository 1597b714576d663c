"""Idle time from desktop services on D-Bus, for Wayland sessions where X11 cannot see input.

GNOME (Mutter) exposes it, and KDE's screen locker does on X11; KDE on Wayland and wlroots
compositors answer through the Wayland protocol instead (``idle_wayland``).
"""

from __future__ import annotations

import logging

from PySide6.QtDBus import QDBusConnection

from unclench.platform import dbus_call

log = logging.getLogger(__name__)

MUTTER_SERVICE = "org.gnome.Mutter.IdleMonitor"
MUTTER_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
SCREENSAVER_SERVICE = "org.freedesktop.ScreenSaver"
SCREENSAVER_PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")
#: Registered by KDE's screen locker next to org.freedesktop.ScreenSaver, in the same process.
KDE_SCREENSAVER_SERVICE = "org.kde.screensaver"


class DBusIdleSource:
    """One D-Bus method that answers the idle time, converted to seconds."""

    def __init__(
        self,
        name: str,
        bus: QDBusConnection,
        call: tuple[str, str, str, str],
        seconds_per_unit: float,
    ) -> None:
        self._name = name
        self._bus = bus
        self._call = call  # service, path, interface, method
        self._seconds_per_unit = seconds_per_unit

    @property
    def name(self) -> str:
        return self._name

    def idle_seconds(self) -> float | None:
        answer = dbus_call.call(self._bus, *self._call)
        if not answer or not isinstance(answer[0], int) or isinstance(answer[0], bool):
            return None
        return max(0, answer[0]) * self._seconds_per_unit


def create_mutter(bus: QDBusConnection | None = None) -> DBusIdleSource | None:
    """GNOME's idle monitor (``GetIdletime``, milliseconds), or ``None`` when it does not answer."""
    bus = QDBusConnection.sessionBus() if bus is None else bus
    call = (MUTTER_SERVICE, MUTTER_PATH, MUTTER_SERVICE, "GetIdletime")
    return _probed(DBusIdleSource("gnome-mutter", bus, call, 0.001))


def create_screensaver(bus: QDBusConnection | None = None) -> DBusIdleSource | None:
    """``org.freedesktop.ScreenSaver.GetSessionIdleTime``, or ``None`` when it does not answer.

    The method is not in the freedesktop idle-inhibition spec; the interfaces that carry it
    name the result ``seconds``, but KDE's screen locker returns KIdleTime's milliseconds.
    KDE is recognized by the ``org.kde.screensaver`` name its locker also owns. Plasma 6 on
    Wayland refuses the call ("not supported on this platform"): then this returns ``None``.
    """
    bus = QDBusConnection.sessionBus() if bus is None else bus
    kde = dbus_call.has_owner(bus, KDE_SCREENSAVER_SERVICE)
    for path in SCREENSAVER_PATHS:
        call = (SCREENSAVER_SERVICE, path, SCREENSAVER_SERVICE, "GetSessionIdleTime")
        name = "kde-screensaver" if kde else "freedesktop-screensaver"
        source = _probed(DBusIdleSource(name, bus, call, 0.001 if kde else 1.0))
        if source is not None:
            return source
    return None


def _probed(source: DBusIdleSource) -> DBusIdleSource | None:
    """Keep a source only if one call answers now: absent services cost nothing later."""
    if source.idle_seconds() is None:
        log.debug("idle source %s does not answer", source.name)
        return None
    return source
