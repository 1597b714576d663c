"""The person's own techniques: a list with Add, Edit and Remove.

The window changes nothing itself. It asks through its signals; the app saves, and answers
with :meth:`OwnTechniquesWindow.set_techniques` (done) or :meth:`show_error` (not saved).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unclench import APP_NAME
from unclench.core.catalogue import Area, Technique
from unclench.core.i18n import N_, _
from unclench.core.own_techniques import OwnTechniques, TechniqueDraft
from unclench.ui.banner import MessageBanner
from unclench.ui.kept_window import KeptWindow
from unclench.ui.technique_editor import TechniqueEditor

# Translators: the title of the window listing the person's own techniques; {app} is the
# app's name, Unclench
WINDOW_TITLE = N_("{app}: your techniques")


class OwnTechniquesWindow(KeptWindow):
    """Lists the person's techniques and asks for changes to them."""

    #: A new technique to save (a :class:`TechniqueDraft`).
    add_requested = Signal(object)
    #: New values for a technique: its id and a :class:`TechniqueDraft`.
    edit_requested = Signal(str, object)
    #: The id of a technique to remove (already confirmed).
    remove_requested = Signal(str)

    def __init__(self, areas: Sequence[Area], location: str, parent: QWidget | None = None) -> None:
        super().__init__(_(WINDOW_TITLE).format(app=APP_NAME), parent)
        self._areas = tuple(areas)
        self._names = {a.id: a.name for a in areas}
        self._techniques: dict[str, Technique] = {}
        self._failure: str | None = None
        self.editor: TechniqueEditor | None = None
        self.confirm: QMessageBox | None = None

        self.banner = MessageBanner(self)
        intro = QLabel(
            _(
                "Add the moves that work for you. Breaks offer them like the others, for the "
                "areas you tick in Settings."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("techniques")
        self.list.setAccessibleName(_("Your techniques"))
        self.list.itemActivated.connect(self._edit)  # Enter or a double click
        self.list.currentRowChanged.connect(self._update_buttons)
        # Translators: in place of the list while the person has no techniques of their own
        self.empty = QLabel(_("You have not added any yet."))
        self.empty.setObjectName("empty")
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.broken = QLabel()
        self.broken.setObjectName("broken")
        self.broken.setWordWrap(True)
        self.broken.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Translators: {location} is the path of the file that keeps the techniques
        where = QLabel(_("Kept in {location}").format(location=location))
        where.setObjectName("location")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        # Translators: the button that adds a technique of the person's own
        self.add_button = self._button(_("&Add…"), "add", _("Add a technique"))
        self.add_button.clicked.connect(self._add)
        # Translators: the button that edits the technique chosen in the list
        self.edit_button = self._button(_("&Edit…"), "edit", _("Edit the chosen technique"))
        self.edit_button.clicked.connect(self._edit)
        # Translators: the button that removes the technique chosen in the list (it asks first)
        remove = _("&Remove…")
        self.remove_button = self._button(remove, "remove", _("Remove the chosen technique"))
        self.remove_button.clicked.connect(self._ask_remove)
        delete_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.list)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self._ask_remove)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setSpacing(10)
        for widget in (self.banner, intro, self.list, self.empty):
            column.addWidget(widget)
        column.addLayout(buttons)
        column.addWidget(self.broken)
        column.addWidget(where)
        lines = self.list.fontMetrics().lineSpacing()
        self.list.setMinimumHeight(lines * 6)
        # About 60 characters a line reads comfortably and fits a 200 % screen.
        self.resize(self.fontMetrics().averageCharWidth() * 64, lines * 20)
        self.set_techniques(OwnTechniques())

    # ------------------------------------------------------------------ answers from the app

    def set_techniques(self, own: OwnTechniques) -> None:
        """Show what is saved now; closes an editor whose change was saved."""
        keep = self._current_id()
        self._techniques = {t.id: t for t in own.techniques}
        self.list.clear()
        for technique in own.techniques:
            # Translators: one of the person's techniques in the list: its title, then its area
            text = _("{title} · {area}").format(
                title=technique.title, area=self._names.get(technique.area, "")
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, technique.id)
            item.setToolTip("\n".join(technique.steps))
            self.list.addItem(item)
            if technique.id == keep:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.setVisible(bool(own.techniques))
        self.empty.setVisible(not own.techniques)
        if own.problems:
            # The file is named below; each line names the entry and the field.
            lines = "\n".join(
                # Translators: one problem in the file of the person's techniques: the entry
                # (its title, or "The file"), the field as written in the file (not
                # translated, such as "steps"), then what is wrong
                _("• {entry}, {field}: {problem}").format(
                    # Translators: a problem that is about the whole file, not one entry
                    entry=p.technique or _("The file"),
                    field=p.field,
                    problem=p.message,
                )
                for p in own.problems
            )
            self.broken.setText(
                _(
                    "These entries in the file can't be used, so breaks leave them out. They "
                    "are kept as they are, to fix by hand:\n{problems}"
                ).format(problems=lines)
            )
        self.broken.setVisible(bool(own.problems))
        self._update_buttons()
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        # Wrapped labels do not raise a window's minimum height: ask the layout what this
        # width needs, and grow (never shrink what the person chose).
        layout = self.layout()
        assert layout is not None  # made in __init__
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def show_error(self, message: str) -> None:
        """A change could not be saved; the open editor (if any) keeps what was typed."""
        self._failure = message
        if self.editor is not None and self.editor.isVisible():
            self.editor.show_save_error(message)
        else:
            self.banner.show_message(message, "error")

    # ------------------------------------------------------------------ asking

    def _button(self, text: str, name: str, spoken: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(spoken)
        button.setAutoDefault(False)
        return button

    def _current_id(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _update_buttons(self) -> None:
        chosen = self._current_id() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _add(self) -> None:
        self._open_editor(None)

    def _edit(self) -> None:
        technique_id = self._current_id()
        if technique_id is not None:
            self._open_editor(technique_id)

    def _open_editor(self, technique_id: str | None) -> None:
        technique = self._techniques.get(technique_id) if technique_id else None
        draft = TechniqueDraft.of(technique) if technique else None
        editor = TechniqueEditor(self._areas, draft, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.submitted.connect(lambda new: self._submit(editor, technique_id, new))
        editor.destroyed.connect(lambda: self._forget_editor(editor))
        self.editor = editor
        editor.open()  # modal to this window only; the rest of the app carries on

    def _forget_editor(self, editor: TechniqueEditor) -> None:
        if self.editor is editor:
            self.editor = None

    def _submit(self, editor: TechniqueEditor, technique_id: str | None, draft: object) -> None:
        self._failure = None
        if technique_id is None:
            self.add_requested.emit(draft)
        else:
            self.edit_requested.emit(technique_id, draft)
        # The app answers during the emit (a direct connection in the same thread): either
        # show_error ran, and the editor stays open with the message, or the change is saved.
        if self._failure is None:
            editor.accept()

    def _ask_remove(self) -> None:
        technique_id = self._current_id()
        if technique_id is None:
            return
        title = self._techniques[technique_id].title
        box = QMessageBox(
            QMessageBox.Icon.Question,
            # Translators: the title of the question before a technique is removed
            _("Remove technique"),
            # Translators: {title} is the technique's title, as the person wrote it
            _("Remove “{title}” from your techniques? This can't be undone.").format(title=title),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("confirm-remove")
        # Translators: the button that removes the technique, in the question before
        remove = box.addButton(_("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        remove.setObjectName("confirm")
        # Translators: the button that keeps the technique, in the question before removing it
        keep = box.addButton(_("Keep it"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keep")
        box.setDefaultButton(keep)  # Enter on a reflex keeps it
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.confirm = None
            if box.clickedButton() is remove:
                self._failure = None
                self.remove_requested.emit(technique_id)

        box.finished.connect(answered)
        self.confirm = box
        box.open()
