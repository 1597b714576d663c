"""The person's own techniques: a TOML file beside the settings, validated like the shipped ones.

The file lives in the config folder, not in the app's resources, so it survives upgrades. Each
entry is checked by the catalogue's own :func:`parse_technique`. An entry that fails costs only
itself: it stays in the file as written and is reported by file, entry and field. Keys this
version does not know (in the file or in an entry) are kept and written back. A file that
cannot be read at all is set aside under a ``.bad-<time>`` name, never deleted.
"""

from __future__ import annotations

import logging
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w

from unclench.core.atomic_file import backup_path, write_atomic
from unclench.core.catalogue import (
    TECHNIQUE_FIELDS,
    CatalogueProblem,
    Technique,
    parse_technique,
    parse_techniques,
)
from unclench.core.config_paths import default_config_dir
from unclench.core.i18n import _

log = logging.getLogger(__name__)

OWN_TECHNIQUES_FILE = "techniques.toml"
#: Written as ``version`` at the top of the file.
OWN_TECHNIQUES_VERSION = 1
#: Every id made here starts so; no shipped id does (an area name comes first there).
OWN_ID_PREFIX = "own-"
#: The file's list of ids that were removed and are not given out again.
RETIRED_KEY = "removed_ids"
#: A few dozen techniques take a few KB; anything this large is not ours.
MAX_FILE_BYTES = 1024 * 1024
_SLUG_MAX = 40


class OwnTechniquesError(Exception):
    """A change could not be made or saved; the file is as it was. The message is for the person."""


@dataclass(frozen=True, slots=True)
class TechniqueDraft:
    """What the person typed for one technique, before it has an id."""

    area: str
    title: str
    steps: tuple[str, ...]
    seconds: int
    discreet: bool = False
    seated: bool = True
    one_hand: bool = False

    @classmethod
    def of(cls, technique: Technique) -> TechniqueDraft:
        return cls(
            area=technique.area,
            title=technique.title,
            steps=technique.steps,
            seconds=technique.seconds,
            discreet=technique.discreet,
            seated=technique.seated,
            one_hand=technique.one_hand,
        )

    def fields(self) -> dict[str, Any]:
        """The draft as the keys and values of a technique table."""
        return {
            "area": self.area,
            "title": self.title.strip(),
            "steps": [s.strip() for s in self.steps],
            "seconds": self.seconds,
            "discreet": self.discreet,
            "seated": self.seated,
            "one_hand": self.one_hand,
        }

    def problems(self) -> list[CatalogueProblem]:
        """What keeps this draft from being a technique, by the shipped catalogue's rules."""
        problems: list[CatalogueProblem] = []
        parse_technique(
            {"id": f"{OWN_ID_PREFIX}draft", **self.fields()}, "draft", problems, custom=True
        )
        return problems


@dataclass(frozen=True, slots=True)
class OwnTechniques:
    """What the file holds now: the usable techniques and what is wrong with the rest."""

    techniques: tuple[Technique, ...] = ()
    problems: tuple[CatalogueProblem, ...] = ()
    #: Things to tell the person about the file itself (for instance, that it was set aside).
    notices: tuple[str, ...] = ()


