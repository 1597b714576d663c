"""The command line answers in the session's language, even with no app running."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from unclench.core.i18n import LANGUAGES

#: A locale per language, as a session sets LANG.
LOCALES = {code: f"{code}.UTF-8" if "_" in code else f"{code}_XX.UTF-8" for code in LANGUAGES}


def _status(tmp_path: Path, lang: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))} | {
        "LANG": lang,
        "XDG_RUNTIME_DIR": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    return subprocess.run(
        [sys.executable, "-m", "unclench", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_english_by_default(tmp_path: Path) -> None:
    result = _status(tmp_path, "C.UTF-8")
    assert result.returncode == 1
    assert result.stderr.strip() == "Unclench is not running."


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_each_language_answers_in_its_own_words(tmp_path: Path, code: str) -> None:
    result = _status(tmp_path, LOCALES[code])
    assert result.returncode == 1
    said = result.stderr.strip()
    assert "Unclench" in said
    assert said != "Unclench is not running."


def test_the_language_setting_wins_over_the_session(tmp_path: Path) -> None:
    config = tmp_path / "config" / "unclench"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text('[system]\nlanguage = "de"\n', encoding="utf-8")
    result = _status(tmp_path, "fr_FR.UTF-8")
    assert result.stderr.strip() == "Unclench läuft nicht."
