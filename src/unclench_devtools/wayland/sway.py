"""A throwaway headless sway (wlroots) desktop for end-to-end tests, with swaybar's tray.

Windows are read from ``swaymsg -t get_tree``; typing goes through ``wtype`` and screenshots
through ``grim``, both run as the compositor's user (sway refuses to run as root).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import ClassVar

from unclench_devtools.programs import DesktopError, Geometry
from unclench_devtools.wayland.base import WaylandDesktop


class SwayDesktop(WaylandDesktop):
    """Headless sway with swaybar's tray; windows are read from ``swaymsg -t get_tree``."""

    name = "sway"
    current_desktop = "sway"
    tools: ClassVar[dict[str, str]] = {
        "sway": "sway",
        "swaymsg": "sway",
        "foot": "foot",
        "wtype": "wtype",
        "grim": "grim",
        "gdbus": "libglib2.0-bin",
        "dbus-daemon": "dbus",
        "Xwayland": "xwayland",
    }
    needs_ordinary_user = True  # "Unable to drop root"
    can_type = True

    def __init__(self, workdir: Path | None = None, start_timeout: float = 30.0) -> None:
        super().__init__(workdir, start_timeout)
        self.ipc_socket: Path | None = None

    def _start_compositor(self) -> None:
        width, height = self.size
        config = self.shared / "sway.conf"
        display_file = self.compositor_runtime / "display"
        config.write_text(
            f"output HEADLESS-1 resolution {width}x{height} position 0 0\n"
            "default_border normal\n"
            "bar {\n  position top\n  tray_output *\n}\n"
            # DISPLAY, as sway gives it to its clients (Xwayland starts when first used).
            f"exec sh -c 'echo \"$DISPLAY\" > {display_file}'\n"
        )
        env = self.compositor_env(
            WLR_BACKENDS="headless",
            WLR_LIBINPUT_NO_DEVICES="1",
            WLR_RENDERER="pixman",
        )
        command = self.as_user(["sway", "-c", str(config)])
        sway = self._launch(command, "sway", env, cwd=self.compositor_home)
        self._services.append(sway)
        self.wayland_socket = self._wait_for_socket(sway)

        def ipc() -> Path | None:
            found = list(self.compositor_runtime.glob("sway-ipc.*.sock"))
            return found[0] if found else None

        self.ipc_socket = self.wait_until(ipc, timeout=self.start_timeout, what="sway's IPC")
        self.x_display = self.wait_until(
            lambda: display_file.read_text().strip() if display_file.exists() else None,
            timeout=self.start_timeout,
            what="sway to name its X display",
        )
        self.wait_until(self.has_tray_host, timeout=self.start_timeout, what="swaybar's tray")
        self._envs.clear()

    def session_env(self) -> dict[str, str]:
        env = super().session_env()
        if self.ipc_socket is not None:
            env["SWAYSOCK"] = str(self.ipc_socket)
        return env

    def swaymsg(self, *args: str) -> object:
        if self.ipc_socket is None:
            raise DesktopError("sway is not started")
        out = self.run(["swaymsg", "-s", str(self.ipc_socket), "-r", *args]).stdout
        return json.loads(out)

    def _windows(self) -> list[dict[str, object]]:
        """Every window, with ``floating`` set for the floating ones, in stacking order."""
        tree = self.swaymsg("-t", "get_tree")
        found: list[dict[str, object]] = []

        def walk(node: dict[str, object], floating: bool) -> None:
            if node.get("type") in {"con", "floating_con"} and node.get("pid"):
                found.append(node | {"floating": floating})
            for child in _nodes(node, "nodes"):
                walk(child, floating)
            for child in _nodes(node, "floating_nodes"):
                walk(child, True)

        assert isinstance(tree, dict)
        walk(tree, False)
        return found

    def _window(self, title: str) -> dict[str, object] | None:
        pattern = re.compile(title)
        for window in self._windows():
            if pattern.search(str(window.get("name") or "")):
                return window
        return None

    def focused_title(self) -> str | None:
        for window in self._windows():
            if window.get("focused"):
                return str(window.get("name"))
        return None

    def window_rect(self, title: str) -> Geometry | None:
        window = self._window(title)
        if window is None:
            return None
        rect = window["rect"]
        assert isinstance(rect, dict)
        return Geometry(rect["x"], rect["y"], rect["width"], rect["height"])

    def work_area(self) -> Geometry:
        workspaces = self.swaymsg("-t", "get_workspaces")
        assert isinstance(workspaces, list)
        rect = next(w["rect"] for w in workspaces if w.get("focused"))
        return Geometry(rect["x"], rect["y"], rect["width"], rect["height"])

    def window_info(self, title: str) -> dict[str, object] | None:
        """sway's own record of the window (``floating``, ``sticky``, ``border``...)."""
        return self._window(title)

    def is_above(self, title: str, other: str) -> bool:
        windows = self._windows()
        mine = next(i for i, w in enumerate(windows) if re.search(title, str(w.get("name"))))
        theirs = next(i for i, w in enumerate(windows) if re.search(other, str(w.get("name"))))
        # Floating windows are drawn over the tiled ones, later floating ones over earlier.
        return bool(windows[mine]["floating"]) and (
            not windows[theirs]["floating"] or mine > theirs
        )

    def type_text(self, text: str) -> None:
        # wtype makes a new virtual keyboard each time; sway drops a key pressed at once after
        # the new keyboard's keymap arrives, so wait a moment before the first one.
        self.run(self.as_user(["wtype", "-s", "100", text]), env=self.compositor_env())

    def press(self, key: str) -> None:
        self.run(self.as_user(["wtype", "-s", "100", "-k", key]), env=self.compositor_env())

    def screenshot(self, path: Path) -> Path:
        shot = self.compositor_runtime / "shot.png"
        self.run(self.as_user(["grim", str(shot)]), env=self.compositor_env())
        shutil.copyfile(shot, path)
        return path


def _nodes(node: dict[str, object], key: str) -> list[dict[str, object]]:
    children = node.get(key) or []
    assert isinstance(children, list)
    return children
