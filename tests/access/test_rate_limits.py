"""The token buckets that limit anonymous traffic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.access.rate_limits import Rate, RateLimit
from headset.core.clock import FakeClock
from headset.core.errors import TooManyAttempts

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_burst_is_allowed_then_refused_with_the_time_to_wait() -> None:
    clock = FakeClock(START)
    limit = RateLimit("chats per address", Rate(burst=3, per_minute=6))
    for _ in range(3):
        limit.check("198.51.100.7", clock.now())
    with pytest.raises(TooManyAttempts) as refused:
        limit.check("198.51.100.7", clock.now())
    assert refused.value.retry_after_seconds == pytest.approx(10.0)
    assert refused.value.code == "rate_limited"
    assert "chats per address" in str(refused.value)


def test_tokens_come_back_with_time_and_keys_are_apart() -> None:
    clock = FakeClock(START)
    limit = RateLimit("mail per sender", Rate(burst=1, per_minute=1))
    assert limit.allows("a@example.com", clock.now())
    assert not limit.allows("a@example.com", clock.now())
    assert limit.allows("b@example.com", clock.now())
    clock.advance(timedelta(seconds=59))
    assert not limit.allows("a@example.com", clock.now())
    clock.advance(timedelta(seconds=1))
    assert limit.allows("a@example.com", clock.now())


def test_a_refusal_takes_no_token() -> None:
    clock = FakeClock(START)
    limit = RateLimit("left messages", Rate(burst=1, per_minute=60))
    assert limit.allows("k", clock.now())
    for _ in range(100):
        assert not limit.allows("k", clock.now())
    clock.advance(timedelta(seconds=1))
    assert limit.allows("k", clock.now())


def test_quiet_keys_are_forgotten() -> None:
    clock = FakeClock(START)
    limit = RateLimit("sweep", Rate(burst=1, per_minute=60))
    for n in range(10_001):
        limit.allows(f"key-{n}", clock.now())
    clock.advance(timedelta(seconds=2))
    limit.allows("new", clock.now())
    assert len(limit._buckets) == 1
