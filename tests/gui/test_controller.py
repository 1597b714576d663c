"""The break cycle on the Qt loop: decisions shown, answers recorded, the tray kept in step."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from unclench.controller import BreakController
from unclench.core.catalogue import load_catalogue
from unclench.core.chooser import TechniqueChooser
from unclench.core.durations import Duration
from unclench.core.history import History
from unclench.core.scheduler import BreakScheduler, Outcome, Phase, ScheduleConfig
from unclench.core.settings import Settings, with_changes
from unclench.ui.break_window import BreakWindow
from unclench.ui.icons import TrayState
from unclench.ui.tray import TrayModel

from helpers.fakes import FakeClock, ScriptedPerson


class FakeDnd:
    def __init__(self) -> None:
        self.current: str | None = None
        self.asked = 0

    @property
    def name(self) -> str:
        return "fake"

    def reason(self) -> str | None:
        self.asked += 1
        return self.current


class Rig:
    def __init__(self, qtbot: QtBot, tmp_path: Path) -> None:
        self.clock = FakeClock()
        self.person = ScriptedPerson(self.clock)
        self.settings = Settings()
        self.scheduler = BreakScheduler(
            ScheduleConfig.from_settings(self.settings.schedule), self.clock, self.person
        )
        self.history = History.open(tmp_path / "history.sqlite3")
        self.window = BreakWindow(reduced_motion=True)
        qtbot.addWidget(self.window)
        self.dnd = FakeDnd()
        self.chimes: list[int] = []
        self.controller = BreakController(
            settings=self.settings,
            scheduler=self.scheduler,
            chooser=TechniqueChooser(load_catalogue(), random.Random(1)),
            history=self.history,
            window=self.window,
            clock=self.clock,
            dnd=self.dnd,
            chime=lambda: self.chimes.append(1),
        )
        self.models: list[TrayModel] = []
        self.controller.tray_changed.connect(self.models.append)
        self.controller.start()

    def work_until_break(self) -> None:
        """Type for the whole interval, then stop: the break shows at the first lull."""
        self.person.typing_for(50 * 60)
        self.clock.advance(50 * 60)
        self.controller.tick()
        self.clock.advance(10)
        self.controller.tick()


@pytest.fixture
def rig(qtbot: QtBot, tmp_path: Path) -> Iterator[Rig]:
    r = Rig(qtbot, tmp_path)
    yield r
    r.controller.stop()
    r.history.close()


def test_the_tray_says_when_the_next_break_is(rig: Rig) -> None:
    assert rig.models[-1].tooltip.startswith("Unclench: Next break in 50 min")
    assert rig.models[-1].state is TrayState.NORMAL


def test_a_due_break_shows_the_window_and_done_is_recorded(rig: Rig) -> None:
    rig.work_until_break()
    assert rig.window.isVisible()
    assert rig.scheduler.phase is Phase.BREAK
    assert rig.models[-1].state is TrayState.DUE
    assert len(rig.controller.show_latencies_ms) == 1
    rig.window.done_button.click()
    [record] = rig.history.recent()  # recorded at once, before the after-question
    assert record.outcome is Outcome.DONE
    assert record.technique_id == rig.window.technique.id  # type: ignore[union-attr]
    assert rig.scheduler.status().phase is Phase.RUNNING
    rig.window.close_button.click()
    assert not rig.window.isVisible()


def test_without_the_check_in_done_closes_the_window_at_once(rig: Rig) -> None:
    rig.controller.apply_settings(with_changes(rig.settings, popup={"checkin": False}))
    rig.work_until_break()
    assert rig.window.before_checkin.isHidden()
    rig.window.done_button.click()
    assert not rig.window.isVisible()
    [record] = rig.history.recent()
    assert (record.tension_before, record.tension_after) == (None, None)


def test_both_check_ins_land_in_the_history_with_the_break(rig: Rig) -> None:
    rig.work_until_break()
    rig.window.before_checkin.buttons[7].click()
    rig.window.start_button.click()
    rig.clock.advance(60)
    rig.window.done_button.click()
    assert rig.window.asking_after
    rig.window.after_checkin.buttons[3].click()
    assert not rig.window.isVisible()
    [record] = rig.history.recent()
    assert (record.outcome, record.tension_before, record.tension_after) == (Outcome.DONE, 7, 3)


def test_a_skipped_check_in_leaves_the_break_recorded_without_it(rig: Rig) -> None:
    rig.work_until_break()
    rig.window.done_button.click()
    rig.window.close_button.click()
    [record] = rig.history.recent()
    assert (record.outcome, record.tension_before, record.tension_after) == (
        Outcome.DONE,
        None,
        None,
    )


def test_the_before_check_in_is_kept_with_a_skipped_break(rig: Rig) -> None:
    rig.work_until_break()
    rig.window.before_checkin.buttons[9].click()
    rig.window.skip_button.click()
    assert not rig.window.isVisible()
    [record] = rig.history.recent()
    assert (record.outcome, record.tension_before, record.tension_after) == (
        Outcome.SKIPPED,
        9,
        None,
    )


def test_each_break_asks_afresh(rig: Rig) -> None:
    rig.work_until_break()
    rig.window.before_checkin.buttons[6].click()
    rig.window.another_button.click()  # the same break: the answer stays
    assert rig.window.tension_before == 6
    rig.window.skip_button.click()
    rig.controller.break_now()
    assert rig.window.tension_before is None


def test_check_ins_steer_the_choice_towards_areas_that_helped(rig: Rig) -> None:
    assert rig.controller.chooser.weights == {}
    prefs = {"areas": ("temples", "hands")}
    rig.controller.apply_settings(with_changes(rig.settings, techniques=prefs))
    for _ in range(6):
        rig.controller.break_now()
        area = rig.window.technique.area  # type: ignore[union-attr]
        if area == "temples":
            rig.window.before_checkin.buttons[8].click()
            rig.window.done_button.click()
            rig.window.after_checkin.buttons[2].click()
        else:
            rig.window.skip_button.click()
        rig.clock.advance(60)
    weights = rig.controller.chooser.weights
    assert set(weights) == {"temples"}
    assert weights["temples"] > 1.0


def test_snoozing_from_the_window_records_it_and_moves_the_break(rig: Rig) -> None:
    rig.work_until_break()
    rig.window.snooze_button.click()
    assert rig.history.recent()[0].outcome is Outcome.SNOOZED
    assert rig.scheduler.status().next_break_in_s == pytest.approx(10 * 60)
    assert rig.models[-1].tooltip.startswith("Unclench: Next break in 10 min")


def test_skip_and_esc_are_recorded_as_skipped(rig: Rig) -> None:
    rig.work_until_break()
    rig.window.skip_button.click()
    assert rig.history.recent()[0].outcome is Outcome.SKIPPED


def test_another_one_changes_the_technique_without_ending_the_break(rig: Rig) -> None:
    rig.work_until_break()
    first = rig.window.technique
    rig.window.another_button.click()
    assert rig.window.technique != first
    assert rig.window.isVisible()
    assert rig.history.count() == 0


def test_another_one_keeps_the_window_in_its_corner(rig: Rig) -> None:
    """Regression: a taller technique grew the window past the bottom of the screen."""
    rig.work_until_break()
    available = rig.window.screen().availableGeometry()
    for _ in range(6):
        rig.window.another_button.click()
        frame = rig.window.geometry()
        assert frame.bottom() == available.bottom() - 16
        assert frame.right() == available.right() - 16


def test_do_not_disturb_is_asked_only_when_a_break_is_at_hand(rig: Rig) -> None:
    rig.person.typing_for(20 * 60)
    rig.clock.advance(20 * 60)
    rig.controller.tick()
    assert rig.dnd.asked == 0
    rig.dnd.current = "a full-screen window is in front"
    rig.work_until_break()
    assert rig.dnd.asked > 0
    assert not rig.window.isVisible()
    assert "Waiting: a full-screen window is in front" in rig.models[-1].tooltip
    rig.dnd.current = None
    rig.clock.advance(10)
    rig.controller.tick()
    assert rig.window.isVisible()


def test_pausing_closes_a_showing_break_and_the_tray_shows_the_pause(rig: Rig) -> None:
    rig.work_until_break()
    until = rig.controller.pause(Duration(3600))
    assert not rig.window.isVisible()
    assert rig.history.recent()[0].outcome is Outcome.SKIPPED
    model = rig.models[-1]
    assert model.paused
    assert model.state is TrayState.PAUSED
    assert model.tooltip.startswith(f"Unclench: Paused until {until:%H:%M}")
    rig.controller.resume()
    assert not rig.models[-1].paused


def test_take_a_break_now_shows_one_at_once(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    claims: list[bool] = []
    monkeypatch.setattr(rig.window, "claim_focus", lambda: claims.append(True))
    rig.controller.break_now()
    assert rig.window.isVisible()
    assert claims == []  # a break that arrives never takes the keyboard
    rig.controller.break_now()  # asked for again: the window comes back, with the keyboard
    assert rig.window.isVisible()
    assert claims == [True]


def test_walking_away_from_the_window_closes_it_as_missed(rig: Rig) -> None:
    rig.work_until_break()
    rig.person.stop()
    rig.clock.advance(30 * 60)
    rig.controller.tick()
    assert not rig.window.isVisible()
    assert rig.history.recent()[0].outcome is Outcome.MISSED


def test_new_settings_apply_at_once(rig: Rig) -> None:
    rig.controller.apply_settings(with_changes(rig.settings, schedule={"interval_minutes": 20}))
    assert rig.models[-1].tooltip.startswith("Unclench: Next break in 20 min")


def test_the_chime_plays_only_when_sound_is_on(rig: Rig) -> None:
    rig.controller.break_now()
    assert rig.chimes == []
    rig.window.skip_button.click()
    rig.controller.apply_settings(with_changes(rig.settings, popup={"sound": True}))
    rig.controller.break_now()
    assert rig.chimes == [1]


class AlwaysSoon:
    """A scheduler stand-in whose next wake-up is always 0.3 s away."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.ticks = 0

    def next_wakeup(self) -> float:
        return self.clock.monotonic() + 0.3


def test_a_short_wait_does_not_turn_into_a_busy_loop(rig: Rig, qtbot: QtBot) -> None:
    """Regression: a whole-second timer asked for 300 ms fired at once, again and again."""
    soon = AlwaysSoon(rig.clock)
    ticks: list[int] = []

    def tick() -> None:
        ticks.append(1)
        rig.controller._arm()

    rig.controller._wake.timeout.disconnect()
    rig.controller._wake.timeout.connect(tick)
    rig.controller.scheduler = soon  # type: ignore[assignment]
    rig.controller._arm()
    qtbot.wait(1200)
    assert 1 <= len(ticks) <= 8  # about four at 0.3 s; hundreds when it spins


def test_a_locked_screen_and_a_sleeping_machine_reach_the_scheduler(rig: Rig) -> None:
    rig.controller.set_locked(True)
    assert rig.scheduler.status().locked
    assert "The screen is locked" in rig.models[-1].tooltip
    rig.controller.set_locked(False)
    assert not rig.scheduler.status().locked
    active = rig.scheduler.status().active_s
    rig.controller.set_asleep(True)
    rig.clock.advance(3600)  # an hour asleep counts as time away
    rig.controller.set_asleep(False)
    assert rig.scheduler.status().active_s <= active + 1
