"""The desktop app: wires core, platform backends and Qt windows together.

This is the only module that knows all three. Start-up order matters for the person: the
tray appears first, with only what it needs loaded (Qt, the tray, the control socket that
keeps a second copy from starting); the rest (settings, catalogue, history, idle and
do-not-disturb sources, the break window and the scheduler) is imported and built right
after, on the event loop's first turn. No break can be due that soon.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from unclench import APP_NAME, APP_REVERSE_ID, __version__
from unclench.ipc.server import ControlServer
from unclench.logs import route_qt_messages, setup_logging, stop_routing_qt_messages
from unclench.platform.popup_mechanism import (
    Mechanism,
    PopupChoice,
    choose_popup_mechanism,
)
from unclench.platform.qt_start import qt_arguments
from unclench.ui.tray import (
    ENV_TRAY,
    MENU_WINDOW_TITLE,
    TrayBackend,
    TrayCommands,
    TrayMenu,
    TrayModel,
    choose_backend,
)

if TYPE_CHECKING:  # built after the tray shows (see the module docstring) or on first use
    from unclench.command_handler import CommandHandler
    from unclench.controller import BreakController
    from unclench.core.catalogue import Catalogue
    from unclench.core.clock import SystemClock
    from unclench.core.durations import Duration
    from unclench.core.history import History
    from unclench.core.presence import IdleSource
    from unclench.core.settings import Settings
    from unclench.core.settings_store import SettingsStore
    from unclench.ipc.protocol import Request
    from unclench.platform.dnd import CombinedDnd
    from unclench.platform.popup_notification import NotificationOffer
    from unclench.platform.session import SessionWatcher
    from unclench.ui.about_window import AboutWindow
    from unclench.ui.break_window import WindowPlacer
    from unclench.ui.history_window import HistoryWindow
    from unclench.ui.no_tray_window import NoTrayWindow
    from unclench.ui.own_techniques_window import OwnTechniquesWindow
    from unclench.ui.settings_window import SettingsWindow

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BROKEN_INSTALL = 4


@dataclass(slots=True)
class AppOptions:
    tray: str = "auto"
    verbose: bool = False
    notices: list[str] = field(default_factory=list)


class UnclenchApp(QObject):
    """Owns every long-lived object of a running app."""

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
        self.menu = TrayMenu(self.commands)
        self.tray: TrayBackend | None = None
        self.server = ControlServer(self._answer, self)
        self._control: CommandHandler | None = None
        self._settings_window: SettingsWindow | None = None
        self._about_window: AboutWindow | None = None
        self._history_window: HistoryWindow | None = None
        self._own_window: OwnTechniquesWindow | None = None
        self._no_tray_window: NoTrayWindow | None = None

    def build(self) -> None:
        """Everything behind the tray; raises SystemExit when the installation is damaged.

        :meth:`start` runs it once the tray shows; ``--smoke`` and tests run it directly.
        """
        # Imported here, not at the top: loading them is most of the start-up time, and the
        # tray is already showing when this runs.
        import random  # noqa: PLC0415 - see above

        from unclench.controller import BreakController  # noqa: PLC0415
        from unclench.core.chooser import TechniqueChooser  # noqa: PLC0415
        from unclench.core.clock import SystemClock  # noqa: PLC0415
        from unclench.core.own_techniques import OwnTechniquesStore  # noqa: PLC0415
        from unclench.core.scheduler import BreakScheduler, ScheduleConfig  # noqa: PLC0415
        from unclench.core.settings_store import SettingsStore  # noqa: PLC0415
        from unclench.platform.dnd import CombinedDnd, choose_dnd_sources  # noqa: PLC0415
        from unclench.platform.idle import choose_idle_source  # noqa: PLC0415
        from unclench.platform.motion import prefers_reduced_motion  # noqa: PLC0415
        from unclench.platform.session import create_session_watcher  # noqa: PLC0415
        from unclench.platform.sound import play_chime  # noqa: PLC0415
        from unclench.ui.break_window import BreakWindow  # noqa: PLC0415
        from unclench.ui.icons import app_icon  # noqa: PLC0415
        from unclench.ui.theme import apply_theme  # noqa: PLC0415

        self.qapp.setWindowIcon(app_icon())  # only windows show it; the tray has its own
        self.store: SettingsStore = SettingsStore.default()
        loaded = self.store.load()
        self.settings: Settings = loaded.settings
        self.notices += [str(n) for n in loaded.notices]
        if loaded.notices and loaded.backup is not None:
            self._save(self.settings)  # write the repaired file once; the original is kept
        self.own_store: OwnTechniquesStore = OwnTechniquesStore.default()
        self._load_catalogue()
        self.history: History | None = self._open_history()
        self.clock: SystemClock = SystemClock()
        self.idle: IdleSource = choose_idle_source(os.environ, sys.platform)
        self.dnd: CombinedDnd = CombinedDnd(choose_dnd_sources(os.environ, sys.platform))
        apply_theme(self.settings.popup.theme)
        self.break_offer = self._offer()
        window = BreakWindow(
            reduced_motion=prefers_reduced_motion(), placer=self._placer(), offer=self.break_offer
        )
        recent = self.history.recent_technique_ids() if self.history else []
        self.controller: BreakController = BreakController(
            settings=self.settings,
            scheduler=BreakScheduler(
                ScheduleConfig.from_settings(self.settings.schedule), self.clock, self.idle
            ),
            chooser=TechniqueChooser(self.catalogue, random.Random(), recent=recent),
            history=self.history,
            window=window,
            clock=self.clock,
            dnd=self.dnd,
            chime=play_chime,
            parent=self,
        )
        self.session: SessionWatcher = create_session_watcher(self)
        self._connect()

    # ------------------------------------------------------------------ start-up pieces

    def _offer(self) -> NotificationOffer | None:
        """A notification before the window, where no window can appear unfocused."""
        if self.popup.mechanism is not Mechanism.NOTIFICATION:
            return None
        from unclench.platform import popup_notification  # noqa: PLC0415 - this mechanism only

        return popup_notification.create()

    def _placer(self) -> WindowPlacer | None:
        """The desktop's help in placing the break window: hints to an X window manager,
        orders to sway."""
        if self.popup.mechanism in (Mechanism.X11, Mechanism.XWAYLAND):
            from unclench.platform import x11_hints  # noqa: PLC0415 - X11 only

            return x11_hints.create(os.environ.get("DISPLAY"))
        if self.popup.mechanism is not Mechanism.SWAY:
            return None
        from unclench.platform import sway_ipc  # noqa: PLC0415 - sway only
        from unclench.platform.popup_sway import SwayPlacer  # noqa: PLC0415
        from unclench.ui.break_window import WINDOW_TITLE  # noqa: PLC0415

        ipc = sway_ipc.socket_path(os.environ)
        if ipc is None:
            return None
        placer = SwayPlacer(ipc, APP_REVERSE_ID, WINDOW_TITLE, MENU_WINDOW_TITLE, self)
        return placer if placer.configure() else None

    def _load_catalogue(self) -> None:
        from unclench.core.catalogue import CatalogueError, load_catalogue_lenient  # noqa: PLC0415

        try:
            shipped, problems = load_catalogue_lenient()
        except CatalogueError as exc:
            # The shipped data is unreadable: the installation is damaged.
            code = self._fatal(f"The technique catalogue cannot be used:\n{exc}")
            raise SystemExit(code) from exc
        self.shipped: Catalogue = shipped
        for problem in problems:
            log.error("catalogue: %s", problem)
        if problems:
            self.notices.append(
                f"{len(problems)} technique(s) could not be loaded and were left out "
                "(details in the log)."
            )
        own = self.own_store.load()
        self.notices += own.notices
        if own.problems:
            self.notices.append(
                f"{len(own.problems)} problem(s) in your techniques file; those entries are "
                "left out of breaks and kept in the file. See Settings, Your techniques."
            )
        self.catalogue: Catalogue = self.shipped.with_techniques(own.techniques)

    def _use_own_techniques(self) -> None:
        """Breaks draw from the shipped techniques plus the person's, as saved now."""
        own = self.own_store.current()
        self.catalogue = self.shipped.with_techniques(own.techniques)
        self.controller.chooser.set_catalogue(self.catalogue)
        if self._own_window is not None:
            self._own_window.set_techniques(own)
        if self._history_window is not None:
            self._history_window.set_catalogue(self.catalogue)

    def _open_history(self) -> History | None:
        from unclench.core.history import History, HistoryError  # noqa: PLC0415

        try:
            history = History.open_default()
        except HistoryError as exc:
            self.notices.append(f"{exc} Breaks will not be recorded this time.")
            log.error("%s", exc)
            return None
        if history.notice:
            self.notices.append(history.notice)
        return history

    def _fatal(self, message: str) -> int:
        log.critical("%s", message)
        print(message, file=sys.stderr)
        QMessageBox.critical(None, APP_NAME, message)
        return EXIT_BROKEN_INSTALL

    def _connect(self) -> None:
        c = self.commands
        ctl = self.controller
        c.break_now.connect(ctl.break_now)
        c.snooze.connect(self._snooze_from_tray)
        c.pause.connect(ctl.pause)
        c.resume.connect(ctl.resume)
        c.settings.connect(self.show_settings)
        c.about.connect(self.show_about)
        c.history.connect(self.show_history)
        c.quit.connect(self.quit)
        ctl.tray_changed.connect(self._update_tray)
        ctl.notice.connect(self.tell)
        ctl.history_changed.connect(self._history_changed)

    def _answer(self, request: Request) -> dict[str, object]:
        """The control socket's handler, loaded with its first request: it needs the
        scheduler's and the history's modules, which start-up loads after the tray."""
        if self._control is None:
            from unclench.command_handler import CommandHandler  # noqa: PLC0415 - see above

            self._control = CommandHandler(self)
        return self._control(request)

    # ------------------------------------------------------------------ running

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
            msg = (
                f"{APP_NAME} is running, but this desktop shows no tray icons. Use the "
                "command line (unclench status, unclench now, unclench settings, unclench "
                "quit) or start Unclench again from the start menu to open Settings."
            )
            log.warning("%s", msg)
            print(msg, file=sys.stderr)
        # Queued events run before the control socket's: no command arrives half-built.
        QTimer.singleShot(0, self._start_counting)
        return True

    def _start_counting(self) -> None:
        try:
            self.build()
        except SystemExit as exc:
            self.server.close()
            if self.tray is not None:
                self.tray.stop()
            self.qapp.exit(int(exc.code or EXIT_BROKEN_INSTALL))
            return
        self.session.locked_changed.connect(self.controller.set_locked)
        self.session.sleep_changed.connect(self.controller.set_asleep)
        self.session.start()
        self.controller.start()
        if self.tray is None:
            self._tell_no_tray_once()
        for notice in self.notices:
            self.tell(notice)
        log.info("%s %s started (idle: %s)", APP_NAME, __version__, self.idle.name)

    def _tell_no_tray_once(self) -> None:
        """Without a tray the app would be invisible: say once, in a window, how to reach it."""
        from unclench.core.first_time import FirstTime, default_folder  # noqa: PLC0415
        from unclench.ui.no_tray_window import NoTrayWindow  # noqa: PLC0415 - no tray only

        desktop = os.environ.get("XDG_CURRENT_DESKTOP", "")
        if not FirstTime(default_folder()).claim(f"no-tray-{desktop or 'unknown'}"):
            return
        window = NoTrayWindow(desktop)
        window.settings_requested.connect(self.show_settings)
        self._no_tray_window = window
        _raise(window)

    def quit(self) -> None:
        from unclench.platform.wayland import close_shared_connection  # noqa: PLC0415
        from unclench.platform.x11 import close_shared_displays  # noqa: PLC0415 - loaded by _build

        log.info("quitting")
        self.server.close()
        self.controller.stop()
        self.dnd.stop()
        if self.break_offer is not None:
            self.break_offer.stop()
        close_shared_displays()  # the idle and full-screen checks' X connection
        close_shared_connection()  # and their Wayland one
        if self.tray is not None:
            self.tray.stop()
        if self.history is not None:
            self.history.close()
        self.qapp.quit()

    def tell(self, message: str, *, error: bool = False) -> None:
        """Show a notice without taking focus: a tray balloon, or the log and terminal; an
        ``error`` (a change that could not be kept) is marked as a problem in Settings."""
        if error:
            log.error("%s", message)
        else:
            log.warning("notice: %s", message)
        if self._settings_window is not None:
            if error:
                self._settings_window.show_error(message)
            else:
                self._settings_window.show_notice(message)
        if self.tray is not None:
            self.tray.notify(APP_NAME, message)

    # ------------------------------------------------------------------ reactions

    def _update_tray(self, model: TrayModel) -> None:
        if self.tray is not None:
            self.tray.update(model)

    def _snooze_from_tray(self, duration: Duration) -> None:
        from unclench.core.scheduler import SchedulerError  # noqa: PLC0415 - loaded by now

        try:
            self.controller.snooze(duration)
        except SchedulerError as exc:
            self.tell(str(exc))

    def change_settings(self, settings: Settings) -> None:
        from unclench.ui.theme import apply_theme  # noqa: PLC0415 - loaded by now

        settings = self._apply_start_at_login(settings)
        if self._save(settings):
            self.settings = settings
            apply_theme(settings.popup.theme)
            self.controller.apply_settings(settings)

    def _apply_start_at_login(self, settings: Settings) -> Settings:
        """Write or remove the login entry when, and only when, the setting changes.

        On failure the person is told why and the setting keeps its old value, so what
        Settings shows is what will happen at the next login.
        """
        from unclench.core.settings import with_changes  # noqa: PLC0415 - loaded by now
        from unclench.platform import autostart  # noqa: PLC0415 - only when a setting changes

        wanted = settings.system.start_at_login
        if wanted == self.settings.system.start_at_login:
            return settings
        try:
            autostart.set_enabled(wanted)
        except autostart.AutostartError as exc:
            self.tell(str(exc), error=True)
            kept = with_changes(settings, system={"start_at_login": not wanted})
            if self._settings_window is not None:
                self._settings_window.set_settings(kept)
            return kept
        return settings

    def _save(self, settings: Settings) -> bool:
        from unclench.core.settings_store import SettingsSaveError  # noqa: PLC0415 - loaded by now

        try:
            self.store.save(settings)
        except SettingsSaveError as exc:
            if self._settings_window is not None:
                # Show what is really in force, not the change that could not be kept.
                self._settings_window.set_settings(self.settings)
            self.tell(str(exc), error=True)
            return False
        return True

    # ------------------------------------------------------------------ windows

    def show_settings(self) -> None:
        from unclench.ui.settings_window import SettingsWindow  # noqa: PLC0415 - on demand

        if self._settings_window is None:
            from unclench.platform import autostart  # noqa: PLC0415 - on demand

            window = SettingsWindow(
                self.settings, self.catalogue, can_start_at_login=autostart.is_supported()
            )
            window.changed.connect(self.change_settings)
            window.preview_requested.connect(self.controller.break_now)
            window.own_techniques_requested.connect(self.show_own_techniques)
            self._settings_window = window
        self._settings_window.set_settings(self.settings)
        _raise(self._settings_window)

    def show_own_techniques(self) -> None:
        from unclench.ui.own_techniques_window import OwnTechniquesWindow  # noqa: PLC0415

        if self._own_window is None:
            window = OwnTechniquesWindow(self.shipped.areas, str(self.own_store.path))
            store = self.own_store
            window.add_requested.connect(lambda d: self._change_own(store.add, d))
            window.edit_requested.connect(lambda i, d: self._change_own(store.update, i, d))
            window.remove_requested.connect(lambda i: self._change_own(store.remove, i))
            self._own_window = window
        # Read the file again: the person may have edited it by hand.
        for notice in self.own_store.load().notices:
            self.tell(notice)
        self._use_own_techniques()
        _raise(self._own_window)

    def _change_own(self, change: Callable[..., object], *args: object) -> None:
        from unclench.core.own_techniques import OwnTechniquesError  # noqa: PLC0415

        try:
            change(*args)
        except OwnTechniquesError as exc:
            if self._own_window is not None:
                self._own_window.show_error(str(exc))
            return
        self._use_own_techniques()

    def show_about(self) -> None:
        from unclench.ui.about_window import AboutWindow  # noqa: PLC0415 - on demand

        if self._about_window is None:
            status = self.controller.scheduler.status()
            self._about_window = AboutWindow(
                status.idle_source, status.counting_wall_time, self.popup.description
            )
        _raise(self._about_window)

    def show_history(self) -> None:
        from unclench.ui.history_window import HistoryWindow  # noqa: PLC0415 - on demand

        if self._history_window is None:
            window = HistoryWindow(self.history, self.catalogue)
            window.deleted.connect(self.controller.update_weights)
            self._history_window = window
        else:
            self._history_window.refresh()
        _raise(self._history_window)

    def _history_changed(self) -> None:
        if self._history_window is not None and self._history_window.isVisible():
            self._history_window.refresh()


def _raise(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


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
