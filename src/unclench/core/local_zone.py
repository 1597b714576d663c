"""The machine's time zone with its rules, for naming the day and hour of a past moment.

``datetime.now().astimezone()`` carries only the offset in force *now*. A break taken in
winter, shown in summer with that offset, would be an hour off and could land on the
neighboring day. ``LOCAL`` asks the system for the offset in force at each moment instead.

Use it to show or group moments (``moment.astimezone(LOCAL)``), not for arithmetic: Python
subtracts two datetimes that share one tzinfo object as wall-clock times, which is wrong
across a daylight-saving change. The clock keeps handing out fixed-offset times for that.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


class LocalZone(tzinfo):
    """The zone ``time.localtime`` uses (``TZ`` or the system's), daylight saving included."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return _as_fixed(dt).utcoffset() if dt is not None else None

    def dst(self, dt: datetime | None) -> timedelta | None:  # noqa: ARG002 - tzinfo's signature
        # The system tells the offset in force, not how much of it is daylight saving.
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return _as_fixed(dt).tzname() if dt is not None else None

    def fromutc(self, dt: datetime) -> datetime:
        # fromtimestamp sets ``fold`` for the repeated hour when clocks go back (PEP 495).
        local = datetime.fromtimestamp(dt.replace(tzinfo=UTC).timestamp())  # noqa: DTZ006 - local on purpose
        return local.replace(tzinfo=self)

    def __repr__(self) -> str:
        return "LocalZone()"


def _as_fixed(dt: datetime) -> datetime:
    """The wall time ``dt`` shows, with the system's offset for it (``fold`` respected)."""
    return dt.replace(tzinfo=None).astimezone()


LOCAL = LocalZone()
