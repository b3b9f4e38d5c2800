"""Time as an input: the `Clock` port and its two adapters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current time as a timezone-aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, for the live service."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when told to: tests and the simulator's virtual time."""

    __slots__ = ("_now",)

    def __init__(self, start: datetime) -> None:
        require_aware(start)
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        """Moves the clock to `moment`; time never runs backwards."""
        if moment < self._now:
            raise ValueError(f"clock cannot go back from {self._now} to {moment}")
        self._now = moment

    def advance(self, duration: timedelta) -> datetime:
        self.set(self._now + duration)
        return self._now


def require_aware(moment: datetime) -> None:
    """Rejects naive datetimes, which would silently mix time zones."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware: {moment!r}")
