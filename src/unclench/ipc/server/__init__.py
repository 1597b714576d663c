"""The running app's control server: answers ``unclench <command>`` on a local socket.

Only the same user can connect (a 0600 socket in a 0700 folder on POSIX; a pipe with the
user's ACL on Windows). Everything runs in the Qt event loop without ever blocking it: each
connection is read as data arrives, under a size cap and a deadline, and a client that stops
reading is cut off after a second deadline. Nothing a client sends can raise into the loop.

The implementation is chosen here: QLocalServer (``qt``).
"""

from __future__ import annotations

from unclench.ipc.protocol import CommandError
from unclench.ipc.server.common import BUSY, INTERNAL_ERROR, Handler
from unclench.ipc.server.qt import QtControlServer as ControlServer

__all__ = ["BUSY", "INTERNAL_ERROR", "CommandError", "ControlServer", "Handler"]
