"""The form for one of the person's own techniques: area, title, steps, length and flags.

The rules are the catalogue's (``TechniqueDraft.problems``); this form only words them for a
person, next to the field they are about, and keeps Save grayed out until nothing is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from unclench.core.catalogue import (
    SECONDS_MAX,
    SECONDS_MIN,
    STEP_MAX,
    STEPS_MAX,
    STEPS_MIN,
    TITLE_MAX,
    Area,
    CatalogueProblem,
)
from unclench.core.i18n import N_, _, ngettext
from unclench.core.own_techniques import TechniqueDraft
from unclench.ui.accessible_roles import announce

#: The "Good for" switches ("&" marks the letter of the Alt shortcut).
_FLAGS: dict[str, str] = {
    # Translators: a technique is good for this, under the label "Good for"
    "discreet": N_("&Discreet use, at a desk in an open office"),
    # Translators: a technique is good for this, under the label "Good for"
    "seated": N_("Doing it &sitting down"),
    # Translators: a technique is good for this, under the label "Good for"
    "one_hand": N_("Doing it with &one hand"),
}
DEFAULT_SECONDS = 60  # the usual break length (docs/evidence.md: 60 s by default)


def steps_from_text(text: str) -> tuple[str, ...]:
    """One step per line; blank lines and spaces around a step do not count."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def say(problem: CatalogueProblem, steps: Sequence[str]) -> str:
    """A catalogue problem in the form's own words."""
    if problem.field == "title":
        return ngettext(
            "Give it a short title, up to {n} character.",
            "Give it a short title, up to {n} characters.",
            TITLE_MAX,
        ).format(n=TITLE_MAX)
    if problem.field == "steps":
        if len(steps) < STEPS_MIN:
            return ngettext(
                "Write at least {n} step, one per line.",
                "Write at least {n} steps, one per line.",
                STEPS_MIN,
            ).format(n=STEPS_MIN)
        # Translators: {n} is the most steps a technique may have; {count} is how many the
        # person wrote, always more than {n}
        return ngettext(
            "Keep it to {n} step at most; you have {count}.",
            "Keep it to {n} steps at most; you have {count}.",
            STEPS_MAX,
        ).format(n=STEPS_MAX, count=len(steps))
    if problem.field.startswith("steps["):
        number = problem.field.removeprefix("steps[").rstrip("]")
        # Translators: {number} is the step's number in the list (1, 2, 3...); {n} is the most
        # characters a step may have
        return ngettext(
            "Step {number} is too long: keep each step to {n} character.",
            "Step {number} is too long: keep each step to {n} characters.",
            STEP_MAX,
        ).format(number=number, n=STEP_MAX)
    # Translators: {field} is the field's name as written in the file (not translated, such
    # as "seconds"); {problem} says what is wrong with it
    return _("The {field} can't be used: {problem}.").format(
        field=problem.field, problem=problem.message
    )


def _spoken(label: str) -> str:
    """A label without its shortcut mark, to be read out: "&Title" -> "Title", "言語(&L)" ->
    "言語"."""
    return re.sub(r"\s*\(&[^)]\)", "", label).replace("&", "")


def error_colour(palette: QPalette) -> str:
    """A red that reads well on this palette's window color (light or dark)."""
    return "#ff9a8f" if palette.color(QPalette.ColorRole.Window).lightness() < 128 else "#a8261b"


