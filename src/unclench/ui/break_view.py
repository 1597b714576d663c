"""The words and picture of a break: area, title, steps, cautions, the stop rule, a grounding
line while the timer runs, and the closing check when it ends.

Every label keeps its text as its accessible name (a screen reader reads the words, not a
placeholder); what a label is for goes in its accessible description.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from unclench.core.break_content import BreakContent
from unclench.core.i18n import N_, _
from unclench.ui.checkin import make_title
from unclench.ui.illustrations import area_pixmap_for
from unclench.ui.steps import StepsList

PICTURE_LINES = 6  # the area's picture beside the steps, in lines of text (96 px at 16 px)
# Translators: the heading of a calming break, shown in capitals; {area} is the body area's name
CALM_HEADING = N_("Calming break · {area}")

# Palette roles keep this readable in light and dark themes and in high-contrast palettes.
STYLE = """
#areaLabel { color: palette(highlight); font-weight: 600; letter-spacing: 1px; }
#safetyNote {
    border-left: 3px solid palette(highlight);
    background: palette(alternate-base);
    padding: 6px 8px;
}
#stopRule, #breakNotice { color: palette(placeholder-text); }
#grounding, #closingSteps { font-style: italic; }
#closingTitle { font-weight: 600; }
"""


def _label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    # Tab reaches it once the window has the keyboard, so every word can be read aloud.
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return label


class BreakView(QWidget):
    """Lays one :class:`BreakContent` out; knows nothing of timers or buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self._content: BreakContent | None = None
        self.area_label = _label(self, "areaLabel")
        self.title_label = _label(self, "titleLabel")
        make_title(self.title_label)
        self.notice_label = _label(self, "breakNotice")
        self.steps = StepsList(self)
        self.picture = QLabel(self)
        self.picture.setObjectName("areaPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        self.safety_label = _label(self, "safetyNote")
        self.stop_label = _label(self, "stopRule")
        self.grounding_label = _label(self, "grounding")
        self.closing_title = _label(self, "closingTitle")
        self.closing_steps = _label(self, "closingSteps")

        steps_row = QHBoxLayout()
        steps_row.setSpacing(12)
        steps_row.addWidget(self.steps, 1)
        steps_row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.area_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.notice_label)
        layout.addLayout(steps_row)
        layout.addWidget(self.safety_label)
        layout.addWidget(self.stop_label)
        layout.addWidget(self.grounding_label)
        layout.addWidget(self.closing_title)
        layout.addWidget(self.closing_steps)
        self.retranslate()

    def retranslate(self) -> None:
        """Its own words again, in the current language: what each label is for (a screen
        reader's description). The break's words are the content's, and change with it."""
        descriptions = {
            # Translators: what a screen reader says the label naming the body area is
            self.area_label: _("Body area"),
            # Translators: what a screen reader says the label naming the technique is
            self.title_label: _("Technique"),
            # Translators: what a screen reader says a note above the steps is
            self.notice_label: _("Note"),
            self.safety_label: _("Safety note"),
            self.stop_label: _("When to stop"),
            self.grounding_label: _("Something to notice"),
            self.closing_title: _("Before you go"),
            self.closing_steps: _("Before you go"),
        }
        for label, description in descriptions.items():
            label.setAccessibleDescription(description)
        self.steps.retranslate()
        self._name_picture()

    @property
    def content(self) -> BreakContent | None:
        return self._content

    def set_content(self, content: BreakContent) -> None:
        """Show a break from its start: steps and notes, no grounding or closing yet."""
        self._content = content
        area = content.area_name
        heading = _(CALM_HEADING).format(area=area) if content.calm else area
        self.area_label.setText(heading.upper())
        self.title_label.setText(content.technique.title)
        self.notice_label.setText(content.notice or "")
        self.notice_label.setVisible(bool(content.notice))
        self.steps.set_steps(content.steps)
        self.safety_label.setText("  ".join(content.cautions))
        self.safety_label.setVisible(bool(content.cautions))
        self.stop_label.setText(content.stop_rule)
        self.stop_label.setVisible(bool(content.stop_rule))
        self.grounding_label.setText(content.grounding or "")
        self.closing_title.setText(content.closing_title)
        self.closing_steps.setText("  ".join(content.closing))
        self.set_stage("before")
        self.draw_picture()

    def set_stage(self, stage: str) -> None:
        """ "before" Start, "running" with the timer (a grounding line), or "closing" when the
        time is up (the closing check)."""
        content = self._content
        running = stage == "running" and content is not None and bool(content.grounding)
        closing = stage == "closing" and content is not None and bool(content.closing)
        self.grounding_label.setVisible(running)
        self.closing_title.setVisible(closing)
        self.closing_steps.setVisible(closing)

    def closing_text(self) -> str:
        """The closing check as one sentence, for a screen reader's announcement."""
        # Translators: a screen reader's announcement when the time is up: the closing check's
        # title, then its words
        return _("{title}: {text}").format(
            title=self.closing_title.text(), text=self.closing_steps.text()
        )

    def draw_picture(self) -> None:
        """Draw the area's picture again, for the palette and font of the moment."""
        if self._content is None:
            return
        size = self.fontMetrics().height() * PICTURE_LINES
        # The window's palette: a change there reaches this view only after the window.
        self.picture.setPixmap(area_pixmap_for(self.window(), self._content.technique.area, size))
        self._name_picture()

    def _name_picture(self) -> None:
        if self._content is not None:
            name = _("Picture of the area: {area}").format(area=self._content.area_name)
            self.picture.setAccessibleName(name)
