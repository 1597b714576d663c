"""The technique catalogue: areas and techniques as data, validated when loaded.

Validation names the file, the technique and the field of every problem. The shipped file is
loaded strictly by the tests; the app loads leniently, so one broken entry costs that entry,
not the app.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from unclench.core.areas import AREA_IDS, CONDITION_IDS, PROP_IDS
from unclench.core.i18n import _, ngettext
from unclench.core.resources import resource_path

CATALOGUE_SCHEMA = 1
TITLE_MAX = 40
STEP_MAX = 110
SAFETY_MAX = 240
STEPS_MIN, STEPS_MAX = 2, 5
SECONDS_MIN, SECONDS_MAX = 30, 90  # a micro-break routine: 30-90 s (docs/evidence.md)
#: Every area offers a choice, and something that can be done unseen in an open office.
AREA_TECHNIQUES_MIN = 3
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_FLAGS = ("discreet", "seated", "one_hand", "calming")
#: Every key a technique table may have.
TECHNIQUE_FIELDS: frozenset[str] = frozenset(
    (
        "id",
        "area",
        "title",
        "steps",
        "light_steps",
        "seconds",
        "props",
        "safety",
        "avoid_with",
        *_FLAGS,
    )
)


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    name: str
    blurb: str
    #: For everyone who works on this area.
    safety: str | None = None
    #: (condition, text) pairs from CONDITION_IDS: meant for people with that condition.
    cautions: tuple[tuple[str, str], ...] = ()
    #: Conditions for which this area is not offered at all.
    avoid_with: tuple[str, ...] = ()


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
    #: Chosen for calming down: a long out-breath, grounding, or soothing touch.
    calming: bool = False
    #: Conditions for which this technique is not offered (its area's still count too).
    avoid_with: tuple[str, ...] = ()
    #: The steps with lighter pressure, for people with less feeling (empty: ``steps`` do).
    light_steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CatalogueProblem:
    """One thing wrong in a catalogue file, worded to be fixed.

    ``message`` is for the person, in their language ("must be text of 1-40 characters",
    said of ``field``); ``source``, ``technique`` and ``field`` are names from the file.
    """

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
    #: When to stop, shown in every break.
    stop_rule: str = ""
    #: The short check that closes a break (teeth apart, shoulders down...), with its name.
    closing_title: str = ""
    closing: tuple[str, ...] = ()
    #: Lines that bring attention back to the body, one shown in each break.
    grounding: tuple[str, ...] = ()
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
        return dataclasses.replace(self, techniques=kept + tuple(extra))


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
            [
                CatalogueProblem(
                    source, None, "(file)", _("cannot be read: {error}").format(error=exc)
                )
            ]
        ) from exc
    except ValueError as exc:  # bad UTF-8, bad TOML, or a number too long for Python
        raise CatalogueError(
            [
                CatalogueProblem(
                    source, None, "(file)", _("is not valid TOML: {error}").format(error=exc)
                )
            ]
        ) from exc
    return parse_catalogue(doc, source)


def parse_catalogue(
    doc: Mapping[str, Any], source: str
) -> tuple[Catalogue, list[CatalogueProblem]]:
    """Validate a parsed document; raises only when nothing usable is left."""
    problems: list[CatalogueProblem] = []
    schema = doc.get("schema")
    if schema != CATALOGUE_SCHEMA:
        message = _("expected {expected}, found {found}").format(
            expected=CATALOGUE_SCHEMA, found=repr(schema)
        )
        fatal = CatalogueProblem(source, None, "schema", message)
        raise CatalogueError([fatal])
    areas = _parse_areas(doc.get("areas"), source, problems)
    known_areas = {a.id for a in areas}
    raw_list = doc.get("techniques")
    if not isinstance(raw_list, list):
        raise CatalogueError(
            [CatalogueProblem(source, None, "techniques", _("must be a list of tables"))]
        )
    techniques = parse_techniques(raw_list, source, problems, known_areas)
    for area in areas:
        _check_area_choice(area.id, techniques, source, problems)
    stop_rule, closing_title, closing, grounding = _parse_framing(doc, source, problems)
    catalogue = Catalogue(
        tuple(areas),
        tuple(techniques),
        stop_rule=stop_rule,
        closing_title=closing_title,
        closing=closing,
        grounding=grounding,
    )
    return catalogue, problems


def _check_area_choice(
    area_id: str, techniques: Sequence[Technique], source: str, problems: list[CatalogueProblem]
) -> None:
    mine = [t for t in techniques if t.area == area_id and not t.props]
    if len(mine) < AREA_TECHNIQUES_MIN:
        # Translators: {minimum} governs "techniques"; {n} is how many the area has.
        message = ngettext(
            "area {area} needs at least {minimum} technique without props (has {n})",
            "area {area} needs at least {minimum} techniques without props (has {n})",
            AREA_TECHNIQUES_MIN,
        ).format(area=repr(area_id), minimum=AREA_TECHNIQUES_MIN, n=len(mine))
        problems.append(CatalogueProblem(source, None, "areas", message))
    if not any(t.discreet for t in mine):
        message = _("area {area} has no discreet technique without props").format(
            area=repr(area_id)
        )
        problems.append(CatalogueProblem(source, None, "areas", message))


def _parse_framing(
    doc: Mapping[str, Any], source: str, problems: list[CatalogueProblem]
) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """The words around every technique: the stop rule, the closing check, grounding lines."""

    def bad(field_name: str, message: str) -> None:
        problems.append(CatalogueProblem(source, None, field_name, message))

    stop_rule = doc.get("stop_rule")
    if not _is_text(stop_rule) or len(stop_rule) > SAFETY_MAX:
        bad("stop_rule", _text_of(SAFETY_MAX))
        stop_rule = ""
    closing = doc.get("closing")
    title = ""
    steps: tuple[str, ...] = ()
    if not isinstance(closing, Mapping):
        bad("closing", _("must be a table with a title and steps"))
    else:
        if not _is_text(closing.get("title")) or len(closing["title"]) > TITLE_MAX:
            bad("closing.title", _text_of(TITLE_MAX))
        else:
            title = closing["title"].strip()
        steps = _checked_steps(closing.get("steps"), "closing.steps", bad)
    grounding = doc.get("grounding")
    lines: tuple[str, ...] = ()
    if not isinstance(grounding, list) or not grounding:
        bad("grounding", _("must be a list of lines"))
    elif not all(_is_text(g) and len(g) <= STEP_MAX for g in grounding):
        bad(
            "grounding",
            _("each line must be text of 1-{maximum} characters").format(maximum=STEP_MAX),
        )
    else:
        lines = tuple(g.strip() for g in grounding)
    return stop_rule.strip(), title, steps, lines


def _checked_steps(steps: Any, field_name: str, bad: Callable[[str, str], None]) -> tuple[str, ...]:
    """A list of 2-5 short steps, stripped; empty (with a problem) when it is not one."""
    if not isinstance(steps, list) or not STEPS_MIN <= len(steps) <= STEPS_MAX:
        bad(
            field_name,
            _("must be a list of {minimum}-{maximum} steps").format(
                minimum=STEPS_MIN, maximum=STEPS_MAX
            ),
        )
        return ()
    ok = True
    for i, step in enumerate(steps, 1):
        if not _is_text(step) or len(step) > STEP_MAX:
            bad(f"{field_name}[{i}]", _text_of(STEP_MAX))
            ok = False
    return tuple(s.strip() for s in steps) if ok else ()


def _conditions(value: Any) -> tuple[str, ...] | None:
    """A list of condition ids, in CONDITION_IDS order; ``None`` when it is not one."""
    if not isinstance(value, list) or any(v not in CONDITION_IDS for v in value):
        return None
    return tuple(c for c in CONDITION_IDS if c in value)


def _parse_areas(raw: Any, source: str, problems: list[CatalogueProblem]) -> list[Area]:
    if not isinstance(raw, list):
        raise CatalogueError(
            [CatalogueProblem(source, None, "areas", _("must be a list of tables"))]
        )
    areas: list[Area] = []
    for entry in raw:
        entry_id = entry.get("id") if isinstance(entry, Mapping) else None
        if isinstance(entry_id, str) and entry_id in {a.id for a in areas}:
            problems.append(
                CatalogueProblem(
                    source,
                    None,
                    "areas.id",
                    _("{area} is listed twice").format(area=repr(entry["id"])),
                )
            )
            continue
        if not isinstance(entry, Mapping) or entry.get("id") not in AREA_IDS:
            got = entry.get("id") if isinstance(entry, Mapping) else entry
            message = _("unknown area {area}").format(area=repr(got))
            problems.append(CatalogueProblem(source, None, "areas.id", message))
            continue
        name, blurb, safety = entry.get("name"), entry.get("blurb"), entry.get("safety")
        where = f"areas.{entry['id']}"
        if (
            not _is_text(name)
            or not _is_text(blurb)
            or (safety is not None and not _is_text(safety))
        ):
            problems.append(CatalogueProblem(source, None, where, _("needs text name and blurb")))
            continue
        cautions = entry.get("cautions", {})
        if not isinstance(cautions, Mapping) or not all(
            key in CONDITION_IDS and _is_text(text) and len(text) <= SAFETY_MAX
            for key, text in cautions.items()
        ):
            problems.append(
                CatalogueProblem(
                    source,
                    None,
                    f"{where}.cautions",
                    _("must map {names} to text of 1-{maximum} characters").format(
                        names=", ".join(CONDITION_IDS), maximum=SAFETY_MAX
                    ),
                )
            )
            continue
        avoid_with = _conditions(entry.get("avoid_with", []))
        if avoid_with is None:
            problems.append(
                CatalogueProblem(
                    source,
                    None,
                    f"{where}.avoid_with",
                    _drawn_from(CONDITION_IDS),
                )
            )
            continue
        areas.append(
            Area(
                entry["id"],
                name.strip(),
                blurb.strip(),
                safety.strip() if safety else None,
                tuple((c, cautions[c].strip()) for c in CONDITION_IDS if c in cautions),
                avoid_with,
            )
        )
    missing = [a for a in AREA_IDS if a not in {x.id for x in areas}]
    if missing:
        message = _("missing {names}").format(names=", ".join(missing))
        problems.append(CatalogueProblem(source, None, "areas", message))
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
            problems.append(CatalogueProblem(source, technique.id, "id", _("is used twice")))
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
        problems.append(CatalogueProblem(source, label, "(entry)", _("must be a table")))
        return None
    tid = raw.get("id")
    name = tid if isinstance(tid, str) and tid else label
    before = len(problems)

    def bad(field_name: str, message: str) -> None:
        problems.append(CatalogueProblem(source, name, field_name, message))

    if not isinstance(tid, str) or not _ID_RE.fullmatch(tid):
        bad("id", _("must be lowercase letters, digits and '-' (2-64 characters)"))
    area = raw.get("area")
    if not isinstance(area, str) or area not in known_areas:
        bad(
            "area",
            _("{value} is not one of {allowed}").format(
                value=repr(area), allowed=", ".join(sorted(known_areas))
            ),
        )
    title = raw.get("title")
    if not _is_text(title) or len(title.strip()) > TITLE_MAX:
        bad("title", _text_of(TITLE_MAX))
    steps = _checked_steps(raw.get("steps"), "steps", bad)
    light_steps = (
        _checked_steps(raw["light_steps"], "light_steps", bad) if "light_steps" in raw else ()
    )
    seconds = raw.get("seconds")
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int)
        or not SECONDS_MIN <= seconds <= SECONDS_MAX
    ):
        bad(
            "seconds",
            _("must be a whole number from {minimum} to {maximum}").format(
                minimum=SECONDS_MIN, maximum=SECONDS_MAX
            ),
        )
    for flag in _FLAGS:
        if flag in raw and not isinstance(raw[flag], bool):
            bad(flag, _("must be true or false"))
    props = raw.get("props", [])
    if not isinstance(props, list) or any(p not in PROP_IDS for p in props):
        bad("props", _drawn_from(PROP_IDS))
    safety = raw.get("safety")
    if safety is not None and (not _is_text(safety) or len(safety) > SAFETY_MAX):
        bad("safety", _text_of(SAFETY_MAX))
    avoid_with = _conditions(raw.get("avoid_with", []))
    if avoid_with is None:
        bad("avoid_with", _drawn_from(CONDITION_IDS))
    unknown = sorted(set(raw) - TECHNIQUE_FIELDS)
    if unknown:
        bad(unknown[0], _("is not a technique field"))
    if len(problems) > before:
        return None
    safety_ok: str | None = raw.get("safety")
    return Technique(
        id=raw["id"],
        area=raw["area"],
        title=raw["title"].strip(),
        steps=steps,
        seconds=raw["seconds"],
        discreet=raw.get("discreet", False),
        seated=raw.get("seated", True),
        one_hand=raw.get("one_hand", False),
        props=tuple(raw.get("props", ())),
        safety=safety_ok.strip() if safety_ok else None,
        custom=custom,
        calming=raw.get("calming", False),
        avoid_with=avoid_with or (),
        light_steps=light_steps,
    )


def _text_of(maximum: int) -> str:
    """The problem of a text field that is empty or longer than ``maximum`` characters."""
    # Translators: said of a field of a technique ("title: must be text of 1-40 characters").
    return _("must be text of 1-{maximum} characters").format(maximum=maximum)


def _drawn_from(names: Sequence[str]) -> str:
    """The problem of a list with an entry that is not one of ``names`` (ids, as written)."""
    # Translators: said of a field; {names} lists the ids it may hold, as written in the file.
    return _("must be a list drawn from {names}").format(names=", ".join(names))


def _is_text(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())
