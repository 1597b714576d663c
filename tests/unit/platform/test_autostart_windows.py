"""The Windows Run-key backend, over a fake registry."""

from __future__ import annotations

import pytest

from unclench.platform.autostart import AutostartError
from unclench.platform.autostart_windows import VALUE_NAME, RunKeyAutostart, command_line

EXE = r"C:\Users\Ann Lee\AppData\Local\Programs\Unclench\unclench.exe"


class FakeRunKey:
    def __init__(self, *, read_only: bool = False) -> None:
        self.values: dict[str, str] = {}
        self.read_only = read_only

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, command: str) -> None:
        if self.read_only:
            raise PermissionError("Access is denied")
        self.values[name] = command

    def delete(self, name: str) -> None:
        if self.read_only:
            raise PermissionError("Access is denied")
        self.values.pop(name, None)


def test_enable_writes_one_quoted_value_named_unclench() -> None:
    key = FakeRunKey()
    key.values["OneDrive"] = '"C:\\OneDrive.exe" /background'
    RunKeyAutostart(key).enable([EXE])
    assert key.values == {"OneDrive": '"C:\\OneDrive.exe" /background', VALUE_NAME: f'"{EXE}"'}


def test_disable_removes_only_our_value() -> None:
    key = FakeRunKey()
    key.values["OneDrive"] = "onedrive"
    backend = RunKeyAutostart(key)
    backend.enable([EXE])
    assert backend.is_enabled()
    backend.disable()
    assert key.values == {"OneDrive": "onedrive"}
    assert not backend.is_enabled()


def test_a_value_of_our_name_running_something_else_is_left_alone() -> None:
    key = FakeRunKey()
    key.values[VALUE_NAME] = r'"C:\Tools\other.exe"'
    backend = RunKeyAutostart(key)
    backend.disable()
    assert key.values[VALUE_NAME] == r'"C:\Tools\other.exe"'
    with pytest.raises(AutostartError, match="another program"):
        backend.enable([EXE])


def test_the_installers_entry_counts_as_ours() -> None:
    key = FakeRunKey()
    key.values[VALUE_NAME] = r'"C:\Program Files\Unclench\unclench.exe"'
    backend = RunKeyAutostart(key)
    assert backend.is_enabled()
    backend.disable()
    assert VALUE_NAME not in key.values


def test_a_key_that_cannot_be_written_gives_a_clear_error() -> None:
    with pytest.raises(AutostartError, match="cannot be written"):
        RunKeyAutostart(FakeRunKey(read_only=True)).enable([EXE])


def test_command_line_keeps_paths_with_spaces_whole() -> None:
    assert command_line([r"C:\Py 3\pythonw.exe", "-m", "unclench"]) == (
        r'"C:\Py 3\pythonw.exe" "-m" "unclench"'
    )
