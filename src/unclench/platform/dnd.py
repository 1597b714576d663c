"""Picks the do-not-disturb checks for this platform and asks them in turn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from unclench.core.presence import DndSource

log = logging.getLogger(__name__)


@runtime_checkable
class StoppableDnd(Protocol):
    """A check that holds something outside the app (KWin's script) until stopped."""

    def stop(self) -> None: ...


class CombinedDnd:
    """Asks each check in order and answers the first reason (the rest are not asked)."""

    def __init__(self, sources: Sequence[DndSource]) -> None:
        self._sources = tuple(sources)

    @property
    def name(self) -> str:
        return "+".join(source.name for source in self._sources) or "none"

    def reason(self) -> str | None:
        for source in self._sources:
            reason = source.reason()
            if reason is not None:
                return reason
        return None

    def stop(self) -> None:
        """On quit: lets each check that holds something outside the app let go of it."""
        for source in self._sources:
            if isinstance(source, StoppableDnd):
                source.stop()


def _x11_fullscreen(env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import dnd_x11  # noqa: PLC0415  # Linux only; keeps imports lazy

    return dnd_x11.create(env.get("DISPLAY"))


def _wayland_fullscreen(env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import dnd_wlroots  # noqa: PLC0415
    from unclench.platform.popup_mechanism import is_wayland_session  # noqa: PLC0415
    from unclench.platform.wayland import shared_connection  # noqa: PLC0415

    return dnd_wlroots.create(shared_connection(env)) if is_wayland_session(env) else None


def _kwin_fullscreen(env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import dnd_kwin  # noqa: PLC0415
    from unclench.platform.popup_mechanism import is_wayland_session  # noqa: PLC0415

    # On X11 the window manager's own hints say it (x11_fullscreen); on Wayland only KWin can.
    return dnd_kwin.create() if _is_kde(env) and is_wayland_session(env) else None


def _kde_do_not_disturb(env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import dnd_desktop  # noqa: PLC0415

    return dnd_desktop.create_kde() if _is_kde(env) else None


def _gnome_do_not_disturb(env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import dnd_desktop  # noqa: PLC0415

    return dnd_desktop.create_gnome_banners() if _is_gnome(env) else None


def _gnome_idle_inhibited(env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import dnd_desktop  # noqa: PLC0415

    return dnd_desktop.create_gnome_session() if _is_gnome(env) else None


def _is_gnome(env: Mapping[str, str]) -> bool:
    return "GNOME" in env.get("XDG_CURRENT_DESKTOP", "").upper().split(":")


def _is_kde(env: Mapping[str, str]) -> bool:
    return "KDE" in env.get("XDG_CURRENT_DESKTOP", "").upper().split(":")


def _linux_camera(_env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import camera_linux  # noqa: PLC0415

    return camera_linux.create()


def _windows_state(_env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import dnd_windows  # noqa: PLC0415

    return dnd_windows.create()


def _windows_focus_assist(_env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import dnd_windows  # noqa: PLC0415

    return dnd_windows.create_focus_assist()


def _windows_capture(_env: Mapping[str, str]) -> DndSource | None:
    from unclench.platform import camera_windows  # noqa: PLC0415

    return camera_windows.create()


Factory = Callable[[Mapping[str, str]], DndSource | None]


@dataclass(frozen=True, slots=True)
class DndFactories:
    """How to build each check; tests swap in fakes."""

    x11_fullscreen: Factory = _x11_fullscreen
    wayland_fullscreen: Factory = _wayland_fullscreen
    kwin_fullscreen: Factory = _kwin_fullscreen
    kde_do_not_disturb: Factory = _kde_do_not_disturb
    gnome_do_not_disturb: Factory = _gnome_do_not_disturb
    gnome_idle_inhibited: Factory = _gnome_idle_inhibited
    linux_camera: Factory = _linux_camera
    windows_state: Factory = _windows_state
    windows_focus_assist: Factory = _windows_focus_assist
    windows_capture: Factory = _windows_capture


def choose_dnd_sources(
    env: Mapping[str, str], platform: str, factories: DndFactories | None = None
) -> list[DndSource]:
    """The checks that work here, cheapest first.

    macOS has none yet; window bounds (``CGWindowListCopyWindowInfo``) and CoreMediaIO's
    "device is running somewhere" property could give the same two checks there. macOS
    Focus has no public read-out: an app learns it only with the person's permission,
    through the Intents framework, which a Python app cannot ask for.
    """
    made = factories or DndFactories()
    candidates: tuple[Factory, ...]
    if platform == "win32":
        candidates = (made.windows_state, made.windows_focus_assist, made.windows_capture)
    elif platform == "darwin":
        candidates = ()
    else:
        candidates = (
            made.x11_fullscreen,  # on XWayland, X11 windows only
            made.wayland_fullscreen,
            made.kwin_fullscreen,
            made.kde_do_not_disturb,
            made.gnome_do_not_disturb,
            made.gnome_idle_inhibited,
            made.linux_camera,
        )
    sources = [source for factory in candidates if (source := factory(env)) is not None]
    log.info("do-not-disturb checks: %s", ", ".join(s.name for s in sources) or "none")
    return sources
