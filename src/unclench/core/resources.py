"""The one place that knows where the shipped data (``resources/``) is."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path


def resource_dir() -> Path:
    """The folder holding techniques, icons and other shipped data.

    An installed wheel carries it as ``unclench/resources``; a frozen bundle unpacks it
    beside the executable; a source checkout (including an editable install) has it at the
    top of the repository.
    """
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root is not None:
        return Path(bundle_root) / "unclench" / "resources"
    packaged = Path(str(resources.files("unclench"))) / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "resources"


def resource_path(*parts: str) -> Path:
    """A file inside the resources folder, for example ``resource_path("techniques.toml")``."""
    return resource_dir().joinpath(*parts)
