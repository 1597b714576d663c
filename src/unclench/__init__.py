"""Unclench: a quiet tray app that offers one short self-massage break after active screen time."""

# The one place the version is written; the package metadata reads it from here at build time
# (importlib.metadata would cost ~50 ms of every start-up).
__version__ = "0.1.0"

APP_NAME = "Unclench"
APP_ID = "unclench"
