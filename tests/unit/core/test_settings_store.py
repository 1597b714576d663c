"""SettingsStore: loading never raises and has no side effects; saving is atomic."""

from __future__ import annotations

import errno
import os
import random
import stat
import subprocess
import sys
import textwrap
import time
import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from unclench.core.config_paths import default_config_dir
from unclench.core.settings import Settings, with_changes
from unclench.core.settings_store import (
    MAX_SETTINGS_BYTES,
    SettingsSaveError,
    SettingsStore,
)

Now = Callable[[], datetime]


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "settings.toml"


@pytest.fixture
def store(path: Path, frozen_now: Now) -> SettingsStore:
    return SettingsStore(path, now=frozen_now)


def _custom() -> Settings:
    return with_changes(
        Settings(),
        schedule={"interval_minutes": 30, "break_seconds": 90, "max_snoozes": 0},
        techniques={"areas": ["calves", "feet"], "props": ["ball"], "discreet_only": True},
        popup={"corner": "top-left", "sound": True, "theme": "dark", "checkin": False},
        system={"start_at_login": True},
    )


# --------------------------------------------------------------------- round trip


def test_save_then_load_gives_equal_settings(store: SettingsStore) -> None:
    settings = _custom()
    store.save(settings)
    result = store.load()
    assert result.settings == settings
    assert result.notices == []
    assert result.backup is None


def test_the_file_on_disk_uses_the_documented_sections_and_keys(
    store: SettingsStore, path: Path
) -> None:
    store.save(_custom())
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc == {
        "version": 1,
        "schedule": {
            "interval_minutes": 30,
            "break_seconds": 90,
            "idle_minutes": 5,
            "snooze_minutes": 10,
            "max_snoozes": 0,
        },
        "techniques": {"areas": ["calves", "feet"], "discreet_only": True, "props": ["ball"]},
        "popup": {
            "corner": "top-left",
            "checkin": False,
            "breathing": True,
            "sound": True,
            "theme": "dark",
        },
        "about_me": {
            "tailored": False,
            "pregnancy": False,
            "low_sensation": False,
            "clots": False,
        },
        "system": {"start_at_login": True, "language": "system"},
    }


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_saved_file_is_private(store: SettingsStore, path: Path) -> None:
    store.save(Settings())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_saving_creates_the_config_folder(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "config" / "unclench" / "settings.toml")
    store.save(Settings())
    assert store.load().settings == Settings()


def test_unknown_keys_survive_a_load_and_save(store: SettingsStore, path: Path) -> None:
    path.write_text(
        textwrap.dedent(
            """\
            version = 1
            colour_scheme = "autumn"

            [schedule]
            interval_minutes = 40
            lunch = "12:30"

            [schedule.weekend]
            interval_minutes = 90
            quiet = { from = "18:00", to = "08:00" }

            [plugins.stretch]
            enabled = true
            moves = ["reach", "twist"]
            """
        ),
        encoding="utf-8",
    )
    loaded = store.load()
    assert loaded.notices == []
    store.save(with_changes(loaded.settings, popup={"sound": True}))
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc["colour_scheme"] == "autumn"
    assert doc["schedule"]["interval_minutes"] == 40
    assert doc["schedule"]["lunch"] == "12:30"
    assert doc["schedule"]["weekend"] == {
        "interval_minutes": 90,
        "quiet": {"from": "18:00", "to": "08:00"},
    }
    assert doc["plugins"] == {"stretch": {"enabled": True, "moves": ["reach", "twist"]}}
    assert doc["popup"]["sound"] is True


def test_a_newer_version_survives_a_load_and_save(store: SettingsStore, path: Path) -> None:
    path.write_text("version = 7\n\n[popup]\nsound = true\n", encoding="utf-8")
    loaded = store.load()
    assert loaded.notices == []
    assert loaded.settings.version == 7
    store.save(loaded.settings)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["version"] == 7


# --------------------------------------------------------------------- no side effects


def test_loading_a_missing_file_gives_defaults_and_creates_nothing(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "config" / "settings.toml")
    result = store.load()
    assert result.settings == Settings()
    assert result.notices == []
    assert result.backup is None
    assert _names(tmp_path) == set()


