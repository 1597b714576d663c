"""Keys and pointer clicks through KWin's ``org_kde_kwin_fake_input`` Wayland protocol.

KWin offers no virtual keyboard to ``wtype``; this process speaks the restricted fake-input
protocol itself over the app's own small Wayland client (``unclench.platform.wayland_wire``),
once ``KwinDesktop`` has granted it (see ``KwinDesktop._grant_fake_input``). Key codes are
Linux evdev codes, which KWin maps through its keymap (US here).
"""

from __future__ import annotations

import time
from pathlib import Path

from unclench.platform.wayland_wire import Connection, WaylandError, string, uint
from unclench_devtools.programs import DesktopError
from unclench_devtools.wayland.session import Unsupported

#: Linux evdev key codes (KWin applies its keymap, US here) of each printable ASCII
#: character, as "unshifted shifted" pairs in code order from KEY_1 (2).
_KEY_ROWS = {
    2: "1! 2@ 3# 4$ 5% 6^ 7& 8* 9( 0) -_ =+",
    16: "qQ wW eE rR tT yY uU iI oO pP [{ ]}",
    30: "aA sS dD fF gG hH jJ kK lL ;: '\" `~",
    43: "\\| zZ xX cC vV bB nN mM ,< .> /?",
}
KEYS = {"\n": (28, False), "\t": (15, False), " ": (57, False)}
for _start, _row in _KEY_ROWS.items():
    for _offset, _pair in enumerate(_row.split(" ")):
        KEYS[_pair[0]] = (_start + _offset, False)
        KEYS[_pair[1]] = (_start + _offset, True)
KEY_LEFTSHIFT = 42
BTN_RIGHT = 0x111  # linux/input-event-codes.h
NAMED_KEYS = {"Escape": 1, "Return": 28, "Down": 108, "Up": 103, "Tab": 15}


def key_for(char: str) -> tuple[int, bool]:
    if char not in KEYS:
        raise DesktopError(f"type_text cannot type {char!r} (US layout, printable ASCII only)")
    return KEYS[char]


class FakeInput:
    """Keys and pointer clicks through KWin's ``org_kde_kwin_fake_input``, spoken over the
    app's own small Wayland client (``unclench.platform.wayland_wire``)."""

    INTERFACE = "org_kde_kwin_fake_input"
    VERSION = 4  # keyboard_key came in version 4

    def __init__(self, socket_path: Path) -> None:
        try:
            self._connection = Connection.connect({"WAYLAND_DISPLAY": str(socket_path)})
        except WaylandError as error:
            raise DesktopError(f"cannot reach KWin for fake input: {error}") from None
        found = self._connection.globals.get(self.INTERFACE)
        if found is None:
            self._connection.close()
            raise Unsupported(
                f"KWin does not offer {self.INTERFACE} to this process: "
                f"{Path('/proc/self/exe').resolve()} lacks a .desktop file granting it"
            )
        if found[1] < self.VERSION:
            self._connection.close()
            raise Unsupported(f"KWin's fake input is version {found[1]}, typing needs 4")
        self._input = self._connection.bind(self.INTERFACE, self.VERSION, lambda _event: None)
        reason = string("unclench-e2e") + string("end-to-end tests type")
        self._connection.request(self._input, 0, reason)  # authenticate: granted at once

    def __enter__(self) -> FakeInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self._connection.close()

    def key(self, code: int, *, pressed: bool) -> None:
        self._connection.request(self._input, 10, uint(code) + uint(int(pressed)))

    def click(self, x: int, y: int, button: int) -> None:
        """Moves the pointer to (x, y) and presses and releases ``button`` (evdev code), a
        moment apart each, as a hand would: Plasma ignored a click sent all at once."""
        self._connection.request(self._input, 9, uint(x * 256) + uint(y * 256))  # fixed-point
        self.roundtrip()
        time.sleep(0.3)  # the panel notices the pointer
        for state in (1, 0):
            self._connection.request(self._input, 2, uint(button) + uint(state))
            self.roundtrip()
            time.sleep(0.1)

    def roundtrip(self) -> None:
        """Waits until KWin has handled every request so far."""
        try:
            self._connection.roundtrip(timeout_s=5.0)
        except WaylandError as error:
            raise DesktopError(f"KWin refused fake input: {error}") from None
