"""The Settings window: each control sends the right settings, and only when the person acts."""

from __future__ import annotations

from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from unclench.core.areas import AREA_IDS
from unclench.core.catalogue import Catalogue, load_catalogue
from unclench.core.i18n import LANGUAGES
from unclench.core.settings import CORNERS, THEMES, Settings, describe_options, with_changes
from unclench.ui import settings_window
from unclench.ui.settings_window import SettingsWindow

pytestmark = [
    pytest.mark.gui,
    # Only the offscreen platform says this, on every show; Xvfb does not.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

DEFAULTS = Settings()
W = TypeVar("W", bound=QWidget)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def make_window(qtbot: QtBot, catalogue: Catalogue) -> Any:
    def make(settings: Settings = DEFAULTS) -> SettingsWindow:
        window = SettingsWindow(settings, catalogue)
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture
def window(make_window: Any) -> SettingsWindow:
    made: SettingsWindow = make_window()
    return made


def child(window: QWidget, kind: type[W], name: str) -> W:
    found = window.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found


def changed_to(qtbot: QtBot, window: SettingsWindow, act: Any) -> Settings:
    """Run ``act`` and return the one Settings it sent."""
    with qtbot.waitSignal(window.changed, timeout=1000) as blocker:
        act()
    assert blocker.args is not None
    sent = blocker.args[0]
    assert isinstance(sent, Settings)
    return sent


def test_every_setting_has_a_control(window: SettingsWindow) -> None:
    names = {w.objectName() for w in window.findChildren(QWidget)}
    for info in describe_options():
        assert any(n == info.key or n.startswith(f"{info.key}.") for n in names), info.key


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("schedule.interval_minutes", 45),
        ("schedule.break_seconds", 90),
        ("schedule.idle_minutes", 12),
        ("schedule.snooze_minutes", 20),
        ("schedule.max_snoozes", 0),
    ],
)
def test_a_spin_box_sends_its_new_value(
    qtbot: QtBot, window: SettingsWindow, key: str, value: int
) -> None:
    section, name = key.split(".")
    sent = changed_to(qtbot, window, lambda: child(window, QSpinBox, key).setValue(value))
    assert sent == with_changes(DEFAULTS, **{section: {name: value}})


@pytest.mark.parametrize(
    ("key", "lo", "hi"),
    [
        ("schedule.interval_minutes", 10, 120),
        ("schedule.break_seconds", 20, 300),
        ("schedule.idle_minutes", 1, 30),
        ("schedule.snooze_minutes", 1, 60),
        ("schedule.max_snoozes", 0, 10),
    ],
)
def test_spin_boxes_keep_to_the_model_bounds(
    window: SettingsWindow, key: str, lo: int, hi: int
) -> None:
    spin = child(window, QSpinBox, key)
    assert (spin.minimum(), spin.maximum()) == (lo, hi)
    assert f"{lo} to {hi}" in spin.toolTip()


def test_typing_a_number_sends_it_once_when_finished(qtbot: QtBot, window: SettingsWindow) -> None:
    spin = child(window, QSpinBox, "schedule.interval_minutes")
    spin.selectAll()
    sent: list[Settings] = []
    window.changed.connect(sent.append)
    QTest.keyClicks(spin, "120")
    assert sent == []
    QTest.keyClick(spin, Qt.Key.Key_Return)
    assert [s.schedule.interval_minutes for s in sent] == [120]


@pytest.mark.parametrize(
    "key", ["techniques.discreet_only", "popup.checkin", "popup.breathing", "popup.sound"]
)
def test_a_switch_sends_its_new_value(qtbot: QtBot, window: SettingsWindow, key: str) -> None:
    section, name = key.split(".")
    before = getattr(getattr(DEFAULTS, section), name)
    sent = changed_to(qtbot, window, child(window, QCheckBox, key).click)
    assert sent == with_changes(DEFAULTS, **{section: {name: not before}})


def test_the_space_bar_toggles_a_switch(qtbot: QtBot, window: SettingsWindow) -> None:
    box = child(window, QCheckBox, "popup.sound")
    sent = changed_to(qtbot, window, lambda: QTest.keyClick(box, Qt.Key.Key_Space))
    assert sent.popup.sound is True


