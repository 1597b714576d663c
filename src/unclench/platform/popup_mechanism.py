"""How the break window can appear on this desktop without taking the keyboard: chosen once,
before Qt starts, because one choice is which windowing system Qt itself talks to.

* ``x11``: an X11 session. Qt's window flags (tool window, stays on top, accepts no focus)
  are honored by X window managers.
* ``xwayland``: GNOME and KDE Plasma on Wayland. A Wayland window can neither place itself
  nor stay above others, and both desktops focus a new one; on XWayland the same X11 flags
  hold (tried on GNOME Shell 43 and KWin 5.27). So the whole app runs on XWayland there.
* ``sway``: sway focuses new X windows too, but its IPC lets the app float, place and keep
  unfocused its own native window (``no_focus``, ``for_window`` rules).
* ``notification``: any other Wayland desktop, or GNOME and KDE without XWayland. Nothing
  can show a window there without taking focus, so a break arrives as a desktop notification
  with Start, Snooze and Skip; Start opens the window (the person asked for it).
* ``native``: Windows and macOS, whose own flags keep the window unfocused, and any other
  Qt platform (``offscreen`` in tests).

``UNCLENCH_POPUP`` names a mechanism to use instead, for a desktop that is guessed wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from unclench.core.i18n import N_

log = logging.getLogger(__name__)

ENV_POPUP = "UNCLENCH_POPUP"


class Mechanism(StrEnum):
    X11 = "x11"
    XWAYLAND = "xwayland"
    SWAY = "sway"
    NOTIFICATION = "notification"
    NATIVE = "native"


#: What each mechanism means for the person, for ``unclench status`` and About (English,
#: marked for translation: the places that show it translate it; `unclench status --json` keeps
#: it English).
DESCRIPTIONS: dict[Mechanism, str] = {
    # Translators: how a break appears on this desktop, shown in About and `unclench status`.
    Mechanism.X11: N_("a window in a screen corner that leaves the keyboard where it is"),
    Mechanism.XWAYLAND: N_(
        "a window in a screen corner that leaves the keyboard where it is (through XWayland)"
    ),
    Mechanism.SWAY: N_("a floating window in a screen corner that sway keeps unfocused"),
    # Translators: Start, Snooze and Skip are the notification's buttons.
    Mechanism.NOTIFICATION: N_(
        "a desktop notification with Start, Snooze and Skip: this desktop cannot show a "
        "window without taking the keyboard"
    ),
    Mechanism.NATIVE: N_("a window in a screen corner that leaves the keyboard where it is"),
}

#: Desktops whose compositor leaves an XWayland tool window in place, above and unfocused.
XWAYLAND_DESKTOPS = ("GNOME", "KDE")


@dataclass(frozen=True, slots=True)
class PopupChoice:
    mechanism: Mechanism
    #: The Qt platform plugin to use (``QT_QPA_PLATFORM``), or ``None`` to leave Qt's own.
    qt_platform: str | None
    reason: str

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.mechanism]


def is_wayland_session(env: Mapping[str, str]) -> bool:
    """A Wayland session; without a session type (started by hand) the socket decides."""
    session_type = env.get("XDG_SESSION_TYPE", "").lower()
    return session_type == "wayland" or (not session_type and bool(env.get("WAYLAND_DISPLAY")))


def choose_popup_mechanism(env: Mapping[str, str], platform: str) -> PopupChoice:
    """The mechanism for this desktop; see the module docstring. Never fails."""
    choice = _choose(env, platform)
    log.info("break window: %s (%s)", choice.mechanism, choice.reason)
    return choice


def _choose(env: Mapping[str, str], platform: str) -> PopupChoice:
    wanted = env.get(ENV_POPUP, "").strip().lower()
    if wanted:
        if wanted in Mechanism.__members__.values():
            return _forced(Mechanism(wanted), env)
        log.warning("%s=%s is not one of %s: ignored", ENV_POPUP, wanted, ", ".join(Mechanism))
    if platform in {"win32", "darwin"}:
        return PopupChoice(Mechanism.NATIVE, None, f"{platform} keeps tool windows unfocused")
    requested_qt = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if requested_qt and requested_qt not in {"wayland", "xcb"}:
        return PopupChoice(Mechanism.NATIVE, None, f"Qt platform {requested_qt} was asked for")
    if not is_wayland_session(env):
        return PopupChoice(Mechanism.X11, "xcb", "an X11 session")
    desktop = env.get("XDG_CURRENT_DESKTOP", "")
    if env.get("SWAYSOCK") and ("sway" in desktop.lower() or not desktop):
        return PopupChoice(Mechanism.SWAY, "wayland", "sway's IPC places the window")
    known = next((d for d in XWAYLAND_DESKTOPS if d in desktop.upper().split(":")), None)
    if known is not None and env.get("DISPLAY"):
        return PopupChoice(Mechanism.XWAYLAND, "xcb", f"{known} on Wayland, with XWayland")
    why = f"{known} without XWayland" if known else f"Wayland desktop {desktop or '(unnamed)'}"
    return PopupChoice(Mechanism.NOTIFICATION, None, why)


def _forced(mechanism: Mechanism, env: Mapping[str, str]) -> PopupChoice:
    qt_platform = {
        Mechanism.X11: "xcb",
        Mechanism.XWAYLAND: "xcb",
        Mechanism.SWAY: "wayland",
    }.get(mechanism)
    if qt_platform == "xcb" and not env.get("DISPLAY"):
        return PopupChoice(Mechanism.NOTIFICATION, None, f"{mechanism} asked for, but no DISPLAY")
    return PopupChoice(mechanism, qt_platform, f"{ENV_POPUP}={mechanism}")
