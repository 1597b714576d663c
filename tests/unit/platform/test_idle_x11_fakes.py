"""The X11 idle source's handling of missing displays, extensions and X errors (no server)."""

from __future__ import annotations

import pytest
from Xlib import error

from unclench.platform import idle_x11
from unclench.platform.x11 import open_display


class FakeInfo:
    def __init__(self, idle_ms: int) -> None:
        self.idle = idle_ms


class FakeRoot:
    def __init__(self) -> None:
        self.idle_ms = 1500
        self.fail_with: BaseException | None = None
        self.queries = 0

    def screensaver_query_info(self) -> FakeInfo:
        self.queries += 1
        if self.fail_with is not None:
            raise self.fail_with
        return FakeInfo(self.idle_ms)


class FakeScreen:
    def __init__(self, root: FakeRoot) -> None:
        self.root = root


class FakeDisplay:
    def __init__(self, *, extension: bool = True) -> None:
        self.root = FakeRoot()
        self._extension = extension

    def screen(self) -> FakeScreen:
        return FakeScreen(self.root)

    def has_extension(self, name: str) -> bool:
        return self._extension and name == "MIT-SCREEN-SAVER"


def test_idle_is_reported_in_seconds() -> None:
    display = FakeDisplay()
    source = idle_x11.create(":0", display)
    assert source is not None
    assert source.name == "x11"
    display.root.idle_ms = 61_250
    assert source.idle_seconds() == pytest.approx(61.25)


def test_no_display_name_means_unsupported() -> None:
    assert idle_x11.create(None) is None
    assert idle_x11.create("") is None


def test_a_display_that_cannot_be_opened_means_unsupported() -> None:
    assert open_display(":4242") is None
    assert idle_x11.create(":4242") is None


def test_a_server_without_the_extension_is_unsupported() -> None:
    assert idle_x11.create(":0", FakeDisplay(extension=False)) is None


def test_a_server_that_fails_the_first_query_is_unsupported() -> None:
    display = FakeDisplay()
    display.root.fail_with = error.ConnectionClosedError("server")
    assert idle_x11.create(":0", display) is None


@pytest.mark.parametrize(
    "failure",
    [error.ConnectionClosedError("server"), OSError("broken pipe")],
    ids=["connection-closed", "socket-error"],
)
def test_an_error_at_query_time_answers_none_and_recovers(
    failure: BaseException, caplog: pytest.LogCaptureFixture
) -> None:
    display = FakeDisplay()
    source = idle_x11.create(":0", display)
    assert source is not None
    display.root.fail_with = failure
    assert source.idle_seconds() is None
    assert source.idle_seconds() is None
    assert caplog.text.count("X11 idle query failed") == 1  # logged once, not every tick
    display.root.fail_with = None
    assert source.idle_seconds() == pytest.approx(1.5)


def test_the_display_is_opened_once_and_reused() -> None:
    display = FakeDisplay()
    source = idle_x11.create(":0", display)
    assert source is not None
    for _ in range(3):
        source.idle_seconds()
    assert display.root.queries == 4  # the probe in create() and three readings
