"""The catalogue in another language: ``resources/locale/<code>/techniques.toml`` over English.

A language file holds only words, keyed by the English file's ids (docs/translating.md):
area names, blurbs and notes, technique titles and steps, the stop rule, the grounding
lines and the closing check. Anything it lacks, or gets wrong, stays English, so a missing
or broken file costs words, never a break. The person's own techniques stay as written.
"""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from unclench.core.catalogue import Area, Catalogue, Technique
from unclench.core.i18n import SOURCE_LANGUAGE, locale_dir

log = logging.getLogger(__name__)

CATALOGUE_FILE = "techniques.toml"


def language_file(code: str) -> Path:
    return locale_dir() / code / CATALOGUE_FILE


def in_language(catalogue: Catalogue, code: str, path: Path | None = None) -> Catalogue:
    """``catalogue`` with its shipped words in ``code``; English where the file says nothing."""
    if code == SOURCE_LANGUAGE:
        return catalogue
    path = path or language_file(code)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return catalogue
    except (OSError, ValueError) as exc:
        log.error("catalogue words in %s cannot be read, so they stay English: %s", code, exc)
        return catalogue
    areas = _table(doc, "areas")
    techniques = _table(doc, "techniques")
    closing = _table(doc, "closing")
    return dataclasses.replace(
        catalogue,
        areas=tuple(_area(a, _table(areas, a.id)) for a in catalogue.areas),
        techniques=tuple(
            t if t.custom else _technique(t, _table(techniques, t.id)) for t in catalogue
        ),
        stop_rule=_text(doc.get("stop_rule"), catalogue.stop_rule),
        closing_title=_text(closing.get("title"), catalogue.closing_title),
        closing=_texts(closing.get("steps"), catalogue.closing),
        grounding=_texts(doc.get("grounding"), catalogue.grounding),
    )


def _area(area: Area, words: Mapping[str, Any]) -> Area:
    cautions = _table(words, "cautions")
    return dataclasses.replace(
        area,
        name=_text(words.get("name"), area.name),
        blurb=_text(words.get("blurb"), area.blurb),
        safety=_text(words.get("safety"), area.safety) if area.safety else None,
        cautions=tuple((c, _text(cautions.get(c), text)) for c, text in area.cautions),
    )


def _technique(technique: Technique, words: Mapping[str, Any]) -> Technique:
    return dataclasses.replace(
        technique,
        title=_text(words.get("title"), technique.title),
        steps=_texts(words.get("steps"), technique.steps),
        light_steps=_texts(words.get("light_steps"), technique.light_steps),
        safety=_text(words.get("safety"), technique.safety) if technique.safety else None,
    )


def _table(doc: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, Mapping) else {}


def _text(value: Any, english: str | None) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return english or ""


def _texts(value: Any, english: Sequence[str]) -> tuple[str, ...]:
    """The translated list when it has the English's length and no gap, else the English."""
    if (
        isinstance(value, list)
        and len(value) == len(english)
        and all(isinstance(v, str) and v.strip() for v in value)
    ):
        return tuple(v.strip() for v in value)
    return tuple(english)
