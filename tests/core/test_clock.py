"""The clock port: fake time moves only forward and only when told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.core.clock import FakeClock, SystemClock

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(T0)
    assert clock.now() == T0
    assert clock.advance(timedelta(seconds=90)) == T0 + timedelta(seconds=90)
    assert clock.now() == T0 + timedelta(seconds=90)


def test_fake_clock_never_runs_backwards() -> None:
    clock = FakeClock(T0)
    with pytest.raises(ValueError, match="cannot go back"):
        clock.set(T0 - timedelta(seconds=1))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock(datetime(2026, 11, 23, 8, 0))


def test_system_clock_is_utc() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)
