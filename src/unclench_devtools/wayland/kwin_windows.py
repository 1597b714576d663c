"""KWin's windows, read by KWin scripts: ``KwinWindows``, the base of ``KwinDesktop``.

A script is loaded over D-Bus and prints its answer as one JSON line with a unique marker,
which is read back from KWin's stderr log. ``WINDOWS_SCRIPT`` reports every window, the
active one and the work area; the window questions the tests ask are answered from it.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from unclench_devtools.programs import DesktopError, Geometry, Program
from unclench_devtools.wayland.base import WaylandDesktop

KWIN = ("org.kde.KWin", "/Scripting", "org.kde.kwin.Scripting")
#: Qt's default pattern: the answers are found by their ``js: `` prefix.
MESSAGE_PATTERN = "%{if-category}%{category}: %{endif}%{message}"

#: KWin's record of a window, as WINDOWS_SCRIPT gives it.
Window = dict[str, object]

#: Every managed window, bottom of the stacking order first, and the active one.
WINDOWS_SCRIPT = """
var windows = [];
var clients = workspace.clientList();
for (var i = 0; i < clients.length; i++) {
    var c = clients[i];
    var g = c.frameGeometry;
    windows.push({
        caption: String(c.caption), x: g.x, y: g.y, width: g.width, height: g.height,
        stacking: c.stackingOrder, keepAbove: c.keepAbove, keepBelow: c.keepBelow,
        skipTaskbar: c.skipTaskbar, fullScreen: c.fullScreen, minimized: c.minimized,
        normalWindow: c.normalWindow, x11: c.windowId !== undefined && c.windowId !== 0,
        resourceClass: String(c.resourceClass), pid: c.pid
    });
}
windows.sort(function (a, b) { return a.stacking - b.stacking; });
var active = workspace.activeClient;
var area = workspace.clientArea(
    KWin.MaximizeArea, workspace.activeScreen, workspace.currentDesktop);
print(marker + JSON.stringify({
    active: active ? String(active.caption) : null, windows: windows,
    area: {x: area.x, y: area.y, width: area.width, height: area.height}
}));
"""


class KwinWindows(WaylandDesktop):
    """KWin's scripting interface and the window questions answered through it; a subclass
    starts KWin and sets ``kwin``."""

    def __init__(self, workdir: Path | None = None, start_timeout: float = 30.0) -> None:
        super().__init__(workdir, start_timeout)
        self.kwin: Program | None = None
        self._queries = 0

    def _require_kwin(self) -> Program:
        if self.kwin is None:
            raise DesktopError("kwin is not started")
        return self.kwin

    # -- D-Bus and scripts --------------------------------------------------------------------

    def run_script(self, source: str, timeout: float = 10.0) -> object:
        """Runs a KWin script that prints ``marker + JSON`` (``marker`` is a variable the
        script gets first) and returns the decoded JSON."""
        kwin = self._require_kwin()
        self._queries += 1
        plugin = f"unclench-query-{self._queries}"
        marker = f"UNCLENCH-{uuid.uuid4().hex} "
        script = self.shared / f"{plugin}.js"
        script.write_text(f"var marker = {json.dumps(marker)};\n{source}")
        script.chmod(0o644)
        start = kwin.stderr_path.stat().st_size
        try:
            out = self.call(*KWIN, "loadScript", str(script), plugin)
            script_id = int(re.findall(r"-?\d+", out)[0])
            if script_id < 0:
                raise DesktopError(f"KWin would not load {script}: {out}")
            self._run_loaded(script_id)

            def answer() -> str | None:
                with kwin.stderr_path.open("rb") as log:
                    log.seek(start)
                    text = log.read().decode(errors="replace")
                for line in text.splitlines():
                    _, found, rest = line.partition(marker)
                    if found:
                        return rest
                    if str(script) in line and "error" in line:
                        raise DesktopError(f"KWin script failed: {line}")
                if not kwin.running():
                    raise DesktopError(f"KWin died: {kwin.report()}")
                return None

            return json.loads(
                self.wait_until(answer, timeout=timeout, what=f"KWin to run {plugin}")
            )
        finally:
            self.call(*KWIN, "unloadScript", plugin, check=False)
            script.unlink(missing_ok=True)

    def _run_loaded(self, script_id: int) -> None:
        # KWin 5.27 puts a loaded script at /<id>; KWin 6 at /Scripting/Script<id>.
        errors = []
        for path in (f"/{script_id}", f"/Scripting/Script{script_id}"):
            try:
                self.call(KWIN[0], path, "org.kde.kwin.Script", "run")
            except DesktopError as error:
                errors.append(str(error))
            else:
                return
        raise DesktopError("; ".join(errors))

    # -- windows ------------------------------------------------------------------------------

    def _state(self) -> dict[str, object]:
        state = self.run_script(WINDOWS_SCRIPT)
        assert isinstance(state, dict)
        return state

    def windows(self) -> list[Window]:
        """KWin's record of each managed window (``caption``, ``x``..``height`` of the frame,
        ``stacking``, ``keepAbove``, ``skipTaskbar``, ``fullScreen``, ``x11``...), bottom first."""
        windows = self._state()["windows"]
        assert isinstance(windows, list)
        return windows

    def maximize_focused(self) -> None:
        self.run_script("workspace.activeClient.setMaximize(true, true); print(marker + 'true');")

    def work_area(self) -> Geometry:
        """The screen less Plasma's panels, as KWin gives it to maximised windows."""
        area = self._state()["area"]
        assert isinstance(area, dict)
        return Geometry(area["x"], area["y"], area["width"], area["height"])

    def window_titles(self) -> list[str]:
        return [str(window["caption"]) for window in self.windows()]

    def window_info(self, title: str) -> Window | None:
        """The first window (from the bottom) whose caption matches the regex ``title``."""
        return _find(self.windows(), title)

    def _window(self, title: str, windows: list[Window] | None = None) -> Window:
        windows = self.windows() if windows is None else windows
        window = _find(windows, title)
        if window is None:
            captions = [window["caption"] for window in windows]
            raise DesktopError(f"no window matches {title!r}; there are {captions}")
        return window

    def focused_title(self) -> str | None:
        active = self._state()["active"]
        return None if active is None else str(active)

    def window_rect(self, title: str) -> Geometry | None:
        window = self.window_info(title)
        if window is None:
            return None
        return Geometry(*(_int(window, key) for key in ("x", "y", "width", "height")))

    def is_above(self, title: str, other: str) -> bool:
        windows = self.windows()
        mine, theirs = self._window(title, windows), self._window(other, windows)
        return _int(mine, "stacking") > _int(theirs, "stacking")

    def keeps_above(self, title: str) -> bool:
        """Whether KWin keeps the window above others (``_NET_WM_STATE_ABOVE`` and the like)."""
        return bool(self._window(title)["keepAbove"])

    def skip_taskbar(self, title: str) -> bool:
        return bool(self._window(title)["skipTaskbar"])


def _find(windows: list[Window], title: str) -> Window | None:
    pattern = re.compile(title)
    return next((w for w in windows if pattern.search(str(w["caption"]))), None)


def _int(window: Window, key: str) -> int:
    value = window[key]
    assert isinstance(value, int | float), window
    return round(value)