@pytest.mark.parametrize("area", AREA_IDS)
def test_an_area_box_adds_or_removes_that_area(
    qtbot: QtBot, window: SettingsWindow, area: str
) -> None:
    before = DEFAULTS.techniques.areas
    after = tuple(a for a in before if a != area) if area in before else (*before, area)
    sent = changed_to(qtbot, window, child(window, QCheckBox, f"techniques.areas.{area}").click)
    assert sent == with_changes(DEFAULTS, techniques={"areas": after})


def test_area_boxes_follow_the_catalogue_order_with_names_and_safety_tips(
    window: SettingsWindow, catalogue: Catalogue
) -> None:
    prefix = "techniques.areas."
    boxes = [b for b in window.findChildren(QCheckBox) if b.objectName().startswith(prefix)]
    assert [b.objectName().removeprefix(prefix) for b in boxes] == [a.id for a in catalogue.areas]
    for area, box in zip(catalogue.areas, boxes, strict=True):
        assert box.text() == area.name
        assert box.toolTip() == (area.safety or "")
    blurbs = {label.text() for label in window.findChildren(QLabel)}
    assert {a.blurb for a in catalogue.areas} <= blurbs


def test_the_ball_box_sets_the_ball_prop(qtbot: QtBot, window: SettingsWindow) -> None:
    box = child(window, QCheckBox, "techniques.props.ball")
    assert "ball" in box.text()
    assert changed_to(qtbot, window, box.click).techniques.props == ("ball",)
    assert changed_to(qtbot, window, box.click).techniques.props == ()


@pytest.mark.parametrize(
    ("key", "value"),
    [("popup.corner", c) for c in CORNERS if c != DEFAULTS.popup.corner]
    + [("popup.theme", t) for t in THEMES if t != DEFAULTS.popup.theme],
)
def test_a_combo_sends_the_chosen_value(
    qtbot: QtBot, window: SettingsWindow, key: str, value: str
) -> None:
    combo = child(window, QComboBox, key)
    section, name = key.split(".")
    sent = changed_to(qtbot, window, lambda: combo.setCurrentIndex(combo.findData(value)))
    assert sent == with_changes(DEFAULTS, **{section: {name: value}})


def test_combos_show_words_not_ids(window: SettingsWindow) -> None:
    corner = child(window, QComboBox, "popup.corner")
    theme = child(window, QComboBox, "popup.theme")
    assert [corner.itemText(i) for i in range(corner.count())] == [
        "Top left",
        "Top right",
        "Bottom left",
        "Bottom right",
    ]
    assert [theme.itemText(i) for i in range(theme.count())][1:] == ["Light", "Dark"]
    assert "system" in theme.itemText(0)


def test_the_last_area_cannot_be_unticked(
    qtbot: QtBot, make_window: Any, catalogue: Catalogue
) -> None:
    window: SettingsWindow = make_window(with_changes(DEFAULTS, techniques={"areas": ["hands"]}))
    window.show()
    qtbot.waitExposed(window)
    hands = child(window, QCheckBox, "techniques.areas.hands")
    hint = child(window, QLabel, "area-hint")
    assert not hint.isVisible()
    with qtbot.assertNotEmitted(window.changed):
        hands.click()
    assert hands.isChecked()
    assert hint.isVisible()
    assert hint.text() == "Keep at least one area."

    sent = changed_to(qtbot, window, child(window, QCheckBox, "techniques.areas.feet").click)
    assert sent.techniques.areas == ("hands", "feet")
    assert not hint.isVisible()


def test_unticking_areas_one_by_one_never_sends_an_empty_list(
    window: SettingsWindow, catalogue: Catalogue
) -> None:
    sent: list[Settings] = []
    window.changed.connect(sent.append)
    for area in catalogue.areas:
        box = child(window, QCheckBox, f"techniques.areas.{area.id}")
        if box.isChecked():
            box.click()
    assert sent
    assert all(s.techniques.areas for s in sent)
    assert sent[-1].techniques.areas == ("feet",)
    assert child(window, QCheckBox, "techniques.areas.feet").isChecked()


