"""A notice meant for the first time is shown once, and never lost to a folder it cannot write."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from unclench.core.first_time import FirstTime


def test_a_name_is_claimed_once_and_remembered_across_runs(tmp_path: Path) -> None:
    assert FirstTime(tmp_path / "seen").claim("no-tray-GNOME")
    assert not FirstTime(tmp_path / "seen").claim("no-tray-GNOME")
    assert FirstTime(tmp_path / "seen").claim("no-tray-KDE")


def test_names_become_safe_file_names(tmp_path: Path) -> None:
    assert FirstTime(tmp_path).claim("no-tray-ubuntu:GNOME/../x")
    assert [p.name for p in tmp_path.iterdir()] == ["no-tray-ubuntu-GNOME-..-x"]


def test_a_folder_that_cannot_be_written_means_telling_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "seen"
    blocker.write_text("a file where the folder should be")
    caplog.set_level(logging.WARNING)
    assert FirstTime(blocker).claim("no-tray-GNOME")
    assert FirstTime(blocker).claim("no-tray-GNOME")
    assert "cannot note that no-tray-GNOME was shown" in caplog.text
