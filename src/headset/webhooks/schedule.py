"""When to try a failed webhook delivery again, and when to give up."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from headset.core.clock import require_aware

#: 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h: about ten and a half hours in all,
#: long enough to ride out a receiver's overnight outage.
DEFAULT_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """The waits between attempts; `jitter` spreads each wait by up to that fraction."""

    delays: tuple[timedelta, ...] = DEFAULT_DELAYS
    jitter: float = 0.0
    #: With a seed, the jitter of a given delivery and attempt is always the same.
    seed: int | None = None

    def __post_init__(self) -> None:
        if any(delay < timedelta(0) for delay in self.delays):
            raise ValueError("retry delays cannot be negative")
        if not 0.0 <= self.jitter < 1.0:
            raise ValueError(f"jitter is a fraction in [0, 1), not {self.jitter}")

    @property
    def max_attempts(self) -> int:
        """The first attempt plus one per delay."""
        return len(self.delays) + 1


def next_attempt_at(
    attempt: int, now: datetime, policy: RetryPolicy, key: str = ""
) -> datetime | None:
    """When to make attempt `attempt + 1` after attempt `attempt` failed; None to give up.

    `key` (the delivery id) varies the jitter between deliveries that failed together, so
    they do not all come back at the same moment.
    """
    require_aware(now)
    if attempt < 1:
        raise ValueError(f"attempts are counted from 1, not {attempt}")
    if attempt >= policy.max_attempts:
        return None
    delay = policy.delays[attempt - 1]
    if policy.jitter:
        # A string seed is hashed with SHA-512 by random.Random: stable across runs.
        seed = None if policy.seed is None else f"{policy.seed}:{key}:{attempt}"
        rng = random.Random(seed)  # None seeds from the operating system
        delay *= 1.0 + rng.uniform(-policy.jitter, policy.jitter)
    return now + delay
