"""The technique catalogue: areas and techniques as data, validated when loaded.

Validation names the file, the technique and the field of every problem. The shipped file is
loaded strictly by the tests; the app loads leniently, so one broken entry costs that entry,
not the app.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from unclench.core.areas import AREA_IDS, PROP_IDS
from unclench.core.resources import resource_path

CATALOGUE_SCHEMA = 1
TITLE_MAX = 40
STEP_MAX = 110
SAFETY_MAX = 240
STEPS_MIN, STEPS_MAX = 2, 5
SECONDS_MIN, SECONDS_MAX = 30, 90  # a micro-break routine: 30-90 s (docs/evidence.md)
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_FLAGS = ("discreet", "seated", "one_hand")
#: Every key a technique table may have.
TECHNIQUE_FIELDS: frozenset[str] = frozenset(
    ("id", "area", "title", "steps", "seconds", "props", "safety", *_FLAGS)
)


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    name: str
    blurb: str
    safety: str | None = None


@dataclass(frozen=True, slots=True)
class Technique:
    id: str
    area: str
    title: str
    steps: tuple[str, ...]
    seconds: int
    discreet: bool = False
    seated: bool = True
    one_hand: bool = False
    props: tuple[str, ...] = ()
    safety: str | None = None
    custom: bool = False  # written by the person, not shipped


@dataclass(frozen=True, slots=True)
class CatalogueProblem:
    """One thing wrong in a catalogue file, worded to be fixed."""

    source: str
    technique: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"technique {self.technique!r}, " if self.technique else ""
        return f"{self.source}: {where}field {self.field!r}: {self.message}"


class CatalogueError(Exception):
    """The catalogue cannot be used; ``problems`` lists why."""

    def __init__(self, problems: Sequence[CatalogueProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class Catalogue:
    areas: tuple[Area, ...]
    techniques: tuple[Technique, ...]
    _by_id: Mapping[str, Technique] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {t.id: t for t in self.techniques})

    def __iter__(self) -> Iterator[Technique]:
        return iter(self.techniques)

    def __len__(self) -> int:
        return len(self.techniques)

    def get(self, technique_id: str) -> Technique | None:
        return self._by_id.get(technique_id)

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def area_name(self, area_id: str) -> str:
        """The area's name for a person; its id when this catalogue does not know it."""
        area = self.area(area_id)
        return area.name if area else area_id

    def in_area(self, area_id: str) -> tuple[Technique, ...]:
        return tuple(t for t in self.techniques if t.area == area_id)

    def with_techniques(self, extra: Sequence[Technique]) -> Catalogue:
        """This catalogue plus the person's own techniques (theirs win on an id clash)."""
        theirs = {t.id for t in extra}
        kept = tuple(t for t in self.techniques if t.id not in theirs)
        return Catalogue(self.areas, kept + tuple(extra))


# --------------------------------------------------------------------- loading


def default_catalogue_path() -> Path:
    return resource_path("techniques.toml")


def load_catalogue(path: Path | None = None, *, strict: bool = True) -> Catalogue:
    """Load and validate a catalogue file.

    ``strict``: any problem raises :class:`CatalogueError`. Otherwise broken techniques are
    left out (see :func:`load_catalogue_lenient` to learn which); a file that cannot be read
    or parsed, or that leaves an area list unusable, still raises.
    """
    catalogue, problems = load_catalogue_lenient(path)
    if strict and problems:
        raise CatalogueError(problems)
    return catalogue


