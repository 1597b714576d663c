"""Start at login: whether this system can do it, and switching it on or off."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def is_supported() -> bool:
    """Whether Unclench can start itself at login on this system.

    Always ``False`` for now. The real per-OS backends (an XDG autostart file, a HKCU Run key,
    a LaunchAgent) come with the installers, because each must point at the installed program,
    which only the installer knows.
    """
    return False


def set_enabled(enabled: bool) -> None:
    """Switch start at login on or off; where that is not supported, log and do nothing.

    A no-op rather than an error, so saving the setting never fails: the Settings window
    already greys the switch out where :func:`is_supported` is ``False``.
    """
    log.info(
        "start at login is not supported here yet; leaving it as it is (asked for %s)",
        "on" if enabled else "off",
    )