def test_loading_a_good_file_creates_nothing(store: SettingsStore, tmp_path: Path) -> None:
    store.save(_custom())
    before = _names(tmp_path)
    assert store.load().notices == []
    assert _names(tmp_path) == before == {"settings.toml"}


# --------------------------------------------------------------------- per-key problems


BAD_KEYS = """\
version = 1

[schedule]
interval_minutes = 500
idle_minutes = "five"

[techniques]
areas = ["hands", "elbows"]
"""


def test_a_file_with_bad_values_is_read_with_notices_naming_the_keys(
    store: SettingsStore, path: Path
) -> None:
    path.write_text(BAD_KEYS, encoding="utf-8")
    result = store.load()
    assert result.settings.schedule.interval_minutes == 120
    assert result.settings.schedule.idle_minutes == 5
    assert result.settings.techniques.areas == ("hands",)
    keys = [n.key for n in result.notices]
    assert keys[:3] == ["schedule.interval_minutes", "schedule.idle_minutes", "techniques.areas"]


def test_a_file_with_bad_values_is_kept_as_a_copy_named_in_a_notice(
    store: SettingsStore, path: Path, tmp_path: Path, frozen_stamp: str
) -> None:
    path.write_text(BAD_KEYS, encoding="utf-8")
    result = store.load()
    backup_name = f"settings.toml.bad-{frozen_stamp}"
    assert result.backup == tmp_path / backup_name
    assert _names(tmp_path) == {"settings.toml", backup_name}
    assert (tmp_path / backup_name).read_text(encoding="utf-8") == BAD_KEYS
    assert path.read_text(encoding="utf-8") == BAD_KEYS, "the file itself is left for the next save"
    assert any(backup_name in str(n) for n in result.notices)


def test_a_second_backup_in_the_same_second_does_not_overwrite_the_first(
    store: SettingsStore, path: Path, tmp_path: Path, frozen_stamp: str
) -> None:
    path.write_text(BAD_KEYS, encoding="utf-8")
    first = store.load().backup
    path.write_text(BAD_KEYS.replace("500", "600"), encoding="utf-8")
    second = store.load().backup
    assert first is not None
    assert second is not None
    assert first != second
    assert second.name == f"settings.toml.bad-{frozen_stamp}-2"
    assert "500" in first.read_text(encoding="utf-8")
    assert "600" in second.read_text(encoding="utf-8")


# --------------------------------------------------------------------- broken files


def _invalid_toml(path: Path) -> None:
    path.write_text("[schedule\ninterval_minutes = = 3\n", encoding="utf-8")


def _random_bytes(path: Path) -> None:
    path.write_bytes(b"\xff\xfe\x00\x81" + random.Random(7).randbytes(2000))


def _huge(path: Path) -> None:
    # Valid TOML, so only the size can be the reason it is refused.
    path.write_bytes(b"# " + b"x" * MAX_SETTINGS_BYTES + b"\nversion = 1\n")


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("kept", encoding="utf-8")


def _deeply_nested(path: Path) -> None:
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")


BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "invalid TOML": (_invalid_toml, "not valid TOML"),
    "random bytes": (_random_bytes, "not UTF-8"),
    "over 1 MiB": (_huge, "too large"),
    "a folder": (_folder, "could not be read"),
    "nested too deeply": (_deeply_nested, "nested too deeply"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_file_is_moved_aside_and_defaults_are_used(
    kind: str, store: SettingsStore, path: Path, tmp_path: Path, frozen_stamp: str
) -> None:
    make, reason = BROKEN[kind]
    make(path)
    backup = tmp_path / f"settings.toml.bad-{frozen_stamp}"
    original = path.read_bytes() if path.is_file() else None

    result = store.load()

    assert result.settings == Settings()
    assert len(result.notices) == 1
    message = str(result.notices[0])
    assert reason in message
    assert backup.name in message
    assert "default settings" in message
    assert result.backup == backup
    assert _names(tmp_path) == {backup.name}
    if original is not None:
        assert backup.read_bytes() == original
    else:
        assert (backup / "inside.txt").read_text(encoding="utf-8") == "kept"


def test_after_a_broken_file_is_set_aside_the_next_load_is_clean(
    store: SettingsStore, path: Path
) -> None:
    _invalid_toml(path)
    store.load()
    result = store.load()
    assert result.notices == []
    assert result.backup is None


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_gives_a_notice_and_defaults(store: SettingsStore, path: Path) -> None:
    path.write_text("version = 1\n[popup]\nsound = true\n", encoding="utf-8")
    path.chmod(0o000)
    try:
        result = store.load()
    finally:
        if path.exists():
            path.chmod(0o600)
    assert result.settings == Settings()
    assert len(result.notices) == 1
    assert "could not be read" in str(result.notices[0])


# --------------------------------------------------------------------- failed saves


def test_a_failed_save_raises_and_leaves_the_previous_settings(
    store: SettingsStore, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(_custom())
    before = path.read_bytes()

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(SettingsSaveError, match="previous settings are unchanged") as caught:
        store.save(Settings())
    monkeypatch.undo()

    assert os.strerror(errno.ENOSPC) in str(caught.value)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before
    assert _names(tmp_path) == {"settings.toml"}
    assert store.load().settings == _custom()


def test_a_value_toml_cannot_hold_is_refused_without_touching_the_file(
    store: SettingsStore, path: Path
) -> None:
    store.save(Settings())
    before = path.read_bytes()
    unwritable = Settings(extra={"weird": object()})
    with pytest.raises(SettingsSaveError, match="could not be written"):
        store.save(unwritable)
    assert path.read_bytes() == before


# --------------------------------------------------------------------- where the file lives


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CONFIG_HOME is the Linux convention")
def test_the_config_folder_follows_xdg_config_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_config_dir() == tmp_path / "xdg" / "unclench"
    store = SettingsStore.default()
    assert store.path == tmp_path / "xdg" / "unclench" / "settings.toml"
    assert store.path.parts[-2:] == ("unclench", "settings.toml")
    assert not (tmp_path / "xdg").exists(), "finding the path creates no folder"


# --------------------------------------------------------------------- killed mid-save

_SAVER = """
import sys
from pathlib import Path

from unclench.core.settings import Settings, with_changes
from unclench.core.settings_store import SettingsStore

store = SettingsStore(Path(sys.argv[1]))
a = with_changes(Settings(), schedule={"interval_minutes": 30}, techniques={"areas": ["hands"]})
b = with_changes(
    Settings(),
    schedule={"interval_minutes": 90},
    techniques={"areas": list(sys.argv[2:])},
    popup={"theme": "dark"},
)
store.save(a)
print("ready", flush=True)
while True:
    store.save(b)
    store.save(a)
    print("saved", flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_save_killed_at_any_moment_leaves_one_of_the_two_versions(tmp_path: Path) -> None:
    """A child saves two settings in a loop; each SIGKILL leaves a whole old or new file."""
    path = tmp_path / "settings.toml"
    a = with_changes(Settings(), schedule={"interval_minutes": 30}, techniques={"areas": ["hands"]})
    all_areas = ["hands", "forearms", "scalp", "temples", "face", "neck_shoulders", "calves"]
    b = with_changes(
        Settings(),
        schedule={"interval_minutes": 90},
        techniques={"areas": all_areas},
        popup={"theme": "dark"},
    )
    rng = random.Random(20260302)
    seen: set[int] = set()
    for _ in range(15):
        child = subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(path), *all_areas],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "ready\n"
            # Let it get a random number of save pairs in, then kill it wherever it is.
            for _ in range(rng.randint(0, 25)):
                assert child.stdout.readline() == "saved\n"
            # Not waiting for anything: a random few ms spread the kill over the whole save.
            time.sleep(rng.uniform(0, 0.004))
        finally:
            child.kill()
            child.wait(timeout=10)
            if child.stdout is not None:
                child.stdout.close()
        tomllib.loads(path.read_text(encoding="utf-8"))  # parses: never half a file
        result = SettingsStore(path).load()
        assert result.notices == []
        assert result.settings in (a, b)
        seen.add(result.settings.schedule.interval_minutes)
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".tmp")) == [
            "settings.toml"
        ], "a kill can leave a temp file, but never a backup or a stray settings file"
    assert seen, "at least one round ran"


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Older Windows Notepad starts UTF-8 files with a BOM; that is still a good file."""
    path = tmp_path / "settings.toml"
    path.write_bytes(b"\xef\xbb\xbf[schedule]\ninterval_minutes = 30\n")
    result = SettingsStore(path).load()
    assert result.notices == []
    assert result.settings.schedule.interval_minutes == 30
