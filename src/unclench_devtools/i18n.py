"""Translations: extract the words, merge them into each language, compile, and check.

    python -m unclench_devtools.i18n extract   # resources/locale/unclench.pot, and each .po
    python -m unclench_devtools.i18n check     # fails on anything missing, fuzzy or wrong
    python -m unclench_devtools.i18n compile de  # one language's .mo, after editing its .po

``extract`` reads every ``_()``, ``ngettext()``, ``pgettext()``, ``N_()`` and ``plural()`` in
src/unclench, writes the template, merges it into every language's ``.po`` (new words
arrive empty, changed ones fuzzy) and compiles each ``.po`` to the ``.mo`` the app reads.
``check`` is what CI runs: see :func:`check` for the rules. docs/translating.md has the rest.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from unclench import __version__
from unclench_devtools import REPO

SOURCE = REPO / "src" / "unclench"
LOCALE = REPO / "resources" / "locale"
TEMPLATE = LOCALE / "unclench.pot"
CATALOGUE = REPO / "resources" / "techniques.toml"
DOMAIN = "unclench"
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "plural": (2, 3),
}
HEADER = (
    "# Unclench's words in {language}. Made from resources/locale/unclench.pot by\n"
    "# `python -m unclench_devtools.i18n extract`; see docs/translating.md."
)
_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(?:[:!][^}]*)?\}")
#: How much longer than the English a language's catalogue text may be (German runs ~30 %
#: longer); CJK text counts characters, each about two Latin letters wide.
LENGTH_FACTOR: dict[str, float] = {
    "de": 1.32,
    "nl": 1.32,
    "pl": 1.32,
    "fr": 1.28,
    "es": 1.28,
    "pt_BR": 1.28,
    "it": 1.28,
    "ar": 1.14,
    "ja": 0.64,
    "zh_CN": 0.64,
}


# --------------------------------------------------------------------- extract and compile


def languages() -> list[str]:
    """Every language with a folder under resources/locale, sorted."""
    return sorted(p.name for p in LOCALE.iterdir() if p.is_dir() and not p.name.startswith("."))


def po_path(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def template() -> Catalog:
    """Every message in the source, with where it comes from."""
    catalog = Catalog(
        project="Unclench",
        version=__version__,
        domain=DOMAIN,
        copyright_holder="The Unclench team",
        msgid_bugs_address="the Unclench team (docs/translating.md)",
        header_comment=HEADER.format(language="English (the template)"),
        fuzzy=False,
    )
    options: dict[str, dict[str, str]] = {"**.py": {}}
    for filename, lineno, message, comments, context in extract_from_dir(
        SOURCE,
        method_map=[("**.py", "python")],
        options_map=options,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
    ):
        path = f"src/unclench/{filename}"
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False)
    return out.getvalue()


def _messages_of(source: Path | Catalog) -> set[tuple[object, ...]]:
    """What the template says, without where: moving a line of code changes nothing here."""
    if isinstance(source, Path):
        with source.open("rb") as f:
            source = read_po(f)
    return {
        (str(m.id), m.context, " ".join(" ".join(m.auto_comments).split())) for m in source if m.id
    }


def extract() -> None:
    catalog = template()
    TEMPLATE.write_bytes(_po_bytes(catalog))
    for code in languages():
        path = po_path(code)
        if path.exists():
            with path.open("rb") as f:
                translated = read_po(f, locale=code)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            translated = Catalog(
                locale=code,
                domain=DOMAIN,
                project="Unclench",
                version=__version__,
                copyright_holder="The Unclench team",
                msgid_bugs_address="the Unclench team (docs/translating.md)",
                header_comment=HEADER.format(language=code),
                fuzzy=False,  # a fuzzy header would drop the plural rules from the .mo
            )
        translated.update(catalog, no_fuzzy_matching=False)
        translated.fuzzy = False
        path.write_bytes(_po_bytes(translated))
        compile_po(code)


def compile_po(code: str) -> bytes:
    """Writes the language's .mo beside its .po; returns its bytes."""
    with po_path(code).open("rb") as f:
        catalog = read_po(f, locale=code)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    po_path(code).with_suffix(".mo").write_bytes(out.getvalue())
    return out.getvalue()


# --------------------------------------------------------------------- check


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def check_po(code: str, expected: Catalog) -> Iterator[Problem]:
    """Every message of the template translated, none fuzzy, placeholders as in English,
    every plural form the language has, and the compiled .mo current."""
    path = po_path(code)
    where = str(path.relative_to(REPO))
    if not path.exists():
        yield Problem(where, "missing")
        return
    with path.open("rb") as f:
        catalog = read_po(f, locale=code)
    forms = get_plural(code).num_plurals
    for message in expected:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        label = message.id if isinstance(message.id, str) else message.id[0]
        if found is None:
            yield Problem(where, f"no entry for {label!r} (run extract)")
            continue
        if found.fuzzy:
            yield Problem(where, f"fuzzy: {label!r}")
        strings = found.string if isinstance(found.string, tuple | list) else (found.string,)
        if isinstance(message.id, tuple | list):
            if len(strings) != forms or not all(strings):
                yield Problem(where, f"{label!r} needs all {forms} plural forms")
                continue
            wanted = placeholders(message.id[1] or "") | placeholders(message.id[0] or "")
        else:
            wanted = placeholders(message.id)
        if not all(strings):
            yield Problem(where, f"untranslated: {label!r}")
            continue
        for text in (t or "" for t in strings):
            if placeholders(text) - wanted or (wanted - {"n"}) - placeholders(text):
                yield Problem(
                    where,
                    f"placeholders of {label!r}: {sorted(placeholders(text))} "
                    f"instead of {sorted(wanted)}",
                )
    for message in catalog:
        if message.id and expected.get(message.id, message.context) is None:
            label = message.id if isinstance(message.id, str) else message.id[0]
            yield Problem(where, f"not in the template any more: {label!r} (run extract)")
    mo = path.with_suffix(".mo")
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    if not mo.exists() or mo.read_bytes() != out.getvalue():
        yield Problem(str(mo.relative_to(REPO)), "out of date (run extract)")


