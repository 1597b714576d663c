"""Screen lock and suspend on macOS: no watcher is needed.

While the screen is locked no input arrives, so the idle time grows and the scheduler sees
an absence within its idle threshold. During sleep the scheduler's timer does not fire, and
the late tick after wake-up counts as an absence (``BreakScheduler._notice_sleep``).
Listening to ``NSWorkspace`` notifications would only make both a few minutes sharper.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from unclench.platform.session import SessionWatcher


def create_macos_watcher(parent: QObject | None = None) -> SessionWatcher:
    """A watcher that reports nothing; its ``start()`` says so."""
    return SessionWatcher(parent)
