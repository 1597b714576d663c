"""Calm on demand: from the tray or `unclench calm`, a calming break right away that counts."""

from __future__ import annotations

import pytest

from unclench.command_handler import CommandHandler
from unclench.core.scheduler import Outcome, Phase
from unclench.core.settings import with_changes
from unclench.ipc.protocol import Command, Request
from unclench.running_app import RunningApp

from helpers.running_apps import MakeApp

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.qt_log_ignore("This plugin does not support raise"),
]


def _quiet(make_app: MakeApp) -> RunningApp:
    """An app whose person turned the breathing guide off and picked one area without calm."""
    app = make_app()
    app.change_settings(
        with_changes(
            app.controller.settings,
            techniques={"areas": ["forearms"]},
            popup={"breathing": False},
        )
    )
    return app


def _assert_calming_break_shows(app: RunningApp) -> None:
    window = app.controller.window
    assert window.isVisible()
    content = window.content
    assert content is not None
    assert content.calm
    assert content.technique.calming  # from another area: forearms have none
    assert window.pacer.isVisible()  # on, whatever the settings say
    assert window.area_label.text().startswith("CALMING BREAK · ")
    assert app.controller.scheduler.phase is Phase.BREAK


def test_the_tray_entry_shows_a_calming_break_at_once(make_app: MakeApp) -> None:
    app = _quiet(make_app)
    app.shell.commands.calm.emit()
    _assert_calming_break_shows(app)


def test_the_command_shows_a_calming_break_at_once(make_app: MakeApp) -> None:
    app = _quiet(make_app)
    assert CommandHandler(app)(Request(Command.CALM)) == {}
    _assert_calming_break_shows(app)


def test_a_calming_break_done_counts_as_a_break_taken(make_app: MakeApp) -> None:
    app = _quiet(make_app)
    app.shell.commands.calm.emit()
    window = app.controller.window
    window.start_button.click()
    window.done_button.click()
    assert app.history is not None
    [record] = app.history.recent()
    assert record.outcome is Outcome.DONE
    assert record.technique_id == window.technique.id  # type: ignore[union-attr]
    status = app.controller.scheduler.status()
    assert status.phase is Phase.RUNNING
    assert status.next_break_in_s == pytest.approx(50 * 60, abs=5)


def test_asking_for_calm_during_a_break_turns_it_into_a_calming_one(make_app: MakeApp) -> None:
    app = _quiet(make_app)
    app.shell.commands.break_now.emit()
    window = app.controller.window
    assert window.content is not None
    assert not window.content.calm
    assert not window.pacer.isVisible()
    app.shell.commands.calm.emit()
    _assert_calming_break_shows(app)
