"""The break window: content, timer, answers, focus rules and placement."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from unclench.core import i18n
from unclench.core.break_content import NOTHING_DISCREET, compose
from unclench.core.catalogue import Area, Technique, load_catalogue
from unclench.core.durations import SNOOZE_CHOICES, Duration
from unclench.core.settings import AboutMeSettings
from unclench.ui.break_desktop import corner_position
from unclench.ui.break_window import BreakWindow
from unclench.ui.countdown import format_seconds
from unclench.ui.pacer import CYCLE_S, EXHALE_S, INHALE_S, breath_phase

from helpers.break_contents import CLOSING, GROUNDING, STOP_RULE, content_of
from helpers.languages import Bracketed

TECHNIQUE = Technique(
    id="temples-test",
    area="temples",
    title="Palm press",
    steps=("Rest your palms on your temples.", "Press up gently for five breaths."),
    seconds=60,
    safety="Keep it light.",
)
AREA = Area("temples", "Temples", "Soft presses.", safety="Never press on your eyes.")
UNTOLD = AboutMeSettings()  # every caution shows: the longest a break can be


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr("unclench.ui.countdown.time.monotonic", fake.monotonic)
    return fake


@pytest.fixture
def window(qtbot: QtBot) -> BreakWindow:
    w = BreakWindow(reduced_motion=True)
    qtbot.addWidget(w)
    w.show_content(content_of(TECHNIQUE, AREA), breathing=True, snoozes_left=3)
    return w


def test_it_shows_the_area_title_steps_and_both_safety_notes(window: BreakWindow) -> None:
    assert window.area_label.text() == "TEMPLES"
    assert window.title_label.text() == "Palm press"
    assert window.steps.texts() == list(TECHNIQUE.steps)
    assert "Never press on your eyes." in window.safety_label.text()
    assert "Keep it light." in window.safety_label.text()
    assert window.countdown_label.text() == "1:00"


def test_the_safety_row_hides_when_there_is_nothing_to_say(qtbot: QtBot) -> None:
    w = BreakWindow(reduced_motion=True)
    qtbot.addWidget(w)
    plain = Technique("hands-x", "hands", "Knead", ("One.", "Two."), 45)
    w.show_content(content_of(plain, Area("hands", "Hands", "b")), breathing=False, snoozes_left=1)
    w.present()
    assert not w.safety_label.isVisible()
    assert not w.pacer.isVisible()


def test_step_text_is_shown_as_plain_text(qtbot: QtBot) -> None:
    w = BreakWindow(reduced_motion=True)
    qtbot.addWidget(w)
    odd = Technique("hands-y", "hands", "T", ("Use <b> & more.", "Two."), 45)
    w.show_content(content_of(odd, None), breathing=False, snoozes_left=1)
    assert w.steps.texts() == ["Use <b> & more.", "Two."]


def test_start_runs_the_countdown_and_offers_thirty_more_seconds(
    qtbot: QtBot, window: BreakWindow, clock: FakeTime
) -> None:
    window.present()
    with qtbot.waitSignal(window.started):
        QTest.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    assert window.timer_running
    assert not window.start_button.isVisible()
    assert window.extra_button.isVisible()
    clock.now += 20
    window.countdown._update()
    assert window.countdown_label.text() == "0:40"
    QTest.mouseClick(window.extra_button, Qt.MouseButton.LeftButton)
    assert window.seconds_left() == pytest.approx(70)


def test_when_time_is_up_done_becomes_the_default(window: BreakWindow, clock: FakeTime) -> None:
    window.present()
    window.start_button.click()
    clock.now += 61
    window.countdown._update()
    assert "Time's up" in window.countdown_label.text()
    assert window.done_button.isDefault()
    assert not window.pacer.running


@pytest.mark.parametrize(
    ("button", "signal"),
    [("done_button", "done"), ("skip_button", "skipped"), ("another_button", "another")],
)
def test_buttons_report_the_answer(
    qtbot: QtBot, window: BreakWindow, button: str, signal: str
) -> None:
    window.present()
    with qtbot.waitSignal(getattr(window, signal)):
        QTest.mouseClick(getattr(window, button), Qt.MouseButton.LeftButton)
    assert window.isVisible() is (signal == "another")


@pytest.fixture
def asking(qtbot: QtBot) -> BreakWindow:
    """A window with the check-in on."""
    w = BreakWindow(reduced_motion=True)
    qtbot.addWidget(w)
    w.show_content(content_of(TECHNIQUE, AREA), breathing=True, snoozes_left=3, checkin=True)
    w.present()
    return w


def test_the_before_check_in_shows_until_start_and_one_tap_answers_it(
    asking: BreakWindow,
) -> None:
    row = asking.before_checkin
    assert row.isVisible()
    assert row.question.text() == "Right now, how tense or stressed do you feel?"
    assert [b.text() for b in row.buttons] == [str(n) for n in range(11)]
    assert row.value is None
    row.buttons[4].click()
    assert asking.tension_before == 4
    row.buttons[6].click()  # a change of mind
    assert asking.tension_before == 6
    assert [b.isChecked() for b in row.buttons].count(True) == 1
    asking.start_button.click()
    assert not row.isVisible()
    assert asking.tension_before == 6


def test_done_asks_the_after_question_and_a_tap_answers_and_closes(
    qtbot: QtBot, asking: BreakWindow
) -> None:
    with qtbot.waitSignal(asking.done):
        asking.done_button.click()
    assert asking.asking_after
    assert asking.isVisible()
    assert not asking.body.isVisible()
    assert asking.after_checkin.question.text() == "And now, how tense or stressed do you feel?"
    assert asking.after_checkin.value is None
    with qtbot.waitSignal(asking.tension_after) as answer:
        asking.after_checkin.buttons[2].click()
    assert answer.args == [2]
    assert not asking.isVisible()


def test_the_after_question_can_be_closed_unanswered(qtbot: QtBot, asking: BreakWindow) -> None:
    asking.done_button.click()
    with qtbot.assertNotEmitted(asking.tension_after):
        asking.close_button.click()
    assert not asking.isVisible()


def test_the_after_question_closes_itself_after_a_while(qtbot: QtBot, asking: BreakWindow) -> None:
    asking.done_button.click()
    timer = asking._after_timeout
    assert timer.isActive()
    assert timer.interval() == 60_000
    timer.timeout.emit()  # no test waits a real minute
    assert not asking.isVisible()


def test_the_check_in_answers_from_the_keyboard(qtbot: QtBot, asking: BreakWindow) -> None:
    asking.claim_focus()
    QTest.keyClick(asking, Qt.Key.Key_3)
    assert asking.tension_before == 3
    asking.done_button.click()
    asking.claim_focus()
    assert asking.after_checkin.buttons[0].hasFocus() or not asking.isActiveWindow()
    with qtbot.waitSignal(asking.tension_after) as answer:
        QTest.keyClick(asking, Qt.Key.Key_1)
    assert answer.args == [1]


def test_the_scale_is_reachable_with_tab_and_space(qtbot: QtBot, asking: BreakWindow) -> None:
    row = asking.before_checkin
    assert all(b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in row.buttons)
    row.buttons[10].setFocus()
    QTest.keyClick(row.buttons[10], Qt.Key.Key_Space)
    assert asking.tension_before == 10


def test_escape_on_the_after_question_closes_without_a_second_answer(
    qtbot: QtBot, asking: BreakWindow
) -> None:
    asking.done_button.click()
    asking.claim_focus()
    with qtbot.assertNotEmitted(asking.skipped), qtbot.assertNotEmitted(asking.tension_after):
        QTest.keyClick(asking, Qt.Key.Key_Escape)
    assert not asking.isVisible()


def test_without_the_check_in_there_is_no_question(window: BreakWindow) -> None:
    window.present()
    assert not window.before_checkin.isVisible()
    assert window.tension_before is None
    window.done_button.click()
    assert not window.isVisible()


def test_the_scale_buttons_say_what_they_mean(asking: BreakWindow) -> None:
    names = [b.accessibleName() for b in asking.before_checkin.buttons]
    assert names[0] == "0 out of 10, not at all tense"
    assert names[5] == "5 out of 10"
    assert names[10] == "10 out of 10, extremely tense"


def test_snooze_uses_the_configured_length_or_a_chosen_one(
    qtbot: QtBot, window: BreakWindow
) -> None:
    window.present()
    with qtbot.waitSignal(window.snoozed) as plain:
        window.snooze_button.click()
    assert plain.args == [None]
    window.present()
    menu = window.snooze_button.menu()
    assert [a.text() for a in menu.actions()] == ["5 min", "15 min", "30 min"]
    with qtbot.waitSignal(window.snoozed) as chosen:
        menu.actions()[1].trigger()
    assert chosen.args == [Duration(15 * 60)]


def test_no_snoozes_left_disables_snooze_and_says_why(window: BreakWindow) -> None:
    window.set_snoozes_left(0)
    assert not window.snooze_button.isEnabled()
    assert "No snoozes left" in window.snooze_button.toolTip()
    window.set_snoozes_left(1)
    assert window.snooze_button.toolTip() == "1 snooze left for this break"
    window.set_snoozes_left(2)
    assert window.snooze_button.toolTip() == "2 snoozes left for this break"


def test_escape_skips_once_the_window_has_the_keyboard(qtbot: QtBot, window: BreakWindow) -> None:
    window.present()
    window.claim_focus()
    with qtbot.waitSignal(window.skipped):
        QTest.keyClick(window, Qt.Key.Key_Escape)


def test_the_window_never_takes_focus_and_stays_out_of_the_taskbar(window: BreakWindow) -> None:
    flags = window.windowFlags()
    assert flags & Qt.WindowType.WindowDoesNotAcceptFocus
    assert flags & Qt.WindowType.Tool  # tool windows have no taskbar entry
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)


def test_claiming_focus_is_undone_when_the_window_closes(window: BreakWindow) -> None:
    window.present()
    window.claim_focus()
    assert not window.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    window.dismiss()
    assert window.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus


def test_every_control_has_an_accessible_name(window: BreakWindow) -> None:
    controls = [
        window.start_button,
        window.extra_button,
        window.done_button,
        window.skip_button,
        window.another_button,
        window.snooze_button,
    ]
    assert all(c.accessibleName() for c in controls)


@pytest.mark.parametrize(
    ("corner", "expected"),
    [
        ("top-left", (16, 16)),
        ("top-right", (1280 - 16 - 300, 16)),
        ("bottom-left", (16, 800 - 16 - 200)),
        ("bottom-right", (1280 - 16 - 300, 800 - 16 - 200)),
    ],
)
def test_corner_position(corner: str, expected: tuple[int, int]) -> None:
    point = corner_position(corner, QRect(0, 0, 1280, 800), 300, 200)
    assert (point.x(), point.y()) == expected


def test_the_window_lands_in_the_chosen_corner_on_screen(window: BreakWindow) -> None:
    window.corner = "top-left"
    window.present()
    available = window.screen().availableGeometry()
    assert window.x() == available.left() + 16
    assert window.y() == available.top() + 16


def test_a_real_technique_fits_on_screen(qtbot: QtBot) -> None:
    catalogue = load_catalogue()
    w = BreakWindow(reduced_motion=True)
    qtbot.addWidget(w)
    longest = max(catalogue, key=lambda t: sum(len(s) for s in t.steps))
    w.show_content(compose(catalogue, longest, UNTOLD), breathing=True, snoozes_left=3)
    w.present()
    available = w.screen().availableGeometry()  # 800x600 under the test display
    assert available.contains(w.frameGeometry())
    assert w.width() <= 480


def test_format_seconds() -> None:
    assert [format_seconds(s) for s in (0, 9, 60, 90.4, -3)] == [
        "0:00",
        "0:09",
        "1:00",
        "1:30",
        "0:00",
    ]


def test_the_breath_cycle_is_six_a_minute_with_a_longer_out_breath() -> None:
    assert 60 / CYCLE_S == 6
    assert EXHALE_S > INHALE_S
    assert breath_phase(0)[0] == "in"
    assert breath_phase(INHALE_S - 0.01)[0] == "in"
    assert breath_phase(INHALE_S + 0.01)[0] == "out"
    assert breath_phase(CYCLE_S + 0.5)[0] == "in"
    assert breath_phase(0.5)[2] == 4
    assert breath_phase(INHALE_S + 0.5)[2] == 6


def test_reduced_motion_gives_a_text_pacer_that_counts(qtbot: QtBot, window: BreakWindow) -> None:
    pacer = window.pacer
    assert pacer.reduced_motion
    pacer.start()
    assert pacer.text().startswith("Breathe in · ")
    pacer.stop()
    assert "in for 4, out for 6" in pacer.text()


def test_start_is_the_primary_button_until_the_timer_runs_then_done_is(
    window: BreakWindow,
) -> None:
    assert window.start_button.property("primary") is True
    assert window.done_button.property("primary") is False
    window.start_button.click()
    assert window.done_button.property("primary") is True


def test_the_area_picture_shows_beside_the_steps_and_follows_the_area(
    qtbot: QtBot, window: BreakWindow
) -> None:
    window.present()
    first = window.picture.pixmap().toImage()
    assert not first.isNull()
    assert window.picture.geometry().left() > window.steps.geometry().right()
    assert window.picture.geometry().top() < window.steps.geometry().bottom()
    hands = Technique(id="hands-t", area="hands", title="Thumb", steps=("A.", "B."), seconds=30)
    window.show_content(content_of(hands, None), breathing=False, snoozes_left=1)
    assert window.picture.pixmap().toImage() != first


def test_the_area_picture_is_redrawn_for_a_dark_palette(qtbot: QtBot, window: BreakWindow) -> None:
    light = window.picture.pixmap().toImage()
    palette = window.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#1e2224"))
    window.setPalette(palette)
    assert window.picture.pixmap().toImage() != light


class RecordingPlacer:
    """A compositor that places windows itself, as sway does."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []  # corner, width, height
        self.hidden_after: list[int] = []  # how many placements each hide came after

    @property
    def name(self) -> str:
        return "recording"

    def place(self, window_id: int, corner: str, width: int, height: int) -> None:
        assert window_id  # the native window exists before it shows
        self.calls.append((corner, width, height))

    def hidden(self) -> None:
        self.hidden_after.append(len(self.calls))


