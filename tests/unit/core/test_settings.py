"""The settings model: defaults, validation with notices, unknown keys, and ``with_changes``."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from unclench.core.areas import AREA_IDS
from unclench.core.settings import (
    SECTIONS,
    SETTINGS_VERSION,
    AboutMeSettings,
    Settings,
    SettingsNotice,
    describe_options,
    settings_from_dict,
    settings_to_dict,
    with_changes,
)


def _load(doc: dict[str, Any]) -> tuple[Settings, list[SettingsNotice]]:
    return settings_from_dict({"version": SETTINGS_VERSION, **doc})


def _keys(notices: list[SettingsNotice]) -> list[str]:
    return [n.key for n in notices]


# --------------------------------------------------------------------- defaults


def test_schedule_defaults_follow_the_evidence() -> None:
    """50 min between breaks, 60 s breaks, away after 5 min, 10 min snoozes, 3 of them."""
    schedule = Settings().schedule
    assert schedule.interval_minutes == 50
    assert schedule.break_seconds == 60
    assert schedule.idle_minutes == 5
    assert schedule.snooze_minutes == 10
    assert schedule.max_snoozes == 3


def test_default_areas_are_all_but_calves() -> None:
    """Calves are opt-in (clot risk); the other eight areas are on by default."""
    areas = Settings().techniques.areas
    assert "calves" not in areas
    assert set(areas) == set(AREA_IDS) - {"calves"}
    assert len(areas) == 8


def test_popup_and_system_defaults() -> None:
    """Bottom-right, check-in and breathing on, sound off, system theme, no autostart."""
    settings = Settings()
    assert settings.popup.corner == "bottom-right"
    assert settings.popup.checkin is True
    assert settings.popup.breathing is True
    assert settings.popup.sound is False
    assert settings.popup.theme == "system"
    assert settings.system.start_at_login is False
    assert settings.techniques.discreet_only is False
    assert settings.techniques.props == ()


def test_an_empty_document_gives_the_defaults_without_notices() -> None:
    settings, notices = settings_from_dict({})
    assert settings == Settings()
    assert notices == []


# --------------------------------------------------------------------- clamping and types


@pytest.mark.parametrize(
    ("section", "key", "value", "expected"),
    [
        ("schedule", "interval_minutes", 500, 120),
        ("schedule", "interval_minutes", 1, 10),
        ("schedule", "break_seconds", 5, 20),
        ("schedule", "break_seconds", 3600, 300),
        ("schedule", "idle_minutes", 0, 1),
        ("schedule", "snooze_minutes", 61, 60),
        ("schedule", "max_snoozes", -1, 0),
        ("schedule", "max_snoozes", 11, 10),
    ],
)
def test_out_of_range_numbers_are_clamped_with_a_notice_naming_the_key(
    section: str, key: str, value: int, expected: int
) -> None:
    settings, notices = _load({section: {key: value}})
    assert getattr(getattr(settings, section), key) == expected
    assert _keys(notices) == [f"{section}.{key}"]
    assert str(value) in notices[0].message
    assert str(expected) in notices[0].message


def test_numbers_at_the_bounds_are_kept_without_notice() -> None:
    settings, notices = _load({"schedule": {"interval_minutes": 10, "max_snoozes": 10}})
    assert settings.schedule.interval_minutes == 10
    assert settings.schedule.max_snoozes == 10
    assert notices == []


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("schedule", "interval_minutes", "50"),  # string for a number
        ("schedule", "break_seconds", True),  # bool for a number (bool is an int in Python)
        ("schedule", "idle_minutes", 5.5),  # not a whole number
        ("schedule", "snooze_minutes", float("inf")),
        ("schedule", "max_snoozes", [3]),
        ("popup", "checkin", 1),  # int for a bool
        ("popup", "sound", "yes"),
        ("system", "start_at_login", 0),
        ("techniques", "discreet_only", "false"),
        ("popup", "corner", "middle"),  # not one of the choices
        ("popup", "theme", 3),
        ("techniques", "areas", "hands"),  # a string, not a list
        ("techniques", "areas", [1, 2]),
        ("techniques", "props", {"ball": True}),
    ],
)
def test_a_wrong_type_falls_back_to_the_default_with_a_notice_naming_the_key(
    section: str, key: str, value: Any
) -> None:
    settings, notices = _load({section: {key: value}})
    default = getattr(getattr(Settings(), section), key)
    assert getattr(getattr(settings, section), key) == default
    assert _keys(notices) == [f"{section}.{key}"]
    assert str(notices[0]).startswith(f"{section}.{key}: ")


def test_whole_number_floats_are_accepted_as_numbers() -> None:
    settings, notices = _load({"schedule": {"interval_minutes": 30.0, "max_snoozes": 0.0}})
    assert settings.schedule.interval_minutes == 30
    assert type(settings.schedule.interval_minutes) is int
    assert settings.schedule.max_snoozes == 0
    assert notices == []


def test_unknown_area_ids_are_dropped_with_a_notice() -> None:
    settings, notices = _load({"techniques": {"areas": ["hands", "elbows", "feet"]}})
    assert settings.techniques.areas == ("hands", "feet")
    assert _keys(notices) == ["techniques.areas"]
    assert "elbows" in notices[0].message


def test_areas_keep_catalogue_order_and_drop_repeats() -> None:
    settings, notices = _load({"techniques": {"areas": ["feet", "hands", "feet"]}})
    assert settings.techniques.areas == ("hands", "feet")
    assert notices == []


def test_an_empty_area_list_falls_back_to_the_defaults_with_a_notice() -> None:
    settings, notices = _load({"techniques": {"areas": []}})
    assert settings.techniques.areas == Settings().techniques.areas
    assert _keys(notices) == ["techniques.areas"]
    assert "at least one" in notices[0].message


def test_only_unknown_areas_fall_back_to_the_defaults() -> None:
    settings, notices = _load({"techniques": {"areas": ["elbows"]}})
    assert settings.techniques.areas == Settings().techniques.areas
    assert _keys(notices) == ["techniques.areas", "techniques.areas"]


def test_an_empty_props_list_is_valid() -> None:
    settings, notices = _load({"techniques": {"props": []}})
    assert settings.techniques.props == ()
    assert notices == []


def test_calves_can_be_chosen() -> None:
    settings, notices = _load({"techniques": {"areas": ["calves"], "props": ["ball"]}})
    assert settings.techniques.areas == ("calves",)
    assert settings.techniques.props == ("ball",)
    assert notices == []


def test_a_section_that_is_not_a_table_gives_its_defaults_with_a_notice() -> None:
    settings, notices = _load({"schedule": 5, "popup": {"sound": True}})
    assert settings.schedule == Settings().schedule
    assert settings.popup.sound is True
    assert _keys(notices) == ["schedule"]


def test_one_bad_key_does_not_disturb_its_neighbors() -> None:
    settings, notices = _load({"schedule": {"interval_minutes": "x", "break_seconds": 90}})
    assert settings.schedule.interval_minutes == 50
    assert settings.schedule.break_seconds == 90
    assert _keys(notices) == ["schedule.interval_minutes"]


@pytest.mark.parametrize("version", [-1, "1", True, 1.0])
def test_a_bad_version_is_reported_and_read_as_the_oldest(version: Any) -> None:
    settings, notices = settings_from_dict({"version": version, "popup": {"sound": True}})
    assert _keys(notices) == ["version"]
    assert settings.popup.sound is True
    assert settings.version == SETTINGS_VERSION


# --------------------------------------------------------------------- unknown keys, versions


def test_a_newer_version_number_is_kept() -> None:
    settings, notices = settings_from_dict({"version": SETTINGS_VERSION + 4})
    assert notices == []
    assert settings.version == SETTINGS_VERSION + 4
    assert settings_to_dict(settings)["version"] == SETTINGS_VERSION + 4


def test_a_file_without_a_version_is_read_as_the_current_layout() -> None:
    settings, notices = settings_from_dict({"schedule": {"interval_minutes": 40}})
    assert notices == []
    assert settings.schedule.interval_minutes == 40
    assert settings.version == SETTINGS_VERSION


def test_unknown_keys_are_kept_where_they_were() -> None:
    doc: dict[str, Any] = {
        "version": SETTINGS_VERSION,
        "future_flag": True,
        "plugins": {"stretch": {"enabled": True, "level": [1, 2]}},
        "schedule": {"interval_minutes": 45, "lunch_break": "12:30", "extra": {"a": {"b": 1}}},
    }
    settings, notices = settings_from_dict(doc)
    assert notices == []
    written = settings_to_dict(settings)
    assert written["future_flag"] is True
    assert written["plugins"] == {"stretch": {"enabled": True, "level": [1, 2]}}
    assert written["schedule"]["interval_minutes"] == 45
    assert written["schedule"]["lunch_break"] == "12:30"
    assert written["schedule"]["extra"] == {"a": {"b": 1}}


def test_the_written_document_has_its_sections_in_file_order() -> None:
    written = settings_to_dict(Settings())
    assert list(written) == ["version", *SECTIONS]
    assert written["techniques"]["areas"] == list(Settings().techniques.areas)
    assert written["schedule"] == {
        "interval_minutes": 50,
        "break_seconds": 60,
        "idle_minutes": 5,
        "snooze_minutes": 10,
        "max_snoozes": 3,
    }


# --------------------------------------------------------------------- with_changes


def test_with_changes_applies_valid_changes_and_keeps_the_rest() -> None:
    base = Settings()
    changed = with_changes(
        base,
        schedule={"interval_minutes": 30},
        popup={"corner": "top-left", "sound": True},
        techniques={"areas": ("calves", "hands")},
    )
    assert changed.schedule.interval_minutes == 30
    assert changed.schedule.break_seconds == base.schedule.break_seconds
    assert changed.popup.corner == "top-left"
    assert changed.popup.sound is True
    assert changed.techniques.areas == ("hands", "calves")
    assert base == Settings(), "the original is not changed"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"schedule": {"interval_minutes": 500}}, "schedule.interval_minutes"),
        ({"schedule": {"idle_minutes": "5"}}, "schedule.idle_minutes"),
        ({"popup": {"sound": 1}}, "popup.sound"),
        ({"popup": {"theme": "blue"}}, "popup.theme"),
        ({"techniques": {"areas": []}}, "techniques.areas"),
        ({"techniques": {"props": ["towel"]}}, "techniques.props"),
    ],
)
def test_with_changes_refuses_an_invalid_value_naming_the_key(
    changes: dict[str, dict[str, Any]], key: str
) -> None:
    with pytest.raises(ValueError, match=key.replace(".", r"\.")):
        with_changes(Settings(), **changes)


def test_with_changes_refuses_an_unknown_section() -> None:
    with pytest.raises(ValueError, match="sound_settings"):
        with_changes(Settings(), sound_settings={"volume": 3})


def test_with_changes_refuses_a_misspelled_key_instead_of_storing_it() -> None:
    with pytest.raises(ValueError, match=r"schedule\.intervl_minutes: no such setting"):
        with_changes(Settings(), schedule={"intervl_minutes": 30})


def test_with_changes_keeps_unknown_keys() -> None:
    settings, _ = settings_from_dict({"version": 1, "future": 1, "popup": {"blur": True}})
    changed = with_changes(settings, popup={"sound": True})
    written = settings_to_dict(changed)
    assert written["future"] == 1
    assert written["popup"]["blur"] is True
    assert written["popup"]["sound"] is True


# --------------------------------------------------------------------- describe_options


def test_describe_options_lists_every_key_of_the_five_sections_with_a_doc() -> None:
    infos = describe_options()
    expected = [
        f"{section}.{f.name}" for section, cls in SECTIONS.items() for f in dataclasses.fields(cls)
    ]
    assert [i.key for i in infos] == expected
    sections = {k.split(".")[0] for k in expected}
    assert sections == {"schedule", "techniques", "popup", "about_me", "system"}
    assert len(expected) == 19
    for info in infos:
        assert info.doc.strip(), info.key


def test_describe_options_gives_defaults_bounds_and_choices() -> None:
    infos = {i.key: i for i in describe_options()}
    interval = infos["schedule.interval_minutes"]
    assert (interval.default, interval.lo, interval.hi) == (50, 10, 120)
    assert infos["popup.corner"].choices == ("top-left", "top-right", "bottom-left", "bottom-right")
    assert infos["techniques.areas"].choices == AREA_IDS
    assert infos["popup.sound"].default is False


def test_about_me_says_nothing_until_the_person_tailors_it() -> None:
    """Untailored, every condition counts (None); tailored, only the ones switched on."""
    assert AboutMeSettings(pregnancy=True).conditions() is None
    assert AboutMeSettings(tailored=True).conditions() == frozenset()
    told = AboutMeSettings(tailored=True, pregnancy=True, clots=True)
    assert told.conditions() == frozenset({"pregnancy", "clots"})


def test_about_me_is_read_and_a_bad_value_falls_back() -> None:
    settings, notices = settings_from_dict(
        {"about_me": {"tailored": True, "low_sensation": True, "clots": "yes"}}
    )
    assert settings.about_me == AboutMeSettings(tailored=True, low_sensation=True)
    assert [n.key for n in notices] == ["about_me.clots"]
