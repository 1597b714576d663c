"""The Qt binding itself: guards against a known-bad release coming back through the lock."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def test_process_events_does_not_release_none(qapp: QApplication) -> None:
    """PySide6 6.12.0 dropped one reference to None per processEvents(): a crash in minutes."""
    before = sys.getrefcount(None)
    for _ in range(200):
        qapp.processEvents()
    assert sys.getrefcount(None) > before - 100
