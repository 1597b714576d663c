"""The break window stays out of taskbars and pagers on X11 and XWayland."""

from __future__ import annotations

import logging

import pytest

from unclench.platform import x11_hints

ATOMS = {"_NET_WM_STATE": 300, "_NET_WM_STATE_SKIP_TASKBAR": 301, "_NET_WM_STATE_SKIP_PAGER": 302}


class FakeDisplay:
    def __init__(self, *, works: bool = True, atoms: dict[str, int] = ATOMS) -> None:
        self.sets: list[tuple[int, int, list[int]]] = []
        self._works = works
        self._atoms = atoms

    def intern_atom(self, name: str) -> int | None:
        return self._atoms.get(name)

    def set_atoms(self, window: int, atom: int, items: list[int]) -> bool:
        self.sets.append((window, atom, items))
        return self._works


def test_the_hint_is_set_before_each_showing_and_not_while_shown() -> None:
    display = FakeDisplay()
    hints = x11_hints.create(":0", display)
    assert hints is not None
    hints.place(77, "bottom-right", 420, 500)
    hints.place(77, "bottom-right", 420, 200)  # a new size while shown: the WM's business
    assert display.sets == [(77, 300, [301, 302])]
    hints.hidden()  # the window manager drops _NET_WM_STATE on hiding
    hints.place(77, "bottom-right", 420, 500)
    assert len(display.sets) == 2


def test_a_failed_hint_is_logged_and_the_break_still_shows(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    hints = x11_hints.create(":0", FakeDisplay(works=False))
    assert hints is not None
    hints.place(77, "top-left", 1, 1)
    assert "could not keep the break window out of the taskbar" in caplog.text


def test_no_display_or_no_atoms_means_no_hints() -> None:
    assert x11_hints.create(None) is None
    assert x11_hints.create(":0", FakeDisplay(atoms={})) is None
