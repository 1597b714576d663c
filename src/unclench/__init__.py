"""Unclench: a quiet tray app that offers one short self-massage break after active screen time."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("unclench")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

APP_NAME = "Unclench"
APP_ID = "unclench"
