"""Where the control socket lives, for the server and the client alike. No Qt.

POSIX: a Unix socket at an absolute path in the user's runtime folder, which only they can
enter (0700). Windows: a named pipe per user; Qt's UserAccessOption limits it to that user.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import stat
import tempfile
import warnings
from pathlib import Path

import platformdirs

from unclench import APP_ID

log = logging.getLogger(__name__)

SOCKET_NAME = f"{APP_ID}.sock"
PRIVATE_MODE = 0o700


def server_address() -> str:
    """The socket path (POSIX) or pipe name (Windows) of this user's running app.

    Computing it has no side effects: nothing is created. Raises ``OSError`` when the
    platform offers no safe runtime folder (platformdirs refuses a hijacked ``/tmp`` one).
    """
    if os.name == "nt":
        return f"{APP_ID}-{_user_name()}"
    with warnings.catch_warnings(record=True) as caught:
        # XDG_RUNTIME_DIR unset (a bare SSH or cron session) is normal; platformdirs then
        # falls back to a private folder it has checked, which serves us just as well.
        warnings.simplefilter("always", platformdirs.RuntimeDirWarning)
        folder = platformdirs.user_runtime_dir(APP_ID, appauthor=False)
    for warning in caught:
        log.info("runtime folder: %s", warning.message)
    return str(Path(folder) / SOCKET_NAME)


def lock_path(address: str) -> Path:
    """The lock file that makes a second server on ``address`` refuse to start."""
    if os.path.isabs(address):  # noqa: PTH117 - the address is a str on every platform
        return Path(f"{address}.lock")
    return Path(tempfile.gettempdir()) / f"{address}.lock"  # the per-user temp folder on Windows


def ensure_private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) as 0700, or check and tighten an existing one.

    POSIX only. Raises ``PermissionError`` when it is not a real folder or belongs to someone
    else: a socket there could be replaced by that person.
    """
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        path.mkdir(mode=PRIVATE_MODE, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise PermissionError(f"{folder} is not a folder")
    if info.st_uid != os.getuid():
        raise PermissionError(f"{folder} belongs to another user")
    if stat.S_IMODE(info.st_mode) != PRIVATE_MODE:
        folder.chmod(PRIVATE_MODE)


def _user_name() -> str:
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no USERNAME and no account entry
        name = "user"
    # Pipe names may not contain a backslash; keep them readable and short.
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)[:64] or "user"