def test_set_settings_updates_the_controls_without_sending(
    qtbot: QtBot, window: SettingsWindow
) -> None:
    other = with_changes(
        DEFAULTS,
        schedule={"interval_minutes": 25, "max_snoozes": 1},
        techniques={"areas": ["scalp"], "discreet_only": True, "props": ["ball"]},
        popup={"corner": "top-left", "theme": "dark", "sound": True},
    )
    with qtbot.assertNotEmitted(window.changed):
        window.set_settings(other)
    assert child(window, QSpinBox, "schedule.interval_minutes").value() == 25
    assert child(window, QSpinBox, "schedule.max_snoozes").value() == 1
    assert child(window, QCheckBox, "techniques.areas.scalp").isChecked()
    assert not child(window, QCheckBox, "techniques.areas.hands").isChecked()
    assert child(window, QCheckBox, "techniques.discreet_only").isChecked()
    assert child(window, QCheckBox, "techniques.props.ball").isChecked()
    assert child(window, QCheckBox, "popup.sound").isChecked()
    assert child(window, QComboBox, "popup.corner").currentData() == "top-left"
    assert child(window, QComboBox, "popup.theme").currentData() == "dark"
    assert window.settings() == other
    # The next change starts from what was set, not from what the window opened with.
    sent = changed_to(qtbot, window, child(window, QCheckBox, "popup.checkin").click)
    assert sent == with_changes(other, popup={"checkin": False})


