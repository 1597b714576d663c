"""Logging to a rotating file in the platform's log folder, and to the terminal with --verbose."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

import platformdirs

LOG_FILE = "unclench.log"
MAX_BYTES = 512 * 1024
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def default_log_dir() -> Path:
    return platformdirs.user_log_path("unclench", appauthor=False)


def setup_logging(*, verbose: bool, log_dir: Path | None = None) -> Path | None:
    """Configure the root logger once; returns the log file, or None if it cannot be written."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    path: Path | None = (log_dir or default_log_dir()) / LOG_FILE
    assert path is not None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        print(f"Unclench cannot write its log to {path}: {exc}", file=sys.stderr)
        path = None
    else:
        file_handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(file_handler)
    if verbose or path is None:
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(terminal)
    return path


def route_qt_messages() -> None:
    """Send Qt's own warnings to our log instead of the terminal, until told to stop.

    Qt may still speak while the interpreter shuts down (``QT_DEBUG_PLUGINS`` reports each
    plugin it unloads): a Python handler called then crashes the process, so the app takes
    it down once its event loop has ended.
    """
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: PLC0415 - GUI only

    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(levels.get(kind, logging.INFO), "%s", message)

    qInstallMessageHandler(handler)


def stop_routing_qt_messages() -> None:
    """Qt's own handler again (to the terminal): call before the interpreter shuts down."""
    from PySide6.QtCore import qInstallMessageHandler  # noqa: PLC0415 - GUI only

    qInstallMessageHandler(None)