def test_a_compositor_that_places_windows_is_told_the_corner_and_size(qtbot: QtBot) -> None:
    placer = RecordingPlacer()
    w = BreakWindow(reduced_motion=True, placer=placer)
    qtbot.addWidget(w)
    w.corner = "top-left"
    w.show_content(content_of(TECHNIQUE, AREA), breathing=True, snoozes_left=3)
    w.present()
    qtbot.waitUntil(lambda: len(placer.calls) >= 2)  # now, and after the relayout
    assert placer.calls[-1] == ("top-left", w.width(), w.height())
    assert placer.hidden_after == []
    w.dismiss()
    assert placer.hidden_after == [len(placer.calls)]


def test_the_window_fades_in_only_where_the_platform_has_opacity(qtbot: QtBot) -> None:
    w = BreakWindow(reduced_motion=False)
    qtbot.addWidget(w)
    w.show_content(content_of(TECHNIQUE, AREA), breathing=True, snoozes_left=3)
    w.present()
    assert w._fade.state() == w._fade.State.Running  # xcb (the tests' display) can fade
    w.dismiss()
    w._fades = False  # what can_fade() gives on Wayland
    w.present()
    assert w._fade.state() == w._fade.State.Stopped
    assert w.windowOpacity() == 1.0


class RecordingOffer:
    """A desktop notification that the test answers."""

    def __init__(self) -> None:
        self.offers: list[tuple[str, str, bool]] = []
        self.withdrawn = 0
        self.answer: Callable[[str], None] | None = None

    @property
    def name(self) -> str:
        return "recording"

    def offer(
        self, summary: str, body: str, can_snooze: bool, answer: Callable[[str], None]
    ) -> None:
        self.offers.append((summary, body, can_snooze))
        self.answer = answer

    def withdraw(self) -> None:
        self.withdrawn += 1


