"""The Settings window: one control per setting; every change is validated and sent at once.

There is no OK or Apply button. Each change goes through :func:`with_changes`, and the new
:class:`Settings` leaves by the ``changed`` signal; the app saves and applies it. Bounds and
help text come from the settings model, so the window cannot drift from it.
"""

from __future__ import annotations

import random
import re
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QPalette,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from unclench import APP_NAME
from unclench.core.areas import DEFAULT_AREA_IDS
from unclench.core.break_content import reasons_left_out
from unclench.core.catalogue import Area, Catalogue
from unclench.core.chooser import TechniqueChooser
from unclench.core.i18n import LANGUAGES, N_, _, pgettext
from unclench.core.i18n import SYSTEM as SYSTEM_LANGUAGE
from unclench.core.settings import OptionInfo, Settings, describe_options, with_changes
from unclench.ui.about_me_group import AboutMeGroup
from unclench.ui.accessible_roles import announce
from unclench.ui.banner import MessageBanner
from unclench.ui.illustrations import area_pixmap_for
from unclench.ui.kept_window import KeptWindow, fit_to_screen, scroll_area

# Labels: "&" marks the letter of the Alt shortcut. A translation may mark another letter of
# its own word, or add one in brackets, as Japanese and Chinese do: "言語(&L)".

#: Each number's label and unit ("min", "s" or none, see _unit_texts); bounds and help come
#: from the model.
_NUMBERS: dict[str, tuple[str, str]] = {
    # Translators: Settings, Schedule: the label before a number of minutes ("50 min")
    "schedule.interval_minutes": (N_("Break &every"), "min"),
    # Translators: Settings, Schedule: the label before a number of seconds ("60 s")
    "schedule.break_seconds": (N_("Time away that counts as a b&reak"), "s"),
    # Translators: Settings, Schedule: the label before a number of minutes ("5 min")
    "schedule.idle_minutes": (N_("&Away after no input for"), "min"),
    # Translators: Settings, Schedule: the label before a number of minutes ("10 min")
    "schedule.snooze_minutes": (N_("&Snooze for"), "min"),
    # Translators: Settings, Schedule: the label before how many snoozes one break offers
    "schedule.max_snoozes": (N_("Snoozes &per break"), ""),
}
_SWITCHES: dict[str, str] = {
    "techniques.discreet_only": N_("Only discreet techniques"),
    "popup.checkin": N_("Ask how tense or stressed you feel, before and after"),
    "popup.breathing": N_("Show the slow-breathing guide"),
    "popup.sound": N_("Play a soft sound when a break starts"),
    "system.start_at_login": N_("Start {app} when you log in"),
}
_CHOICES: dict[str, tuple[str, dict[str, str]]] = {
    "popup.corner": (
        # Translators: Settings, Break window: the label of the list of screen corners
        N_("Screen &corner"),
        {
            "top-left": N_("Top left"),
            "top-right": N_("Top right"),
            "bottom-left": N_("Bottom left"),
            "bottom-right": N_("Bottom right"),
        },
    ),
    "popup.theme": (
        # Translators: Settings, Break window: the label of the list Light, Dark, or the system's
        N_("&Theme"),
        {
            # Translators: the Theme setting's first choice: light or dark as the system is set
            "system": N_("Same as your system"),
            # Translators: a choice of the Theme setting (light colors)
            "light": N_("Light"),
            # Translators: a choice of the Theme setting (dark colors)
            "dark": N_("Dark"),
        },
    ),
}
#: The Language list: "Same as your system", then each language in its own name (never
#: translated: a language's own name is how its speakers find it).
# Translators: Settings, System: the label of the list of languages
_LANGUAGE_LABEL = N_("&Language")
#: Under the Language list once the person changes it: what the change reaches, and when.
LANGUAGE_NOTE = N_("Windows you open from now on, and the next break, use the new language.")
#: How the check-ins steer the choice (core.relief, core.chooser), in one sentence.
ADAPTIVE_RULE = N_(
    "When you answer the check-in, areas whose breaks lowered your tension come up more "
    "often, up to twice as often; every area you tick still comes up regularly."
)
PICTURE_LINES = 2.4  # each area's picture: as tall as its name and the line under it
_PROPS: dict[str, str] = {"ball": N_("I have a ball to roll my foot on")}

#: Where Unclench cannot write a login entry itself (inside a Flatpak sandbox, say).
_NO_AUTOSTART = N_(
    "{app} cannot add itself to your login here. Add it to the startup apps in your "
    "desktop's settings instead."
)


