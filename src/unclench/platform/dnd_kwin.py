"""Do-not-disturb on KDE Plasma (Wayland): the focused window is full screen.

KWin tells other programs nothing about its windows, but it runs scripts: we load a small
one over D-Bus that watches the focused window and calls us back whenever its full-screen
state changes, so a question costs nothing. It is unloaded when Unclench quits (and, were
Unclench killed, replaced at its next start).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusVirtualObject

from unclench.core.i18n import N_
from unclench.platform import dbus_call

log = logging.getLogger(__name__)

# Translators: why a due break waits, shown after "Waiting:" in the tray and status.
REASON = N_("a full-screen window is in front")
KWIN = ("org.kde.KWin", "/Scripting", "org.kde.kwin.Scripting")
PLUGIN = "unclench-fullscreen"
OBJECT_PATH = "/io/github/unclench/KWinFullscreen"
INTERFACE = "io.github.unclench.KWinFullscreen"

#: ES5 with both APIs' names: KWin 5 calls windows clients (``activeClient``), KWin 6 windows.
SCRIPT = """
var target = ["%(service)s", "%(path)s", "%(interface)s", "fullscreenChanged"];
var last = null;
function active() {
    return workspace.activeWindow !== undefined ? workspace.activeWindow : workspace.activeClient;
}
function report() {
    var w = active();
    var full = !!(w && w.fullScreen);
    if (full !== last) {
        last = full;
        callDBus(target[0], target[1], target[2], target[3], full);
    }
}
function watch(w) {
    if (w && w.fullScreenChanged) {
        w.fullScreenChanged.connect(report);
    }
}
(workspace.windowActivated || workspace.clientActivated).connect(report);
(workspace.windowAdded || workspace.clientAdded).connect(watch);
var all = workspace.windowList ? workspace.windowList() : workspace.clientList();
for (var i = 0; i < all.length; i++) {
    watch(all[i]);
}
report();
"""


class _Callback(QDBusVirtualObject):
    """Takes KWin's ``fullscreenChanged(b)`` calls; anything else is refused, never fatal."""

    def __init__(self) -> None:
        super().__init__()
        self.fullscreen = False

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:
        arguments = list(message.arguments())
        if message.member() != "fullscreenChanged" or len(arguments) != 1:
            error = message.createErrorReply("org.freedesktop.DBus.Error.UnknownMethod", "no")
            return connection.send(error)
        self.fullscreen = arguments[0] is True
        return connection.send(message.createReply())

    def introspect(self, path: str) -> str:  # noqa: ARG002 - Qt's signature
        return ""


class KWinFullscreenDnd:
    """Holds what KWin's script last said; ``reason`` answers from that."""

    def __init__(self, bus: QDBusConnection) -> None:
        self._bus = bus
        self._callback = _Callback()
        self._script: Path | None = None

    @property
    def name(self) -> str:
        return "kwin-fullscreen"

    def reason(self) -> str | None:
        return REASON if self._callback.fullscreen else None

    def start(self) -> bool:
        """Registers our callback and loads KWin's script; ``False`` (logged) on failure."""
        if not self._bus.registerVirtualObject(OBJECT_PATH, self._callback):
            log.info("KWin full-screen check: cannot register %s", OBJECT_PATH)
            return False
        text = SCRIPT % {
            "service": self._bus.baseService(),
            "path": OBJECT_PATH,
            "interface": INTERFACE,
        }
        # World-readable: KWin reads it as the session's user, in its own process.
        with tempfile.NamedTemporaryFile(
            "w", prefix="unclench-kwin-", suffix=".js", delete=False
        ) as file:
            file.write(text)
        self._script = Path(file.name)
        self._script.chmod(0o644)
        self._kwin("unloadScript", PLUGIN)  # a copy left by an Unclench that was killed
        answer = self._kwin("loadScript", str(self._script), PLUGIN)
        script_id = answer[0] if answer else None
        if not isinstance(script_id, int) or script_id < 0:
            log.info("KWin full-screen check: KWin did not load the script (%s)", answer)
            self.stop()
            return False
        for path in (f"/Scripting/Script{script_id}", f"/{script_id}"):  # KWin 6, KWin 5
            if dbus_call.call(self._bus, KWIN[0], path, "org.kde.kwin.Script", "run") is not None:
                return True
        log.info("KWin full-screen check: KWin did not run the script")
        self.stop()
        return False

    def stop(self) -> None:
        """Unloads the script (called on quit)."""
        self._kwin("unloadScript", PLUGIN)
        self._bus.unregisterObject(OBJECT_PATH)
        if self._script is not None:
            self._script.unlink(missing_ok=True)
            self._script = None

    def _kwin(self, method: str, *args: object) -> list[object] | None:
        return dbus_call.call(self._bus, *KWIN, method, *args)


def create(bus: QDBusConnection | None = None) -> KWinFullscreenDnd | None:
    """The check on KWin, or ``None`` where KWin's scripting does not answer."""
    bus = QDBusConnection.sessionBus() if bus is None else bus
    if not bus.isConnected() or not dbus_call.has_owner(bus, KWIN[0]):
        return None
    check = KWinFullscreenDnd(bus)
    return check if check.start() else None
