"""The app's own Wayland connection and the idle time it reads from the compositor."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest

from unclench.platform import idle_wayland
from unclench.platform.wayland_wire import Connection, WaylandError, socket_path, string, uint

from helpers.fake_wayland import FakeCompositor

KWIN = {"wl_seat": 7, "ext_idle_notifier_v1": 1, "org_kde_kwin_idle": 1}
SWAY_17 = {"wl_seat": 7, "org_kde_kwin_idle": 1}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def connect(compositor: FakeCompositor) -> Connection:
    connection = Connection(compositor.client)
    connection.roundtrip()
    return connection


def settle(condition: Callable[[], bool], connection: Connection) -> None:
    """Lets the fake's thread deliver, reading as the Qt loop would."""
    deadline = time.monotonic() + 2
    while not condition() and time.monotonic() < deadline:
        connection.dispatch()
        time.sleep(0.005)
    assert condition()


def notification_request(compositor: FakeCompositor, interface: str) -> list[int]:
    requests = compositor.wait_for(5)
    manager = compositor.bound[interface]
    return next(r.uints() for r in requests if r.object_id == manager)


def test_the_registry_lists_the_compositors_globals() -> None:
    with FakeCompositor(KWIN) as compositor:
        connection = connect(compositor)
        assert connection.globals["org_kde_kwin_idle"] == (3, 1)
        assert set(connection.globals) == set(KWIN)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": "/run/u"}, "/run/u/wayland-1"),
        ({"WAYLAND_DISPLAY": "/run/w/wayland-0", "XDG_RUNTIME_DIR": "/r"}, "/run/w/wayland-0"),
        ({"WAYLAND_DISPLAY": "wayland-1"}, None),
        ({"XDG_RUNTIME_DIR": "/r"}, None),
    ],
)
def test_the_socket_is_found_as_libwayland_finds_it(
    env: dict[str, str], expected: str | None
) -> None:
    found = socket_path(env)
    assert (str(found) if found else None) == expected


def test_no_compositor_is_a_clear_error(tmp_path: object) -> None:
    with pytest.raises(WaylandError, match="cannot reach the compositor"):
        Connection.connect({"WAYLAND_DISPLAY": f"{tmp_path}/nothing-here"})


def test_a_compositor_that_never_answers_times_out() -> None:
    with FakeCompositor(KWIN, answer_sync=False) as compositor:
        connection = Connection(compositor.client)
        with pytest.raises(WaylandError, match="did not answer"):
            connection.roundtrip(timeout_s=0.2)
        assert not connection.open


def test_the_standard_protocol_is_preferred_and_asked_at_the_lull() -> None:
    with FakeCompositor(KWIN) as compositor:
        source = idle_wayland.create(connect(compositor), resolution_s=5.0)
        assert source is not None
        assert source.name == "wayland-idle-notify"
        notification, timeout_ms, seat = notification_request(compositor, "ext_idle_notifier_v1")
        assert timeout_ms == 5000
        assert seat == compositor.bound["wl_seat"]
        assert notification > seat


def test_sway_17_is_read_through_the_kde_protocol() -> None:
    with FakeCompositor(SWAY_17) as compositor:
        source = idle_wayland.create(connect(compositor), resolution_s=5.0)
        assert source is not None
        assert source.name == "wayland-kde-idle"
        _, seat, timeout_ms = notification_request(compositor, "org_kde_kwin_idle")
        assert (seat, timeout_ms) == (compositor.bound["wl_seat"], 5000)


def test_a_compositor_without_idle_notifications_gives_no_source(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    with FakeCompositor({"wl_seat": 7}) as compositor:
        assert idle_wayland.create(connect(compositor), resolution_s=5.0) is None
    assert "no idle notifications" in caplog.text
    assert idle_wayland.create(None, resolution_s=5.0) is None


def test_idle_time_counts_from_the_last_input_and_resets_on_return() -> None:
    clock = Clock()
    with FakeCompositor(SWAY_17) as compositor:
        connection = connect(compositor)
        source = idle_wayland.create(connection, resolution_s=5.0, clock=clock)
        assert source is not None
        notification, _, _ = notification_request(compositor, "org_kde_kwin_idle")
        assert source.idle_seconds() == 0.0  # below the resolution: "here"

        compositor.send(notification, 0)  # idle: nobody touched anything for 5 s
        settle(lambda: source.idle_seconds() == 5.0, connection)
        clock.now += 295
        assert source.idle_seconds() == 300.0

        compositor.send(notification, 1)  # resumed
        settle(lambda: source.idle_seconds() == 0.0, connection)


def test_the_moment_of_the_event_counts_not_the_moment_of_the_question() -> None:
    """Events are timed when they arrive (the Qt loop reads them at once), so a tick that
    comes later still sees how long the person has been away."""
    clock = Clock()
    with FakeCompositor(KWIN) as compositor:
        connection = connect(compositor)
        source = idle_wayland.create(connection, resolution_s=5.0, clock=clock)
        assert source is not None
        notification, _, _ = notification_request(compositor, "ext_idle_notifier_v1")
        compositor.send(notification, 0)
        settle(lambda: source.idle_seconds() == 5.0, connection)
        clock.now += 60
        assert source.idle_seconds() == 65.0


@pytest.mark.parametrize(
    "garbage",
    [
        uint(1) + uint((2 << 16) | 0),  # a size smaller than the header
        uint(1) + uint((9000 << 16) | 0),  # larger than any message
        uint(1) + uint((12 << 16) | 0) + b"\xff\xff\xff\xff",  # error event, arguments cut
    ],
)
def test_garbage_from_the_compositor_closes_the_connection_not_the_app(
    garbage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with FakeCompositor(KWIN) as compositor:
        connection = connect(compositor)
        source = idle_wayland.create(connection, resolution_s=5.0)
        assert source is not None
        compositor.send_raw(garbage)
        settle(lambda: not connection.open, connection)
        assert source.idle_seconds() is None  # unknown: the scheduler counts wall time
    assert "Wayland connection closed" in caplog.text


def test_a_protocol_error_is_reported_with_the_compositors_words(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with FakeCompositor(KWIN) as compositor:
        connection = connect(compositor)
        compositor.send(1, 0, uint(3) + uint(1) + string("invalid seat"))
        settle(lambda: not connection.open, connection)
    assert "protocol error 1 on object 3: invalid seat" in caplog.text


def test_a_compositor_that_leaves_makes_the_idle_time_unknown() -> None:
    with FakeCompositor(SWAY_17) as compositor:
        connection = connect(compositor)
        source = idle_wayland.create(connection, resolution_s=5.0)
        assert source is not None
        compositor.close()
        settle(lambda: not connection.open, connection)
        assert source.idle_seconds() is None
        connection.request(1, 0, uint(99))  # requests after the end are dropped quietly


def test_events_for_unknown_objects_are_ignored() -> None:
    with FakeCompositor(SWAY_17) as compositor:
        connection = connect(compositor)
        compositor.send(4242, 3, uint(1))
        compositor.send(1, 1, uint(4242))  # delete_id for an id we never had
        connection.roundtrip()
        assert connection.open
