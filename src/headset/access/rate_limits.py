"""Rate limits for anonymous and unverified traffic: token buckets keyed by who is asking.

A bucket holds `burst` tokens and refills at `per_minute`; each request takes one. A caller
with an empty bucket is refused with `TooManyAttempts`, whose `retry_after_seconds` says when
the next token arrives (the web layer's `Retry-After`). The clock is the caller's, so the
same limiter runs live and under a fake clock in tests. Buckets of quiet keys are forgotten,
so memory stays bounded whatever an attacker sends.

One `RateLimit` per rule (chats started per address, per widget; left messages; inbound
mail per sender, per mailbox; acknowledgements per tenant): the rule's name goes into the
refusal's message and code, so a person knows which limit they met.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from headset.core.errors import TooManyAttempts

#: Buckets kept before quiet ones (full again) are swept out.
_SWEEP_AT = 10_000


@dataclass(frozen=True, slots=True)
class Rate:
    """`burst` requests at once, refilled at `per_minute` a minute."""

    burst: int
    per_minute: float

    def __post_init__(self) -> None:
        if self.burst < 1 or self.per_minute <= 0:
            raise ValueError(f"a rate needs burst >= 1 and per_minute > 0, not {self}")


@dataclass
class _Bucket:
    tokens: float
    at: datetime


@dataclass
class RateLimit:
    """A token bucket per key (an address, a widget, a tenant) for one named rule."""

    name: str
    rate: Rate
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def _refilled(self, key: str, now: datetime) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _SWEEP_AT:
                self._sweep(now)
            bucket = self._buckets[key] = _Bucket(float(self.rate.burst), now)
            return bucket
        elapsed = max(0.0, (now - bucket.at).total_seconds())
        bucket.tokens = min(float(self.rate.burst), bucket.tokens + elapsed * self._per_second)
        bucket.at = now
        return bucket

    @property
    def _per_second(self) -> float:
        return self.rate.per_minute / 60.0

    def allows(self, key: str, now: datetime) -> bool:
        """Takes a token for `key` if there is one; False (and nothing taken) if not."""
        bucket = self._refilled(key, now)
        if bucket.tokens < 1.0:
            return False
        bucket.tokens -= 1.0
        return True

    def retry_after(self, key: str, now: datetime) -> float:
        """Seconds until `key` has a token again (0 when it has one now)."""
        bucket = self._refilled(key, now)
        return max(0.0, (1.0 - bucket.tokens) / self._per_second)

    def check(self, key: str, now: datetime) -> None:
        """Takes a token for `key`, or raises `TooManyAttempts` saying when to try again."""
        if self.allows(key, now):
            return
        wait = self.retry_after(key, now)
        raise TooManyAttempts(
            f"too many requests ({self.name}); try again in {max(1, round(wait))} seconds",
            retry_after_seconds=wait,
            code="rate_limited",
            params={"limit": self.name},
        )

    def _sweep(self, now: datetime) -> None:
        full = float(self.rate.burst)
        for key in list(self._buckets):
            bucket = self._buckets[key]
            elapsed = (now - bucket.at).total_seconds()
            if bucket.tokens + elapsed * self._per_second >= full:
                del self._buckets[key]
