"""Fixtures shared by the GUI tests."""

from helpers.running_apps import config, make_app

__all__ = ["config", "make_app"]
