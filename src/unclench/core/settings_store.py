"""Where settings live on disk: reading them safely and saving them atomically."""

from __future__ import annotations

import logging
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import tomli_w

from unclench.core.atomic_file import backup_path, write_atomic
from unclench.core.config_paths import SETTINGS_FILE, default_config_dir
from unclench.core.i18n import _
from unclench.core.settings import (
    Settings,
    SettingsNotice,
    settings_from_dict,
    settings_to_dict,
)

log = logging.getLogger(__name__)

#: A settings file is a few hundred bytes; anything this large is not ours.
MAX_SETTINGS_BYTES = 1024 * 1024


class SettingsSaveError(Exception):
    """Saving failed; the previous file is still in place. The message is for the person."""


@dataclass(slots=True)
class LoadResult:
    """Settings as loaded, plus what the person should be told about the file."""

    settings: Settings
    notices: list[SettingsNotice] = field(default_factory=list)
    backup: Path | None = None


class SettingsStore:
    """Reads and writes ``settings.toml``. Loading creates no file; only a bad file is moved."""

    def __init__(
        self, path: Path, *, now: Callable[[], datetime] = lambda: datetime.now().astimezone()
    ) -> None:
        self.path = path
        self._now = now

    @classmethod
    def default(cls) -> SettingsStore:
        return cls(default_config_dir() / SETTINGS_FILE)

    def load(self) -> LoadResult:
        """Defaults when there is no file; never raises for a bad or unreadable file."""
        try:
            if self.path.is_dir():
                raise IsADirectoryError(f"{self.path} is a folder, not a file")
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_SETTINGS_BYTES + 1)
        except FileNotFoundError:
            return LoadResult(Settings())
        except OSError as exc:
            reason = exc.strerror or str(exc)
            return self._set_aside(
                _("The settings file could not be read ({reason}).").format(reason=reason)
            )
        if len(raw) > MAX_SETTINGS_BYTES:
            return self._set_aside(_("The settings file is far too large to be a settings file."))
        try:
            # utf-8-sig: some editors (older Windows Notepad) start the file with a BOM.
            doc = tomllib.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            return self._set_aside(_("The settings file is not UTF-8 text."))
        except ValueError as exc:
            # TOMLDecodeError, and also Python's own limit on very long numbers.
            return self._set_aside(
                _("The settings file is not valid TOML ({error}).").format(error=exc)
            )
        except RecursionError:
            return self._set_aside(_("The settings file is nested too deeply."))
        settings, notices = settings_from_dict(doc)
        if not _writable(settings):
            # tomllib reads deeper nesting than tomli-w writes: drop what could never be
            # saved now, rather than failing every later save.
            settings = replace(settings, extra={})
            notices.append(
                SettingsNotice(
                    "", _("Settings this version does not know were too deeply nested to keep.")
                )
            )
        result = LoadResult(settings, notices)
        if notices:
            # Some values were replaced: keep a copy of the file as it was, so the next
            # save cannot lose what the person wrote.
            result.backup = self._copy_aside()
            if result.backup is not None:
                notices.append(
                    SettingsNotice(
                        "",
                        _("Your original file was kept as {name}.").format(name=result.backup.name),
                    )
                )
        for notice in notices:
            log.warning("settings: %s", notice)
        return result

    def save(self, settings: Settings) -> None:
        """Write atomically; raises SettingsSaveError (old file intact) when the disk refuses."""
        try:
            data = tomli_w.dumps(settings_to_dict(settings)).encode("utf-8")
        except (TypeError, ValueError, RecursionError) as exc:  # an unwritable kept key
            message = _("Settings could not be written: {error}").format(error=exc)
            raise SettingsSaveError(message) from exc
        try:
            write_atomic(self.path, data)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise SettingsSaveError(
                _(
                    "Settings could not be saved to {path} ({reason}); "
                    "the previous settings are unchanged."
                ).format(path=self.path, reason=reason)
            ) from exc

    # ------------------------------------------------------------------ bad files

    def _backup_path(self) -> Path:
        return backup_path(self.path, self._now())

    def _set_aside(self, problem: str) -> LoadResult:
        """Move the bad file out of the way and start from defaults; ``problem`` is a whole
        sentence about the file, already translated."""
        backup: Path | None = None
        try:
            backup = self._backup_path()
            self.path.rename(backup)
        except OSError as exc:
            backup = None
            outcome = _(
                "It could not be moved aside ({reason}) and is left as it is. Unclench is "
                "using the default settings."
            ).format(reason=exc.strerror or exc)
        else:
            outcome = _("It was kept as {name}. Unclench is using the default settings.").format(
                name=backup.name
            )
        # Translators: two sentences about the settings file: what is wrong with it, then
        # what became of it. Languages that write sentences without a space may drop it.
        message = _("{problem} {outcome}").format(problem=problem, outcome=outcome)
        log.warning("%s", message)
        return LoadResult(Settings(), [SettingsNotice("", message)], backup)

    def _copy_aside(self) -> Path | None:
        try:
            backup = self._backup_path()
            shutil.copy2(self.path, backup)
        except OSError as exc:
            log.warning("could not keep a copy of %s: %s", self.path, exc)
            return None
        return backup


def _writable(settings: Settings) -> bool:
    try:
        tomli_w.dumps(settings_to_dict(settings))
    except (TypeError, ValueError, RecursionError):
        return False
    return True
