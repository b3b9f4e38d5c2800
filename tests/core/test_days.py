"""A tenant's day: its date and bounds in the tenant's zone, 23 or 25 hours when clocks change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from headset.core.days import day_of, is_time_zone, local_date, local_day


def test_a_winter_day_in_riga_runs_from_22_00_utc_to_22_00_utc() -> None:
    day = day_of(datetime(2026, 12, 7, 12, 0, tzinfo=UTC), "Europe/Riga")
    assert day.date == date(2026, 12, 7)
    assert day.starts_at == datetime(2026, 12, 6, 22, 0, tzinfo=UTC)
    assert day.ends_at == datetime(2026, 12, 7, 22, 0, tzinfo=UTC)


def test_a_contact_at_23_30_utc_is_already_tomorrow_in_riga() -> None:
    moment = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    assert local_date(moment, "Europe/Riga") == date(2026, 12, 8)
    assert day_of(moment, "Europe/Riga").starts_at == datetime(2026, 12, 7, 22, 0, tzinfo=UTC)
    assert local_date(moment, "UTC") == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("zone", "spring", "autumn"),
    [
        ("Europe/Riga", date(2026, 3, 29), date(2026, 10, 25)),
        ("Europe/Amsterdam", date(2026, 3, 29), date(2026, 10, 25)),
    ],
)
def test_the_days_clocks_change_have_23_and_25_hours(zone: str, spring: date, autumn: date) -> None:
    assert _length(spring, zone) == timedelta(hours=23)
    assert _length(autumn, zone) == timedelta(hours=25)
    assert _length(spring + timedelta(days=1), zone) == timedelta(hours=24)


def _length(day: date, zone: str) -> timedelta:
    local = day_of(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), zone)
    assert local.date == day
    return local.ends_at - local.starts_at


def test_the_summer_day_in_amsterdam_starts_at_22_00_utc_the_day_before() -> None:
    day = day_of(datetime(2026, 7, 1, 21, 59, tzinfo=UTC), "Europe/Amsterdam")
    assert (day.date, day.starts_at) == (date(2026, 7, 1), datetime(2026, 6, 30, 22, tzinfo=UTC))
    assert day_of(day.ends_at, "Europe/Amsterdam").date == date(2026, 7, 2)


def test_where_clocks_jump_over_midnight_the_day_starts_at_the_jump() -> None:
    # Beirut, 29 March 2020: 00:00 local became 01:00 (22:00 UTC the day before)
    day = day_of(datetime(2020, 3, 29, 12, 0, tzinfo=UTC), "Asia/Beirut")
    assert day.starts_at == datetime(2020, 3, 28, 22, 0, tzinfo=UTC)
    assert day.ends_at - day.starts_at == timedelta(hours=23)


def test_only_known_zones_are_time_zones() -> None:
    assert is_time_zone("Europe/Riga")
    assert not is_time_zone("Mars/Olympus_Mons")
    assert not is_time_zone("../etc/passwd")


def test_a_named_day_has_the_bounds_of_the_zone_it_is_asked_in() -> None:
    assert local_day(date(2026, 10, 25), "Europe/Riga") == day_of(
        datetime(2026, 10, 25, 12, tzinfo=UTC), "Europe/Riga"
    )
    assert local_day(date(2026, 10, 25), "UTC").starts_at == datetime(2026, 10, 25, tzinfo=UTC)