class TechniqueEditor(QDialog):
    """Add or edit one technique. ``submitted`` carries a valid :class:`TechniqueDraft`."""

    submitted = Signal(object)

    def __init__(
        self,
        areas: Sequence[Area],
        draft: TechniqueDraft | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("technique-editor")
        self.setWindowTitle(_("Edit your technique") if draft else _("Add your own technique"))
        self._areas = {a.id: a for a in areas}
        self._touched: set[str] = set()
        self._errors: dict[str, QLabel] = {}

        self._make_fields(areas)
        self._lay_out()

        self._fill(draft)
        if draft is not None:
            self._touched = {"title", "steps"}  # editing: say at once what is wrong
        self.area.currentIndexChanged.connect(self._area_changed)
        self.title.textChanged.connect(lambda: self._touch("title"))
        self.steps.textChanged.connect(lambda: self._touch("steps"))
        self._area_changed()
        self._check()

    def showEvent(self, event: QShowEvent) -> None:
        # Wrapped rows (200 % scaling) need more height than the form's minimum says: ask the
        # layout what this width needs, within the screen.
        layout = self.layout()
        assert layout is not None  # made in _lay_out
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        screen = self.screen()
        if screen is not None:
            needed = min(needed, screen.availableGeometry().height() * 9 // 10)
        if needed > self.height():
            self.resize(self.width(), needed)
        super().showEvent(event)

    # ------------------------------------------------------------------ public

    def draft(self) -> TechniqueDraft:
        """What the form holds now (valid or not)."""
        return TechniqueDraft(
            area=str(self.area.currentData()),
            title=self.title.text().strip(),
            steps=steps_from_text(self.steps.toPlainText()),
            seconds=self.seconds.value(),
            **{name: box.isChecked() for name, box in self.flags.items()},
        )

    def error_text(self, field: str) -> str:
        """The message shown next to a field ('' when there is none)."""
        label = self._errors[field]
        return label.text() if not label.isHidden() else ""

    def show_save_error(self, message: str) -> None:
        """Saving failed: say so here, and keep what the person typed."""
        self.save_error.setText(message)
        self.save_error.show()
        announce(self.save_error, message)

    # ------------------------------------------------------------------ building

    def _make_fields(self, areas: Sequence[Area]) -> None:
        self.area = QComboBox()
        for area in areas:
            self.area.addItem(area.name, area.id)
        self.area_note = QLabel()
        self.area_note.setObjectName("area-note")
        self.area_note.setWordWrap(True)
        self.area_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.title = QLineEdit()
        self.title.setMaxLength(TITLE_MAX)
        # Translators: the Title field's hint while it is empty; the example is any short
        # technique title in your language
        self.title.setPlaceholderText(_("A short name, like Shoulder rolls"))
        self.steps = QPlainTextEdit()
        # Translators: the Steps field's hint while it is empty, on two lines; {minimum} to
        # {n} is how many steps a technique has
        hint = ngettext(
            "One step per line, {minimum} to {n} step.\nSay what your hands do, in a few words.",
            "One step per line, {minimum} to {n} steps.\nSay what your hands do, in a few words.",
            STEPS_MAX,
        )
        self.steps.setPlaceholderText(hint.format(minimum=STEPS_MIN, n=STEPS_MAX))
        self.steps.setTabChangesFocus(True)  # Tab moves on, as in every other field
        lines = self.steps.fontMetrics().lineSpacing()
        self.steps.setMinimumHeight(lines * (STEPS_MAX - 1) + 12)
        self.seconds = QSpinBox()
        self.seconds.setRange(SECONDS_MIN, SECONDS_MAX)
        self.seconds.setSingleStep(5)
        # Translators: a number of seconds in a number box, abbreviated ("60 s")
        prefix, _number, suffix = _("{n} s").partition("{n}")
        self.seconds.setPrefix(prefix)
        self.seconds.setSuffix(suffix)
        self.seconds.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.flags = {name: QCheckBox(_(text)) for name, text in _FLAGS.items()}

    def _lay_out(self) -> None:
        form = QFormLayout()
        # Narrow windows (200 % scaling) put a field under its label instead of clipping it.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        # Translators: the label of the list of body areas, in the form for a technique
        self._row(form, "area", _("&Area"), self.area, _("Body area"))
        form.addRow("", self.area_note)
        # Translators: the label of a technique's title, in the form for a technique
        self._row(form, "title", _("&Title"), self.title, _("Title"))
        # Translators: the label of a technique's steps, in the form for a technique
        self._row(form, "steps", _("St&eps"), self.steps, _("Steps, one per line"))
        # Translators: the label of a technique's length in seconds, in the form for a technique
        self._row(form, "seconds", _("&Length"), self.seconds, _("Length in seconds"))
        # The flags sit in one column beside one label, so a narrow window wraps them together.
        flags = QWidget()
        flags.setObjectName("flags")
        flag_column = QVBoxLayout(flags)
        flag_column.setContentsMargins(0, 0, 0, 0)
        for name, box in self.flags.items():
            box.setObjectName(name)
            # Translators: a switch's name as a screen reader says it: the label "Good for",
            # then the switch's text, such as "Good for: Doing it sitting down"
            box.setAccessibleName(_("Good for: {flag}").format(flag=_spoken(box.text())))
            flag_column.addWidget(box)
        # Translators: the label beside the switches of what a technique suits (sitting down,
        # one hand, an open office)
        form.addRow(_("Good for"), flags)

        self.save_error = QLabel()
        self.save_error.setObjectName("save-error")
        self.save_error.setWordWrap(True)
        self.save_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self._button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save")
        self._button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancel")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)  # room for a step
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.save_error)
        column.addWidget(self.buttons)

    def _row(self, form: QFormLayout, name: str, text: str, field: QWidget, spoken: str) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        field.setObjectName(name)
        field.setAccessibleName(spoken)
        form.addRow(label, field)
        error = QLabel()
        error.setObjectName(f"{name}-error")
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {error_colour(self.palette())}; font-weight: 600;")
        error.hide()
        form.addRow("", error)
        self._errors[name] = error

    def _button(self, which: QDialogButtonBox.StandardButton) -> QPushButton:
        button = self.buttons.button(which)
        assert button is not None  # asked for in the constructor
        return button

    def _fill(self, draft: TechniqueDraft | None) -> None:
        if draft is None:
            self.seconds.setValue(DEFAULT_SECONDS)
            self.flags["seated"].setChecked(True)
            return
        index = self.area.findData(draft.area)
        self.area.setCurrentIndex(max(index, 0))
        self.title.setText(draft.title)
        self.steps.setPlainText("\n".join(draft.steps))
        self.seconds.setValue(draft.seconds)
        for name, box in self.flags.items():
            box.setChecked(getattr(draft, name))

    # ------------------------------------------------------------------ checking

    def _area_changed(self) -> None:
        area = self._areas.get(str(self.area.currentData()))
        note = area.safety if area else None
        # The area's safety note comes with every technique for it, the person's own too.
        # Translators: under the area's name: {note} is the area's safety note, shown with
        # every technique for that area
        self.area_note.setText(_("Shown with it: {note}").format(note=note) if note else "")
        self.area_note.setVisible(bool(note))
        self._check()

    def _touch(self, field: str) -> None:
        self._touched.add(field)
        self.save_error.hide()
        self._check()

    def _check(self) -> None:
        draft = self.draft()
        problems = draft.problems()
        messages: dict[str, str] = {}
        for problem in problems:
            messages.setdefault(problem.field.split("[", 1)[0], say(problem, draft.steps))
        for field, label in self._errors.items():
            # An empty new form explains itself with its placeholders; a message comes once
            # the person has typed there.
            text = messages.get(field, "")
            shown = bool(text) and (field in self._touched or field not in ("title", "steps"))
            if shown and label.text() != text:
                announce(label, text)
            label.setText(text)
            label.setVisible(shown)
        self.save_button.setEnabled(not problems)
        self.save_button.setToolTip(say(problems[0], draft.steps) if problems else "")

    def _submit(self) -> None:
        if self.save_button.isEnabled():
            self.submitted.emit(self.draft())
