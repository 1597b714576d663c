"""Everything behind the tray: settings, catalogue, history, idle and do-not-disturb sources,
the break window and its controller, the control socket's answers, and the app's windows.

``app.py`` shows the tray first and imports this module on the event loop's first turn, so
these imports cost nothing before the icon is up. The windows (Settings, About, History, your
techniques) load only when first opened: their modules alone are 3.5 MB of memory that the
app does not need while it sits in the tray.
"""

from __future__ import annotations

import logging
import os
import random
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from unclench import APP_NAME, APP_REVERSE_ID, __version__
from unclench.command_handler import CommandHandler
from unclench.controller import BreakController
from unclench.core.catalogue import Catalogue, CatalogueError, load_catalogue_lenient
from unclench.core.catalogue_language import in_language
from unclench.core.chooser import TechniqueChooser
from unclench.core.clock import SystemClock
from unclench.core.durations import Duration
from unclench.core.first_time import FirstTime, default_folder
from unclench.core.history import History, HistoryError
from unclench.core.i18n import _, current_language, ngettext, set_language
from unclench.core.own_techniques import OwnTechniquesError, OwnTechniquesStore
from unclench.core.scheduler import BreakScheduler, ScheduleConfig, SchedulerError
from unclench.core.settings import Settings, with_changes
from unclench.core.settings_store import SettingsSaveError, SettingsStore
from unclench.ipc.protocol import Request
from unclench.platform import autostart, sway_ipc, x11_hints
from unclench.platform.dnd import CombinedDnd, choose_dnd_sources
from unclench.platform.idle import choose_idle_source
from unclench.platform.motion import prefers_reduced_motion
from unclench.platform.popup_mechanism import Mechanism
from unclench.platform.popup_sway import SwayPlacer
from unclench.platform.session import create_session_watcher
from unclench.platform.sound import play_chime
from unclench.platform.wayland import close_shared_connection
from unclench.platform.x11 import close_shared_displays
from unclench.ui.break_desktop import WindowPlacer
from unclench.ui.break_window import WINDOW_TITLE, BreakWindow
from unclench.ui.icons import app_icon
from unclench.ui.language import QtLanguage
from unclench.ui.theme import apply_theme
from unclench.ui.tray import MENU_WINDOW_TITLE, TrayModel

if TYPE_CHECKING:  # the windows load on first use (see the module docstring)
    from unclench.app import UnclenchApp
    from unclench.platform.popup_notification import NotificationOffer
    from unclench.ui.about_window import AboutWindow
    from unclench.ui.history_window import HistoryWindow
    from unclench.ui.no_tray_window import NoTrayWindow
    from unclench.ui.own_techniques_window import OwnTechniquesWindow
    from unclench.ui.settings_window import SettingsWindow

log = logging.getLogger(__name__)

EXIT_BROKEN_INSTALL = 4


