"""``unclench --smoke``: build the whole app once without running it, to check an install.

It loads the settings, the catalogue and the history, creates the Qt application, every
window and the tray icons, checks that the tray libraries and shipped files are there, and
exits. It never starts the tray loop, the control socket or the break timer, and writes to
the history nothing but what opening it does. A bundle that lacks a module, a Qt plugin or
a resource fails here, with no person watching.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from unclench import APP_NAME, __version__
from unclench.core.break_content import compose
from unclench.core.i18n import _
from unclench.core.plurals import plural
from unclench.core.resources import resource_path
from unclench.core.settings import with_changes

if TYPE_CHECKING:
    from unclench.running_app import RunningApp

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1

#: Files the app opens later, on demand: a bundle must carry them too.
SHIPPED = (("sounds", "chime.wav"), ("icons", "unclench.svg"), ("icons", "tray-normal.svg"))


def run(*, start_at_login: bool | None = None, verbose: bool = False) -> int:
    """Check everything; print one line of what was checked. ``start_at_login`` switches
    that setting through the same path as the Settings window, for install checks."""
    from unclench import app  # noqa: PLC0415 - Qt loads only for the app and this check
    from unclench.logs import route_qt_messages, stop_routing_qt_messages  # noqa: PLC0415

    route_qt_messages()
    if not verbose:
        # The offscreen platform warns on every window shown ("does not support raise()").
        logging.getLogger("qt").setLevel(logging.ERROR)
    checked: list[str] = []
    try:
        qapp = app.make_qapplication()
        unclench = app.UnclenchApp(qapp, app.AppOptions()).build()
    except SystemExit as exc:  # the app has already said why (a damaged catalogue)
        return int(exc.code or EXIT_FAILED)
    try:
        # Translators: one finding of the smoke test: the settings file it read
        checked.append(_("settings {path}").format(path=unclench.store.path))
        checked.append(
            plural(len(unclench.catalogue.techniques), "{n} technique", "{n} techniques")
        )
        history = unclench.history
        if history is None:
            checked.append(_("history unavailable"))
        else:
            # Translators: one finding of the smoke test: the history file it opened
            checked.append(_("history {path}").format(path=history.path))
        # Translators: one finding of the smoke test: how idle time is measured here
        checked.append(_("idle: {source}").format(source=unclench.idle.name))
        # Translators: one finding of the smoke test: {names} lists the windows it opened
        checked.append(_("windows: {names}").format(names=", ".join(_windows(unclench))))
        # Translators: one finding of the smoke test: {library} names the tray libraries
        checked.append(_("tray: {library}").format(library=_tray_library()))
        _shipped_files()
        # Translators: one finding of the smoke test: the files the app ships are there
        checked.append(_("resources"))
        _child_environment()
        if start_at_login is not None:
            wanted = with_changes(unclench.settings, system={"start_at_login": start_at_login})
            unclench.change_settings(wanted)
            if unclench.settings.system.start_at_login != start_at_login:
                raise SmokeError(_("start at login could not be switched (see the message above)"))
            # Translators: one finding of the smoke test: the start-at-login setting it switched
            checked.append(_("start at login on") if start_at_login else _("start at login off"))
    except SmokeError as exc:
        print(
            _("{app} smoke test failed: {error}").format(app=APP_NAME, error=exc), file=sys.stderr
        )
        return EXIT_FAILED
    finally:
        _close(unclench)
        stop_routing_qt_messages()
    # Translators: {findings} lists what the smoke test checked, separated by semicolons
    passed = _("{app} {version} smoke test passed: {findings}")
    print(passed.format(app=APP_NAME, version=__version__, findings="; ".join(checked)))
    return EXIT_OK


class SmokeError(Exception):
    """One check failed; the message says which."""


def _windows(unclench: RunningApp) -> list[str]:
    """Open and close each window once, and lay out a break window with a real technique."""
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    opened: list[tuple[str, Callable[[], None]]] = [
        ("settings", unclench.show_settings),
        ("about", unclench.show_about),
        ("history", unclench.show_history),
    ]
    names = []
    for name, show in opened:
        show()
        names.append(name)
    technique = unclench.catalogue.techniques[0]
    content = compose(unclench.catalogue, technique, unclench.controller.settings.about_me)
    unclench.controller.window.show_content(content, breathing=True, snoozes_left=1)
    unclench.controller.window.present()
    names.append("break")
    QApplication.processEvents()
    for window in QApplication.topLevelWidgets():
        window.close()
    QApplication.processEvents()
    return names


def _tray_library() -> str:
    """pystray and its backend for this system must import (the bundle lists them by hand).

    Its X11 backend cannot even be imported without a display, so with the offscreen
    platform only the Qt tray is checked.
    """
    from unclench.ui.icons import TrayState, tray_icon  # noqa: PLC0415

    for state in TrayState:
        if tray_icon(state).isNull():
            raise SmokeError(_("the {state} tray icon is empty").format(state=state.value))
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        return _("qt (pystray needs an X display)")
    try:
        import pystray  # noqa: PLC0415 - picks its backend on import
    except Exception as exc:  # any import failure (Xlib's too) is the finding
        raise SmokeError(_("pystray cannot be imported: {error}").format(error=repr(exc))) from exc
    backend = pystray.Icon.__module__.rsplit(".", 1)[-1].lstrip("_")
    return f"qt, pystray ({backend})"


def _shipped_files() -> None:
    for parts in SHIPPED:
        if not resource_path(*parts).is_file():
            raise SmokeError(_("{path} is missing").format(path=resource_path(*parts)))


def _child_environment() -> None:
    """Programs the app starts (the chime player, a browser) must not get our libraries."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle and bundle in os.environ.get("LD_LIBRARY_PATH", ""):
        raise SmokeError(_("programs started from here would load the bundle's libraries"))


def _close(unclench: RunningApp) -> None:
    if unclench.history is not None:
        unclench.history.close()
