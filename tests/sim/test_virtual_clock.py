"""The simulator's clock tells the time its loop last set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.sim.virtual_clock import VirtualClock

T0 = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)


def test_clock_tells_the_time_last_set() -> None:
    clock = VirtualClock(T0)
    assert clock.now() == T0
    clock.now_at = T0 + timedelta(microseconds=1)
    assert clock.now() == T0 + timedelta(microseconds=1)


def test_clock_rejects_a_naive_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        VirtualClock(datetime(2025, 3, 10, 8, 0))
