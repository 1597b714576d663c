"""Unclench: a quiet tray app that offers one short self-massage break after active screen time."""

# The one place the version is written; the package metadata reads it from here at build time
# (importlib.metadata would cost ~50 ms of every start-up).
__version__ = "0.1.0"

APP_NAME = "Unclench"
APP_ID = "unclench"
#: Reverse-DNS name for AppStream, Flatpak, the macOS bundle and its LaunchAgent. A stand-in
#: until the project has a home of its own; installer/README.md lists every file that repeats it.
APP_REVERSE_ID = "io.github.unclench.Unclench"
