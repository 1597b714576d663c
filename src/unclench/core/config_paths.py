"""Where Unclench keeps its settings, and the one setting read before anything else loads."""

from __future__ import annotations

import tomllib
from pathlib import Path

import platformdirs

from unclench.core.i18n import LANGUAGES
from unclench.core.i18n import SYSTEM as SYSTEM_LANGUAGE

SETTINGS_FILE = "settings.toml"


def default_config_dir() -> Path:
    """The platform's config folder for Unclench (``XDG_CONFIG_HOME`` moves it on Linux)."""
    return platformdirs.user_config_path("unclench", appauthor=False)


def read_language(path: Path | None = None) -> str:
    """The Language setting, read quickly and never failing: the command line needs it before
    anything else loads, and a file it cannot read means the system's language."""
    path = path or default_config_dir() / SETTINGS_FILE
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SYSTEM_LANGUAGE
    system = doc.get("system")
    value = system.get("language") if isinstance(system, dict) else None
    return value if isinstance(value, str) and value in LANGUAGES else SYSTEM_LANGUAGE
