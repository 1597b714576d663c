"""The desktop app: the tray first, then everything behind it.

Start-up order matters for the person: the tray appears first, with only what it needs loaded
(Qt, the tray, the control socket that keeps a second copy from starting); the rest (settings,
catalogue, history, idle and do-not-disturb sources, the break window and the scheduler)
lives in ``running_app`` and is imported and built right after, on the event loop's first
turn. No break can be due that soon. ``app`` and ``running_app`` are the only modules that
know core, platform and ui together.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from unclench import APP_NAME, APP_REVERSE_ID, __version__
from unclench.core.i18n import _
from unclench.ipc.protocol import CommandError, Request
from unclench.ipc.server import ControlServer
from unclench.logs import route_qt_messages, setup_logging, stop_routing_qt_messages
from unclench.platform.popup_mechanism import (
    Mechanism,
    PopupChoice,
    choose_popup_mechanism,
)
from unclench.platform.qt_start import qt_arguments
from unclench.ui.tray import ENV_TRAY, TrayBackend, TrayCommands, TrayMenu, choose_backend

if TYPE_CHECKING:  # loaded after the tray shows (see the module docstring)
    from unclench.running_app import RunningApp

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BROKEN_INSTALL = 4


@dataclass(slots=True)
class AppOptions:
    tray: str = "auto"
    verbose: bool = False
    notices: list[str] = field(default_factory=list)


class UnclenchApp(QObject):
    """The tray and the control socket; ``running`` holds the rest once it is built."""

    def __init__(
        self, qapp: QApplication, options: AppOptions, popup: PopupChoice | None = None
    ) -> None:
        super().__init__()
        self.qapp = qapp
        self.options = options
        #: How the break window appears here; chosen before Qt started (see ``run``).
        self.popup = popup or PopupChoice(Mechanism.NATIVE, None, "Qt's default platform")
        self.notices: list[str] = list(options.notices)
        self.commands = TrayCommands(self)
        self.commands.quit.connect(self.quit)
        self.menu = TrayMenu(self.commands)
        self.tray: TrayBackend | None = None
        self.server = ControlServer(self._answer, self)
        self.running: RunningApp | None = None

    def build(self) -> RunningApp:
        """Everything behind the tray; raises SystemExit when the installation is damaged.

        :meth:`start` runs it once the tray shows; ``--smoke`` and tests run it directly.
        """
        # Imported here, not at the top: loading it is most of the start-up time, and the
        # tray is already showing when this runs.
        from unclench.running_app import RunningApp  # noqa: PLC0415 - see above

        self.running = RunningApp(self)
        return self.running

    def _answer(self, request: Request) -> dict[str, object]:
        """The control socket's handler: the running app's, once it is built."""
        if self.running is None:
            raise CommandError(
                _("{app} is still starting; try again in a moment.").format(app=APP_NAME)
            )
        return self.running.answer(request)

    def start(self) -> bool:
        """Show the tray, then build the rest on the event loop's first turn; False when
        another Unclench already runs (checked before any icon shows)."""
        if not self.server.listen():
            log.warning("another Unclench is already running; this one stops")
            return False
        requested = self.options.tray or os.environ.get(ENV_TRAY, "auto")
        # On XWayland a tray click comes from a Wayland panel: the pointer is nowhere we know.
        xwayland = self.popup.mechanism is Mechanism.XWAYLAND
        self.tray = choose_backend(
            requested, self.commands, self.menu, activate_opens_settings=xwayland
        )
        if self.tray is None:
            log.warning("this desktop shows no tray icons")
            msg = _(
                "{app} is running, but this desktop shows no tray icons. Use the command line "
                "(unclench status, unclench now, unclench settings, unclench quit) or start "
                "{app} again from the start menu to open Settings."
            ).format(app=APP_NAME)
            print(msg, file=sys.stderr)
        # Queued events run before the control socket's: no command arrives half-built.
        QTimer.singleShot(0, self._start_counting)
        return True

    def _start_counting(self) -> None:
        try:
            running = self.build()
        except SystemExit as exc:
            self.server.close()
            if self.tray is not None:
                self.tray.stop()
            self.qapp.exit(int(exc.code or EXIT_BROKEN_INSTALL))
            return
        running.start()

    def retranslate(self) -> None:
        """The language changed: the tray's menu, its tooltip and the break window speak the
        new one, as they live the whole session (the other windows are ``running``'s)."""
        if self.tray is not None:
            self.tray.retranslate()  # its menu too
        else:
            self.menu.retranslate()
        if self.running is not None:
            self.running.controller.retranslate()

    def quit(self) -> None:
        log.info("quitting")
        self.server.close()
        if self.running is not None:
            self.running.stop()
        if self.tray is not None:
            self.tray.stop()
        self.qapp.quit()


def _quit_on_signals(app: UnclenchApp) -> None:
    """SIGTERM/SIGINT end the app cleanly without a polling timer.

    Python runs signal handlers only when it gets control; the wake-up fd makes the signal
    write a byte to a socket that Qt watches, so the Qt loop wakes and Python runs.
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)

    notifier.activated.connect(drain)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: QTimer.singleShot(0, app.quit))
    app._signal_sockets = (reader, writer, notifier)  # type: ignore[attr-defined]  # noqa: SLF001


def make_qapplication(arguments: list[str] | None = None) -> QApplication:
    """The Qt application object, named as the desktop expects (the icon comes with the app).

    ``arguments`` choose Qt's plugins for this desktop (``platform.qt_start``).
    """
    qapp = QApplication.instance() or QApplication(sys.argv[:1] + (arguments or []))
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("unclench")
    qapp.setApplicationDisplayName(APP_NAME)
    qapp.setApplicationVersion(__version__)
    # Names the menu entry, so Wayland desktops match windows to its name and icon.
    qapp.setDesktopFileName(APP_REVERSE_ID)
    qapp.setQuitOnLastWindowClosed(False)  # closing Settings must not end a tray app
    return qapp


def run(options: AppOptions) -> int:
    """Start the app and run until Quit; returns the exit code."""
    setup_logging(verbose=options.verbose)
    route_qt_messages()
    popup = choose_popup_mechanism(os.environ, sys.platform)
    qapp = make_qapplication(qt_arguments(os.environ, popup.qt_platform))
    app = UnclenchApp(qapp, options, popup)
    if not app.start():
        return EXIT_OK
    if os.name == "posix":
        _quit_on_signals(app)
    code = qapp.exec()
    stop_routing_qt_messages()
    return EXIT_OK if code == 0 else code
