"""Run a test under a time zone with daylight saving, whatever the machine's own zone is."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

# Central European rules as a POSIX TZ string: needs no time zone database. Clocks go
# forward on the last Sunday of March at 02:00 and back on the last Sunday of October at 03:00.
CENTRAL_EUROPE = "CET-1CEST,M3.5.0,M10.5.0/3"


@pytest.fixture
def central_europe(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not hasattr(time, "tzset"):
        pytest.skip("the zone of a running process can be changed only where tzset exists")
    monkeypatch.setenv("TZ", CENTRAL_EUROPE)
    time.tzset()
    yield
    monkeypatch.undo()
    assert os.environ.get("TZ") != CENTRAL_EUROPE
    time.tzset()