@pytest.fixture
def offered(qtbot: QtBot) -> tuple[BreakWindow, RecordingOffer]:
    offer = RecordingOffer()
    w = BreakWindow(reduced_motion=True, offer=offer)
    qtbot.addWidget(w)
    w.show_content(content_of(TECHNIQUE, AREA), breathing=True, snoozes_left=0)
    w.present()
    return w, offer


def test_where_no_window_can_appear_unfocused_the_break_is_offered_first(
    offered: tuple[BreakWindow, RecordingOffer],
) -> None:
    window, offer = offered
    assert not window.isVisible()
    assert offer.offers == [("Time for a short break", "Temples: Palm press", False)]


def test_start_in_the_offer_opens_the_window_with_the_timer_running(
    offered: tuple[BreakWindow, RecordingOffer], qtbot: QtBot
) -> None:
    window, offer = offered
    assert offer.answer is not None
    with qtbot.waitSignal(window.started):
        offer.answer("start")
    assert window.isVisible()
    assert window.timer_running
    with qtbot.waitSignal(window.done):
        window.done_button.click()
    assert offer.withdrawn == 1


def test_skip_in_the_offer_skips_without_a_window(
    offered: tuple[BreakWindow, RecordingOffer], qtbot: QtBot
) -> None:
    window, offer = offered
    assert offer.answer is not None
    with qtbot.waitSignal(window.skipped):
        offer.answer("skip")
    assert not window.isVisible()


