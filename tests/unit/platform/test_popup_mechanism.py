"""The break window's mechanism is chosen per desktop, in one place, and logged."""

from __future__ import annotations

import logging

import pytest

from unclench.platform.popup_mechanism import (
    ENV_POPUP,
    Mechanism,
    choose_popup_mechanism,
    is_wayland_session,
)

GNOME = {
    "XDG_SESSION_TYPE": "wayland",
    "XDG_CURRENT_DESKTOP": "ubuntu:GNOME",
    "WAYLAND_DISPLAY": "wayland-0",
    "DISPLAY": ":0",
}
KDE = GNOME | {"XDG_CURRENT_DESKTOP": "KDE"}
SWAY = {
    "XDG_SESSION_TYPE": "wayland",
    "XDG_CURRENT_DESKTOP": "sway",
    "WAYLAND_DISPLAY": "wayland-1",
    "DISPLAY": ":0",
    "SWAYSOCK": "/run/user/1000/sway-ipc.sock",
}


@pytest.mark.parametrize(
    ("env", "mechanism", "qt_platform"),
    [
        pytest.param({"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, "x11", "xcb", id="x11"),
        pytest.param(GNOME, "xwayland", "xcb", id="gnome"),
        pytest.param(KDE, "xwayland", "xcb", id="kde"),
        pytest.param(SWAY, "sway", "wayland", id="sway"),
        pytest.param(
            SWAY | {"QT_QPA_PLATFORM": "xcb"}, "sway", "wayland", id="sway-even-if-xcb-asked"
        ),
        pytest.param(
            {"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "Hyprland", "DISPLAY": ":0"},
            "notification",
            None,
            id="another-wayland-desktop",
        ),
        pytest.param(GNOME | {"DISPLAY": ""}, "notification", None, id="gnome-without-xwayland"),
        pytest.param(
            GNOME | {"QT_QPA_PLATFORM": "offscreen"}, "native", None, id="offscreen-asked"
        ),
    ],
)
def test_each_desktop_gets_its_mechanism(
    env: dict[str, str], mechanism: str, qt_platform: str | None
) -> None:
    choice = choose_popup_mechanism(env, "linux")
    assert (choice.mechanism, choice.qt_platform) == (mechanism, qt_platform)


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_use_their_own_flags(platform: str) -> None:
    assert choose_popup_mechanism(GNOME, platform).mechanism is Mechanism.NATIVE


def test_a_session_started_by_hand_counts_as_wayland_by_its_socket() -> None:
    assert is_wayland_session({"WAYLAND_DISPLAY": "wayland-0"})
    assert not is_wayland_session({"DISPLAY": ":0"})
    assert not is_wayland_session({"XDG_SESSION_TYPE": "x11", "WAYLAND_DISPLAY": "wayland-0"})


def test_the_person_can_name_a_mechanism() -> None:
    choice = choose_popup_mechanism(KDE | {ENV_POPUP: "notification"}, "linux")
    assert choice.mechanism is Mechanism.NOTIFICATION
    assert choose_popup_mechanism(SWAY | {ENV_POPUP: "xwayland"}, "linux").qt_platform == "xcb"


def test_xwayland_asked_for_without_a_display_falls_back_to_a_notification() -> None:
    choice = choose_popup_mechanism(GNOME | {"DISPLAY": "", ENV_POPUP: "xwayland"}, "linux")
    assert choice.mechanism is Mechanism.NOTIFICATION


def test_an_unknown_name_is_ignored_and_said(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert choose_popup_mechanism(GNOME | {ENV_POPUP: "magic"}, "linux").mechanism == "xwayland"
    assert "UNCLENCH_POPUP=magic is not one of" in caplog.text


def test_the_choice_and_its_reason_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    choose_popup_mechanism(KDE, "linux")
    assert "break window: xwayland (KDE on Wayland, with XWayland)" in caplog.text


def test_every_mechanism_is_described_for_the_person() -> None:
    for mechanism in Mechanism:
        choice = choose_popup_mechanism({ENV_POPUP: mechanism, "DISPLAY": ":0"}, "linux")
        assert choice.description
    assert (
        "notification" in choose_popup_mechanism({ENV_POPUP: "notification"}, "linux").description
    )
