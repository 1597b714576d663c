"""Do-not-disturb as the Linux desktop itself knows it: the person's own switch, and apps
that asked the desktop to stay awake (a video, a presentation).

* KDE Plasma: ``Inhibited`` on its notification server, true while do-not-disturb is on
  (and, from Plasma 6.4, while a window is full screen).
* GNOME: ``show-banners`` off in ``org.gnome.desktop.notifications`` is GNOME's
  do-not-disturb switch; ``InhibitedActions`` of its session manager carries the "idle"
  flag while a video plays or slides are shown. GNOME tells no other program whether a
  window is full screen, so this is the nearest GNOME gives.

Each check asks once per scheduler tick (a D-Bus property or a cached setting): no polling.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections.abc import Callable

from PySide6.QtDBus import QDBusConnection

from unclench.core.i18n import N_, _
from unclench.platform import dbus_call

log = logging.getLogger(__name__)

# Translators: why a due break waits, shown after "Waiting:" in the tray and status.
DND_REASON = N_("do not disturb is on")
# Translators: why a due break waits, shown after "Waiting:" in the tray and status.
INHIBITED_REASON = N_("an app asked the desktop to stay awake (a video or a presentation)")

NOTIFICATIONS = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
SESSION_MANAGER = ("org.gnome.SessionManager", "/org/gnome/SessionManager")
PROPERTIES = "org.freedesktop.DBus.Properties"
#: GsmInhibitorFlag: "idle" is what video players and presentations ask for.
INHIBIT_IDLE = 8
BANNERS = ("org.gnome.desktop.notifications", "show-banners")


def _property(bus: QDBusConnection, target: tuple[str, str], interface: str, name: str) -> object:
    answer = dbus_call.call(bus, target[0], target[1], PROPERTIES, "Get", interface, name)
    return answer[0] if answer else None


class KdeNotificationsDnd:
    """Plasma's notification server says notifications are held back."""

    def __init__(self, bus: QDBusConnection) -> None:
        self._bus = bus

    @property
    def name(self) -> str:
        return "kde-notifications-inhibited"

    def inhibited(self) -> bool | None:
        value = _property(self._bus, NOTIFICATIONS, NOTIFICATIONS[0], "Inhibited")
        return value if isinstance(value, bool) else None

    def reason(self) -> str | None:
        return DND_REASON if self.inhibited() else None


class GnomeSessionInhibitDnd:
    """GNOME's session manager holds an "idle" inhibition for some app."""

    def __init__(self, bus: QDBusConnection) -> None:
        self._bus = bus

    @property
    def name(self) -> str:
        return "gnome-idle-inhibited"

    def actions(self) -> int | None:
        value = _property(self._bus, SESSION_MANAGER, SESSION_MANAGER[0], "InhibitedActions")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def reason(self) -> str | None:
        actions = self.actions()
        return INHIBITED_REASON if actions is not None and actions & INHIBIT_IDLE else None


class GnomeBannersDnd:
    """GNOME's do-not-disturb switch: notification banners turned off."""

    def __init__(self, show_banners: Callable[[], bool]) -> None:
        self._show_banners = show_banners

    @property
    def name(self) -> str:
        return "gnome-do-not-disturb"

    def reason(self) -> str | None:
        return None if self._show_banners() else _(DND_REASON)


def create_kde(bus: QDBusConnection | None = None) -> KdeNotificationsDnd:
    """Plasma's check. It is not probed: started at login, Unclench may come up before
    Plasma's notification server does; until then the check finds nothing to hold."""
    return KdeNotificationsDnd(QDBusConnection.sessionBus() if bus is None else bus)


def create_gnome_session(bus: QDBusConnection | None = None) -> GnomeSessionInhibitDnd:
    """GNOME's session check; not probed, as ``create_kde``."""
    return GnomeSessionInhibitDnd(QDBusConnection.sessionBus() if bus is None else bus)


def create_gnome_banners(reader: Callable[[], bool] | None = None) -> GnomeBannersDnd | None:
    """GNOME's switch, read through GSettings, or ``None`` where GIO or the key is missing."""
    show_banners = reader or gsettings_boolean(*BANNERS)
    return GnomeBannersDnd(show_banners) if show_banners is not None else None


def gsettings_boolean(schema: str, key: str) -> Callable[[], bool] | None:
    """A reader of one boolean GSettings key through libgio, or ``None`` when either the
    library or the key is missing (``g_settings_new`` on a missing schema would abort).

    GSettings caches the value and follows changes on the GLib main loop, which Qt's event
    loop runs on Linux, so a read is a memory access, never a round trip.
    """
    name = ctypes.util.find_library("gio-2.0")
    if name is None:
        return None
    try:
        gio = ctypes.CDLL(name)
    except OSError:
        return None
    gio.g_settings_schema_source_get_default.restype = ctypes.c_void_p
    gio.g_settings_schema_source_lookup.restype = ctypes.c_void_p
    gio.g_settings_schema_source_lookup.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    gio.g_settings_schema_has_key.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    gio.g_settings_new_full.restype = ctypes.c_void_p
    gio.g_settings_new_full.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p]
    gio.g_settings_get_boolean.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    gio.g_settings_schema_unref.argtypes = [ctypes.c_void_p]
    source = gio.g_settings_schema_source_get_default()
    schema_ptr = gio.g_settings_schema_source_lookup(source, schema.encode(), 1) if source else None
    if not schema_ptr:
        return None
    try:
        if not gio.g_settings_schema_has_key(schema_ptr, key.encode()):
            return None
        settings = gio.g_settings_new_full(schema_ptr, None, None)
    finally:
        gio.g_settings_schema_unref(schema_ptr)
    if not settings:
        return None
    key_bytes = key.encode()
    return lambda: bool(gio.g_settings_get_boolean(settings, key_bytes))