# --------------------------------------------------------------------- framing and calm


def test_the_stop_rule_always_shows_under_the_steps(window: BreakWindow) -> None:
    window.present()
    assert window.stop_label.isVisible()
    assert window.stop_label.text() == STOP_RULE
    assert window.stop_label.geometry().top() > window.steps.geometry().bottom()


def test_a_grounding_line_shows_while_the_timer_runs_and_the_closing_check_when_it_ends(
    window: BreakWindow, clock: FakeTime, qtbot: QtBot
) -> None:
    window.present()
    view = window.view
    assert not view.grounding_label.isVisible()
    assert not view.closing_steps.isVisible()
    window.start_button.click()
    assert view.grounding_label.isVisible()
    assert view.grounding_label.text() == GROUNDING[0]
    clock.now += 61
    window.countdown._update()
    assert not view.grounding_label.isVisible()
    assert view.closing_title.isVisible()
    assert view.closing_steps.text() == "  ".join(CLOSING)
    bottom = view.closing_steps
    qtbot.waitUntil(lambda: bottom.mapTo(window, QPoint(0, bottom.height())).y() <= window.height())


def test_a_calming_break_says_so_and_always_has_the_breathing_guide(qtbot: QtBot) -> None:
    w = BreakWindow(reduced_motion=True)
    qtbot.addWidget(w)
    w.show_content(content_of(TECHNIQUE, AREA, calm=True), breathing=False, snoozes_left=3)
    w.present()
    assert w.area_label.text() == "CALMING BREAK · TEMPLES"
    assert w.pacer.isVisible()
    assert w.arrival_text().startswith("A calming break: Temples, Palm press.")


