"""The X11 idle source's handling of missing displays, extensions and X errors (no server)."""

from __future__ import annotations

import pytest

from unclench.platform import idle_x11
from unclench.platform.x11 import shared_display


class FakeDisplay:
    """Answers idle time in milliseconds, or ``None`` while ``failing`` (an X error)."""

    def __init__(self, *, extension: bool = True, libxss: bool = True) -> None:
        self.idle = 1500
        self.failing = False
        self.queries = 0
        self._extension = extension
        self.has_idle_time = libxss

    def has_extension(self, name: str) -> bool:
        return self._extension and name == "MIT-SCREEN-SAVER"

    def idle_ms(self) -> int | None:
        self.queries += 1
        return None if self.failing else self.idle


def test_idle_is_reported_in_seconds() -> None:
    display = FakeDisplay()
    source = idle_x11.create(":0", display)
    assert source is not None
    assert source.name == "x11"
    display.idle = 61_250
    assert source.idle_seconds() == pytest.approx(61.25)


def test_no_display_name_means_unsupported() -> None:
    assert idle_x11.create(None) is None
    assert idle_x11.create("") is None


def test_a_display_that_cannot_be_opened_means_unsupported() -> None:
    assert shared_display(":4242") is None
    assert idle_x11.create(":4242") is None


def test_a_server_without_the_extension_is_unsupported() -> None:
    assert idle_x11.create(":0", FakeDisplay(extension=False)) is None


def test_no_libxss_is_unsupported() -> None:
    display = FakeDisplay(libxss=False)
    assert idle_x11.create(":0", display) is None
    assert display.queries == 0


def test_a_server_that_fails_the_first_query_is_unsupported() -> None:
    display = FakeDisplay()
    display.failing = True
    assert idle_x11.create(":0", display) is None


def test_an_error_at_query_time_answers_none_and_recovers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    display = FakeDisplay()
    source = idle_x11.create(":0", display)
    assert source is not None
    display.failing = True
    assert source.idle_seconds() is None
    assert source.idle_seconds() is None
    assert caplog.text.count("X11 idle query failed") == 1  # logged once, not every tick
    display.failing = False
    assert source.idle_seconds() == pytest.approx(1.5)


def test_the_display_is_opened_once_and_reused() -> None:
    display = FakeDisplay()
    source = idle_x11.create(":0", display)
    assert source is not None
    for _ in range(3):
        source.idle_seconds()
    assert display.queries == 4  # the probe in create() and three readings
