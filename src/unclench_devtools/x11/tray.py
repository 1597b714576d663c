"""The X11 tray: trayer's panel, the icons docked in it, clicks on them and their menus.

``XTray`` starts trayer (``desktop.py`` asks it to when the desktop has a tray), waits until
it owns the tray selection and shows its panel, and finds the icons as the panel's
grandchildren. Clicks wait for an icon to settle where trayer lays it out.
"""

from __future__ import annotations

import time
from pathlib import Path

from unclench_devtools.programs import DesktopError, Geometry
from unclench_devtools.x11.windows import XWindows

TRAY_TOOLS: dict[str, str] = {"trayer": "trayer"}

TRAYER_ARGS = (
    "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24",
    "--SetDockType", "true", "--expand", "true", "--transparent", "false",
)  # fmt: skip


class XTray(XWindows):
    """trayer on the X display, and the icons docked in it."""

    def __init__(self, workdir: Path | None, start_timeout: float, prefix: str) -> None:
        super().__init__(workdir, start_timeout, prefix)
        self._panel: int | None = None
        self._tray_state = ""

    def _start_tray(self) -> None:
        try:
            self._start_service(["trayer", *TRAYER_ARGS], self._tray_ready, "trayer")
        except DesktopError as error:
            raise DesktopError(f"{error}\n({self._tray_state})") from None

    def _tray_ready(self) -> bool:
        # Icons dock with the owner of the tray selection; trayer's panel shows them once mapped.
        if not self._tray_selection_owned():
            self._tray_state = "nobody owns the tray selection _NET_SYSTEM_TRAY_S0"
            return False
        self._tray_state = "trayer owns the tray selection but its panel is not shown"
        panels = self.search_windows(name="^panel$", class_="^trayer$")
        self._panel = panels[0] if panels else None
        return self._panel is not None

    def _tray_selection_owned(self) -> bool:
        # python-xlib is imported here: it is a Linux-only dependency, like this harness.
        from Xlib import X
        from Xlib.display import Display

        connection = Display(self.display)
        try:
            owner = connection.get_selection_owner(connection.intern_atom("_NET_SYSTEM_TRAY_S0"))
            return bool(owner != X.NONE)
        finally:
            connection.close()

    def tray_children(self) -> list[int]:
        """The windows of the icons docked in trayer.

        Trayer wraps each icon in a socket window inside its ``panel`` window, and the icon's
        own window (the XEmbed client) sits in that socket: the icons are the panel's
        grandchildren. A socket goes when its client does, so quitting programs leave the list.
        """
        if self._panel is None:
            raise DesktopError("this desktop has no tray (started with tray=False, or stopped)")
        return [icon for socket in self._children(self._panel) for icon in self._children(socket)]

    def click_tray_icon(self, timeout: float = 5.0) -> Geometry:
        """Clicks the middle of the one docked icon, once it stays where it shows; returns where.

        Trayer lays its panel out again as icons come and go, so an icon can move just after
        it docks, and a click at a place read a moment earlier lands on the panel. The click
        waits until two readings of the icon agree and the pointer is over the icon itself.
        """
        last: list[Geometry] = []

        def settled() -> Geometry | None:
            icons = self.tray_children()
            if len(icons) != 1:
                last.clear()
                return None
            geometry = self.window_geometry(icons[0])
            steady = last == [geometry]
            last[:] = [geometry]
            if not steady:
                return None
            self.xdotool("mousemove", *geometry.center)
            return geometry if self.window_at_pointer() == icons[0] else None

        geometry = self.wait_until(settled, timeout=timeout, what="the pointer on a settled icon")
        self.xdotool("click", 1)
        return geometry

    def open_tray_menu(self, class_: str, attempts: int = 2) -> int:
        """Clicks the tray icon until a new window of ``class_`` shows (the menu); returns it.

        Each attempt reads the icon's place afresh. On failure the message says where each
        click went, for the log of the program behind the icon to be read beside it.
        """
        before = set(self.search_windows(class_=class_))
        clicks: list[tuple[int, int]] = []
        for _ in range(attempts):
            clicks.append(self.click_tray_icon().center)
            try:
                menu = self.wait_until(
                    lambda: list(set(self.search_windows(class_=class_)) - before),
                    timeout=3,
                    what="the tray menu",
                )[0]
            except DesktopError:
                continue
            # Qt takes the keyboard grab for a popup menu just after mapping it; keys sent in
            # between go to the window below. No X event announces the grab, so wait a moment,
            # as a person's hand would.
            time.sleep(0.3)
            return menu
        raise DesktopError(f"no menu of class {class_!r} after clicks at {clicks}")

    def wait_for_tray_children(self, count: int, timeout: float = 5.0) -> list[int]:
        """Waits until exactly ``count`` icons are docked; returns them."""
        icons: list[int] = []

        def docked() -> bool:
            icons[:] = self.tray_children()
            return len(icons) == count

        self.wait_until(docked, timeout=timeout, what=f"{count} icon(s) in the tray")
        return icons
