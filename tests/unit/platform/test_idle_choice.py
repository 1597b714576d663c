"""choose_idle_source tries the backends in the documented order and logs its choice."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

import pytest

from unclench.core.presence import IdleSource, NoIdleSource
from unclench.platform.idle import XWAYLAND_SANE_IDLE_S, IdleFactories, choose_idle_source


class FixedIdle:
    def __init__(self, name: str, idle: float | None = 1.0) -> None:
        self._name = name
        self._idle = idle

    @property
    def name(self) -> str:
        return self._name

    def idle_seconds(self) -> float | None:
        return self._idle


class Recorder:
    """Factories that note each call and build the sources named in ``available``."""

    def __init__(self, **available: FixedIdle) -> None:
        self.available = available
        self.tried: list[str] = []

    def factory(self, name: str) -> Callable[[Mapping[str, str]], IdleSource | None]:
        def make(env: Mapping[str, str]) -> IdleSource | None:
            self.tried.append(name)
            return self.available.get(name)

        return make

    def factories(self) -> IdleFactories:
        names = ("x11", "mutter", "screensaver", "wayland", "windows", "macos")
        return IdleFactories(**{name: self.factory(name) for name in names})


X11_ENV = {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}
WAYLAND_ENV = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}


def test_x11_session_uses_x11_first() -> None:
    made = Recorder(x11=FixedIdle("x11"), mutter=FixedIdle("gnome-mutter"))
    assert choose_idle_source(X11_ENV, "linux", made.factories()).name == "x11"
    assert made.tried == ["x11"]


def test_x11_session_whose_server_fails_falls_back_to_dbus() -> None:
    made = Recorder(screensaver=FixedIdle("kde-screensaver"))
    assert choose_idle_source(X11_ENV, "linux", made.factories()).name == "kde-screensaver"
    assert made.tried == ["x11", "mutter", "screensaver"]


def test_wayland_prefers_mutter_over_the_xwayland_server() -> None:
    made = Recorder(x11=FixedIdle("x11"), mutter=FixedIdle("gnome-mutter"))
    assert choose_idle_source(WAYLAND_ENV, "linux", made.factories()).name == "gnome-mutter"
    assert made.tried == ["mutter"]


def test_wayland_tries_the_screensaver_after_mutter() -> None:
    made = Recorder(x11=FixedIdle("x11"), screensaver=FixedIdle("freedesktop-screensaver"))
    chosen = choose_idle_source(WAYLAND_ENV, "linux", made.factories())
    assert chosen.name == "freedesktop-screensaver"
    assert made.tried == ["mutter", "screensaver"]


def test_wayland_asks_the_compositor_when_no_desktop_service_answers() -> None:
    made = Recorder(x11=FixedIdle("x11"), wayland=FixedIdle("wayland-idle-notify"))
    chosen = choose_idle_source(WAYLAND_ENV, "linux", made.factories())
    assert chosen.name == "wayland-idle-notify"
    assert made.tried == ["mutter", "screensaver", "wayland"]


def test_an_x11_session_never_asks_a_wayland_compositor() -> None:
    made = Recorder(wayland=FixedIdle("wayland-idle-notify"))
    assert isinstance(choose_idle_source(X11_ENV, "linux", made.factories()), NoIdleSource)
    assert "wayland" not in made.tried


def test_wayland_takes_xwayland_last_when_it_has_seen_input_recently() -> None:
    made = Recorder(x11=FixedIdle("x11", idle=3.0))
    assert choose_idle_source(WAYLAND_ENV, "linux", made.factories()).name == "x11"
    assert made.tried == ["mutter", "screensaver", "wayland", "x11"]


def test_wayland_rejects_xwayland_that_has_not_seen_input_for_long() -> None:
    made = Recorder(x11=FixedIdle("x11", idle=XWAYLAND_SANE_IDLE_S + 1))
    assert isinstance(choose_idle_source(WAYLAND_ENV, "linux", made.factories()), NoIdleSource)


def test_wayland_without_display_never_asks_x11() -> None:
    made = Recorder(x11=FixedIdle("x11"))
    env = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert isinstance(choose_idle_source(env, "linux", made.factories()), NoIdleSource)
    assert made.tried == ["mutter", "screensaver", "wayland"]


def test_a_wayland_socket_counts_as_wayland_when_the_session_type_is_unknown() -> None:
    made = Recorder(x11=FixedIdle("x11"), mutter=FixedIdle("gnome-mutter"))
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    assert choose_idle_source(env, "linux", made.factories()).name == "gnome-mutter"


def test_windows_and_macos_use_their_own_backend() -> None:
    made = Recorder(windows=FixedIdle("windows"), macos=FixedIdle("macos"))
    assert choose_idle_source({}, "win32", made.factories()).name == "windows"
    assert choose_idle_source({"DISPLAY": ":0"}, "darwin", made.factories()).name == "macos"
    assert made.tried == ["windows", "macos"]


def test_nothing_answering_falls_back_to_wall_time_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="unclench.platform.idle")
    chosen = choose_idle_source({}, "win32", Recorder().factories())
    assert isinstance(chosen, NoIdleSource)
    assert "counting wall time" in caplog.text


def test_the_choice_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="unclench.platform.idle")
    choose_idle_source(X11_ENV, "linux", Recorder(x11=FixedIdle("x11")).factories())
    assert "idle-time source: x11" in caplog.text


def test_the_real_factories_do_not_crash_without_a_desktop() -> None:
    """No DISPLAY, no Windows, no macOS: each real backend says unsupported."""
    assert isinstance(choose_idle_source({}, "win32"), NoIdleSource)
    assert isinstance(choose_idle_source({}, "darwin"), NoIdleSource)
