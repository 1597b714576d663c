"""The settings model: every option described once, with its type, bounds, default and meaning.

Parsing never raises on bad content: each problem becomes a :class:`SettingsNotice` that
names the key, and the value falls back to its default (or is clamped into range). Keys this
version does not know are kept aside and written back, so a newer version's settings survive.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from unclench.core.areas import AREA_IDS, CONDITION_IDS, DEFAULT_AREA_IDS, PROP_IDS
from unclench.core.i18n import LANGUAGES, N_, _
from unclench.core.i18n import SYSTEM as SYSTEM_LANGUAGE

#: Written as ``version`` at the top of the file; raise it with a migration in MIGRATIONS.
SETTINGS_VERSION = 1

CORNERS: tuple[str, ...] = ("top-left", "top-right", "bottom-left", "bottom-right")
THEMES: tuple[str, ...] = ("system", "light", "dark")


def _opt(
    default: Any,
    doc: str,
    *,
    lo: int | None = None,
    hi: int | None = None,
    choices: tuple[str, ...] | None = None,
) -> Any:
    """Declare one option: its default, its meaning, and the values it accepts.

    ``doc`` is English, marked with ``N_``: whoever shows it translates it with ``_``.
    """
    meta = {"doc": doc, "lo": lo, "hi": hi, "choices": choices}
    return field(default=default, metadata=meta)


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    # UK HSE: short breaks after 50-60 min of continuous screen work (docs/evidence.md).
    interval_minutes: int = _opt(50, N_("Active minutes between breaks."), lo=10, hi=120)
    # Not the timer in the break window (each technique has its own, 30-90 s): the shortest
    # time away, screen locked or idle, that counts as a break taken and starts the count
    # again. A minute, like a short routine (docs/evidence.md).
    break_seconds: int = _opt(
        60,
        N_(
            "How long you must be away (idle or locked) for it to count as a break taken, in "
            "seconds. Each technique sets its own timer."
        ),
        lo=20,
        hi=300,
    )
    # >= 5 min without input counts as away (docs/evidence.md, "When a break comes").
    idle_minutes: int = _opt(
        5, N_("Minutes without input after which you count as away."), lo=1, hi=30
    )
    snooze_minutes: int = _opt(10, N_("How long a snooze puts a break off."), lo=1, hi=60)
    max_snoozes: int = _opt(
        3,
        # Translators: Done and Skip are the break window's buttons.
        N_("Snoozes offered for one break before only Done/Skip."),
        lo=0,
        hi=10,
    )


@dataclass(frozen=True, slots=True)
class TechniqueSettings:
    areas: tuple[str, ...] = _opt(
        DEFAULT_AREA_IDS,
        N_("Body areas to draw techniques from (at least one)."),
        choices=AREA_IDS,
    )
    discreet_only: bool = _opt(False, N_("Only techniques that draw no looks in an open office."))
    props: tuple[str, ...] = _opt(
        (), N_("Things you have at hand (e.g. a ball)."), choices=PROP_IDS
    )


@dataclass(frozen=True, slots=True)
class PopupSettings:
    corner: str = _opt("bottom-right", N_("Screen corner for the break window."), choices=CORNERS)
    checkin: bool = _opt(True, N_("Ask how tense or stressed you feel before and after a break."))
    breathing: bool = _opt(True, N_("Show the slow-breathing pacer."))
    sound: bool = _opt(False, N_("Play a soft sound when a break starts."))
    theme: str = _opt("system", N_("Light or dark, or follow the system."), choices=THEMES)


@dataclass(frozen=True, slots=True)
class AboutMeSettings:
    """What the person chose to tell about themselves; it stays in this file on this device.

    Until ``tailored`` is on, every caution shows, for everyone: nobody is asked at first
    start, and nobody misses a caution they did not know to ask for.
    """

    tailored: bool = _opt(False, N_("Show only the cautions that apply to you."))
    pregnancy: bool = _opt(False, N_("You are pregnant."))
    low_sensation: bool = _opt(
        False, N_("You have diabetes, or less feeling in your hands or feet.")
    )
    clots: bool = _opt(False, N_("You have had a blood clot."))

    def conditions(self) -> frozenset[str] | None:
        """The conditions that apply; ``None`` until the person has said (every one counts)."""
        if not self.tailored:
            return None
        return frozenset(c for c in CONDITION_IDS if getattr(self, c))


@dataclass(frozen=True, slots=True)
class SystemSettings:
    start_at_login: bool = _opt(False, N_("Start Unclench when you log in."))
    language: str = _opt(
        SYSTEM_LANGUAGE,
        N_("The language Unclench speaks; the system's by default."),
        choices=(SYSTEM_LANGUAGE, *LANGUAGES),
    )


SECTIONS: dict[str, type[Any]] = {
    "schedule": ScheduleSettings,
    "techniques": TechniqueSettings,
    "popup": PopupSettings,
    "about_me": AboutMeSettings,
    "system": SystemSettings,
}


@dataclass(frozen=True, slots=True)
class Settings:
    """All settings. ``extra`` holds keys this version does not know, to write them back."""

    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    techniques: TechniqueSettings = field(default_factory=TechniqueSettings)
    popup: PopupSettings = field(default_factory=PopupSettings)
    about_me: AboutMeSettings = field(default_factory=AboutMeSettings)
    system: SystemSettings = field(default_factory=SystemSettings)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    version: int = SETTINGS_VERSION


@dataclass(frozen=True, slots=True)
class SettingsNotice:
    """One problem found while reading settings, worded for the person."""

    key: str
    message: str

    def __str__(self) -> str:
        if not self.key:
            return self.message
        # Translators: a problem in the settings file: the setting's key (such as
        # "popup.corner", never translated), then what is wrong with it.
        return _("{key}: {message}").format(key=self.key, message=self.message)


@dataclass(frozen=True, slots=True)
class OptionInfo:
    """A read-only view of one option's declaration, for docs and the Settings window."""

    key: str
    default: Any
    #: English, marked for translation: show it as ``_(info.doc)``.
    doc: str
    lo: int | None
    hi: int | None
    choices: tuple[str, ...] | None


