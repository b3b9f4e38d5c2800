"""Failed sign-ins: a doubling back-off, a lockout after five, and forgetting old failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.access.lockout import (
    LockoutPolicy,
    LoginAttempts,
    UnknownNames,
    check,
    record_failure,
    record_success,
)
from headset.core.errors import TooManyAttempts

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
POLICY = LockoutPolicy()


def _fail(
    times: int, start: datetime = T0, gap: timedelta = timedelta(seconds=20)
) -> LoginAttempts:
    attempts = LoginAttempts()
    for n in range(times):
        attempts = record_failure(attempts, start + n * gap, POLICY)
    return attempts


def test_a_fresh_account_may_sign_in() -> None:
    check(LoginAttempts(), T0, POLICY)


def test_the_default_policy_locks_for_15_minutes_after_5_failures() -> None:
    policy = LockoutPolicy()
    assert policy.max_failures == 5
    assert policy.lockout_duration == timedelta(minutes=15)
    assert (policy.base_delay, policy.max_delay) == (timedelta(seconds=1), timedelta(seconds=30))
    assert policy.failure_window == timedelta(minutes=15)


def test_a_failure_is_counted_with_its_time() -> None:
    assert record_failure(LoginAttempts(), T0, POLICY) == LoginAttempts(1, T0, None)


def test_the_delay_doubles_with_each_failure_up_to_the_maximum() -> None:
    delays = [POLICY.delay_after(n).total_seconds() for n in range(8)]
    assert delays == [0, 1, 2, 4, 8, 16, 30, 30]


def test_a_long_run_of_failures_does_not_overflow_the_delay() -> None:
    assert POLICY.delay_after(10_000) == timedelta(seconds=30)


def test_the_next_attempt_waits_for_the_back_off_delay() -> None:
    attempts = _fail(3, gap=timedelta(seconds=20))  # last failure at T0 + 40 s, delay 4 s
    last = T0 + timedelta(seconds=40)
    with pytest.raises(TooManyAttempts, match="wait 4 seconds and try again") as raised:
        check(attempts, last, POLICY)
    assert raised.value.retry_after_seconds == 4
    with pytest.raises(TooManyAttempts, match="wait 1 second and"):
        check(attempts, last + timedelta(seconds=3), POLICY)
    check(attempts, last + timedelta(seconds=4), POLICY)


def test_locks_after_five_failures() -> None:
    attempts = _fail(5)
    assert attempts.failures == 5
    assert attempts.locked_until == T0 + timedelta(seconds=80) + timedelta(minutes=15)


def test_a_locked_account_says_when_to_try_again_and_whom_to_ask() -> None:
    attempts = _fail(5)
    now = T0 + timedelta(seconds=80) + timedelta(seconds=30)
    with pytest.raises(TooManyAttempts) as raised:
        check(attempts, now, POLICY)
    assert str(raised.value) == (
        "too many failed sign-ins; try again in 15 minutes "
        "or ask an administrator to unlock the account"
    )
    assert raised.value.retry_after_seconds == 14 * 60 + 30


def test_the_last_minute_of_a_lock_is_told_in_seconds() -> None:
    attempts = _fail(5)
    assert attempts.locked_until is not None
    with pytest.raises(TooManyAttempts, match="try again in 10 seconds"):
        check(attempts, attempts.locked_until - timedelta(seconds=10), POLICY)


def test_the_lock_ends_after_the_lockout_duration() -> None:
    attempts = _fail(5)
    assert attempts.locked_until is not None
    check(attempts, attempts.locked_until, POLICY)


def test_counting_starts_afresh_after_a_lock_has_been_served() -> None:
    attempts = _fail(5)
    assert attempts.locked_until is not None
    after = record_failure(attempts, attempts.locked_until, POLICY)
    assert after == LoginAttempts(1, attempts.locked_until, None)


def test_failures_during_a_lock_do_not_extend_it() -> None:
    attempts = _fail(5)
    assert record_failure(attempts, T0 + timedelta(minutes=5), POLICY) == attempts


def test_failures_older_than_the_window_are_forgotten() -> None:
    attempts = _fail(4)
    later = T0 + timedelta(seconds=60) + POLICY.failure_window
    check(attempts, later, POLICY)
    assert record_failure(attempts, later, POLICY).failures == 1


def test_a_success_clears_the_failures() -> None:
    assert record_success() == LoginAttempts()
    check(record_success(), T0, POLICY)


def test_a_stricter_policy_locks_sooner_and_longer() -> None:
    strict = LockoutPolicy(max_failures=2, lockout_duration=timedelta(hours=1))
    attempts = record_failure(record_failure(LoginAttempts(), T0, strict), T0, strict)
    assert attempts.locked_until == T0 + timedelta(hours=1)
    with pytest.raises(TooManyAttempts, match="try again in 60 minutes"):
        check(attempts, T0, strict)


def test_a_policy_needs_at_least_one_failure_and_no_negative_times() -> None:
    with pytest.raises(ValueError, match="max_failures"):
        LockoutPolicy(max_failures=0)
    with pytest.raises(ValueError, match="base_delay"):
        LockoutPolicy(base_delay=timedelta(seconds=-1))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        check(LoginAttempts(), datetime(2026, 11, 23, 8, 0), POLICY)


def test_a_name_without_an_account_backs_off_and_locks_like_an_account() -> None:
    names = UnknownNames()
    account = LoginAttempts()
    for _ in range(5):
        account = record_failure(account, T0)
        assert names.record_failure("nobody", T0) == account
    with pytest.raises(TooManyAttempts) as for_account:
        check(account, T0)
    with pytest.raises(TooManyAttempts) as for_nobody:
        check(names.attempts("nobody"), T0)
    assert str(for_nobody.value) == str(for_account.value)
    assert for_nobody.value.retry_after_seconds == for_account.value.retry_after_seconds
    assert names.attempts("somebody else") == LoginAttempts()


def test_names_without_an_account_are_bounded_in_memory() -> None:
    names = UnknownNames(limit=10)
    for i in range(10):
        names.record_failure(f"old-{i}", T0)
    later = T0 + timedelta(hours=1)  # their failures are forgotten: swept first
    names.record_failure("new", later)
    assert len(names) == 1
    for i in range(30):
        names.record_failure(f"flood-{i}", later)
    assert len(names) <= 10
