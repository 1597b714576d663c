"""What Qt is told when it starts on this desktop: the platform plugin (``popup_mechanism``
chooses it) and the platform theme plugin.

On GTK desktops (GNOME and its kin) Qt would load its GTK 3 theme plugin, which maps all of
GTK into the process: 150.6 MB resident against 81.6 MB with Qt's own GNOME theme, measured
on GNOME Shell 43. A tray app lives all day; what GTK adds to it (native file dialogs, GTK's
palette) is not worth 69 MB. Qt's GNOME theme still follows the desktop's light or dark scheme
and its fonts. Set ``QT_QPA_PLATFORMTHEME`` to choose otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping

#: XDG_CURRENT_DESKTOP names for which Qt picks its GTK 3 theme (Qt's QGenericUnixTheme).
GTK_DESKTOPS = frozenset(
    {"GNOME", "UNITY", "MATE", "CINNAMON", "X-CINNAMON", "XFCE", "LXDE", "BUDGIE", "PANTHEON"}
)


def qt_arguments(env: Mapping[str, str], qt_platform: str | None) -> list[str]:
    """Arguments for ``QApplication`` after the program name. Given as arguments, not as
    environment variables, so that programs we start do not inherit them."""
    args = ["-platform", qt_platform] if qt_platform else []
    desktops = {name.upper() for name in env.get("XDG_CURRENT_DESKTOP", "").split(":")}
    if not env.get("QT_QPA_PLATFORMTHEME") and desktops & GTK_DESKTOPS:
        args += ["-platformtheme", "gnome"]
    return args
