"""Qt is started with the platform and theme plugins chosen for this desktop."""

from __future__ import annotations

import pytest

from unclench.platform.qt_start import qt_arguments


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        (
            {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"},
            "xcb",
            ["-platform", "xcb", "-platformtheme", "gnome"],
        ),
        ({"XDG_CURRENT_DESKTOP": "X-Cinnamon"}, None, ["-platformtheme", "gnome"]),
        ({"XDG_CURRENT_DESKTOP": "KDE"}, "xcb", ["-platform", "xcb"]),
        ({"XDG_CURRENT_DESKTOP": "sway"}, "wayland", ["-platform", "wayland"]),
        ({}, None, []),
        # The person's own choice of theme is theirs.
        ({"XDG_CURRENT_DESKTOP": "GNOME", "QT_QPA_PLATFORMTHEME": "gtk3"}, None, []),
    ],
)
def test_gtk_desktops_get_qts_own_gnome_theme_instead_of_gtk(
    env: dict[str, str], platform: str | None, expected: list[str]
) -> None:
    assert qt_arguments(env, platform) == expected
