"""The X11 full-screen check, against a fake display that holds EWMH properties."""

from __future__ import annotations

from unclench.platform import dnd_x11
from unclench.platform.dnd_x11 import XA_ATOM, XA_WINDOW

ATOMS = {"_NET_ACTIVE_WINDOW": 301, "_NET_WM_STATE": 302, "_NET_WM_STATE_FULLSCREEN": 303}
ABOVE = 304
ROOT = 0x1E3


class FakeDisplay:
    """Properties by (window, atom, type); a window not listed is gone (BadWindow: None)."""

    def __init__(self) -> None:
        self.root = ROOT
        self.properties: dict[tuple[int, int, int], list[int]] = {}
        self.windows = {ROOT}
        self.atoms = dict(ATOMS)

    def intern_atom(self, name: str) -> int | None:
        return self.atoms.get(name)

    def window_property(self, window: int, atom: int, kind: int) -> list[int] | None:
        if window not in self.windows:
            return None
        return self.properties.get((window, atom, kind))

    def set_active(self, window_id: int) -> None:
        self.properties[(ROOT, ATOMS["_NET_ACTIVE_WINDOW"], XA_WINDOW)] = [window_id]

    def activate(self, window_id: int, state: list[int]) -> None:
        self.set_active(window_id)
        self.windows.add(window_id)
        self.properties[(window_id, ATOMS["_NET_WM_STATE"], XA_ATOM)] = state


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
    display.set_active(0)
    assert check.reason() is None


def test_a_window_without_state_does_not_hold_the_break() -> None:
    check, display = make()
    display.set_active(0x400002)
    display.windows.add(0x400002)
    assert check.reason() is None


def test_x_errors_answer_none() -> None:
    check, display = make()
    display.activate(0x999, [ATOMS["_NET_WM_STATE_FULLSCREEN"]])
    display.windows.discard(0x999)  # closed between the two requests
    assert check.reason() is None
    display.windows.clear()  # the connection is gone: every request fails
    assert check.reason() is None


def test_a_server_that_cannot_name_the_atoms_is_unsupported() -> None:
    display = FakeDisplay()
    del display.atoms["_NET_WM_STATE_FULLSCREEN"]
    assert dnd_x11.create(":0", display) is None


def test_no_display_means_unsupported() -> None:
    assert dnd_x11.create(None) is None
    assert dnd_x11.create(":4242") is None  # no server there
