"""Sign-in's state in one process: the per-address limit, names being checked, unknowns.

The sign-in itself (accounts/sign_in.py) reads, verifies and writes; this is what it remembers
between requests, built once per process by the composition root (bootstrap.py).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Final

from headset.access import lockout
from headset.access.rate_limits import Rate, RateLimit

#: Sign-ins a client address may try a minute (also the burst), unless configured.
DEFAULT_PER_MINUTE: Final = 30


def _default_slots() -> int:
    # argon2 runs 4 lanes per hash: more verifications at once than half the cores would only
    # queue inside the CPU and slow everything else down with them.
    return max(2, (os.cpu_count() or 2) // 2)


@dataclass
class SignInGuard:
    """Sign-in's state in one process: the per-address limit, names being checked, unknowns."""

    per_minute: int = DEFAULT_PER_MINUTE
    slots: int = field(default_factory=_default_slots)
    unknown: lockout.UnknownNames = field(default_factory=lockout.UnknownNames)
    #: Usernames whose sign-in is being checked right now.
    checking: set[str] = field(default_factory=set)
    per_address: RateLimit = field(init=False)
    #: argon2 verifications running at once, at most `slots`.
    verifying: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        rate = Rate(burst=self.per_minute, per_minute=self.per_minute)
        self.per_address = RateLimit("sign-ins per address", rate)
        self.verifying = asyncio.Semaphore(self.slots)
