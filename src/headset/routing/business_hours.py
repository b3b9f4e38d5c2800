"""Business hours of a queue: opening spans per weekday in the queue's time zone, holidays."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from headset.core.clock import require_aware

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: weekday ("mon" ... "sun") -> opening spans (start, end) in local time.
Hours = Mapping[str, Sequence[tuple[time, time]]]


class BusinessHours:
    """When a queue is open; no spans at all means always open."""

    __slots__ = ("holidays", "hours", "zone")

    def __init__(self, hours: Hours, holidays: Collection[date] = (), time_zone: str = "UTC"):
        self.hours = {day: tuple(spans) for day, spans in hours.items()}
        self.holidays = frozenset(holidays)
        self.zone = ZoneInfo(time_zone)

    @property
    def is_always_open(self) -> bool:
        return not self.hours and not self.holidays

    def is_open(self, at: datetime) -> bool:
        """Whether `at` falls in an opening span of its local day, and the day is no holiday."""
        require_aware(at)
        if self.is_always_open:
            return True
        local = at.astimezone(self.zone)
        if local.date() in self.holidays:
            return False
        if not self.hours:
            return True
        spans = self.hours.get(WEEKDAYS[local.weekday()], ())
        now = local.time().replace(tzinfo=None)
        return any(start <= now < end for start, end in spans)

    def next_opening(self, at: datetime, horizon_days: int = 14) -> datetime | None:
        """The first moment from `at` on when the queue is open (None: not within the horizon)."""
        if self.is_open(at):
            return at
        local = at.astimezone(self.zone)
        for offset in range(horizon_days + 1):
            day = local.date() + timedelta(days=offset)
            if day in self.holidays:
                continue
            spans = (
                self.hours.get(WEEKDAYS[day.weekday()], ()) if self.hours else ((time(), time()),)
            )
            for start, _ in sorted(spans):
                opening = datetime.combine(day, start, self.zone)
                if opening > local:
                    return opening
        return None


def is_open_at(hours: BusinessHours | None, at: datetime) -> bool:
    """Whether a queue with these hours is open at `at`; a queue without hours always is.
    Chat, voice, e-mail and the wallboard ask this one question."""
    return hours is None or hours.is_open(at)


def parse_hours(data: Mapping[str, Sequence[Sequence[str]]]) -> dict[str, list[tuple[time, time]]]:
    """Reads stored hours ({"mon": [["08:00", "17:00"]]}) into times."""
    return {
        day: [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in spans]
        for day, spans in data.items()
    }