class RunningApp(QObject):
    """Builds and owns what runs behind the tray; raises SystemExit when the installation
    is damaged (the catalogue cannot be read)."""

    def __init__(self, shell: UnclenchApp) -> None:
        super().__init__(shell)
        self.shell = shell
        self.popup = shell.popup
        self.notices: list[str] = list(shell.notices)
        self._settings_window: SettingsWindow | None = None
        self._about_window: AboutWindow | None = None
        self._history_window: HistoryWindow | None = None
        self._own_window: OwnTechniquesWindow | None = None
        self._no_tray_window: NoTrayWindow | None = None
        #: Windows that were open when the language changed: rebuilt when next opened.
        self._outdated: set[str] = set()
        shell.qapp.setWindowIcon(app_icon())  # only windows show it; the tray has its own
        self.store = SettingsStore.default()
        loaded = self.store.load()
        self.settings: Settings = loaded.settings
        self.notices += [str(n) for n in loaded.notices]
        if loaded.notices and loaded.backup is not None:
            self._save(self.settings)  # write the repaired file once; the original is kept
        # The command line chose the language from the same file; Qt learns it here.
        self.qt_language = QtLanguage(shell.qapp)
        self.qt_language.apply(set_language(self.settings.system.language))
        self.own_store = OwnTechniquesStore.default()
        self.shipped = self._load_catalogue()
        self.english, self.catalogue = self._merge_own()
        self.history = self._open_history()
        self.clock = SystemClock()
        self.idle = choose_idle_source(os.environ, sys.platform)
        self.dnd = CombinedDnd(choose_dnd_sources(os.environ, sys.platform))
        apply_theme(self.settings.popup.theme)
        self.break_offer = self._offer()
        window = BreakWindow(
            reduced_motion=prefers_reduced_motion(), placer=self._placer(), offer=self.break_offer
        )
        recent = self.history.recent_technique_ids() if self.history else []
        self.controller = BreakController(
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
        self.session = create_session_watcher(self)
        self.command_handler = CommandHandler(self)
        self._connect()

    # ------------------------------------------------------------------ building

    def _offer(self) -> NotificationOffer | None:
        """A notification before the window, where no window can appear unfocused."""
        if self.popup.mechanism is not Mechanism.NOTIFICATION:
            return None
        # jeepney, which this needs, is installed on Linux only.
        from unclench.platform import popup_notification  # noqa: PLC0415

        return popup_notification.create()

    def _placer(self) -> WindowPlacer | None:
        """The desktop's help in placing the break window: hints to an X window manager,
        orders to sway."""
        if self.popup.mechanism in (Mechanism.X11, Mechanism.XWAYLAND):
            return x11_hints.create(os.environ.get("DISPLAY"))
        if self.popup.mechanism is not Mechanism.SWAY:
            return None
        ipc = sway_ipc.socket_path(os.environ)
        if ipc is None:
            return None
        placer = SwayPlacer(ipc, APP_REVERSE_ID, WINDOW_TITLE, MENU_WINDOW_TITLE, self)
        return placer if placer.configure() else None

    def _load_catalogue(self) -> Catalogue:
        """The shipped catalogue; the person's own techniques are read too, to report their
        problems once at start."""
        try:
            shipped, problems = load_catalogue_lenient()
        except CatalogueError as exc:
            # The shipped data is unreadable: the installation is damaged.
            code = _fatal(
                _("The technique catalog cannot be used:\n{problems}").format(problems=exc)
            )
            raise SystemExit(code) from exc
        for problem in problems:
            log.error("catalogue: %s", problem)
        if problems:
            self.notices.append(
                ngettext(
                    "{n} technique could not be loaded and was left out (details in the log).",
                    "{n} techniques could not be loaded and were left out (details in the log).",
                    len(problems),
                ).format(n=len(problems))
            )
        own = self.own_store.load()
        self.notices += own.notices
        if own.problems:
            self.notices.append(
                # Translators: "Settings" and "Your techniques" name the window and its
                # button, as they are translated there.
                ngettext(
                    "{n} problem in your techniques file; that entry is left out of breaks and "
                    "kept in the file. See Settings, Your techniques.",
                    "{n} problems in your techniques file; those entries are left out of breaks "
                    "and kept in the file. See Settings, Your techniques.",
                    len(own.problems),
                ).format(n=len(own.problems))
            )
        return shipped

    def _open_history(self) -> History | None:
        try:
            history = History.open_default()
        except HistoryError as exc:
            self.notices.append(
                _("{problem} Breaks will not be recorded this time.").format(problem=exc)
            )
            log.error("%s", exc)
            return None
        if history.notice:
            self.notices.append(history.notice)
        return history

    def _connect(self) -> None:
        c = self.shell.commands
        ctl = self.controller
        c.break_now.connect(ctl.break_now)
        c.calm.connect(lambda: ctl.break_now(calm=True))
        c.snooze.connect(self._snooze_from_tray)
        c.pause.connect(ctl.pause)
        c.resume.connect(ctl.resume)
        c.settings.connect(self.show_settings)
        c.about.connect(self.show_about)
        c.history.connect(self.show_history)
        ctl.tray_changed.connect(self._update_tray)
        ctl.notice.connect(self.tell)
        ctl.history_changed.connect(self._history_changed)
        self.session.locked_changed.connect(ctl.set_locked)
        self.session.sleep_changed.connect(ctl.set_asleep)

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        """Starts counting; says once how to reach the app where there is no tray."""
        self.session.start()
        self.controller.start()
        if self.shell.tray is None:
            self._tell_no_tray_once()
        for notice in self.notices:
            self.tell(notice)
        log.info("%s %s started (idle: %s)", APP_NAME, __version__, self.idle.name)

    def stop(self) -> None:
        """Lets go of everything outside the process (connections, KWin's script, files)."""
        self.controller.stop()
        self.dnd.stop()
        if self.break_offer is not None:
            self.break_offer.stop()
        close_shared_displays()  # the idle and full-screen checks' X connection
        close_shared_connection()  # and their Wayland one
        if self.history is not None:
            self.history.close()

    def answer(self, request: Request) -> dict[str, object]:
        """The control socket's handler."""
        return self.command_handler(request)

    def quit(self) -> None:
        self.shell.quit()

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
        if self.shell.tray is not None:
            self.shell.tray.notify(APP_NAME, message)

    def _tell_no_tray_once(self) -> None:
        """Without a tray the app would be invisible: say once, in a window, how to reach it."""
        from unclench.ui.no_tray_window import NoTrayWindow  # noqa: PLC0415 - see the top

        desktop = os.environ.get("XDG_CURRENT_DESKTOP", "")
        if not FirstTime(default_folder()).claim(f"no-tray-{desktop or 'unknown'}"):
            return
        window = NoTrayWindow(desktop)
        window.settings_requested.connect(self.show_settings)
        self._no_tray_window = window
        _raise(window)

    # ------------------------------------------------------------------ reactions

    def _update_tray(self, model: TrayModel) -> None:
        if self.shell.tray is not None:
            self.shell.tray.update(model)

    def _snooze_from_tray(self, duration: Duration) -> None:
        try:
            self.controller.snooze(duration)
        except SchedulerError as exc:
            self.tell(str(exc))

    def change_settings(self, settings: Settings) -> None:
        settings = self._apply_start_at_login(settings)
        if self._save(settings):
            language_changed = settings.system.language != self.settings.system.language
            self.settings = settings
            apply_theme(settings.popup.theme)
            self.controller.apply_settings(settings)
            if language_changed:
                self._apply_language()

    def _apply_language(self) -> None:
        """Speak the Language setting from now on: the tray, the next break and every window
        opened after this (one that is open keeps its words until it is opened again)."""
        code = set_language(self.settings.system.language)
        self.qt_language.apply(code)
        self._use_own_techniques()
        self.shell.retranslate()
        for name in ("_about_window", "_history_window", "_own_window", "_settings_window"):
            window: QWidget | None = getattr(self, name)
            if window is not None and not window.isVisible():
                window.deleteLater()
                setattr(self, name, None)
            elif window is not None:
                self._outdated.add(name)
        log.info("language: %s", code)

    def _apply_start_at_login(self, settings: Settings) -> Settings:
        """Write or remove the login entry when, and only when, the setting changes.

        On failure the person is told why and the setting keeps its old value, so what
        Settings shows is what will happen at the next login.
        """
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
        try:
            self.store.save(settings)
        except SettingsSaveError as exc:
            if self._settings_window is not None:
                # Show what is really in force, not the change that could not be kept.
                self._settings_window.set_settings(self.settings)
            self.tell(str(exc), error=True)
            return False
        return True

    def _use_own_techniques(self) -> None:
        """Breaks draw from the shipped techniques, in the language in use, plus the
        person's as saved now (in the words they wrote them in)."""
        own = self.own_store.current()
        self.english, self.catalogue = self._merge_own()
        self.controller.chooser.set_catalogue(self.catalogue)
        if self._own_window is not None:
            self._own_window.set_techniques(own)
        if self._history_window is not None:
            self._history_window.set_catalogue(self.catalogue)

    def _merge_own(self) -> tuple[Catalogue, Catalogue]:
        """The shipped techniques plus the person's as saved now: in English (for data that
        stays language-neutral) and in the language in use (their own words stay theirs)."""
        own = self.own_store.current().techniques
        translated = in_language(self.shipped, current_language())
        return self.shipped.with_techniques(own), translated.with_techniques(own)

    def _history_changed(self) -> None:
        if self._history_window is not None and self._history_window.isVisible():
            self._history_window.refresh()

    # ------------------------------------------------------------------ windows (on demand)

    def _fresh(self, name: str) -> None:
        """Forget a window built in the language before, now that it is closed."""
        window: QWidget | None = getattr(self, name)
        if name in self._outdated and window is not None and not window.isVisible():
            window.deleteLater()
            setattr(self, name, None)
            self._outdated.discard(name)

    def show_settings(self) -> None:
        from unclench.ui.settings_window import SettingsWindow  # noqa: PLC0415 - see the top

        self._fresh("_settings_window")
        if self._settings_window is None:
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

        self._fresh("_own_window")
        if self._own_window is None:
            window = OwnTechniquesWindow(self.catalogue.areas, str(self.own_store.path))
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
        try:
            change(*args)
        except OwnTechniquesError as exc:
            if self._own_window is not None:
                self._own_window.show_error(str(exc))
            return
        self._use_own_techniques()

    def show_about(self) -> None:
        from unclench.ui.about_window import AboutWindow  # noqa: PLC0415 - see the top

        self._fresh("_about_window")
        if self._about_window is None:
            status = self.controller.scheduler.status()
            self._about_window = AboutWindow(
                status.idle_source, status.counting_wall_time, self.popup.description
            )
        _raise(self._about_window)

    def show_history(self) -> None:
        from unclench.ui.history_window import HistoryWindow  # noqa: PLC0415 - see the top

        self._fresh("_history_window")
        if self._history_window is None:
            window = HistoryWindow(self.history, self.catalogue)
            window.deleted.connect(self.controller.update_weights)
            self._history_window = window
        else:
            self._history_window.refresh()
        _raise(self._history_window)


def _fatal(message: str) -> int:
    log.critical("%s", message)
    print(message, file=sys.stderr)
    QMessageBox.critical(None, APP_NAME, message)
    return EXIT_BROKEN_INSTALL


def _raise(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()
