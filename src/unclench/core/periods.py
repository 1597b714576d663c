"""The history periods people can ask for, in days: shared by the window, the report and the
command line, and free of imports so the command line stays quick to start."""

from __future__ import annotations

#: What the History window offers.
PERIODS: tuple[int, ...] = (7, 30, 90)
#: What a report covers unless asked otherwise.
DEFAULT_PERIOD = 30
#: The longest period ``unclench history --days`` accepts.
MAX_PERIOD = 366
