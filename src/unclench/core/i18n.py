"""The language Unclench speaks: gettext catalogs for its own words, chosen once and switchable.

Every word a person reads goes through :func:`_` (or :func:`ngettext` for counts, ``pgettext``
where one English word has two meanings). Module-level constants are marked with :func:`N_`,
which only marks them for extraction, and are translated where they are shown, so a change of
language reaches them. Messages use named ``{placeholders}``, never glued fragments, so a
translation can put the parts in its own order.

The catalogs are ``resources/locale/<code>/LC_MESSAGES/unclench.mo``, compiled from the
``.po`` files beside them (``docs/translating.md``). No Qt here: the core, the command line
and the windows share one language.
"""

from __future__ import annotations

import gettext as _gettext
import locale
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from unclench.core.resources import resource_path

DOMAIN = "unclench"
SOURCE_LANGUAGE = "en"
#: Every language Unclench ships, by code, in its own name (what the Language setting lists).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "it": "Italiano",
    "nl": "Nederlands",
    "pl": "Polski",
    "ja": "日本語",
    "zh_CN": "简体中文",
    "ar": "العربية",
}
#: Languages written from right to left: their windows are mirrored.
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur"})
#: The Language setting's value for "whatever the system says".
SYSTEM = "system"
#: A locale the system names that is not one of ours but reads as one of ours.
_CLOSE_ENOUGH = {"pt": "pt_BR", "zh": "zh_CN", "zh_SG": "zh_CN", "zh_Hans": "zh_CN"}


class _Current:
    """The one language in use (gettext's own convention is a process-wide choice)."""

    code = SOURCE_LANGUAGE
    translations: _gettext.NullTranslations = _gettext.NullTranslations()


def locale_dir() -> Path:
    return resource_path("locale")


def language_of(locale_name: str) -> str | None:
    """Our language code for a locale name such as ``de_DE.UTF-8`` or ``pt-BR``, or None."""
    name = locale_name.split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if not name or name in {"C", "POSIX"}:
        return None
    language, _sep, region = name.partition("_")
    for candidate in (f"{language}_{region}" if region else "", language):
        if candidate in LANGUAGES:
            return candidate
        if candidate in _CLOSE_ENOUGH:
            return _CLOSE_ENOUGH[candidate]
    if language == "zh" and region in {"TW", "HK", "MO", "Hant"}:
        return None  # Traditional Chinese readers are better served by English than by Simplified
    return next((code for code in LANGUAGES if code.split("_")[0] == language), None)


def system_language(env: Mapping[str, str] | None = None) -> str:
    """The language the system asks for, as gettext reads it: LANGUAGE (a list), LC_ALL,
    LC_MESSAGES, LANG; else the platform's own locale; English when none is ours."""
    env = os.environ if env is None else env
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key, "")
        for part in value.split(":"):
            found = language_of(part)
            if found is not None:
                return found
        if value and key != "LANGUAGE":
            return SOURCE_LANGUAGE  # a locale is set, and it is none of ours
    try:
        platform_locale = locale.getlocale()[0] or ""
    except ValueError:
        platform_locale = ""
    return language_of(platform_locale) or SOURCE_LANGUAGE


def set_language(choice: str = SYSTEM, env: Mapping[str, str] | None = None) -> str:
    """Speak ``choice`` (a code, or "system") from now on; returns the code in use."""
    code = system_language(env) if choice == SYSTEM else choice
    if code not in LANGUAGES:
        code = SOURCE_LANGUAGE
    if code == SOURCE_LANGUAGE:
        translations: _gettext.NullTranslations = _gettext.NullTranslations()
    else:
        translations = _gettext.translation(DOMAIN, locale_dir(), languages=[code], fallback=True)
    _Current.code = code
    _Current.translations = translations
    return code


@contextmanager
def source_language() -> Iterator[None]:
    """English for a while, whatever the person reads: for data that must stay
    language-neutral (``--json`` output), built by the same code as the sentences."""
    saved = (_Current.code, _Current.translations)
    _Current.code, _Current.translations = SOURCE_LANGUAGE, _gettext.NullTranslations()
    try:
        yield
    finally:
        _Current.code, _Current.translations = saved


def current_language() -> str:
    return _Current.code


def is_right_to_left(code: str | None = None) -> bool:
    return (code or _Current.code).split("_")[0] in RIGHT_TO_LEFT


def _(message: str) -> str:
    """``message`` in the current language."""
    return _Current.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message that fits ``n`` in the current language."""
    return _Current.translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` where the same English words mean different things (``context`` tells)."""
    return _Current.translations.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a constant for translation; :func:`_` translates it where it is shown."""
    return message