def make_id(title: str, taken: set[str]) -> str:
    """``own-<slug>-<n>``: readable, and free among ``taken`` (ids already in the file)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:_SLUG_MAX].strip("-")
    stem = f"{OWN_ID_PREFIX}{slug or 'technique'}"
    n = 1
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


class OwnTechniquesStore:
    """Reads and changes the person's technique file. Loading creates no file."""

    def __init__(
        self, path: Path, *, now: Callable[[], datetime] = lambda: datetime.now().astimezone()
    ) -> None:
        self.path = path
        self._now = now
        self._entries: list[Any] = []  # the file's entries as read, broken ones too
        self._extra: dict[str, Any] = {}  # top-level keys this version does not know
        # Ids of removed techniques: never given out again, so the history's old breaks
        # never take the name of a new technique.
        self._retired: list[str] = []
        self._version = OWN_TECHNIQUES_VERSION
        self._notices: tuple[str, ...] = ()
        self._file_problems: tuple[CatalogueProblem, ...] = ()
        #: Why saving must not happen: a bad file that could not be moved aside is not overwritten.
        self._stuck: str | None = None

    @classmethod
    def default(cls) -> OwnTechniquesStore:
        return cls(default_config_dir() / OWN_TECHNIQUES_FILE)

    # ------------------------------------------------------------------ reading

    def load(self) -> OwnTechniques:
        """Read the file again; never raises. No file means no techniques yet."""
        self._entries, self._extra, self._retired = [], {}, []
        self._version = OWN_TECHNIQUES_VERSION
        self._notices = ()
        self._file_problems = ()
        self._stuck = None
        problem = self._read()
        if problem is not None:
            self._notices = (self._set_aside(problem),)
        loaded = self.current()
        for broken in loaded.problems:
            log.warning("own techniques: %s", broken)
        return loaded

    def current(self) -> OwnTechniques:
        """The techniques as last read or saved."""
        techniques, problems = _parse_entries(self._entries, str(self.path))
        problems[:0] = self._file_problems
        return OwnTechniques(tuple(techniques), tuple(problems), self._notices)

    def _read(self) -> str | None:
        """Fill the entries from the file; why the file is unusable (a whole sentence for the
        person), or None."""
        try:
            if self.path.is_dir():
                raise IsADirectoryError(f"{self.path} is a folder, not a file")
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as exc:
            return _("Your techniques file {path} could not be read ({reason}).").format(
                path=self.path, reason=exc.strerror or exc
            )
        if len(raw) > MAX_FILE_BYTES:
            return _(
                "Your techniques file {path} is far too large to hold your techniques."
            ).format(path=self.path)
        try:
            doc = tomllib.loads(raw.decode("utf-8-sig"))  # -sig: a BOM from Windows Notepad
        except UnicodeDecodeError:
            return _("Your techniques file {path} is not UTF-8 text.").format(path=self.path)
        except ValueError as exc:  # TOMLDecodeError, or a number too long for Python
            return _("Your techniques file {path} is not valid TOML ({error}).").format(
                path=self.path, error=exc
            )
        except RecursionError:
            return _("Your techniques file {path} is nested too deeply.").format(path=self.path)
        entries = doc.get("techniques", [])
        if not isinstance(entries, list):
            return _("Your techniques file {path} has no list of techniques.").format(
                path=self.path
            )
        if not _writable(doc):
            return _("Your techniques file {path} is nested too deeply to be saved again.").format(
                path=self.path
            )
        version = doc.get("version", OWN_TECHNIQUES_VERSION)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            # Not worth losing the techniques over: read them as this version's.
            self._file_problems = (
                CatalogueProblem(
                    str(self.path),
                    None,
                    "version",
                    _("{value} is not a version").format(value=repr(version)),
                ),
            )
            version = OWN_TECHNIQUES_VERSION
        # A newer version's file keeps its number: what it adds is kept, not downgraded.
        self._version = max(version, OWN_TECHNIQUES_VERSION)
        self._entries = entries
        retired = doc.get(RETIRED_KEY, [])
        self._retired = (
            [i for i in retired if isinstance(i, str)] if isinstance(retired, list) else []
        )
        self._extra = {
            k: v for k, v in doc.items() if k not in ("version", "techniques", RETIRED_KEY)
        }
        return None

    def _set_aside(self, problem: str) -> str:
        """Move the unusable file out of the way; ``problem`` is a whole sentence about it."""
        # Translators: two sentences about the techniques file: what is wrong with it, then
        # what became of it. Languages that write sentences without a space may drop it.
        both = _("{problem} {outcome}")
        try:
            backup = backup_path(self.path, self._now())
            self.path.rename(backup)
        except OSError as exc:
            outcome = _("It could not be moved aside ({reason}) and is left as it is.").format(
                reason=exc.strerror or exc
            )
            message = both.format(problem=problem, outcome=outcome)
            self._stuck = message
        else:
            outcome = _("It was kept as {name}; your list starts empty.").format(name=backup.name)
            message = both.format(problem=problem, outcome=outcome)
        log.warning("%s", message)
        return message

    # ------------------------------------------------------------------ changing

    def add(self, draft: TechniqueDraft) -> Technique:
        """Save a new technique under a fresh id and return it."""
        entry = {"id": make_id(draft.title, self._ids()), **draft.fields()}
        return self._commit([*self._entries, entry], entry["id"])

    def update(self, technique_id: str, draft: TechniqueDraft) -> Technique:
        """Save new values for a technique; its id, and any keys not edited here, stay."""
        index = self._index(technique_id)
        entry = {**self._entries[index], **draft.fields()}
        entries = list(self._entries)
        entries[index] = entry
        return self._commit(entries, technique_id)

    def remove(self, technique_id: str) -> None:
        index = self._index(technique_id)
        entries = self._entries[:index] + self._entries[index + 1 :]
        retired = [*self._retired, technique_id]
        self._save(entries, retired)
        self._entries, self._retired = entries, retired

    def _commit(self, entries: list[Any], technique_id: str) -> Technique:
        techniques, problems = _parse_entries(entries, str(self.path))
        mine = [p for p in problems if p.technique == technique_id]
        if mine:
            # Translators: a field of a technique, as named in the file ("title"), then what
            # is wrong with it ("must be text of 1-40 characters").
            field_problem = _("{field} {message}")
            raise OwnTechniquesError(
                "; ".join(field_problem.format(field=p.field, message=p.message) for p in mine)
            )
        self._save(entries)
        self._entries = entries
        return next(t for t in techniques if t.id == technique_id)

    def _save(self, entries: list[Any], retired: list[str] | None = None) -> None:
        if self._stuck is not None:
            raise OwnTechniquesError(
                _("{problem} Changes are not saved over it.").format(problem=self._stuck)
            )
        doc: dict[str, Any] = {"version": self._version, **self._extra}
        if retired or self._retired:
            doc[RETIRED_KEY] = self._retired if retired is None else retired
        doc["techniques"] = entries
        try:
            data = tomli_w.dumps(doc).encode("utf-8")
        except (TypeError, ValueError, RecursionError) as exc:
            message = _("Your techniques could not be written: {error}").format(error=exc)
            raise OwnTechniquesError(message) from exc
        try:
            write_atomic(self.path, data)
        except OSError as exc:
            raise OwnTechniquesError(
                _(
                    "Your techniques could not be saved to {path} ({reason}); "
                    "the file is unchanged."
                ).format(path=self.path, reason=exc.strerror or exc)
            ) from exc
        self._notices = ()

    def _ids(self) -> set[str]:
        live = {e["id"] for e in self._entries if isinstance(e, Mapping) and "id" in e}
        return live | set(self._retired)

    def _index(self, technique_id: str) -> int:
        for index, entry in enumerate(self._entries):
            if isinstance(entry, Mapping) and entry.get("id") == technique_id:
                return index
        raise OwnTechniquesError(
            _("There is no technique {technique} in {path}.").format(
                technique=repr(technique_id), path=self.path
            )
        )


def _parse_entries(
    entries: Sequence[Any], source: str
) -> tuple[list[Technique], list[CatalogueProblem]]:
    """Every usable entry, and the problems of the rest (unknown keys are no problem here)."""
    # A newer version may add fields: check the ones we know, keep the rest in the file.
    known = [
        {k: v for k, v in raw.items() if k in TECHNIQUE_FIELDS} if isinstance(raw, Mapping) else raw
        for raw in entries
    ]
    problems: list[CatalogueProblem] = []
    techniques = parse_techniques(known, source, problems, custom=True)
    return techniques, problems


def _writable(doc: Mapping[str, Any]) -> bool:
    # tomllib reads deeper nesting than tomli-w writes; such a file could never be saved again.
    try:
        tomli_w.dumps(dict(doc))
    except (TypeError, ValueError, RecursionError):
        return False
    return True
