"""E-mail timers count only the queue's business hours: nights, weekends and holidays
are left out, daylight-saving days count their real length."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from headset.core.clock import FakeClock
from headset.mail.timers import business_seconds, timer
from headset.routing.business_hours import BusinessHours

WEEKDAYS_9_TO_17 = {day: [(time(9), time(17))] for day in ("mon", "tue", "wed", "thu", "fri")}
# 2026-12-04 is a Friday
FRIDAY = date(2026, 12, 4)
HOUR = 3600.0


def at(day: date, hour: int, minute: int = 0, zone: str = "UTC") -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(hour, minute), ZoneInfo(zone))


def test_always_open_counts_the_wall_clock() -> None:
    hours = BusinessHours({})
    start = at(FRIDAY, 22)
    assert business_seconds(hours, start, start + timedelta(hours=30)) == 30 * HOUR


def test_a_night_is_left_out() -> None:
    hours = BusinessHours(WEEKDAYS_9_TO_17)
    thursday = FRIDAY - timedelta(days=1)
    # Thursday 16:00 to Friday 10:00: one hour on Thursday, one on Friday
    assert business_seconds(hours, at(thursday, 16), at(FRIDAY, 10)) == 2 * HOUR


def test_a_weekend_is_left_out() -> None:
    hours = BusinessHours(WEEKDAYS_9_TO_17)
    monday = FRIDAY + timedelta(days=3)
    # Friday 18:00 (closed) to Monday 09:30
    assert business_seconds(hours, at(FRIDAY, 18), at(monday, 9, 30)) == 0.5 * HOUR


def test_a_holiday_is_left_out() -> None:
    monday = FRIDAY + timedelta(days=3)
    hours = BusinessHours(WEEKDAYS_9_TO_17, holidays=[monday])
    tuesday = monday + timedelta(days=1)
    # Friday 16:00 to Tuesday 10:00: Friday's last hour and Tuesday's first
    assert business_seconds(hours, at(FRIDAY, 16), at(tuesday, 10)) == 2 * HOUR


def test_holidays_alone_close_whole_days() -> None:
    hours = BusinessHours({}, holidays=[FRIDAY])
    assert business_seconds(hours, at(FRIDAY, 12), at(FRIDAY + timedelta(days=1), 6)) == 6 * HOUR


def test_the_queues_time_zone_decides_the_hours() -> None:
    hours = BusinessHours(WEEKDAYS_9_TO_17, time_zone="Europe/Riga")  # UTC+2 in December
    # 06:00 to 08:00 UTC is 08:00 to 10:00 in Riga: one hour open
    assert business_seconds(hours, at(FRIDAY, 6), at(FRIDAY, 8)) == HOUR


def test_a_daylight_saving_day_counts_its_real_length() -> None:
    hours = BusinessHours({"sun": [(time(0), time(6))]}, time_zone="Europe/Riga")
    sunday = date(2026, 3, 29)  # clocks go from 03:00 to 04:00
    start = at(sunday, 0, zone="Europe/Riga")
    assert business_seconds(hours, start, start + timedelta(hours=12)) == 5 * HOUR


def test_a_timer_runs_with_the_clock_until_it_stops() -> None:
    hours = BusinessHours(WEEKDAYS_9_TO_17)
    clock = FakeClock(at(FRIDAY, 16))
    started = clock.now()
    clock.advance(timedelta(hours=3))  # Friday 19:00: only one business hour so far
    running = timer(hours, started, None, clock.now(), target_seconds=2 * 3600)
    assert running is not None
    assert running.as_dict() == {
        "seconds": 3600,
        "is_running": True,
        "target_seconds": 7200,
        "is_breached": False,
    }
    clock.set(at(FRIDAY + timedelta(days=3), 11))  # Monday 11:00: three business hours
    late = timer(hours, started, None, clock.now(), target_seconds=2 * 3600)
    assert late is not None
    assert late.seconds == 3 * HOUR
    assert late.is_breached
    stopped = timer(hours, started, at(FRIDAY, 16, 30), clock.now())
    assert stopped is not None
    assert stopped.seconds == 1800
    assert not stopped.is_running
    assert timer(hours, None, None, clock.now()) is None


def test_an_end_before_the_start_counts_nothing() -> None:
    hours = BusinessHours({})
    assert business_seconds(hours, at(FRIDAY, 12), at(FRIDAY, 11)) == 0


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        business_seconds(BusinessHours({}), datetime(2026, 1, 1), datetime.now(UTC))
