"""The tray through pystray, run on its own thread; it reaches Qt only through signals.

pystray picks its backend at import time and its X11 backend fails to import without a
display, so it is imported here, late, inside a guard. Its X11 ("xorg") backend has no menu
and never asks for mouse clicks (pystray issue #151): we add ButtonPress to its window's
event mask and answer a click with our own Qt menu. ``run_detached`` on xorg starts twice
and hangs the exit, so the loop runs in a daemon thread there; macOS needs ``run_detached``
to share the main thread's Cocoa loop.

Setting pystray's icon or title from another thread *waits* until its own loop has done
it (xorg backend); if that loop stalls, so would the caller. Updates therefore go through
one worker thread of ours, so the GUI thread never waits on pystray.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from unclench.core.durations import PAUSE_CHOICES, SNOOZE_CHOICES
from unclench.core.i18n import _
from unclench.ui.icons import TrayState, tray_image_for_pystray
from unclench.ui.tray import TrayCommands, TrayMenu, TrayModel, menu_texts, snooze_label

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Lives on the GUI thread; pystray's thread emits, Qt queues the call to this thread."""

    clicked = Signal()


class _Worker:
    """Runs jobs one after another on a daemon thread; asleep (no wake-ups) while idle."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def close(self, timeout: float) -> None:
        self._jobs.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                job()
            except Exception:  # a failed tray update must not end the worker
                log.warning("pystray update failed", exc_info=True)


class PystrayTray:
    def __init__(self, commands: TrayCommands, menu: TrayMenu) -> None:
        self._commands = commands
        self._menu = menu
        self._icon: Any = None
        self._pystray: Any = None  # the module, once imported
        self._thread: threading.Thread | None = None
        self._worker: _Worker | None = None
        self._model = TrayModel(TrayState.NORMAL, "Unclench", paused=False, can_snooze=True)
        self._bridge = _Bridge()
        self._bridge.clicked.connect(self._show_qt_menu)

    @property
    def name(self) -> str:
        backend = type(self._icon).__module__.rsplit(".", 1)[-1] if self._icon else "?"
        return f"pystray ({backend.lstrip('_')})"

    def start(self) -> bool:
        if sys.platform.startswith("linux") and not _x11_tray_host_present():
            # pystray would only log "Failed to dock icon" and keep an invisible icon.
            log.warning("pystray: no tray host owns the X11 tray selection")
            return False
        try:
            import pystray  # noqa: PLC0415 - chooses its backend at import time
        except Exception as exc:  # noqa: BLE001 - any import failure means "not here"
            log.warning("pystray is not usable here: %s", exc)
            return False
        self._pystray = pystray
        icon = pystray.Icon(
            "unclench",
            tray_image_for_pystray(TrayState.NORMAL),
            "Unclench",
            menu=self._build_menu(pystray),
        )
        self._icon = icon
        self._worker = _Worker("pystray-updates")
        if sys.platform == "darwin":
            icon.run_detached()
        else:
            self._thread = threading.Thread(
                target=icon.run, kwargs={"setup": self._setup}, name="pystray", daemon=True
            )
            self._thread.start()
        return True

    def _setup(self, icon: Any) -> None:
        if not icon.HAS_MENU:
            _listen_for_clicks(icon)  # before docking, so the first click already counts
        icon.visible = True

    def _build_menu(self, pystray: Any) -> Any:
        """pystray's menu, in the language of the moment: its items' words are read now, so
        a change of language needs a new menu (:meth:`retranslate`)."""
        item, menu = pystray.MenuItem, pystray.Menu
        c = self._commands
        if not self._icon_has_menu(pystray):
            # A hidden default item: a left click runs it, and it opens our Qt menu.
            # Translators: a hidden tray item that opens the menu (nobody sees it)
            opener = item(_("Open"), _emit(self._bridge.clicked), default=True, visible=False)
            return menu(opener)
        snooze = menu(*(item(snooze_label(d), _emit(c.snooze, d)) for d in SNOOZE_CHOICES))
        pause = menu(*(item(_(label), _emit(c.pause, d)) for d, label in PAUSE_CHOICES))
        texts = menu_texts()

        # Read at menu time, on pystray's thread: a plain attribute read is safe there.
        def can_snooze(_item: object) -> bool:
            return self._model.can_snooze and not self._model.paused

        def running(_item: object) -> bool:
            return not self._model.paused

        def paused(_item: object) -> bool:
            return self._model.paused

        return menu(
            item(texts["break_now"], _emit(c.break_now), default=True),
            item(texts["calm"], _emit(c.calm)),
            item(texts["snooze"], snooze, enabled=can_snooze),
            item(texts["pause"], pause, visible=running),
            item(texts["resume"], _emit(c.resume), visible=paused),
            menu.SEPARATOR,
            item(texts["settings"], _emit(c.settings)),
            item(texts["history"], _emit(c.history)),
            item(texts["about"], _emit(c.about)),
            menu.SEPARATOR,
            item(texts["quit"], _emit(c.quit)),
        )

    def retranslate(self) -> None:
        """The language changed: our Qt menu and pystray's own are rebuilt in the new one.

        The new menu is built here, on the GUI thread; only handing it to pystray happens on
        the worker (setting ``menu`` makes pystray rebuild its native menu and wait for it).
        """
        self._menu.retranslate()
        icon, worker, pystray = self._icon, self._worker, self._pystray
        if icon is None or worker is None or pystray is None:
            return
        menu = self._build_menu(pystray)
        worker.submit(lambda: setattr(icon, "menu", menu))

    @staticmethod
    def _icon_has_menu(pystray: Any) -> bool:
        return bool(getattr(pystray.Icon, "HAS_MENU", False))

    def _show_qt_menu(self) -> None:
        log.debug("pystray icon clicked: opening the menu")
        self._menu.open_at_pointer()

    def update(self, model: TrayModel) -> None:
        previous, self._model = self._model, model
        self._menu.update_model(model)
        icon, worker = self._icon, self._worker
        if icon is None or worker is None:
            return
        # The image is drawn here, on the GUI thread; only handing it over happens there.
        image = tray_image_for_pystray(model.state) if model.state != previous.state else None
        tooltip = model.tooltip if model.tooltip != previous.tooltip else None

        def apply() -> None:
            if image is not None:
                icon.icon = image
            if tooltip is not None:
                icon.title = tooltip
            if icon.HAS_MENU:
                icon.update_menu()

        worker.submit(apply)

    def notify(self, title: str, message: str) -> None:
        icon, worker = self._icon, self._worker
        if icon is not None and worker is not None and getattr(icon, "HAS_NOTIFICATION", False):
            worker.submit(lambda: icon.notify(message, title))

    def stop(self) -> None:
        """Remove the icon, waiting at most a second: quitting must never hang on the tray."""
        icon, self._icon = self._icon, None
        worker, self._worker = self._worker, None
        if icon is None or worker is None:
            return
        worker.submit(icon.stop)
        worker.close(timeout=1.0)


def _x11_tray_host_present() -> bool:
    """Whether an XEmbed tray host owns ``_NET_SYSTEM_TRAY_S<screen>`` (freedesktop spec)."""
    try:
        import Xlib.display  # noqa: PLC0415 - Linux only
        import Xlib.X  # noqa: PLC0415

        display = Xlib.display.Display()
    except Exception:  # noqa: BLE001 - no display, no X11: no tray host either
        return False
    try:
        atom = display.intern_atom(f"_NET_SYSTEM_TRAY_S{display.get_default_screen()}")
        return bool(display.get_selection_owner(atom) != Xlib.X.NONE)
    finally:
        display.close()


def _emit(signal: Any, *args: object) -> Any:
    """A no-argument callback for pystray (it counts parameters, defaults included)."""
    return lambda: signal.emit(*args)


def _listen_for_clicks(icon: Any) -> None:
    """Ask X for button presses on pystray's icon window (it asks only for exposure)."""
    try:
        import Xlib.X  # noqa: PLC0415 - Linux only

        window = icon._window  # noqa: SLF001 - pystray keeps it private; tested in tests/gui
        window.change_attributes(
            event_mask=Xlib.X.ExposureMask | Xlib.X.StructureNotifyMask | Xlib.X.ButtonPressMask
        )
        icon._display.flush()  # noqa: SLF001
    except Exception:
        log.warning("could not make the pystray icon clickable", exc_info=True)