def test_a_refused_change_shows_why_and_puts_the_old_value_back(
    qtbot: QtBot, window: SettingsWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(settings: Settings, **changes: Any) -> Settings:
        raise ValueError("schedule.interval_minutes: not today")

    monkeypatch.setattr(settings_window, "with_changes", refuse)
    window.show()
    spin = child(window, QSpinBox, "schedule.interval_minutes")
    with qtbot.assertNotEmitted(window.changed):
        spin.setValue(70)
    assert spin.value() == DEFAULTS.schedule.interval_minutes
    assert window.banner.isVisible()
    assert "not today" in window.banner.text()


def test_the_preview_button_asks_for_a_break(qtbot: QtBot, window: SettingsWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    button = child(window, QPushButton, "preview")
    assert button.text() == "Try a break now"
    with qtbot.waitSignal(window.preview_requested, timeout=1000):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_own_techniques_button_asks_for_that_window(
    qtbot: QtBot, window: SettingsWindow
) -> None:
    window.show()
    qtbot.waitExposed(window)
    button = child(window, QPushButton, "own-techniques")
    assert button.text().replace("&", "") == "Your techniques…"
    with qtbot.waitSignal(window.own_techniques_requested, timeout=1000):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("kind", ["error", "notice"])
def test_the_banner_shows_a_message_until_dismissed(
    qtbot: QtBot, window: SettingsWindow, kind: str
) -> None:
    window.show()
    qtbot.waitExposed(window)
    assert not window.banner.isVisible()
    message = "Your settings couldn't be saved: the disk is full."
    if kind == "error":
        window.show_error(message)
    else:
        window.show_notice(message)
    assert window.banner.isVisible()
    assert window.banner.text() == message
    QTest.mouseClick(window.banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()


def test_start_at_login_is_grayed_out_where_unsupported(qtbot: QtBot, catalogue: Catalogue) -> None:
    window = SettingsWindow(DEFAULTS, catalogue, can_start_at_login=False)
    qtbot.addWidget(window)
    box = child(window, QCheckBox, "system.start_at_login")
    assert not box.isEnabled()
    assert "startup apps" in box.toolTip()
    assert "startup apps" in child(window, QLabel, "autostart-note").text()


def test_start_at_login_sends_its_value_where_supported(qtbot: QtBot, make_window: Any) -> None:
    window: SettingsWindow = make_window()
    box = child(window, QCheckBox, "system.start_at_login")
    assert box.isEnabled()
    assert window.findChild(QLabel, "autostart-note") is None
    assert changed_to(qtbot, window, box.click).system.start_at_login is True


def test_the_language_list_offers_the_system_then_each_language_in_its_own_name(
    window: SettingsWindow,
) -> None:
    combo = child(window, QComboBox, "system.language")
    assert combo.accessibleName() == "Language"
    assert [combo.itemData(i) for i in range(combo.count())] == ["system", *LANGUAGES]
    assert combo.itemText(0) == "Same as your system"
    assert [combo.itemText(i) for i in range(1, combo.count())] == list(LANGUAGES.values())
    assert combo.currentData() == "system"


def test_choosing_a_language_sends_it_and_says_when_it_shows(
    qtbot: QtBot, window: SettingsWindow
) -> None:
    combo = child(window, QComboBox, "system.language")
    note = child(window, QLabel, "language-note")
    assert note.isHidden()
    sent = changed_to(qtbot, window, lambda: combo.setCurrentIndex(combo.findData("de")))
    assert sent.system.language == "de"
    assert not note.isHidden()
    assert note.text() == "Windows you open from now on, and the next break, use the new language."


def test_showing_saved_settings_does_not_bring_up_the_language_note(
    window: SettingsWindow,
) -> None:
    window.set_settings(with_changes(DEFAULTS, system={"language": "fr"}))
    assert child(window, QComboBox, "system.language").currentData() == "fr"
    assert child(window, QLabel, "language-note").isHidden()


def test_every_control_has_an_accessible_name(window: SettingsWindow) -> None:
    controls: list[QWidget] = [
        *window.findChildren(QAbstractButton),
        *window.findChildren(QAbstractSpinBox),
        *window.findChildren(QComboBox),
    ]
    assert len(controls) >= 24
    for control in controls:
        assert control.accessibleName().strip(), control.objectName() or repr(control)


def test_labels_point_at_their_fields(window: SettingsWindow) -> None:
    buddies = {label.buddy() for label in window.findChildren(QLabel) if label.buddy()}
    assert set(window.findChildren(QSpinBox)) <= buddies
    assert set(window.findChildren(QComboBox)) <= buddies


def test_tab_visits_every_control_in_visual_order(
    qtbot: QtBot, window: SettingsWindow, catalogue: Catalogue
) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    first = child(window, QSpinBox, "schedule.interval_minutes")
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)

    visited: list[QWidget] = []
    while True:
        focused = QApplication.focusWidget()
        assert focused is not None
        if focused in visited:
            break
        visited.append(focused)
        QTest.keyClick(focused, Qt.Key.Key_Tab)

    names = [w.objectName() for w in visited]
    expected = [
        "schedule.interval_minutes",
        "schedule.break_seconds",
        "schedule.idle_minutes",
        "schedule.snooze_minutes",
        "schedule.max_snoozes",
        *(f"techniques.areas.{a.id}" for a in catalogue.areas),
        "techniques.discreet_only",
        "techniques.props.ball",
        "own-techniques",
        "popup.corner",
        "popup.theme",
        "popup.checkin",
        "popup.breathing",
        "popup.sound",
        "about_me.tailored",  # its conditions are disabled until it is on
        "system.start_at_login",
        "system.language",
        "preview",
    ]
    assert names == expected
    tops = [w.mapTo(window, w.rect().topLeft()).y() for w in visited]
    assert tops == sorted(tops)


def test_closing_only_hides_the_window(qtbot: QtBot, window: SettingsWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.close()
    assert not window.isVisible()
    window.show()
    assert window.isVisible()


def test_it_opens_within_a_small_screen(window: SettingsWindow) -> None:
    screen = window.screen()
    assert screen is not None
    room = screen.availableGeometry()
    assert window.width() <= room.width()
    assert window.height() <= room.height()
    assert window.windowTitle() == "Unclench Settings"


def test_an_area_that_is_off_for_safety_shows_why_next_to_its_checkbox(qtbot: QtBot) -> None:
    catalogue = load_catalogue()
    window = SettingsWindow(Settings(), catalogue)
    qtbot.addWidget(window)
    caution = window.findChild(QLabel, "safety.calves")
    assert caution is not None
    assert "blood clot" in caution.text()
    assert "long flight" in caution.text()
    assert window.findChild(QLabel, "safety.neck_shoulders") is None  # on by default: tooltip


def test_each_area_has_its_picture_beside_its_checkbox(window: SettingsWindow) -> None:
    window.show()
    for area in AREA_IDS:
        picture = child(window, QLabel, f"picture.{area}")
        assert not picture.pixmap().isNull()
        box = child(window, QCheckBox, f"techniques.areas.{area}")
        assert (
            picture.mapTo(window, picture.rect().topRight()).x()
            < box.mapTo(window, box.rect().topLeft()).x()
        )


def test_the_pictures_follow_a_switch_to_dark(window: SettingsWindow) -> None:
    picture = child(window, QLabel, "picture.temples")
    light = picture.pixmap().toImage()
    palette = window.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#1e2224"))
    window.setPalette(palette)
    assert picture.pixmap().toImage() != light


def test_settings_explain_how_check_ins_steer_the_choice(window: SettingsWindow) -> None:
    rule = child(window, QLabel, "adaptive-rule").text()
    assert "lowered your tension" in rule
    assert "every area you tick still comes up" in rule


# --------------------------------------------------------------------- About me


def test_about_me_is_optional_and_its_conditions_wait_for_the_tailoring_switch(
    window: SettingsWindow,
) -> None:
    tailor = child(window, QCheckBox, "about_me.tailored")
    assert not tailor.isChecked()
    for condition in ("pregnancy", "low_sensation", "clots"):
        box = child(window, QCheckBox, f"about_me.{condition}")
        assert not box.isEnabled(), condition
        assert not box.isChecked()


@pytest.mark.parametrize("condition", ["pregnancy", "low_sensation", "clots"])
def test_each_about_me_switch_sends_its_change(
    qtbot: QtBot, make_window: Any, condition: str
) -> None:
    window = make_window(with_changes(DEFAULTS, about_me={"tailored": True}))
    box = child(window, QCheckBox, f"about_me.{condition}")
    assert box.isEnabled()
    sent = changed_to(qtbot, window, box.click)
    assert sent.about_me.conditions() == frozenset({condition})


def test_tailoring_is_sent_and_enables_the_conditions(qtbot: QtBot, window: SettingsWindow) -> None:
    sent = changed_to(qtbot, window, child(window, QCheckBox, "about_me.tailored").click)
    assert sent.about_me.tailored
    assert child(window, QCheckBox, "about_me.clots").isEnabled()


def test_a_history_of_clots_grays_out_calves_and_says_why(make_window: Any) -> None:
    window = make_window(with_changes(DEFAULTS, about_me={"tailored": True}))
    calves = child(window, QCheckBox, "techniques.areas.calves")
    left_out = child(window, QLabel, "left-out.calves")
    assert calves.isEnabled()
    assert left_out.isHidden()
    child(window, QCheckBox, "about_me.clots").click()
    assert not calves.isEnabled()
    assert not left_out.isHidden()
    assert "About me" in left_out.text()
    assert child(window, QCheckBox, "techniques.areas.feet").isEnabled()


def test_discreet_only_says_so_when_nothing_discreet_is_left(
    make_window: Any, catalogue: Catalogue
) -> None:
    loud = Catalogue(catalogue.areas, tuple(t for t in catalogue if not t.discreet))
    chosen = with_changes(DEFAULTS, techniques={"areas": ["feet"], "discreet_only": True})
    window = SettingsWindow(chosen, loud)
    hint = child(window, QLabel, "discreet-hint")
    assert not hint.isHidden()
    assert "None of your areas has a discreet technique left" in hint.text()
    assert make_window(chosen).findChild(QLabel, "discreet-hint").isHidden()


def test_the_mouse_wheel_scrolls_past_a_list_it_crosses_instead_of_changing_it(
    qtbot: QtBot, window: SettingsWindow
) -> None:
    """Regression: scrolling Settings with the wheel over the Theme list switched the theme."""
    window.show()
    qtbot.waitExposed(window)
    theme = child(window, QComboBox, "popup.theme")
    spin = child(window, QSpinBox, "schedule.interval_minutes")
    window.setFocus()
    before = (theme.currentIndex(), spin.value())
    for field in (theme, spin):
        center = QPointF(field.rect().center())
        wheel = QWheelEvent(
            center,
            QPointF(field.mapToGlobal(field.rect().center())),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(field, wheel)
    assert (theme.currentIndex(), spin.value()) == before
    window.activateWindow()
    qtbot.waitActive(window)
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    QApplication.sendEvent(
        spin,
        QWheelEvent(
            QPointF(spin.rect().center()),
            QPointF(spin.mapToGlobal(spin.rect().center())),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )
    assert spin.value() != before[1]  # once chosen, the wheel changes it
