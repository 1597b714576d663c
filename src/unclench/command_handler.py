"""Answers the command line: turns each control-socket request into an action of the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from unclench.core.history import HistoryError
from unclench.core.i18n import _, source_language
from unclench.core.local_zone import LOCAL
from unclench.core.scheduler import SchedulerError
from unclench.core.status_text import clock_phrase
from unclench.ipc.protocol import HISTORY_LIMIT_MAX, Command, CommandError, Request
from unclench.ipc.results import DesktopReport, history_to_result, status_to_result

if TYPE_CHECKING:
    from unclench.running_app import RunningApp

DEFAULT_HISTORY = 20


class CommandHandler:
    """Runs on the GUI thread (the server calls it from Qt's loop)."""

    def __init__(self, app: RunningApp) -> None:
        self._app = app

    def __call__(self, request: Request) -> dict[str, object]:
        app = self._app
        controller = app.controller
        try:
            match request.cmd:
                case Command.STATUS:
                    return self._status()
                case Command.NOW:
                    controller.break_now()
                case Command.CALM:
                    controller.break_now(calm=True)
                case Command.PAUSE:
                    assert request.duration is not None  # the protocol requires one
                    until = controller.pause(request.duration)
                    now = app.clock.now()
                    # Translators: {time} is a time of day, with the weekday when not today
                    message = _("Reminders paused until {time}.").format(
                        time=clock_phrase(until, now)
                    )
                    return {"message": message}
                case Command.RESUME:
                    controller.resume()
                case Command.SNOOZE:
                    controller.snooze(request.duration)
                case Command.HISTORY:
                    return self._history(request)
                case Command.HISTORY_WINDOW:
                    QTimer.singleShot(0, app.show_history)
                case Command.SETTINGS:
                    QTimer.singleShot(0, app.show_settings)
                case Command.ABOUT:
                    QTimer.singleShot(0, app.show_about)
                case Command.QUIT:
                    # Quit after the reply has gone out.
                    QTimer.singleShot(50, app.quit)
        except SchedulerError as exc:
            raise CommandError(str(exc)) from exc
        return {}

    def _history(self, request: Request) -> dict[str, object]:
        """The latest breaks; with ``days``, that period summed up as the History window does."""
        # On demand: the report pulls in the catalogue, which start-up does not need yet.
        from unclench.core.history_report import (  # noqa: PLC0415
            history_document,
            report_from_history,
        )

        history = self._app.history
        if history is None:
            raise CommandError(_("The history cannot be read right now."))
        try:
            if request.days is None:
                return history_to_result(history.recent(request.limit or DEFAULT_HISTORY))
            now = self._app.clock.now().astimezone(LOCAL)
            # Data for scripts (`history --json`): the same in every language.
            with source_language():
                report, records = report_from_history(
                    history, self._app.english, now=now, days=request.days
                )
        except HistoryError as exc:
            raise CommandError(str(exc)) from exc
        return history_document(report, records[::-1][: request.limit or HISTORY_LIMIT_MAX])

    def _status(self) -> dict[str, object]:
        app = self._app
        status, dnd_reason = app.controller.status()
        desktop = DesktopReport(
            break_window=app.popup.mechanism.value,
            break_window_note=app.popup.description,
            dnd_checks=app.dnd.name,
        )
        return status_to_result(
            status,
            dnd_reason,
            max_snoozes=app.settings.schedule.max_snoozes,
            desktop=desktop,
            idle_s=app.idle.idle_seconds(),
        )