#: Beside an area About me leaves out (a history of clots, for calves).
# Translators: beside a body area that is grayed out; "About me" is the Settings group
# of that name: use the same words as there
LEFT_OUT = N_("Left out because of what you told in About me.")
#: Under discreet-only, when none of the ticked areas has a discreet technique left.
NOTHING_DISCREET_HINT = N_(
    "None of your areas has a discreet technique left, so breaks show ones that may be seen."
)

#: A translation's shortcut letter in brackets, as "言語(&L)" has it.
_BRACKETED_SHORTCUT = re.compile(r"\s*\(&[^)]\)")


def _plain(label: str) -> str:
    """A label without its shortcut mark, to be read out: "&Theme" -> "Theme"."""
    return _BRACKETED_SHORTCUT.sub("", label).replace("&", "")


def _unit_texts(unit: str) -> tuple[str, str]:
    """A number's look in its box ("{n} min") and its range in the tooltip, in full."""
    if unit == "min":
        # Translators: a number of minutes in a number box, abbreviated ("50 min")
        number = _("{n} min")
        # Translators: a setting's help, then the numbers it takes, in minutes: the help
        # sentence, then "(10 to 120 min)"
        return number, _("{doc} ({lo} to {hi} min)")
    if unit == "s":
        # Translators: a number of seconds in a number box, abbreviated ("60 s")
        number = _("{n} s")
        # Translators: a setting's help, then the numbers it takes, in seconds
        return number, _("{doc} ({lo} to {hi} s)")
    # Translators: a setting's help, then the numbers it takes ("... (0 to 10)")
    return "{n}", _("{doc} ({lo} to {hi})")


