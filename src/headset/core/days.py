"""A tenant's day: which local day a moment falls in, and where that day begins and ends.

"Today" in Headset (the wallboard's tallies, an agent's figures, the `fewest_contacts_today`
strategy) is the tenant's day in its time zone, never the UTC date. A local day is not always
24 hours long: on the days clocks change it has 23 or 25, and both ends are found by asking
the zone, not by adding hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_ONE_DAY = timedelta(days=1)


class LocalDay(NamedTuple):
    """One local day: its date and its first instant and the next day's, both in UTC."""

    date: date
    starts_at: datetime
    ends_at: datetime


def zone_of(time_zone: str | tzinfo) -> tzinfo:
    """The zone named `time_zone` (an IANA name such as "Europe/Riga"), or the zone itself."""
    return ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone


def local_date(moment: datetime, time_zone: str | tzinfo) -> date:
    """The date `moment` (an aware datetime) has on the clocks of `time_zone`."""
    return moment.astimezone(zone_of(time_zone)).date()


def day_of(moment: datetime, time_zone: str | tzinfo) -> LocalDay:
    """The local day of `time_zone` that `moment` falls in, with its bounds in UTC.

    The day starts at the first instant whose local date is that day: local midnight, or,
    where clocks jump over midnight, the jump.
    """
    zone = zone_of(time_zone)
    return local_day(moment.astimezone(zone).date(), zone)


def local_day(day: date, time_zone: str | tzinfo) -> LocalDay:
    """The local day `day` of `time_zone`, with its bounds in UTC."""
    zone = zone_of(time_zone)
    return LocalDay(day, _first_instant(day, zone), _first_instant(day + _ONE_DAY, zone))


def _first_instant(day: date, zone: tzinfo) -> datetime:
    # fold=0: of a repeated midnight the earlier, of a skipped one the offset before the jump,
    # which names the instant of the jump itself
    return datetime.combine(day, time(), zone).astimezone(UTC)


def is_time_zone(name: str) -> bool:
    """Whether `name` is a time zone this system knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