def load_catalogue_lenient(path: Path | None = None) -> tuple[Catalogue, list[CatalogueProblem]]:
    """Load what can be used and list what could not."""
    path = path or default_catalogue_path()
    source = str(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(
            [CatalogueProblem(source, None, "(file)", f"cannot be read: {exc}")]
        ) from exc
    except ValueError as exc:  # bad UTF-8, bad TOML, or a number too long for Python
        raise CatalogueError(
            [CatalogueProblem(source, None, "(file)", f"is not valid TOML: {exc}")]
        ) from exc
    return parse_catalogue(doc, source)


def parse_catalogue(
    doc: Mapping[str, Any], source: str
) -> tuple[Catalogue, list[CatalogueProblem]]:
    """Validate a parsed document; raises only when nothing usable is left."""
    problems: list[CatalogueProblem] = []
    schema = doc.get("schema")
    if schema != CATALOGUE_SCHEMA:
        fatal = CatalogueProblem(
            source, None, "schema", f"expected {CATALOGUE_SCHEMA}, found {schema!r}"
        )
        raise CatalogueError([fatal])
    areas = _parse_areas(doc.get("areas"), source, problems)
    known_areas = {a.id for a in areas}
    raw_list = doc.get("techniques")
    if not isinstance(raw_list, list):
        raise CatalogueError(
            [CatalogueProblem(source, None, "techniques", "must be a list of tables")]
        )
    techniques = parse_techniques(raw_list, source, problems, known_areas)
    for area in areas:
        if not any(t.area == area.id and not t.props for t in techniques):
            problems.append(
                CatalogueProblem(
                    source, None, "areas", f"area {area.id!r} has no technique without props"
                )
            )
    return Catalogue(tuple(areas), tuple(techniques)), problems


def _parse_areas(raw: Any, source: str, problems: list[CatalogueProblem]) -> list[Area]:
    if not isinstance(raw, list):
        raise CatalogueError([CatalogueProblem(source, None, "areas", "must be a list of tables")])
    areas: list[Area] = []
    for entry in raw:
        entry_id = entry.get("id") if isinstance(entry, Mapping) else None
        if isinstance(entry_id, str) and entry_id in {a.id for a in areas}:
            problems.append(
                CatalogueProblem(source, None, "areas.id", f"{entry['id']!r} is listed twice")
            )
            continue
        if not isinstance(entry, Mapping) or entry.get("id") not in AREA_IDS:
            got = entry.get("id") if isinstance(entry, Mapping) else entry
            problems.append(CatalogueProblem(source, None, "areas.id", f"unknown area {got!r}"))
            continue
        name, blurb, safety = entry.get("name"), entry.get("blurb"), entry.get("safety")
        if (
            not _is_text(name)
            or not _is_text(blurb)
            or (safety is not None and not _is_text(safety))
        ):
            problems.append(
                CatalogueProblem(source, None, f"areas.{entry['id']}", "needs text name and blurb")
            )
            continue
        areas.append(Area(entry["id"], entry["name"], entry["blurb"], safety))
    missing = [a for a in AREA_IDS if a not in {x.id for x in areas}]
    if missing:
        problems.append(CatalogueProblem(source, None, "areas", f"missing {', '.join(missing)}"))
    return areas


def parse_techniques(
    raw_list: Sequence[Any],
    source: str,
    problems: list[CatalogueProblem],
    known_areas: set[str] | frozenset[str] = frozenset(AREA_IDS),
    *,
    custom: bool = False,
) -> list[Technique]:
    """Validate a list of technique tables; the usable ones, in order, each id once."""
    techniques: list[Technique] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_list):
        technique = parse_technique(
            raw, source, problems, known_areas, label=f"#{index + 1}", custom=custom
        )
        if technique is None:
            continue
        if technique.id in seen:
            problems.append(CatalogueProblem(source, technique.id, "id", "is used twice"))
            continue
        seen.add(technique.id)
        techniques.append(technique)
    return techniques


def parse_technique(
    raw: Any,
    source: str,
    problems: list[CatalogueProblem],
    known_areas: set[str] | frozenset[str] = frozenset(AREA_IDS),
    *,
    label: str = "?",
    custom: bool = False,
) -> Technique | None:
    """Validate one technique table; on failure add problems and return ``None``."""
    if not isinstance(raw, Mapping):
        problems.append(CatalogueProblem(source, label, "(entry)", "must be a table"))
        return None
    tid = raw.get("id")
    name = tid if isinstance(tid, str) and tid else label
    before = len(problems)

    def bad(field_name: str, message: str) -> None:
        problems.append(CatalogueProblem(source, name, field_name, message))

    if not isinstance(tid, str) or not _ID_RE.fullmatch(tid):
        bad("id", "must be lowercase letters, digits and '-' (2-64 characters)")
    area = raw.get("area")
    if not isinstance(area, str) or area not in known_areas:
        bad("area", f"{area!r} is not one of {', '.join(sorted(known_areas))}")
    title = raw.get("title")
    if not _is_text(title) or len(title.strip()) > TITLE_MAX:
        bad("title", f"must be text of 1-{TITLE_MAX} characters")
    steps = raw.get("steps")
    if not isinstance(steps, list) or not STEPS_MIN <= len(steps) <= STEPS_MAX:
        bad("steps", f"must be a list of {STEPS_MIN}-{STEPS_MAX} steps")
    else:
        for i, step in enumerate(steps, 1):
            if not _is_text(step) or len(step) > STEP_MAX:
                bad(f"steps[{i}]", f"must be text of 1-{STEP_MAX} characters")
    seconds = raw.get("seconds")
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int)
        or not SECONDS_MIN <= seconds <= SECONDS_MAX
    ):
        bad("seconds", f"must be a whole number from {SECONDS_MIN} to {SECONDS_MAX}")
    for flag in _FLAGS:
        if flag in raw and not isinstance(raw[flag], bool):
            bad(flag, "must be true or false")
    props = raw.get("props", [])
    if not isinstance(props, list) or any(p not in PROP_IDS for p in props):
        bad("props", f"must be a list drawn from {', '.join(PROP_IDS)}")
    safety = raw.get("safety")
    if safety is not None and (not _is_text(safety) or len(safety) > SAFETY_MAX):
        bad("safety", f"must be text of 1-{SAFETY_MAX} characters")
    unknown = sorted(set(raw) - TECHNIQUE_FIELDS)
    if unknown:
        bad(unknown[0], "is not a technique field")
    if len(problems) > before:
        return None
    steps_ok: list[str] = raw["steps"]
    safety_ok: str | None = raw.get("safety")
    return Technique(
        id=raw["id"],
        area=raw["area"],
        title=raw["title"].strip(),
        steps=tuple(s.strip() for s in steps_ok),
        seconds=raw["seconds"],
        discreet=raw.get("discreet", False),
        seated=raw.get("seated", True),
        one_hand=raw.get("one_hand", False),
        props=tuple(raw.get("props", ())),
        safety=safety_ok.strip() if safety_ok else None,
        custom=custom,
    )


def _is_text(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())
