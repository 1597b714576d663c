"""Picks the idle-time source for the desktop the app runs on, once, at start-up."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from unclench.core.presence import IdleSource, NoIdleSource
from unclench.platform.popup_mechanism import is_wayland_session

log = logging.getLogger(__name__)

#: XWayland sees only input to X windows unless the compositor passes activity on. Under
#: Wayland we take its answer only if it has seen input this recently when the app starts:
#: a larger figure means it is blind to the desktop. A heuristic: an XWayland started a
#: moment ago passes too, and would later report a person typing in Wayland windows as away.
XWAYLAND_SANE_IDLE_S = 60.0


def _x11(env: Mapping[str, str]) -> IdleSource | None:
    from unclench.platform import idle_x11  # noqa: PLC0415  # Linux only; keeps imports lazy

    return idle_x11.create(env.get("DISPLAY"))


def _mutter(_env: Mapping[str, str]) -> IdleSource | None:
    from unclench.platform import idle_dbus  # noqa: PLC0415  # needs QtDBus and an app object

    return idle_dbus.create_mutter()


def _screensaver(_env: Mapping[str, str]) -> IdleSource | None:
    from unclench.platform import idle_dbus  # noqa: PLC0415

    return idle_dbus.create_screensaver()


def _wayland(env: Mapping[str, str]) -> IdleSource | None:
    from unclench.core.scheduler import LULL_S  # noqa: PLC0415
    from unclench.platform import idle_wayland  # noqa: PLC0415
    from unclench.platform.wayland import shared_connection  # noqa: PLC0415

    # The scheduler's lull is the finest idle time it asks about: finer would wake us more.
    return idle_wayland.create(shared_connection(env), LULL_S)


def _windows(_env: Mapping[str, str]) -> IdleSource | None:
    from unclench.platform import idle_windows  # noqa: PLC0415

    return idle_windows.create()


def _macos(_env: Mapping[str, str]) -> IdleSource | None:
    from unclench.platform import idle_macos  # noqa: PLC0415

    return idle_macos.create()


Factory = Callable[[Mapping[str, str]], IdleSource | None]


@dataclass(frozen=True, slots=True)
class IdleFactories:
    """How to build each backend; tests swap in fakes to check the order."""

    x11: Factory = _x11
    mutter: Factory = _mutter
    screensaver: Factory = _screensaver
    wayland: Factory = _wayland
    windows: Factory = _windows
    macos: Factory = _macos


def choose_idle_source(
    env: Mapping[str, str], platform: str, factories: IdleFactories | None = None
) -> IdleSource:
    """The first backend that answers on this desktop, else :class:`NoIdleSource`.

    ``platform`` is ``sys.platform``. Needs a ``QCoreApplication`` for the D-Bus backends.
    """
    made = factories or IdleFactories()
    source = _first_answering(env, platform, made)
    if source is None:
        log.info("no idle-time source on this desktop: counting wall time")
        return NoIdleSource()
    log.info("idle-time source: %s", source.name)
    return source


def _first_answering(
    env: Mapping[str, str], platform: str, made: IdleFactories
) -> IdleSource | None:
    if platform == "win32":
        return made.windows(env)
    if platform == "darwin":
        return made.macos(env)
    wayland = is_wayland_session(env)
    has_x = bool(env.get("DISPLAY"))
    if has_x and not wayland:
        source = made.x11(env)
        if source is not None:
            return source
    candidates = [made.mutter, made.screensaver]
    if wayland:
        # KDE Plasma and wlroots answer through the Wayland protocol, GNOME over D-Bus.
        candidates.append(made.wayland)
    for factory in candidates:
        source = factory(env)
        if source is not None:
            return source
    if has_x and wayland:
        return _xwayland_if_sane(made.x11(env))
    return None


def _xwayland_if_sane(source: IdleSource | None) -> IdleSource | None:
    if source is None:
        return None
    idle = source.idle_seconds()
    if idle is None or idle > XWAYLAND_SANE_IDLE_S:
        log.info("XWayland idle time looks blind to Wayland input (%s s): not used", idle)
        return None
    return source
