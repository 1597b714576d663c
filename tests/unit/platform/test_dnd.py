"""CombinedDnd answers the first reason; choose_dnd_sources picks the checks per platform."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping

import pytest

from unclench.core.presence import DndSource
from unclench.platform import dnd
from unclench.platform.dnd import CombinedDnd, DndFactories, choose_dnd_sources


class FixedDnd:
    def __init__(self, name: str, reason: str | None) -> None:
        self._name = name
        self._reason = reason
        self.asked = 0

    @property
    def name(self) -> str:
        return self._name

    def reason(self) -> str | None:
        self.asked += 1
        return self._reason


def test_combined_answers_the_first_reason_and_asks_no_further() -> None:
    quiet, busy, later = (
        FixedDnd("a", None),
        FixedDnd("b", "a camera is in use"),
        FixedDnd("c", "x"),
    )
    combined = CombinedDnd([quiet, busy, later])
    assert combined.reason() == "a camera is in use"
    assert (quiet.asked, busy.asked, later.asked) == (1, 1, 0)
    assert combined.name == "a+b+c"


class HoldingDnd(FixedDnd):
    def __init__(self) -> None:
        super().__init__("kwin", None)
        self.stopped = 0

    def stop(self) -> None:
        self.stopped += 1


def test_stopping_lets_go_of_what_checks_hold_outside_the_app() -> None:
    holding = HoldingDnd()
    CombinedDnd([FixedDnd("a", None), holding]).stop()
    assert holding.stopped == 1


def test_combined_of_nothing_never_holds_a_break() -> None:
    assert CombinedDnd([]).reason() is None
    assert CombinedDnd([]).name == "none"
    assert CombinedDnd([FixedDnd("a", None)]).reason() is None


def recording_factories(available: dict[str, DndSource]) -> tuple[DndFactories, list[str]]:
    tried: list[str] = []

    def factory(name: str) -> Callable[[Mapping[str, str]], DndSource | None]:
        def make(env: Mapping[str, str]) -> DndSource | None:
            tried.append(name)
            return available.get(name)

        return make

    names = [field.name for field in dataclasses.fields(DndFactories)]
    return DndFactories(**{name: factory(name) for name in names}), tried


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        (
            "linux",
            [
                "x11_fullscreen",
                "wayland_fullscreen",
                "kwin_fullscreen",
                "kde_do_not_disturb",
                "gnome_do_not_disturb",
                "gnome_idle_inhibited",
                "linux_camera",
            ],
        ),
        ("win32", ["windows_state", "windows_focus_assist", "windows_capture"]),
        ("darwin", []),
    ],
)
def test_each_platform_tries_its_own_checks(platform: str, expected: list[str]) -> None:
    factories, tried = recording_factories({})
    assert choose_dnd_sources({"DISPLAY": ":0"}, platform, factories) == []
    assert tried == expected


def test_unsupported_checks_are_left_out_and_the_rest_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="unclench.platform.dnd")
    camera = FixedDnd("camera", None)
    factories, _ = recording_factories({"linux_camera": camera})
    assert choose_dnd_sources({}, "linux", factories) == [camera]
    assert "do-not-disturb checks: camera" in caplog.text


def test_the_real_factories_do_not_crash_anywhere() -> None:
    for platform in ("linux", "win32", "darwin"):
        sources = choose_dnd_sources({}, platform)
        assert all(
            source.reason() is None or isinstance(source.reason(), str) for source in sources
        )


def test_each_desktops_own_switch_is_asked_only_on_that_desktop() -> None:
    gnome, kde = {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, {"XDG_CURRENT_DESKTOP": "KDE"}
    assert dnd._kde_do_not_disturb(gnome) is None
    assert dnd._gnome_idle_inhibited(kde) is None
    assert dnd._gnome_do_not_disturb(kde) is None
    assert dnd._kwin_fullscreen(kde | {"XDG_SESSION_TYPE": "x11"}) is None
