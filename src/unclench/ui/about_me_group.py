"""Settings' "About me": what a person may choose to tell, so breaks show the cautions meant for
them and leave out the ones meant for others. Nothing here is asked at first start.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QStyle, QVBoxLayout, QWidget

from unclench.core.i18n import N_, _
from unclench.core.settings import AboutMeSettings

INTRO = N_(
    "Optional, and kept only on this device. Until you choose to tailor them, every caution "
    "shows in every break, including the ones meant for others."
)
# Translators: a switch in Settings, About me; the person says it of themselves
TAILOR = N_("Show only the cautions that apply to me")
TAILOR_TIP = N_("Then tick what applies to you below; the other cautions stop showing.")
#: Each condition's switch, in the first person: the person is saying it of themselves.
CONDITIONS: dict[str, str] = {
    # Translators: a switch in Settings, About me, in the first person
    "pregnancy": N_("I am pregnant"),
    # Translators: a switch in Settings, About me, in the first person
    "low_sensation": N_("I have diabetes, or less feeling in my hands or feet"),
    # Translators: a switch in Settings, About me, in the first person
    "clots": N_("I have had a blood clot"),
}
#: What each switch changes, for its tooltip.
EFFECTS: dict[str, str] = {
    "pregnancy": N_("Breaks show the pregnancy cautions and leave out pressure on the inner shin."),
    "low_sensation": N_("Breaks show the steps with lighter pressure, and their cautions."),
    # Translators: "the areas above" are the body areas ticked higher up in Settings
    "clots": N_("Calves are left out, whatever the areas above say."),
}


class AboutMeGroup(QGroupBox):
    """The switches; ``changed`` carries the ``about_me`` values the person set."""

    changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        # Translators: the title of the Settings group where a person may say what applies
        # to them (pregnancy, diabetes, a blood clot)
        super().__init__(_("About me"), parent)
        self.setObjectName("about_me")
        self._refreshing = False
        column = QVBoxLayout(self)
        column.setSpacing(6)
        intro = QLabel(_(INTRO), self)
        intro.setObjectName("about-me-intro")
        intro.setWordWrap(True)
        intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        column.addWidget(intro)
        self.tailor = self._switch(column, "about_me.tailored", _(TAILOR), "tailored")
        self.tailor.setToolTip(_(TAILOR_TIP))
        # The conditions sit under the switch that enables them, lined up with its text.
        style = self.style()
        indented = QVBoxLayout()
        indented.setContentsMargins(
            style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
            + style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing),
            0,
            0,
            0,
        )
        column.addLayout(indented)
        self.conditions: dict[str, QCheckBox] = {}
        for condition, text in CONDITIONS.items():
            box = self._switch(indented, f"about_me.{condition}", _(text), condition)
            effect = _(EFFECTS[condition])
            box.setToolTip(effect)
            box.setAccessibleDescription(effect)
            self.conditions[condition] = box

    def _switch(self, column: QVBoxLayout, name: str, text: str, key: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setObjectName(name)
        box.setAccessibleName(text)
        box.toggled.connect(partial(self._toggled, key))
        column.addWidget(box)
        return box

    def set_values(self, about: AboutMeSettings) -> None:
        """Show these values without sending ``changed``."""
        self._refreshing = True
        try:
            self.tailor.setChecked(about.tailored)
            for condition, box in self.conditions.items():
                box.setChecked(bool(getattr(about, condition)))
                box.setEnabled(about.tailored)
        finally:
            self._refreshing = False

    def _toggled(self, key: str, checked: bool) -> None:
        if key == "tailored":
            for box in self.conditions.values():
                box.setEnabled(checked)
        if not self._refreshing:
            self.changed.emit({key: checked})