def describe_options() -> list[OptionInfo]:
    """Every option, as ``section.key``, in file order."""
    infos = []
    for section, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            m = f.metadata
            infos.append(
                OptionInfo(
                    f"{section}.{f.name}", f.default, m["doc"], m["lo"], m["hi"], m["choices"]
                )
            )
    return infos


# --------------------------------------------------------------------- from a TOML document


def settings_from_dict(data: Mapping[str, Any]) -> tuple[Settings, list[SettingsNotice]]:
    """Build validated settings from a parsed TOML document; never raises on bad content."""
    notices: list[SettingsNotice] = []
    version = data.get("version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        message = _("{value} is not a version number.").format(value=repr(version))
        notices.append(SettingsNotice("version", message))
        version = 0
    doc = dict(data)
    for step in range(version, SETTINGS_VERSION):
        doc = MIGRATIONS[step](doc)

    extra: dict[str, Any] = {k: v for k, v in doc.items() if k not in SECTIONS and k != "version"}
    built: dict[str, Any] = {}
    for section, cls in SECTIONS.items():
        raw = doc.get(section, {})
        if not isinstance(raw, Mapping):
            # Translators: said of a section of the settings file, after its name
            # ("popup: should be a table; using the defaults.").
            notices.append(SettingsNotice(section, _("should be a table; using the defaults.")))
            raw = {}
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = {k: v for k, v in raw.items() if k not in known}
        if unknown:
            extra[section] = unknown
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in raw:
                key = f"{section}.{f.name}"
                values[f.name] = _validate(key, raw[f.name], f, notices)
        built[section] = cls(**values)
    return (
        Settings(**built, extra=extra, version=max(version, SETTINGS_VERSION)),
        notices,
    )


def _validate(
    key: str, value: Any, f: dataclasses.Field[Any], notices: list[SettingsNotice]
) -> Any:
    default = f.default
    meta = f.metadata
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        # Translators: {default} is "true" or "false", as written in the settings file.
        message = _("{value} is not true or false; using {default}.")
        notices.append(
            SettingsNotice(key, message.format(value=repr(value), default=_toml(default)))
        )
        return default
    if isinstance(default, int):
        return _validate_int(
            key, value, default=default, lo=meta["lo"], hi=meta["hi"], notices=notices
        )
    if isinstance(default, str):
        if isinstance(value, str) and value in meta["choices"]:
            return value
        allowed = ", ".join(meta["choices"])
        message = _("{value} is not one of {allowed}; using {default}.").format(
            value=repr(value), allowed=allowed, default=repr(default)
        )
        notices.append(SettingsNotice(key, message))
        return default
    if isinstance(default, tuple):
        return _validate_id_list(key, value, default, meta["choices"], notices)
    raise TypeError(f"option {key} has an unsupported type")  # a bug in the declarations


def _validate_int(
    key: str,
    value: Any,
    *,
    default: int,
    lo: int,
    hi: int,
    notices: list[SettingsNotice],
) -> int:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        message = _("{value} is not a whole number; using {default}.")
        notices.append(SettingsNotice(key, message.format(value=repr(value), default=default)))
        return default
    if value < lo:
        message = _("{value} is below the minimum {minimum}; using {minimum}.")
        notices.append(SettingsNotice(key, message.format(value=value, minimum=lo)))
        return lo
    if value > hi:
        message = _("{value} is above the maximum {maximum}; using {maximum}.")
        notices.append(SettingsNotice(key, message.format(value=value, maximum=hi)))
        return hi
    return value


def _validate_id_list(
    key: str,
    value: Any,
    default: tuple[str, ...],
    choices: tuple[str, ...],
    notices: list[SettingsNotice],
) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        # Translators: said of a setting, after its key ("techniques.areas: should be...").
        notices.append(SettingsNotice(key, _("should be a list of names; using the defaults.")))
        return default
    unknown = [v for v in value if v not in choices]
    if unknown:
        # Translators: said of a setting, after its key; {names} lists the values that are
        # not known, such as 'feet', 'ears'.
        message = _("ignoring unknown {names}.").format(names=", ".join(map(repr, unknown)))
        notices.append(SettingsNotice(key, message))
    # Keep the catalogue's order and drop repeats, so equal choices compare equal.
    kept = tuple(c for c in choices if c in value)
    if not kept and default:
        # Translators: said of a setting, after its key ("techniques.areas: needs...").
        notices.append(SettingsNotice(key, _("needs at least one entry; using the defaults.")))
        return default
    return kept


def _toml(value: bool) -> str:
    return "true" if value else "false"


# --------------------------------------------------------------------- to a TOML document


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The document to write: known keys in file order, unknown ones kept where they were."""
    doc: dict[str, Any] = {"version": settings.version}
    for section in SECTIONS:
        values = dataclasses.asdict(getattr(settings, section))
        table = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
        kept = settings.extra.get(section)
        if isinstance(kept, Mapping):
            table.update({k: v for k, v in kept.items() if k not in table})
        doc[section] = table
    for key, value in settings.extra.items():
        if key not in SECTIONS:
            doc[key] = value
    return doc


def with_changes(settings: Settings, **changes: Mapping[str, Any]) -> Settings:
    """A copy with some values changed, validated like a file: ``with_changes(s, popup={...})``.

    Raises ``ValueError`` naming the key when a value is out of range or of the wrong type,
    so the Settings window and the command line can refuse it with a clear message.
    """
    doc = settings_to_dict(settings)
    for section, values in changes.items():
        if section not in SECTIONS:
            raise ValueError(_("unknown settings section {section}").format(section=repr(section)))
        known = {f.name for f in dataclasses.fields(SECTIONS[section])}
        for key in values:
            if key not in known:
                raise ValueError(_("{key}: no such setting").format(key=f"{section}.{key}"))
        doc[section] = {**doc[section], **values}
    updated, notices = settings_from_dict(doc)
    if notices:
        raise ValueError("; ".join(str(n) for n in notices))
    return updated


def _from_v0(doc: dict[str, Any]) -> dict[str, Any]:
    # Files written before the version key existed use the same layout as version 1.
    return doc


#: MIGRATIONS[n] turns a version-n document into version n+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _from_v0}
