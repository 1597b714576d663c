"""The Windows camera/microphone check, over a fake registry tree."""

from __future__ import annotations

import sys

import pytest

from unclench.platform import camera_windows
from unclench.platform.camera_windows import CONSENT_STORE, WindowsCaptureDnd

WEBCAM = rf"{CONSENT_STORE}\webcam"
MICROPHONE = rf"{CONSENT_STORE}\microphone"


class FakeRegistry:
    """Keys are backslash paths; values live in a dict per key."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, int | str]] = {}

    def add(self, path: str, **values: int | str) -> None:
        self.values[path] = dict(values)

    def subkeys(self, path: str) -> list[str]:
        prefix = path + "\\"
        return sorted(
            {key[len(prefix) :].split("\\")[0] for key in self.values if key.startswith(prefix)}
        )

    def integer(self, path: str, value: str) -> int | None:
        data = self.values.get(path, {}).get(value)
        return data if isinstance(data, int) else None


@pytest.fixture
def registry() -> FakeRegistry:
    tree = FakeRegistry()
    tree.add(WEBCAM, Value="Allow")
    tree.add(
        rf"{WEBCAM}\Microsoft.WindowsCamera_8wekyb3d8bbwe", LastUsedTimeStart=1, LastUsedTimeStop=2
    )
    tree.add(
        rf"{WEBCAM}\NonPackaged\C:#Program Files#Zoom#bin#Zoom.exe",
        LastUsedTimeStart=5,
        LastUsedTimeStop=9,
    )
    tree.add(
        rf"{MICROPHONE}\NonPackaged\C:#Tools#recorder.exe", LastUsedTimeStart=3, LastUsedTimeStop=4
    )
    return tree


def test_nothing_in_use_means_no_reason(registry: FakeRegistry) -> None:
    check = WindowsCaptureDnd(registry)
    assert check.reason() is None
    assert check.name == "windows-capture"


def test_a_store_app_using_the_camera_now(registry: FakeRegistry) -> None:
    registry.add(
        rf"{WEBCAM}\MSTeams_8wekyb3d8bbwe",
        LastUsedTimeStart=133_000_000_000_000_000,
        LastUsedTimeStop=0,
    )
    assert WindowsCaptureDnd(registry).reason() == "a camera is in use"


def test_a_desktop_program_using_the_camera_now(registry: FakeRegistry) -> None:
    registry.add(
        rf"{WEBCAM}\NonPackaged\C:#Program Files#Zoom#bin#Zoom.exe",
        LastUsedTimeStart=7,
        LastUsedTimeStop=0,
    )
    assert WindowsCaptureDnd(registry).reason() == "a camera is in use"


def test_a_program_using_the_microphone_now(registry: FakeRegistry) -> None:
    registry.add(
        rf"{MICROPHONE}\NonPackaged\C:#Tools#recorder.exe", LastUsedTimeStart=3, LastUsedTimeStop=0
    )
    assert WindowsCaptureDnd(registry).reason() == "a microphone is in use"


def test_never_used_is_not_in_use(registry: FakeRegistry) -> None:
    """Start 0 and stop 0: the app was granted access but never used it."""
    registry.add(rf"{WEBCAM}\SomeApp", LastUsedTimeStart=0, LastUsedTimeStop=0)
    registry.add(rf"{WEBCAM}\OtherApp", LastUsedTimeStop=0)
    assert WindowsCaptureDnd(registry).reason() is None


def test_an_empty_registry_means_no_reason() -> None:
    assert WindowsCaptureDnd(FakeRegistry()).reason() is None


@pytest.mark.skipif(sys.platform == "win32", reason="checks the guard off Windows")
def test_off_windows_it_is_unsupported() -> None:
    assert camera_windows.create() is None
