"""The X11 full-screen check, against a fake display that holds EWMH properties."""

from __future__ import annotations

from dataclasses import dataclass, field

from Xlib import Xatom, error

from unclench.platform import dnd_x11

ATOMS = {"_NET_ACTIVE_WINDOW": 301, "_NET_WM_STATE": 302, "_NET_WM_STATE_FULLSCREEN": 303}
ABOVE = 304


@dataclass
class Prop:
    value: list[int]


@dataclass
class FakeWindow:
    properties: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    fail: bool = False

    def get_full_property(self, atom: int, kind: int) -> Prop | None:
        if self.fail:
            raise error.ConnectionClosedError("server")
        value = self.properties.get((atom, kind))
        return None if value is None else Prop(value)


class FakeDisplay:
    def __init__(self) -> None:
        self.root = FakeWindow()
        self.windows: dict[int, FakeWindow] = {}

    def screen(self) -> FakeDisplay:
        return self

    def intern_atom(self, name: str) -> int:
        return ATOMS[name]

    def create_resource_object(self, kind: str, window_id: int) -> FakeWindow:
        assert kind == "window"
        return self.windows.get(window_id, FakeWindow(fail=True))

    def activate(self, window_id: int, state: list[int]) -> None:
        self.root.properties[(ATOMS["_NET_ACTIVE_WINDOW"], Xatom.WINDOW)] = [window_id]
        self.windows[window_id] = FakeWindow({(ATOMS["_NET_WM_STATE"], Xatom.ATOM): state})


def make() -> tuple[dnd_x11.X11FullscreenDnd, FakeDisplay]:
    display = FakeDisplay()
    check = dnd_x11.create(":0", display)
    assert check is not None
    return check, display


def test_a_full_screen_window_in_front_holds_the_break() -> None:
    check, display = make()
    display.activate(0x400001, [ABOVE, ATOMS["_NET_WM_STATE_FULLSCREEN"]])
    assert check.reason() == "a full-screen window is in front"
    assert check.name == "x11-fullscreen"


def test_an_ordinary_window_in_front_does_not() -> None:
    check, display = make()
    display.activate(0x400001, [ABOVE])
    assert check.reason() is None


def test_no_window_manager_or_no_active_window_means_no_reason() -> None:
    check, display = make()
    assert check.reason() is None  # no _NET_ACTIVE_WINDOW at all
    display.root.properties[(ATOMS["_NET_ACTIVE_WINDOW"], Xatom.WINDOW)] = [0]
    assert check.reason() is None


def test_a_window_without_state_does_not_hold_the_break() -> None:
    check, display = make()
    display.root.properties[(ATOMS["_NET_ACTIVE_WINDOW"], Xatom.WINDOW)] = [0x400002]
    display.windows[0x400002] = FakeWindow()
    assert check.reason() is None


def test_x_errors_answer_none() -> None:
    check, display = make()
    display.root.properties[(ATOMS["_NET_ACTIVE_WINDOW"], Xatom.WINDOW)] = [0x999]  # gone
    assert check.reason() is None
    display.root.fail = True
    assert check.reason() is None


def test_no_display_means_unsupported() -> None:
    assert dnd_x11.create(None) is None