def test_a_notice_about_the_choice_shows_above_the_steps(qtbot: QtBot) -> None:
    w = BreakWindow(reduced_motion=True)
    qtbot.addWidget(w)
    w.show_content(content_of(TECHNIQUE, AREA), breathing=False, snoozes_left=3)
    w.present()
    assert not w.view.notice_label.isVisible()
    w.show_content(
        content_of(TECHNIQUE, AREA, notice=NOTHING_DISCREET), breathing=False, snoozes_left=3
    )
    assert w.view.notice_label.isVisible()
    assert w.view.notice_label.text() == NOTHING_DISCREET


def test_every_word_of_the_break_is_its_own_accessible_name(window: BreakWindow) -> None:
    """A screen reader reads a label's accessible name: it must be the words themselves."""
    window.present()
    texts = window.steps.findChildren(QLabel)
    step_labels = [label for label in texts if label.text() in TECHNIQUE.steps]
    assert len(step_labels) == len(TECHNIQUE.steps)
    for label in step_labels:
        assert label.accessibleName() == ""  # Qt then reads out the text
        assert label.accessibleDescription().startswith("Step ")
    for label in (window.safety_label, window.stop_label, window.countdown_label):
        assert label.accessibleName() == ""
        assert label.text()


def test_the_arrival_is_announced_without_taking_the_focus(
    window: BreakWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(
        "unclench.ui.break_window.announce", lambda _widget, text: said.append(text)
    )
    window.present()
    assert said == ["Time for a break: Temples, Palm press. 2 steps, 60 seconds."]
    assert not window.isActiveWindow()
    window.present()  # already showing: no second announcement
    assert len(said) == 1


def test_once_it_has_the_keyboard_tab_reaches_every_line_and_button(
    qtbot: QtBot, window: BreakWindow
) -> None:
    window.present()
    window.claim_focus()
    qtbot.waitUntil(window.start_button.hasFocus)
    reached: list[str] = []
    for _ in range(40):
        focused = QApplication.focusWidget()
        assert focused is not None
        reached.append(focused.text() if isinstance(focused, QLabel | QPushButton) else "")
        QTest.keyClick(focused, Qt.Key.Key_Tab)
    for words in (*TECHNIQUE.steps, STOP_RULE, "Palm press", "Start", "Skip", "Another one"):
        assert words in reached, words


def test_a_change_of_language_reaches_every_fixed_word_of_the_window(
    window: BreakWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window lives the whole session: retranslate() puts its words in the new language."""
    assert window.start_button.text() == "Start"
    monkeypatch.setattr(i18n._Current, "translations", Bracketed())
    # Whether or not the durations speak the language yet, the menu must ask them again.
    english_describe = Duration.describe
    monkeypatch.setattr(Duration, "describe", lambda self: i18n._(english_describe(self)))
    window.retranslate()
    assert window.start_button.text() == "[Start]"
    assert window.start_button.accessibleName() == "[Start the timer]"
    assert window.snooze_button.text() == "[Snooze]"
    assert window.snooze_button.toolTip() == "[3 snoozes left for this break]"
    menu = window.snooze_button.menu()
    assert menu is not None
    texts = [a.text() for a in menu.actions()]
    assert len(texts) == len(SNOOZE_CHOICES)
    assert all(t.startswith("[") and t.endswith("]") for t in texts), texts
    assert window.close_button.text() == "[Close]"
    assert window.before_checkin.question.text() == (
        "[Right now, how tense or stressed do you feel?]"
    )
    assert window.after_checkin.buttons[0].accessibleName() == ("[0 out of 10, not at all tense]")
    assert window.pacer.text().startswith("[Breathe slowly")
    assert window.accessibleDescription().startswith("[To use it from the keyboard")
