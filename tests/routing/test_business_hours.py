"""Business hours: spans per weekday in the queue's zone, holidays, the next opening."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from headset.routing.business_hours import BusinessHours, is_open_at, parse_hours

WEEKDAYS = {d: [(time(8), time(17))] for d in ("mon", "tue", "wed", "thu", "fri")}


def test_no_hours_means_always_open() -> None:
    assert BusinessHours({}).is_open(datetime(2026, 12, 6, 3, tzinfo=UTC))


def test_open_in_a_span_of_the_local_day_and_closed_outside() -> None:
    riga = BusinessHours(WEEKDAYS, time_zone="Europe/Riga")  # UTC+2 in December
    assert riga.is_open(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))  # 08:00 local, Tuesday
    assert not riga.is_open(datetime(2026, 12, 1, 5, 59, tzinfo=UTC))
    assert not riga.is_open(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))  # 17:00 local: closed
    assert not riga.is_open(datetime(2026, 12, 5, 9, 0, tzinfo=UTC))  # Saturday


def test_holidays_close_the_whole_local_day() -> None:
    hours = BusinessHours(WEEKDAYS, holidays=[date(2026, 12, 25)], time_zone="Europe/Amsterdam")
    assert not hours.is_open(datetime(2026, 12, 25, 10, tzinfo=UTC))
    assert hours.is_open(datetime(2026, 12, 24, 10, tzinfo=UTC))


def test_next_opening_skips_the_weekend_and_holidays() -> None:
    hours = BusinessHours(WEEKDAYS, holidays=[date(2026, 12, 7)], time_zone="UTC")
    friday_evening = datetime(2026, 12, 4, 18, tzinfo=UTC)
    assert hours.next_opening(friday_evening) == datetime(2026, 12, 8, 8, tzinfo=UTC)
    open_now = datetime(2026, 12, 8, 9, tzinfo=UTC)
    assert hours.next_opening(open_now) == open_now


def test_stored_hours_are_parsed_into_times() -> None:
    assert parse_hours({"mon": [["08:00", "12:30"]]}) == {"mon": [(time(8), time(12, 30))]}


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        BusinessHours(WEEKDAYS).is_open(datetime(2026, 12, 1, 9))


def test_a_queue_without_hours_is_open_and_one_with_hours_follows_them() -> None:
    monday_night = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
    office = BusinessHours({"mon": [(time(8), time(17))]})

    assert is_open_at(None, monday_night)
    assert not is_open_at(office, monday_night)
    assert is_open_at(office, monday_night.replace(hour=9))
