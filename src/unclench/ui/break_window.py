"""The break window: one technique, a timer, a breathing pacer, and easy ways out.

It is a small frameless tool window in a screen corner that never takes keyboard focus when
it appears (the window under it keeps typing) and never shows in the taskbar. A screen reader
hears it arrive: the window is a notification to assistive technology, and its arrival is
announced. A click on it, or asking for a break while it shows, hands it the focus, so Tab
reaches every word and button and Esc skips.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QPropertyAnimation,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCursor, QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLayout,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from unclench.core.break_content import BreakContent
from unclench.core.catalogue import Technique
from unclench.core.durations import SNOOZE_CHOICES, Duration
from unclench.core.i18n import N_, _, ngettext
from unclench.ui.accessible_roles import announce, mark_as_notification
from unclench.ui.break_desktop import (
    OFFER_SUMMARY,
    BreakOffer,
    WindowPlacer,
    can_fade,
    corner_position,
)
from unclench.ui.break_view import BreakView
from unclench.ui.buttons import PRIMARY_STYLE, name_button, named_button, set_primary
from unclench.ui.checkin import AfterCheckIn, CheckInRow
from unclench.ui.countdown import Countdown
from unclench.ui.pacer import BreathingPacer

#: Not translated: sway's rule finds the window by this title (``platform.popup_sway``), and
#: a frameless window shows no title. Its accessible name is the translated one.
WINDOW_TITLE = "Unclench break"
EXTRA_S = 30  # "+30 s": stay on a spot that helps
FADE_MS = 180
# The check-in item's own wording (docs/evidence.md, "The check-in").
BEFORE_QUESTION = N_("Right now, how tense or stressed do you feel?")
AFTER_QUESTION = N_("And now, how tense or stressed do you feel?")
AFTER_CHECKIN_S = 60  # the after-question closes itself: it is a question, never a chore
# Translators: what a keyboard or screen-reader user hears about reaching the break window;
# "Take a break now" is the tray menu's item: use the same words as there
KEYBOARD_HINT = N_("To use it from the keyboard, click it, or choose Take a break now again.")

STYLE = """
#breakFrame { border: 1px solid palette(mid); background: palette(window); }
"""


class BreakWindow(QWidget):
    """Shows a technique; reports what the person chose through its signals."""

    started = Signal()
    done = Signal()
    skipped = Signal()
    snoozed = Signal(object)  # a Duration, or None for the configured snooze length
    another = Signal()
    tension_after = Signal(int)  # the check-in after Done

    def __init__(
        self,
        *,
        reduced_motion: bool,
        placer: WindowPlacer | None = None,
        offer: BreakOffer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        self.setObjectName("breakWindow")
        self.setWindowFlags(
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        mark_as_notification(self)
        self.setStyleSheet(STYLE + PRIMARY_STYLE)
        self.reduced_motion = reduced_motion
        self._placer = placer
        self._offer = offer
        self._fades = not reduced_motion and can_fade()
        self.corner = "bottom-right"
        self._content: BreakContent | None = None
        self._snoozes_left: int | None = None  # of the break showing, once one has shown
        self._snooze_actions: list[tuple[QAction, Duration]] = []
        self._fade = QPropertyAnimation(self, b"windowOpacity", self)
        self._fade.setDuration(FADE_MS)
        self._fade.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._after_timeout = QTimer(self)
        self._after_timeout.setSingleShot(True)
        self._after_timeout.setInterval(AFTER_CHECKIN_S * 1000)
        self._after_timeout.timeout.connect(self.dismiss)
        self._checkin = False
        self._build()
        self.retranslate()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        frame = QFrame(self)
        frame.setObjectName("breakFrame")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # The window's height is set from the content's height at its fixed width (_fit); the
        # default constraint would instead impose the taller minimum of a narrower layout.
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        outer.addWidget(frame)
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(18, 14, 18, 14)
        self.body = QWidget(frame)
        frame_layout.addWidget(self.body)
        self.after_panel = AfterCheckIn(AFTER_QUESTION, frame)
        self.after_panel.setObjectName("afterPanel")
        self.after_panel.setVisible(False)
        self.after_panel.answered.connect(self._answer_after)
        self.after_panel.close_button.clicked.connect(self.dismiss)
        self.after_checkin = self.after_panel.checkin
        self.close_button = self.after_panel.close_button
        frame_layout.addWidget(self.after_panel)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        body = self.body

        self.view = BreakView(body)
        self.area_label = self.view.area_label
        self.title_label = self.view.title_label
        self.steps = self.view.steps
        self.picture = self.view.picture
        self.safety_label = self.view.safety_label
        self.stop_label = self.view.stop_label
        self.pacer = BreathingPacer(self.reduced_motion, body)
        self.before_checkin = CheckInRow(BEFORE_QUESTION, body)
        self.before_checkin.setObjectName("beforeCheckin")
        self.before_checkin.picked.connect(lambda _value: self.start_button.setFocus())

        layout.addWidget(self.view)
        layout.addWidget(self.before_checkin)
        layout.addWidget(self.pacer)
        layout.addWidget(self._build_timer_row(body))
        layout.addLayout(self._build_buttons(body))
        # About 60 characters a line: short steps wrap into two lines at most.
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("x") * 60)

    def _build_timer_row(self, parent: QWidget) -> Countdown:
        self.countdown = Countdown(parent)
        self.countdown.finished.connect(self._time_up)
        self.countdown_label = self.countdown.label
        self.progress = self.countdown.progress
        return self.countdown

    def _build_buttons(self, parent: QWidget) -> QVBoxLayout:
        # Their words come from retranslate().
        def button() -> QPushButton:
            return named_button("", "", parent)

        self.start_button = button()
        self.start_button.clicked.connect(self._start)
        self.extra_button = button()
        self.extra_button.clicked.connect(self._add_time)
        self.done_button = button()
        self.done_button.clicked.connect(self._finish_done)
        self.skip_button = button()
        self.skip_button.clicked.connect(self._finish_skip)
        self.another_button = button()
        self.another_button.clicked.connect(self.another.emit)

        self.snooze_button = QToolButton(parent)
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.snooze_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.snooze_button.clicked.connect(lambda: self._finish_snooze(None))
        menu = QMenu(self.snooze_button)
        for duration in SNOOZE_CHOICES:
            action = menu.addAction("")
            action.triggered.connect(lambda _checked=False, d=duration: self._finish_snooze(d))
            self._snooze_actions.append((action, duration))
        self.snooze_button.setMenu(menu)

        top = QHBoxLayout()
        top.addWidget(self.start_button)
        top.addWidget(self.extra_button)
        top.addStretch(1)
        top.addWidget(self.another_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.done_button)
        bottom.addStretch(1)
        bottom.addWidget(self.snooze_button)
        bottom.addWidget(self.skip_button)
        rows = QVBoxLayout()
        rows.addLayout(top)
        rows.addLayout(bottom)
        return rows

    def retranslate(self) -> None:
        """Every fixed word of the window again, in the current language: its name, buttons,
        Snooze menu, questions and screen-reader texts. The constructor builds them with this
        too. The break's own words are the content's: the next break brings them."""
        self.setAccessibleName(_("Unclench break"))
        self.setAccessibleDescription(_(KEYBOARD_HINT))
        # Translators: the button that starts the break's timer
        name_button(self.start_button, _("Start"), _("Start the timer"))
        # Translators: the button that adds {seconds} seconds to the running timer
        extra = _("+{seconds} s").format(seconds=EXTRA_S)
        add = ngettext("Add {n} second", "Add {n} seconds", EXTRA_S).format(n=EXTRA_S)
        name_button(self.extra_button, extra, add)
        # Translators: the button that ends the break as done
        done = _("Done")
        name_button(self.done_button, done, done)
        # Translators: the button that skips this break
        name_button(self.skip_button, _("Skip"), _("Skip this break"))
        # Translators: the button that shows another technique instead of this one
        name_button(self.another_button, _("Another one"), _("Show another technique"))
        # Translators: the button that puts the break off (its arrow offers how long)
        self.snooze_button.setText(_("Snooze"))
        self.snooze_button.setAccessibleName(_("Snooze this break"))
        for action, duration in self._snooze_actions:
            action.setText(duration.describe())
        if self._snoozes_left is not None:
            self.set_snoozes_left(self._snoozes_left)
        self.before_checkin.retranslate()
        self.after_panel.retranslate()
        self.view.retranslate()
        self.pacer.retranslate()
        self.countdown.retranslate()

    # ------------------------------------------------------------------ content

    def show_content(
        self,
        content: BreakContent,
        *,
        breathing: bool,
        snoozes_left: int,
        checkin: bool = False,
    ) -> None:
        """Fill the window for one break and reset the timer (no showing yet).

        With ``checkin``, the before-question shows until Start, and Done asks the
        after-question before the window closes. A calming break always has the pacer.
        """
        self._checkin = checkin
        self._show_body()
        self.before_checkin.setVisible(checkin)
        self._content = content
        self.view.set_content(content)
        self.pacer.setVisible(breathing or content.calm)
        self.set_snoozes_left(snoozes_left)
        self._reset_timer()

    @property
    def content(self) -> BreakContent | None:
        return self._content

    def changeEvent(self, event: QEvent) -> None:
        # A switch between light and dark: the picture's outlines follow the palette.
        if event.type() in {QEvent.Type.PaletteChange, QEvent.Type.FontChange}:
            self.view.draw_picture()
        super().changeEvent(event)

    def set_snoozes_left(self, left: int) -> None:
        self._snoozes_left = left
        self.snooze_button.setEnabled(left > 0)
        if left > 0:
            tip = ngettext(
                "{n} snooze left for this break", "{n} snoozes left for this break", left
            ).format(n=left)
        else:
            tip = _("No snoozes left for this break: take it, or skip it.")
        self.snooze_button.setToolTip(tip)

    @property
    def technique(self) -> Technique | None:
        return self._content.technique if self._content else None

    @property
    def tension_before(self) -> int | None:
        """The before-check-in of the break showing, if the person answered it."""
        return self.before_checkin.value if self._checkin else None

    @property
    def asking_after(self) -> bool:
        return self.after_panel.isVisible()

    @property
    def timer_running(self) -> bool:
        return self.countdown.running

    def seconds_left(self) -> float:
        if not self.countdown.running:
            technique = self.technique
            return float(technique.seconds if technique else 0)
        return self.countdown.seconds_left()

    def arrival_text(self) -> str:
        """What a screen reader says when the break appears: enough to decide, no more."""
        content = self._content
        if content is None:
            return ""
        steps = len(content.steps)
        if content.calm:
            # Translators: a screen reader's announcement of a calming break. {n} counts its
            # steps; {seconds} is its length, always 30 to 90 seconds
            text = ngettext(
                "A calming break: {area}, {title}. {n} step, {seconds} seconds.",
                "A calming break: {area}, {title}. {n} steps, {seconds} seconds.",
                steps,
            )
        else:
            # Translators: a screen reader's announcement of a break. {n} counts its steps;
            # {seconds} is its length, always 30 to 90 seconds
            text = ngettext(
                "Time for a break: {area}, {title}. {n} step, {seconds} seconds.",
                "Time for a break: {area}, {title}. {n} steps, {seconds} seconds.",
                steps,
            )
        return text.format(
            area=content.area_name,
            title=content.technique.title,
            n=steps,
            seconds=content.technique.seconds,
        )

    # ------------------------------------------------------------------ showing

    def present(self) -> None:
        """Show in the chosen corner of the screen under the pointer, without taking focus."""
        # A new break: a new question ("Another one" only refits, and keeps the answer).
        self.before_checkin.reset()
        if self._offer is not None and not self.isVisible():
            # Translators: a break notification's text: the body area, then the technique
            body = _("{area}: {title}").format(
                area=self.area_label.text().capitalize(), title=self.title_label.text()
            )
            self._offer.offer(
                _(OFFER_SUMMARY),
                body,
                self.snooze_button.isEnabled(),
                self._offer_answered,
            )
            return
        self._show_in_corner()

    def _offer_answered(self, answer: str) -> None:
        if answer in {"start", "show"}:
            self._show_in_corner()
            if answer == "start":
                self._start()
        elif answer == "snooze":
            self._finish_snooze(None)
        else:
            self._finish_skip()

    def _show_in_corner(self) -> None:
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        arriving = not self.isVisible()
        self._fit(screen.availableGeometry())
        if self._fades:
            self.setWindowOpacity(0.0)
        elif self.windowOpacity() < 1.0:  # only ever after a cut-short fade
            self.setWindowOpacity(1.0)
        self.show()
        self.raise_()
        if self._fades:
            self._fade.stop()
            self._fade.setStartValue(0.0)
            self._fade.setEndValue(1.0)
            self._fade.start()
        if arriving:
            # Heard, not focused: the person's typing goes on where it was.
            announce(self, self.arrival_text())

    def refit(self) -> None:
        """New content of another size: stay in the same corner of the same screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        self._fit(screen.availableGeometry())

    def _fit(self, available: QRect) -> None:
        self._fit_now(available)
        # New text only queues its relayout, so the size measured now may still be the last
        # technique's: measure again once the queued relayout has run (the window is still
        # fading in, so nobody sees the first size).
        QTimer.singleShot(0, self, lambda: self._fit_now(available))

    def _fit_now(self, available: QRect) -> None:
        # Exactly the height the content needs at this width: wrapped text gets all its lines
        # and no spare height is shared out as gaps.
        layout = self.layout()
        assert layout is not None  # made in _build
        # Inner layouts first: each posts its change to its parent only on the next turn of
        # the event loop, which would leave the outer measure one step behind.
        for inner in (self.view, self.body, self.after_panel, self.body.parentWidget()):
            inner_layout = inner.layout() if inner is not None else None
            if inner_layout is not None:
                inner_layout.activate()
        layout.activate()
        height = layout.totalHeightForWidth(self.width())
        self.resize(self.width(), height if height > 0 else self.sizeHint().height())
        self.move(corner_position(self.corner, available, self.width(), self.height()))
        if self._placer is not None:
            self._placer.place(int(self.winId()), self.corner, self.width(), self.height())

    def dismiss(self) -> None:
        self._fade.stop()
        self._reset_timer()
        self._after_timeout.stop()
        self.hide()
        if self._placer is not None:
            self._placer.hidden()
        if self._offer is not None:
            self._offer.withdraw()
        # Give the focus back to the desktop the way it was: drop the focus we may have claimed.
        if not self.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus:
            self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)

    def claim_focus(self) -> None:
        """The person clicked the window: now it may take the keyboard (Tab, Esc)."""
        # On Wayland the compositor gives a clicked window the keyboard itself; changing the
        # flags there would only close and reopen the window.
        wayland = QGuiApplication.platformName().startswith("wayland")
        if not wayland and self.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus:
            self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, False)
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
            self.show()  # changing flags hides a window
        self.activateWindow()
        first = self.after_checkin.buttons[0] if self.asking_after else self.start_button
        first.setFocus(Qt.FocusReason.MouseFocusReason)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.claim_focus()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if self.asking_after:
                self.dismiss()
            else:
                self._finish_skip()
            return
        row = self._visible_checkin()
        text = event.text()
        if row is not None and len(text) == 1 and text.isdigit():
            row.pick(int(text))  # 0-9 from the keyboard; 10 is a Tab and a Space away
            return
        super().keyPressEvent(event)

    def _visible_checkin(self) -> CheckInRow | None:
        if self.asking_after:
            return self.after_checkin
        return self.before_checkin if self.before_checkin.isVisible() else None

    # ------------------------------------------------------------------ timer

    def _reset_timer(self) -> None:
        self.pacer.stop()
        technique = self.technique
        self.countdown.reset(technique.seconds if technique else 0)
        self.view.set_stage("before")
        self.start_button.setVisible(True)
        self.extra_button.setVisible(False)
        self.done_button.setDefault(False)
        set_primary(self.start_button, True)
        set_primary(self.done_button, False)

    def _start(self) -> None:
        technique = self.technique
        if technique is None:
            return
        self.before_checkin.setVisible(False)  # it asked about before; the break has begun
        self.start_button.setVisible(False)
        self.extra_button.setVisible(True)
        set_primary(self.done_button, True)
        if self.pacer.isVisible():
            self.pacer.start()
        self.countdown.start(technique.seconds)
        self.view.set_stage("running")
        self.refit()
        self.started.emit()

    def _add_time(self) -> None:
        self.countdown.add(EXTRA_S)

    def _time_up(self) -> None:
        self.pacer.stop()
        self.done_button.setDefault(True)
        self.view.set_stage("closing")
        self.refit()
        if self.view.closing_title.isVisible():
            announce(self, self.view.closing_text())

    # ------------------------------------------------------------------ answers

    def _finish_done(self) -> None:
        if self._checkin:
            self._reset_timer()
            self._ask_after()
        else:
            self.dismiss()
        self.done.emit()

    def _ask_after(self) -> None:
        had_focus = self.isActiveWindow()
        self.after_checkin.reset()
        self.body.setVisible(False)
        self.after_panel.setVisible(True)
        self.refit()
        if had_focus:
            self.after_checkin.focus_first()
        self._after_timeout.start()

    def _answer_after(self, value: int) -> None:
        self.tension_after.emit(value)
        self.dismiss()

    def _show_body(self) -> None:
        self._after_timeout.stop()
        self.after_panel.setVisible(False)
        self.body.setVisible(True)

    def _finish_skip(self) -> None:
        self.dismiss()
        self.skipped.emit()

    def _finish_snooze(self, duration: Duration | None) -> None:
        if not self.snooze_button.isEnabled():
            return
        self.dismiss()
        self.snoozed.emit(duration)