def check_catalogue(code: str, english: dict[str, Any]) -> Iterator[Problem]:
    """The language's techniques.toml has exactly the English ids and shapes, every text
    filled in, each within the English length limit times the language's factor."""
    from unclench.core.catalogue import SAFETY_MAX, STEP_MAX, TITLE_MAX

    path = LOCALE / code / "techniques.toml"
    where = str(path.relative_to(REPO))
    if not path.exists():
        yield Problem(where, "missing")
        return
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        yield Problem(where, f"cannot be read: {exc}")
        return
    factor = LENGTH_FACTOR.get(code, 1.0)
    limits = {
        "title": TITLE_MAX * factor,
        "step": STEP_MAX * factor,
        "safety": SAFETY_MAX * factor,
    }

    def text(value: Any, label: str, kind: str) -> Iterator[Problem]:
        if not isinstance(value, str) or not value.strip():
            yield Problem(where, f"{label}: missing or empty")
        elif len(value) > limits[kind]:
            yield Problem(where, f"{label}: {len(value)} characters, over {int(limits[kind])}")

    def steps(value: Any, count: int, label: str) -> Iterator[Problem]:
        if not isinstance(value, list) or len(value) != count:
            yield Problem(where, f"{label}: needs {count} entries like the English")
            return
        for i, step in enumerate(value, 1):
            yield from text(step, f"{label}[{i}]", "step")

    yield from text(doc.get("stop_rule"), "stop_rule", "safety")
    yield from steps(doc.get("grounding"), len(english["grounding"]), "grounding")
    closing = doc.get("closing") or {}
    yield from text(closing.get("title"), "closing.title", "title")
    yield from steps(closing.get("steps"), len(english["closing"]["steps"]), "closing.steps")
    areas = doc.get("areas") or {}
    english_areas = {a["id"]: a for a in english["areas"]}
    yield from _same_ids(where, "areas", set(areas), set(english_areas))
    for area_id, source in english_areas.items():
        mine = areas.get(area_id) or {}
        yield from text(mine.get("name"), f"areas.{area_id}.name", "title")
        yield from text(mine.get("blurb"), f"areas.{area_id}.blurb", "safety")
        if "safety" in source or "safety" in mine:
            yield from text(mine.get("safety"), f"areas.{area_id}.safety", "safety")
        cautions = mine.get("cautions") or {}
        yield from _same_ids(
            where, f"areas.{area_id}.cautions", set(cautions), set(source.get("cautions", {}))
        )
        for condition in source.get("cautions", {}):
            yield from text(
                cautions.get(condition), f"areas.{area_id}.cautions.{condition}", "safety"
            )
    techniques = doc.get("techniques") or {}
    english_techniques = {t["id"]: t for t in english["techniques"]}
    yield from _same_ids(where, "techniques", set(techniques), set(english_techniques))
    for tid, source in english_techniques.items():
        mine = techniques.get(tid) or {}
        yield from text(mine.get("title"), f"techniques.{tid}.title", "title")
        yield from steps(mine.get("steps"), len(source["steps"]), f"techniques.{tid}.steps")
        for optional, kind in (("light_steps", "steps"), ("safety", "safety")):
            if optional not in source and optional not in mine:
                continue
            label = f"techniques.{tid}.{optional}"
            if kind == "steps":
                yield from steps(mine.get(optional), len(source.get(optional, [])), label)
            else:
                yield from text(mine.get(optional) if optional in source else None, label, kind)


def _same_ids(where: str, label: str, theirs: set[str], english: set[str]) -> Iterator[Problem]:
    for extra in sorted(theirs - english):
        yield Problem(where, f"{label}: {extra!r} is not in the English catalogue")
    for missing in sorted(english - theirs):
        yield Problem(where, f"{label}: {missing!r} is missing")


def check(codes: Sequence[str] = ()) -> list[Problem]:
    """Everything CI holds translations to; an empty list means complete and correct.
    ``codes``: only these languages (the template is checked in any case)."""
    problems: list[Problem] = []
    current = template()
    if not TEMPLATE.exists() or _messages_of(TEMPLATE) != _messages_of(current):
        problems.append(Problem(str(TEMPLATE.relative_to(REPO)), "out of date (run extract)"))
    english = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    for code in codes or languages():
        problems += check_po(code, current)
        problems += check_catalogue(code, english)
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=("extract", "check", "compile"))
    parser.add_argument("languages", nargs="*", help="codes (check, compile): all by default")
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract()
        print(f"wrote {TEMPLATE.relative_to(REPO)} and {len(languages())} languages")
        return 0
    if args.command == "compile":
        for code in args.languages or languages():
            compile_po(code)
        return 0
    problems = check(args.languages)
    for problem in problems:
        print(problem)
    checked = len(args.languages or languages())
    print(f"problems: {len(problems)}, in {checked} languages checked" if problems else "ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
