"""E-mail timers in business hours: first response (the customer's first message to the
first reply an agent sent) and resolution (to the contact's wrap-up).

Time outside the queue's opening hours and on its holidays does not count: a mail that
arrives on Friday evening and is answered on Monday at 09:30 has waited 30 minutes if the
queue opens at 09:00. Pure: the calendar and "now" are given.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

from headset.core.clock import require_aware

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Calendar(Protocol):
    """A queue's business hours (routing's `BusinessHours` is one)."""

    @property
    def hours(self) -> Mapping[str, Sequence[tuple[time, time]]]: ...

    @property
    def holidays(self) -> Collection[date]: ...

    @property
    def zone(self) -> tzinfo: ...


def business_seconds(calendar: Calendar, start: datetime, end: datetime) -> float:
    """Seconds from `start` to `end` that fall in the calendar's opening hours."""
    require_aware(start)
    require_aware(end)
    if end <= start:
        return 0.0
    if not calendar.hours and not calendar.holidays:
        return (end - start).total_seconds()
    zone = calendar.zone
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    total = 0.0
    while day <= last:
        for opening, closing in _spans(calendar, day):
            # local times to instants (fold 0: the first of a repeated hour), then UTC, so a
            # day with a daylight-saving change counts its real length
            lo = max(start, datetime.combine(day, opening, zone).astimezone(UTC))
            hi = min(end, _closing(day, closing, zone))
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total


def _spans(calendar: Calendar, day: date) -> Sequence[tuple[time, time]]:
    if day in calendar.holidays:
        return ()
    if not calendar.hours:
        return ((time(), time()),)  # open all day, holidays aside
    return calendar.hours.get(_WEEKDAYS[day.weekday()], ())


def _closing(day: date, closing: time, zone: tzinfo) -> datetime:
    if closing == time():  # "until midnight"
        return datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
    return datetime.combine(day, closing, zone).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Timer:
    """One timer: business seconds so far (or in all, once stopped) and its target."""

    seconds: float
    is_running: bool
    target_seconds: int | None

    @property
    def is_breached(self) -> bool:
        return self.target_seconds is not None and self.seconds > self.target_seconds

    def as_dict(self) -> dict[str, object]:
        return {
            "seconds": round(self.seconds),
            "is_running": self.is_running,
            "target_seconds": self.target_seconds,
            "is_breached": self.is_breached,
        }


def timer(
    calendar: Calendar,
    started: datetime | None,
    stopped: datetime | None,
    now: datetime,
    target_seconds: int | None = None,
) -> Timer | None:
    """The timer from `started` to `stopped`, or to `now` while it runs (None: not started)."""
    if started is None:
        return None
    until = stopped if stopped is not None else now
    return Timer(business_seconds(calendar, started, until), stopped is None, target_seconds)
