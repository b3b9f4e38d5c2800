"""Back-off and lockout after failed sign-ins: pure rules over plain data, time passed in."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from headset.core.clock import require_aware
from headset.core.errors import TooManyAttempts


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """How many failed sign-ins an account tolerates, and how long it then waits."""

    max_failures: int = 5
    lockout_duration: timedelta = timedelta(minutes=15)
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(seconds=30)
    failure_window: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise ValueError(f"max_failures must be at least 1, not {self.max_failures}")
        for name in ("lockout_duration", "base_delay", "max_delay", "failure_window"):
            if getattr(self, name) < timedelta(0):
                raise ValueError(f"{name} may not be negative")

    def delay_after(self, failures: int) -> timedelta:
        """The wait before the next attempt after `failures` failures in a row."""
        if failures <= 0:
            return timedelta(0)
        delay = self.base_delay
        # Doubling step by step rather than base * 2**n: a long run of failures must not
        # overflow timedelta before the cap applies.
        for _ in range(failures - 1):
            if not delay or delay >= self.max_delay:
                break
            delay *= 2
        return min(delay, self.max_delay)


@dataclass(frozen=True, slots=True)
class LoginAttempts:
    """The failed sign-ins of one account, stored with the account between attempts."""

    failures: int = 0
    last_failure_at: datetime | None = field(default=None)
    locked_until: datetime | None = field(default=None)


DEFAULT_POLICY = LockoutPolicy()


def check(attempts: LoginAttempts, now: datetime, policy: LockoutPolicy = DEFAULT_POLICY) -> None:
    """Raises TooManyAttempts when a sign-in may not be tried yet; call before any checking."""
    require_aware(now)
    if attempts.locked_until is not None and now < attempts.locked_until:
        wait = attempts.locked_until - now
        raise TooManyAttempts(
            f"too many failed sign-ins; try again in {_in_words(wait)} "
            "or ask an administrator to unlock the account",
            wait.total_seconds(),
        )
    failures = _recent_failures(attempts, now, policy)
    if failures and attempts.last_failure_at is not None:
        ready_at = attempts.last_failure_at + policy.delay_after(failures)
        if now < ready_at:
            wait = ready_at - now
            raise TooManyAttempts(
                f"the last sign-in failed; wait {_in_words(wait)} and try again",
                wait.total_seconds(),
            )


def record_failure(
    attempts: LoginAttempts, now: datetime, policy: LockoutPolicy = DEFAULT_POLICY
) -> LoginAttempts:
    """The attempts after one more failed sign-in; locks the account at max_failures."""
    require_aware(now)
    if attempts.locked_until is not None and now < attempts.locked_until:
        # `check` refuses before a password is even compared, so this is a caller's slip;
        # extending the lock here would let anyone keep an account locked for ever.
        return attempts
    failures = _recent_failures(attempts, now, policy) + 1
    is_locked = failures >= policy.max_failures
    return LoginAttempts(
        failures=failures,
        last_failure_at=now,
        locked_until=now + policy.lockout_duration if is_locked else None,
    )


def record_success() -> LoginAttempts:
    """The attempts after a successful sign-in, or after an administrator unlocks the account."""
    return LoginAttempts()


def _recent_failures(attempts: LoginAttempts, now: datetime, policy: LockoutPolicy) -> int:
    # Failures older than the window are forgotten, and a served lockout starts afresh.
    if attempts.last_failure_at is None or now - attempts.last_failure_at >= policy.failure_window:
        return 0
    if attempts.locked_until is not None and now >= attempts.locked_until:
        return 0
    return attempts.failures


def _in_words(wait: timedelta) -> str:
    # Rounded up, so that trying again after the time said always works.
    seconds = math.ceil(wait.total_seconds())
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


#: Names without an account remembered before quiet ones are swept out.
_NAMES_KEPT = 10_000


class UnknownNames:
    """Failed sign-ins of names that have no account (or a disabled one), in memory.

    They back off and lock exactly like an account does, so that the answers to a sign-in
    ("wrong username or password", "wait 2 seconds", "locked for 15 minutes") never tell
    whether a name has an account. Memory is bounded: names whose failures are forgotten
    anyway are swept out first.
    """

    def __init__(self, policy: LockoutPolicy = DEFAULT_POLICY, limit: int = _NAMES_KEPT) -> None:
        self.policy = policy
        self._limit = limit
        self._attempts: dict[str, LoginAttempts] = {}

    def attempts(self, name: str) -> LoginAttempts:
        """What `check` is given for `name`: as an account with no failures when unknown."""
        return self._attempts.get(name, LoginAttempts())

    def record_failure(self, name: str, now: datetime) -> LoginAttempts:
        """Counts one more failure of `name`, as `record_failure` would for an account."""
        if name not in self._attempts and len(self._attempts) >= self._limit:
            self._sweep(now)
        attempts = record_failure(self.attempts(name), now, self.policy)
        self._attempts[name] = attempts
        return attempts

    def __len__(self) -> int:
        return len(self._attempts)

    def _sweep(self, now: datetime) -> None:
        for name, attempts in list(self._attempts.items()):
            if _recent_failures(attempts, now, self.policy) == 0 and not (
                attempts.locked_until is not None and now < attempts.locked_until
            ):
                del self._attempts[name]
        if len(self._attempts) >= self._limit:
            self._attempts.clear()  # a flood of fresh names: bounded beats exact
