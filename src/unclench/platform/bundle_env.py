"""Give the programs a bundle starts the environment the person started the bundle with.

A PyInstaller bundle on Linux runs with ``LD_LIBRARY_PATH`` pointing into its own library
folder (the value it replaced is kept in ``LD_LIBRARY_PATH_ORIG``). The bundle no longer
needs it once running: the dynamic loader read it at start-up. But the programs it starts
inherit it, and the chime player or the browser ``xdg-open`` opens from About would then
load our copies of libstdc++, GLib or D-Bus instead of their own, and may fail to start.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping

_VARIABLES = ("LD_LIBRARY_PATH",)


def restore_for_children(env: MutableMapping[str, str], *, frozen: bool | None = None) -> None:
    """Put back the library path the bundle's launcher replaced; nothing when not bundled."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if not frozen:
        return
    for name in _VARIABLES:
        original = env.pop(f"{name}_ORIG", None)
        if original is not None:
            env[name] = original
        else:
            env.pop(name, None)
