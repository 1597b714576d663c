"""On wlroots compositors a focused full-screen window holds breaks (foreign-toplevel)."""

from __future__ import annotations

import struct

from unclench.platform import dnd_wlroots
from unclench.platform.wayland_wire import Connection, uint

from helpers.fake_wayland import FakeCompositor

SWAY = {"wl_seat": 7, "zwlr_foreign_toplevel_manager_v1": 3}
ACTIVATED, FULLSCREEN, MAXIMIZED = 2, 3, 0


def states(*values: int) -> bytes:
    data = struct.pack(f"<{len(values)}I", *values)
    return uint(len(data)) + data


def started(compositor: FakeCompositor) -> tuple[Connection, dnd_wlroots.WlrootsFullscreenDnd]:
    connection = Connection(compositor.client)
    connection.roundtrip()
    check = dnd_wlroots.create(connection)
    assert check is not None
    connection.roundtrip()  # the bind has reached the compositor
    return connection, check


def window(compositor: FakeCompositor, connection: Connection, *state: int) -> int:
    manager = compositor.bound["zwlr_foreign_toplevel_manager_v1"]
    handle = compositor.new_server_id()
    compositor.send(manager, 0, uint(handle))  # toplevel(new_id)
    compositor.send(handle, 4, states(*state))  # state
    compositor.send(handle, 5)  # done
    connection.roundtrip()
    return handle


def test_a_focused_full_screen_window_holds_the_break() -> None:
    with FakeCompositor(SWAY) as compositor:
        connection, check = started(compositor)
        assert check.reason() is None
        window(compositor, connection, ACTIVATED, MAXIMIZED)
        assert check.reason() is None
        video = window(compositor, connection, FULLSCREEN)
        assert check.reason() is None  # full screen, but behind the focused window
        compositor.send(video, 4, states(ACTIVATED, FULLSCREEN))
        connection.roundtrip()
        assert check.reason() == "a full-screen window is in front"


def test_closing_the_full_screen_window_lets_breaks_through_and_frees_its_handle() -> None:
    with FakeCompositor(SWAY) as compositor:
        connection, check = started(compositor)
        video = window(compositor, connection, ACTIVATED, FULLSCREEN)
        assert check.reason() is not None
        compositor.send(video, 6)  # closed
        connection.roundtrip()
        assert check.reason() is None
        connection.roundtrip()  # the compositor has read the destroy sent on "closed"
        destroy = [r for r in compositor.wait_for(1) if r.object_id == video]
        assert [r.opcode for r in destroy] == [7]


def test_compositors_without_the_protocol_have_no_check() -> None:
    with FakeCompositor({"wl_seat": 7}) as compositor:
        connection = Connection(compositor.client)
        connection.roundtrip()
        assert dnd_wlroots.create(connection) is None
    assert dnd_wlroots.create(None) is None
