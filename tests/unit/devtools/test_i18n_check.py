"""The translation check CI runs: each rule fails on what it is for, and passes a good file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from unclench_devtools import i18n

ENGLISH_CATALOGUE = tomllib.loads(i18n.CATALOGUE.read_text(encoding="utf-8"))


def _template() -> Catalog:
    catalog = Catalog(fuzzy=False)
    catalog.add("Next break in {minutes} min")
    catalog.add(("{n} break", "{n} breaks"))
    return catalog


def _po(
    tmp_path: Path, code: str, entries: dict[Any, Any], *, fuzzy: frozenset[str] = frozenset()
) -> None:
    catalog = Catalog(locale=code, fuzzy=False)
    for msgid, msgstr in entries.items():
        flags = {"fuzzy"} if (msgid if isinstance(msgid, str) else msgid[0]) in fuzzy else set()
        catalog.add(msgid, msgstr, flags=flags)
    path = tmp_path / code / "LC_MESSAGES" / "unclench.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        write_po(f, catalog)


@pytest.fixture
def locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(i18n, "LOCALE", tmp_path)
    monkeypatch.setattr(i18n, "REPO", tmp_path)
    return tmp_path


GOOD_DE = {
    "Next break in {minutes} min": "Nächste Pause in {minutes} Min.",
    ("{n} break", "{n} breaks"): ("{n} Pause", "{n} Pausen"),
}


def _messages(code: str) -> list[str]:
    i18n.compile_po(code)
    return [p.message for p in i18n.check_po(code, _template())]


def test_a_complete_file_passes(locale: Path) -> None:
    _po(locale, "de", GOOD_DE)
    assert _messages("de") == []


def test_a_blank_string_fails(locale: Path) -> None:
    _po(locale, "de", {**GOOD_DE, "Next break in {minutes} min": ""})
    assert _messages("de") == ["untranslated: 'Next break in {minutes} min'"]


def test_a_fuzzy_string_fails(locale: Path) -> None:
    _po(locale, "de", GOOD_DE, fuzzy=frozenset({"Next break in {minutes} min"}))
    assert _messages("de") == ["fuzzy: 'Next break in {minutes} min'"]


def test_a_renamed_placeholder_fails(locale: Path) -> None:
    _po(locale, "de", {**GOOD_DE, "Next break in {minutes} min": "Pause in {minuten} Min."})
    [message] = _messages("de")
    assert message.startswith("placeholders of 'Next break in {minutes} min'")


def test_a_missing_plural_form_fails(locale: Path) -> None:
    polish = {
        "Next break in {minutes} min": "Następna przerwa za {minutes} min",
        ("{n} break", "{n} breaks"): ("{n} przerwa", "{n} przerwy"),  # Polish needs three
    }
    _po(locale, "pl", polish)
    assert _messages("pl") == ["'{n} break' needs all 3 plural forms"]


def test_a_stale_compiled_file_fails(locale: Path) -> None:
    _po(locale, "de", GOOD_DE)
    i18n.compile_po("de")
    (locale / "de" / "LC_MESSAGES" / "unclench.mo").write_bytes(b"old")
    problems = list(i18n.check_po("de", _template()))
    assert [p.message for p in problems] == ["out of date (run extract)"]


def _catalogue_problems(locale: Path, doc: dict[str, Any]) -> list[str]:
    (locale / "de").mkdir(exist_ok=True)
    (locale / "de" / "techniques.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
    return [p.message for p in i18n.check_catalogue("de", ENGLISH_CATALOGUE)]


def _shipped_german() -> dict[str, Any]:
    real = i18n.CATALOGUE.parent / "locale" / "de" / "techniques.toml"
    return tomllib.loads(real.read_text(encoding="utf-8"))


def test_the_shipped_german_catalogue_passes(locale: Path) -> None:
    assert _catalogue_problems(locale, _shipped_german()) == []


def test_a_catalogue_id_the_english_lacks_fails(locale: Path) -> None:
    doc = _shipped_german()
    doc["techniques"]["hands-new"] = doc["techniques"].pop("hands-thumb-palm")
    assert _catalogue_problems(locale, doc) == [
        "techniques: 'hands-new' is not in the English catalogue",
        "techniques: 'hands-thumb-palm' is missing",
        "techniques.hands-thumb-palm.title: missing or empty",
        "techniques.hands-thumb-palm.steps: needs 4 entries like the English",
        "techniques.hands-thumb-palm.light_steps: needs 4 entries like the English",
    ]


def test_a_step_too_long_or_a_step_missing_fails(locale: Path) -> None:
    doc = _shipped_german()
    doc["techniques"]["feet-rooted"]["steps"][0] = "x" * 200
    doc["techniques"]["feet-sole-press"]["steps"].pop()
    assert _catalogue_problems(locale, doc) == [
        "techniques.feet-sole-press.steps: needs 3 entries like the English",
        "techniques.feet-rooted.steps[1]: 200 characters, over 145",
    ]


def test_the_template_must_hold_every_message_but_not_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = i18n.template()
    moved = tmp_path / "moved.pot"
    for message in current:
        message.locations = [(path, line + 7) for path, line in message.locations]
    with moved.open("wb") as f:
        write_po(f, current)
    monkeypatch.setattr(i18n, "TEMPLATE", moved)
    assert i18n._messages_of(moved) == i18n._messages_of(i18n.template())
    stale = tmp_path / "stale.pot"
    shorter = i18n.template()
    shorter.delete("Take a break now")
    with stale.open("wb") as f:
        write_po(f, shorter)
    assert i18n._messages_of(stale) != i18n._messages_of(i18n.template())
