"""A windowed bundle without a console still has somewhere to print to."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from unclench.streams import CONSOLE_FILE, ensure_streams


def test_with_both_streams_nothing_changes(tmp_path: Path) -> None:
    before = (sys.stdout, sys.stderr)
    ensure_streams(lambda: tmp_path, attach_console=lambda: None)
    assert (sys.stdout, sys.stderr) == before
    assert not (tmp_path / CONSOLE_FILE).exists()


def test_without_a_console_output_goes_to_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    ensure_streams(lambda: tmp_path / "log", attach_console=lambda: None)
    print("Unclench 0.1.0")
    assert (tmp_path / "log" / CONSOLE_FILE).read_text() == "Unclench 0.1.0\n"
    assert sys.stderr is sys.stdout
    sys.stdout.close()


def test_a_parent_console_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    console = io.StringIO()
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    ensure_streams(lambda: tmp_path, attach_console=lambda: console)
    print("hello")
    assert console.getvalue() == "hello\n"
    assert not (tmp_path / CONSOLE_FILE).exists()
