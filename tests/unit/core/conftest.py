"""Fixtures for the core's tests: a frozen wall clock and a home that is never the real one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

#: The moment every "set aside" in these tests happens, and the stamp it gives backups.
FROZEN = datetime(2026, 3, 2, 9, 30, 15, tzinfo=UTC)
FROZEN_STAMP = "20260302-093015"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point the config and data folders at a temporary place, so no test reaches the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


@pytest.fixture
def frozen_now() -> Callable[[], datetime]:
    """A ``now=`` callable that always answers the same moment."""
    return lambda: FROZEN


@pytest.fixture
def frozen_stamp() -> str:
    """The ``.bad-<stamp>`` suffix a backup made at ``frozen_now`` carries."""
    return FROZEN_STAMP