class SettingsWindow(KeptWindow):
    """Every setting in one scrollable window."""

    #: The new, validated :class:`Settings`, sent on every change.
    changed = Signal(object)
    #: The person asked to see a break now.
    preview_requested = Signal()
    #: The person asked to see and change their own techniques.
    own_techniques_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        catalogue: Catalogue,
        *,
        can_start_at_login: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        """``can_start_at_login``: whether this system lets Unclench start at login (the app
        asks the platform); where not, the switch is grayed out and says why."""
        # Translators: the Settings window's title; {app} is the app's name, Unclench
        super().__init__(_("{app} Settings").format(app=APP_NAME), parent)
        self._can_start_at_login = can_start_at_login
        self._settings = settings
        self._catalogue = catalogue
        self._options = {info.key: info for info in describe_options()}
        self._refreshing = False
        self._spins: dict[str, QSpinBox] = {}
        self._switches: dict[str, QCheckBox] = {}
        self._combos: dict[str, QComboBox] = {}
        self._language_note: QLabel | None = None
        self._area_boxes: dict[str, QCheckBox] = {}
        self._area_pictures: dict[str, QLabel] = {}
        self._prop_boxes: dict[str, QCheckBox] = {}

        self.banner = MessageBanner(self)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setSpacing(14)
        column.addWidget(self._schedule_group())
        column.addWidget(self._areas_group(catalogue))
        column.addWidget(self._own_techniques_group())
        column.addWidget(self._popup_group())
        self.about_me = AboutMeGroup(content)
        self.about_me.changed.connect(lambda values: self._commit("about_me", values))
        column.addWidget(self.about_me)
        column.addWidget(self._system_group())
        column.addStretch(1)

        self._scroll = scroll_area(content)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        banner_margin = QVBoxLayout()
        banner_margin.setContentsMargins(12, 12, 12, 0)
        banner_margin.addWidget(self.banner)
        outer.addLayout(banner_margin)
        outer.addWidget(self._scroll, 1)
        self._refresh()
        fit_to_screen(self, self._scroll)

    # ------------------------------------------------------------------ public

    def settings(self) -> Settings:
        return self._settings

    def set_settings(self, settings: Settings) -> None:
        """Show these settings (saved elsewhere, or reloaded) without sending ``changed``."""
        self._settings = settings
        self._area_hint.hide()
        self._refresh()

    def show_error(self, message: str) -> None:
        """Show a problem, such as a failed save, until the person dismisses it."""
        self.banner.show_message(message, "error")

    def show_notice(self, message: str) -> None:
        """Show something worth knowing, such as a damaged file that was replaced."""
        self.banner.show_message(message, "notice")

    # ------------------------------------------------------------------ building

    def _schedule_group(self) -> QGroupBox:
        # Translators: the title of the Settings group on when breaks come
        group, form = self._form_group(_("Schedule"))
        for key, (label, unit) in _NUMBERS.items():
            info = self._options[key]
            lo, hi = _bounds(info)
            number, range_tip = _unit_texts(unit)
            spin = QSpinBox()
            spin.setRange(lo, hi)
            # The unit goes where the language puts it: before the number, after it, or both.
            prefix, _number, suffix = number.partition("{n}")
            spin.setPrefix(prefix)
            spin.setSuffix(suffix)
            # Send a typed number once it is finished, not one change per keystroke.
            spin.setKeyboardTracking(False)
            if lo == 0:
                # Translators: in the Snoozes per break box when it is 0: no snoozes at all
                spin.setSpecialValueText(pgettext("snoozes per break", "None"))
            spin.setToolTip(range_tip.format(doc=_(info.doc), lo=lo, hi=hi))
            spin.valueChanged.connect(partial(self._change, key))
            self._spins[key] = spin
            self._add_row(form, key, _(label), spin)
        # One width for all, so the numbers line up in a column.
        widest = max(spin.sizeHint().width() for spin in self._spins.values())
        for spin in self._spins.values():
            spin.setMinimumWidth(widest)
        return group

    def _areas_group(self, catalogue: Catalogue) -> QGroupBox:
        # Translators: the title of the Settings group listing the body areas to tick
        group = QGroupBox(_("Body areas"))
        column = QVBoxLayout(group)
        column.setSpacing(6)
        intro = QLabel(_("Breaks offer techniques for the areas you tick."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        adaptive = QLabel(_(ADAPTIVE_RULE), group)
        adaptive.setObjectName("adaptive-rule")
        adaptive.setWordWrap(True)
        adaptive.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        column.addWidget(adaptive)
        self._area_hint = QLabel(_("Keep at least one area."), group)
        self._area_hint.setObjectName("area-hint")
        self._area_hint.setContentsMargins(self._checkbox_indent(), 0, 0, 4)
        font = self._area_hint.font()
        font.setBold(True)
        self._area_hint.setFont(font)
        self._area_hint.hide()
        self._area_rows: dict[str, QVBoxLayout] = {}
        for area in catalogue.areas:
            column.addWidget(self._area_row(area))
        self._draw_area_pictures()
        column.addSpacing(8)
        self._add_switch(column, "techniques.discreet_only")
        self._discreet_hint = QLabel(_(NOTHING_DISCREET_HINT), group)
        self._discreet_hint.setObjectName("discreet-hint")
        self._discreet_hint.setWordWrap(True)
        self._discreet_hint.setContentsMargins(self._checkbox_indent(), 0, 0, 4)
        self._discreet_hint.hide()
        column.addWidget(self._discreet_hint)
        prop_info = self._options["techniques.props"]
        for prop in prop_info.choices or ():
            text = _(_PROPS[prop])
            box = QCheckBox(text)
            box.setObjectName(f"techniques.props.{prop}")
            box.setAccessibleName(text)
            box.setToolTip(_(prop_info.doc))
            box.toggled.connect(self._props_toggled)
            self._prop_boxes[prop] = box
            column.addWidget(box)
        return group

    def _area_row(self, area: Area) -> QWidget:
        row = QWidget()
        beside = QHBoxLayout(row)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.setSpacing(8)
        picture = QLabel(row)
        picture.setObjectName(f"picture.{area.id}")
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._area_pictures[area.id] = picture
        beside.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        beside.addLayout(layout, 1)
        box = QCheckBox(area.name)
        box.setObjectName(f"techniques.areas.{area.id}")
        box.setAccessibleName(area.name)
        box.setAccessibleDescription(" ".join(filter(None, (area.blurb, area.safety))))
        if area.safety:
            box.setToolTip(area.safety)
        box.toggled.connect(partial(self._area_toggled, area.id))
        blurb = QLabel(area.blurb)
        blurb.setWordWrap(True)
        blurb.setToolTip(area.safety or "")
        blurb.setContentsMargins(self._checkbox_indent(), 0, 0, 4)
        blurb.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(box)
        layout.addWidget(blurb)
        reasons = reasons_left_out(area)
        if reasons and area.id not in DEFAULT_AREA_IDS:
            # Off by default for a safety reason: say it where the choice is made.
            caution = QLabel("  ".join(reasons))
            caution.setObjectName(f"safety.{area.id}")
            caution.setWordWrap(True)
            caution.setContentsMargins(self._checkbox_indent(), 0, 0, 4)
            layout.addWidget(caution)
        if area.avoid_with:
            # Shown when About me leaves the area out: the box is grayed out, and this says why.
            left_out = QLabel(_(LEFT_OUT))
            left_out.setObjectName(f"left-out.{area.id}")
            left_out.setWordWrap(True)
            left_out.setContentsMargins(self._checkbox_indent(), 0, 0, 4)
            font = left_out.font()
            font.setBold(True)
            left_out.setFont(font)
            left_out.hide()
            layout.addWidget(left_out)
        self._area_boxes[area.id] = box
        self._area_rows[area.id] = layout
        return row

    def _draw_area_pictures(self) -> None:
        size = round(self.fontMetrics().height() * PICTURE_LINES)
        for area_id, picture in self._area_pictures.items():
            picture.setPixmap(area_pixmap_for(self, area_id, size))

    def changeEvent(self, event: QEvent) -> None:
        # Light and dark draw the pictures' outlines differently.
        if event.type() in {QEvent.Type.PaletteChange, QEvent.Type.FontChange}:
            self._draw_area_pictures()
        super().changeEvent(event)

    def _checkbox_indent(self) -> int:
        """How far a checkbox's text starts from its left edge, to line text up under it."""
        style = self.style()
        return style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + style.pixelMetric(
            QStyle.PixelMetric.PM_CheckBoxLabelSpacing
        )

    def _own_techniques_group(self) -> QGroupBox:
        # Translators: the title of the Settings group for the person's own techniques
        group = QGroupBox(_("Your techniques"))
        column = QVBoxLayout(group)
        intro = QLabel(_("Add moves that work for you; breaks offer them like the others."))
        intro.setWordWrap(True)
        button = _action_button(
            # Translators: the button that opens the window of the person's own techniques
            _("&Your techniques…"),
            "own-techniques",
            _("Your techniques"),
            _("Add, change or remove your own techniques."),
        )
        button.clicked.connect(self.own_techniques_requested)
        column.addWidget(intro)
        column.addWidget(button)
        return group

    def _popup_group(self) -> QGroupBox:
        # Translators: the title of the Settings group on how the break window looks and acts
        group, form = self._form_group(_("Break window"))
        for key, (label, names) in _CHOICES.items():
            self._add_choice(form, key, _(label), {choice: _(n) for choice, n in names.items()})
        for key in ("popup.checkin", "popup.breathing", "popup.sound"):
            self._add_switch(form, key)
        return group

    def _system_group(self) -> QGroupBox:
        # Translators: the title of the Settings group on starting at login and the language
        group, form = self._form_group(_("System"))
        login = self._add_switch(form, "system.start_at_login")
        if not self._can_start_at_login:
            no_autostart = _(_NO_AUTOSTART).format(app=APP_NAME)
            login.setEnabled(False)
            login.setToolTip(no_autostart)
            note = QLabel(no_autostart)
            note.setObjectName("autostart-note")
            note.setWordWrap(True)
            note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            form.addRow(note)
        # Translators: the Language setting's first choice: the language the system is set to
        same_as_system = pgettext("language", "Same as your system")
        languages = {SYSTEM_LANGUAGE: same_as_system, **LANGUAGES}
        self._add_choice(form, "system.language", _(_LANGUAGE_LABEL), languages)
        self._language_note = QLabel(_(LANGUAGE_NOTE), group)
        self._language_note.setObjectName("language-note")
        self._language_note.setWordWrap(True)
        self._language_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._language_note.hide()  # until the person changes the language
        form.addRow(self._language_note)
        try_now = _("Try a break now")
        preview = _action_button(
            try_now,
            "preview",
            try_now,
            _("See a break window right away, without waiting."),
        )
        preview.clicked.connect(self.preview_requested)
        form.addRow(preview)
        return group

    def _form_group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        group = QGroupBox(title)
        form = QFormLayout(group)
        # Narrow windows (200 % scaling) put the field under its label instead of clipping it.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(8)
        return group, form

    def _add_choice(
        self, form: QFormLayout, key: str, label_text: str, names: dict[str, str]
    ) -> QComboBox:
        """A list of the option's choices, each shown by its name in ``names``."""
        info = self._options[key]
        combo = QComboBox()
        for choice in info.choices or ():
            combo.addItem(names[choice], choice)
        combo.setToolTip(_(info.doc))
        combo.currentIndexChanged.connect(partial(self._choice_changed, key, combo))
        self._combos[key] = combo
        self._add_row(form, key, label_text, combo)
        return combo

    def _add_row(self, form: QFormLayout, key: str, label_text: str, field: QWidget) -> None:
        """``label_text`` (translated, with its ``&`` shortcut) beside ``field``."""
        label = QLabel(label_text)
        label.setBuddy(field)
        label.setToolTip(field.toolTip())
        field.setObjectName(key)
        field.setAccessibleName(_plain(label_text))
        field.setAccessibleDescription(_(self._options[key].doc))
        form.addRow(label, field)

    def _add_switch(self, layout: QFormLayout | QVBoxLayout, key: str) -> QCheckBox:
        text = _(_SWITCHES[key]).format(app=APP_NAME)
        box = QCheckBox(text)
        box.setObjectName(key)
        box.setAccessibleName(text)
        box.setToolTip(_(self._options[key].doc))
        box.toggled.connect(partial(self._change, key))
        self._switches[key] = box
        if isinstance(layout, QFormLayout):
            layout.addRow(box)
        else:
            layout.addWidget(box)
        return box

    # ------------------------------------------------------------------ changes

    def _value(self, key: str) -> Any:
        section, name = key.split(".", 1)
        return getattr(getattr(self._settings, section), name)

    def _refresh(self) -> None:
        self._refreshing = True
        try:
            for key, spin in self._spins.items():
                spin.setValue(self._value(key))
            for key, box in self._switches.items():
                box.setChecked(self._value(key))
            for key, combo in self._combos.items():
                combo.setCurrentIndex(combo.findData(self._value(key)))
            for area, box in self._area_boxes.items():
                box.setChecked(area in self._settings.techniques.areas)
            for prop, box in self._prop_boxes.items():
                box.setChecked(prop in self._settings.techniques.props)
            self.about_me.set_values(self._settings.about_me)
            self._show_what_is_offered()
        finally:
            self._refreshing = False

    def _show_what_is_offered(self) -> None:
        """Grey out the areas About me leaves out, and say when discreet-only finds nothing."""
        about = self._settings.about_me
        conditions = about.conditions() or frozenset()
        for area in self._catalogue.areas:
            left_out = bool(conditions & set(area.avoid_with))
            self._area_boxes[area.id].setEnabled(not left_out)
            label = self.findChild(QLabel, f"left-out.{area.id}")
            if label is not None:
                label.setVisible(left_out)
        chooser = TechniqueChooser(self._catalogue, random.Random(0))
        self._discreet_hint.setVisible(chooser.lacks_discreet(self._settings.techniques, about))

    def _change(self, key: str, value: object) -> None:
        section, name = key.split(".", 1)
        self._commit(section, {name: value})

    def _choice_changed(self, key: str, combo: QComboBox, index: int) -> None:
        if self._refreshing:
            return
        if key == "system.language" and self._language_note is not None:
            # This window keeps its words; say where the new language shows.
            self._language_note.show()
            announce(self._language_note, self._language_note.text())
        self._change(key, combo.itemData(index))

    def _area_toggled(self, area_id: str, _checked: bool) -> None:
        if self._refreshing:
            return
        chosen = tuple(a for a, box in self._area_boxes.items() if box.isChecked())
        if not chosen:
            # The chooser needs at least one area; refuse here, where the person can see why.
            self._refreshing = True
            self._area_boxes[area_id].setChecked(True)
            self._refreshing = False
            self._show_area_hint(area_id)
            return
        self._area_hint.hide()
        self._commit("techniques", {"areas": chosen})

    def _show_area_hint(self, area_id: str) -> None:
        # Under the box just clicked: in a scrolled window the top of the group may be out of view.
        row = self._area_rows[area_id]
        if row.indexOf(self._area_hint) < 0:
            for other in self._area_rows.values():
                other.removeWidget(self._area_hint)
            row.addWidget(self._area_hint)
        self._area_hint.show()
        announce(self._area_hint, self._area_hint.text())

    def _props_toggled(self) -> None:
        chosen = tuple(p for p, box in self._prop_boxes.items() if box.isChecked())
        self._commit("techniques", {"props": chosen})

    def _commit(self, section: str, values: dict[str, Any]) -> None:
        if self._refreshing:
            return
        try:
            updated = with_changes(self._settings, **{section: values})
        except ValueError as exc:
            # Translators: {reason} is what is wrong with the value, in a few words
            message = _("That value can't be used, so the old one is back. ({reason})")
            self.show_error(message.format(reason=exc))
            self._refresh()
            return
        if updated != self._settings:
            self._settings = updated
            self._show_what_is_offered()
            self.changed.emit(updated)


def _bounds(info: OptionInfo) -> tuple[int, int]:
    if info.lo is None or info.hi is None:
        raise TypeError(f"option {info.key} declares no bounds")  # a bug in the declarations
    return info.lo, info.hi


def _action_button(text: str, name: str, accessible: str, tip: str) -> QPushButton:
    """A button that opens or shows something, as wide as its text."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return button
