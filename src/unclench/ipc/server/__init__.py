"""The running app's control server: answers ``unclench <command>`` on a local socket.

Only the same user can connect (a 0600 socket in a 0700 folder on POSIX; a pipe with the
user's ACL on Windows). Everything runs in the Qt event loop without ever blocking it: each
connection is read as data arrives, under a size cap and a deadline, and a client that stops
reading is cut off after a second deadline. Nothing a client sends can raise into the loop.

This is the one place that chooses the implementation: a plain Unix socket on Linux and
macOS (``posix``, no QtNetwork), QLocalServer for Windows' named pipes (``qt``).
"""

from __future__ import annotations

import sys

from unclench.ipc.protocol import CommandError
from unclench.ipc.server.common import BUSY, INTERNAL_ERROR, Handler

if sys.platform == "win32":
    from unclench.ipc.server.qt import QtControlServer as ControlServer
else:
    from unclench.ipc.server.posix import PosixControlServer as ControlServer

__all__ = ["BUSY", "INTERNAL_ERROR", "CommandError", "ControlServer", "Handler"]
