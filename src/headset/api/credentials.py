"""A short-lived cache of verified credentials: most requests need no database read.

Entries live `ttl` seconds and the whole cache is cleared whenever users, tenants, teams,
agents or tokens change (any `directory.` event) and at every sign-in or sign-out, so a
revoked token or a disabled user is refused at once in this process.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from headset.api.principal import Credential

Clock = Callable[[], float]


class CredentialCache:
    """Verified sessions and tokens by their digest key, for `ttl` seconds."""

    def __init__(self, ttl: float = 30.0, clock: Clock = time.monotonic, limit: int = 50_000):
        self.ttl = ttl
        self._clock = clock
        self._limit = limit
        self._entries: dict[str, tuple[float, Credential]] = {}

    def get(self, key: str) -> Credential | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self._clock() - entry[0] > self.ttl:
            del self._entries[key]
            return None
        return entry[1]

    def put(self, credential: Credential) -> None:
        if len(self._entries) >= self._limit:
            self._entries.clear()  # bounded: a flood of distinct tokens cannot grow it
        self._entries[credential.key] = (self._clock(), credential)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
