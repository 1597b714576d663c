"""The core stands alone: every module under unclench.core imports with no Qt and no pystray."""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6", "pystray", "Xlib"):
                raise ImportError(f"blocked for this test: {name}")
            return None

    sys.meta_path.insert(0, Block())
    import unclench.core
    names = [m.name for m in pkgutil.walk_packages(unclench.core.__path__, "unclench.core.")]
    for name in names:
        importlib.import_module(name)
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "pystray"))
    print(len(names), leaked)
    """
)


def test_every_core_module_imports_without_qt_or_pystray() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    count, leaked = result.stdout.split(" ", 1)
    assert int(count) >= 8
    assert leaked.strip() == "[]"
