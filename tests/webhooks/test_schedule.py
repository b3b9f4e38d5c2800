"""The retry schedule of failed webhook deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.webhooks import DEFAULT_DELAYS, RetryPolicy, next_attempt_at

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_the_default_waits_grow_from_ten_seconds_to_six_hours() -> None:
    assert [d.total_seconds() for d in DEFAULT_DELAYS] == [
        10, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600,
    ]  # fmt: skip
    assert RetryPolicy().max_attempts == 9


def test_each_failed_attempt_waits_the_delay_for_its_number() -> None:
    policy = RetryPolicy()
    assert next_attempt_at(1, NOW, policy) == NOW + timedelta(seconds=10)
    assert next_attempt_at(2, NOW, policy) == NOW + timedelta(seconds=30)
    assert next_attempt_at(8, NOW, policy) == NOW + timedelta(hours=6)


def test_after_the_last_attempt_there_is_none_and_the_delivery_fails() -> None:
    assert next_attempt_at(9, NOW, RetryPolicy()) is None
    assert next_attempt_at(1, NOW, RetryPolicy(delays=())) is None


def test_jitter_stays_within_its_fraction_of_the_delay() -> None:
    policy = RetryPolicy(jitter=0.2)
    for _ in range(50):
        retry_at = next_attempt_at(4, NOW, policy)
        assert retry_at is not None
        assert timedelta(minutes=8) <= retry_at - NOW <= timedelta(minutes=12)


def test_seeded_jitter_is_the_same_every_time_for_a_delivery_and_attempt() -> None:
    policy = RetryPolicy(jitter=0.2, seed=7)
    first = next_attempt_at(3, NOW, policy, key="d1")
    assert first == next_attempt_at(3, NOW, policy, key="d1")
    others = {next_attempt_at(3, NOW, policy, key=f"d{n}") for n in range(2, 12)}
    assert len(others - {first}) > 1, "different deliveries are spread apart"


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_attempt_at(1, datetime(2026, 11, 23, 8, 0), RetryPolicy())


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError, match="counted from 1"):
        next_attempt_at(0, NOW, RetryPolicy())


@pytest.mark.parametrize(
    ("delays", "jitter"), [((timedelta(seconds=-1),), 0.0), ((), 1.0), ((), -0.1)]
)
def test_nonsense_policies_are_refused(delays: tuple[timedelta, ...], jitter: float) -> None:
    with pytest.raises(ValueError, match=r"cannot be negative|is a fraction"):
        RetryPolicy(delays=delays, jitter=jitter)
