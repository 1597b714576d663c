"""The XDG autostart file: written, recognized as ours, removed, and nothing else touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from unclench.platform.autostart import AutostartError
from unclench.platform.autostart_xdg import XdgAutostart, desktop_entry, exec_line

COMMAND = ["/opt/unclench/unclench"]


@pytest.fixture
def backend(tmp_path: Path) -> XdgAutostart:
    return XdgAutostart(tmp_path / "autostart")


def test_enable_writes_a_desktop_entry_that_runs_the_command(backend: XdgAutostart) -> None:
    backend.enable(COMMAND)
    text = backend.path.read_text()
    assert text.startswith("[Desktop Entry]\n")
    assert "Exec=/opt/unclench/unclench\n" in text
    assert "TryExec=/opt/unclench/unclench\n" in text
    assert "Type=Application\n" in text
    assert backend.is_enabled()


def test_disable_removes_the_file_and_leaves_the_folder_otherwise_alone(
    backend: XdgAutostart,
) -> None:
    backend.path.parent.mkdir()
    other = backend.path.parent / "someone-else.desktop"
    other.write_text("[Desktop Entry]\nExec=other\n")
    backend.enable(COMMAND)
    backend.disable()
    assert not backend.path.exists()
    assert sorted(p.name for p in backend.path.parent.iterdir()) == ["someone-else.desktop"]
    assert not backend.is_enabled()


def test_disable_without_an_entry_is_fine(backend: XdgAutostart) -> None:
    backend.disable()
    assert not backend.path.parent.exists()


def test_a_hand_written_file_of_the_same_name_is_never_replaced_or_removed(
    backend: XdgAutostart,
) -> None:
    backend.path.parent.mkdir()
    backend.path.write_text("[Desktop Entry]\nExec=unclench --verbose\n")
    assert not backend.is_enabled()
    with pytest.raises(AutostartError, match="not made by Unclench"):
        backend.enable(COMMAND)
    backend.disable()
    assert backend.path.read_text() == "[Desktop Entry]\nExec=unclench --verbose\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_gives_a_clear_error(backend: XdgAutostart) -> None:
    backend.path.parent.mkdir()
    backend.path.parent.chmod(0o500)
    try:
        with pytest.raises(AutostartError, match="cannot be written"):
            backend.enable(COMMAND)
    finally:
        backend.path.parent.chmod(0o700)


def test_a_file_in_the_way_of_the_folder_gives_a_clear_error(backend: XdgAutostart) -> None:
    # Works as root too, unlike permissions: the folder's name is taken by a file.
    backend.path.parent.write_text("not a folder")
    with pytest.raises(AutostartError, match="cannot be written"):
        backend.enable(COMMAND)


def test_exec_quotes_arguments_with_spaces_and_escapes_percent() -> None:
    line = exec_line(["/home/ann/my apps/python", "-m", "unclench", "50%"])
    assert line == '"/home/ann/my apps/python" -m unclench 50%%'


def test_exec_escapes_backslashes_twice_inside_quotes() -> None:
    # Inside quotes a backslash is escaped once for the argument, and each backslash once
    # more for the string value the whole key is.
    assert exec_line(["/a b\\c"]) == '"/a b\\\\\\\\c"'


def test_the_entry_names_the_app_and_its_icon() -> None:
    text = desktop_entry(COMMAND)
    assert "Name=Unclench\n" in text
    assert "Icon=unclench\n" in text
    assert "X-Unclench-Autostart=true\n" in text
