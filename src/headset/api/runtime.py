"""Everything a request needs, built once per process from the settings."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy import Engine as SqlEngine
from starlette.requests import HTTPConnection

from headset.access.passwords import Passwords
from headset.api.credentials import CredentialCache
from headset.api.metrics import Metrics
from headset.api.principal import (
    Credential,
    Principal,
    admit,
    credential_key,
    load_credential,
)
from headset.api.sign_in import SignInGuard
from headset.api.token_uses import TokenUses
from headset.bus.base import Bus
from headset.config import Settings
from headset.core.clock import Clock
from headset.live.hub import LiveHub
from headset.service.host import EngineHost


@dataclass
class Runtime:
    """The process's database, engine host, live hub, bus, clock and settings."""

    settings: Settings
    db: SqlEngine
    #: Connections for reading: they never take SQLite's write lock.
    reader: SqlEngine
    host: EngineHost
    hub: LiveHub
    bus: Bus
    clock: Clock
    passwords: Passwords
    metrics: Metrics
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    #: TOTP secrets shown to a user and not yet confirmed with a code.
    pending_totp: dict[str, str] = field(default_factory=dict)
    credentials: CredentialCache = field(default_factory=CredentialCache)
    #: Each tenant's team targets of contacts per hour, read once and forgotten whenever the
    #: directory changes (the live stream sends agent figures every second).
    team_targets: dict[str, dict[str, float]] = field(default_factory=dict)
    #: When API tokens were last used, written at most once a minute per token.
    token_uses: TokenUses = field(default_factory=TokenUses)
    #: Sign-in's state in this process: per-address limit, names being checked, attempts on
    #: names without an account (service/sign_in.py).
    sign_ins: SignInGuard = field(default_factory=SignInGuard)

    def now(self) -> datetime:
        return self.clock.now()

    def principal(self, request: HTTPConnection, method: str) -> Principal:
        """Authenticates a request from the cache, reading the database on a miss."""
        credential = self.credential(request)
        if credential is None:
            key = credential_key(request, self.settings.secret_key)
            with self.reader.connect() as conn:
                credential = load_credential(conn, key)
            self.credentials.put(credential)
        return self.admit(credential, request, method)

    def admit(self, credential: Credential, request: HTTPConnection, method: str) -> Principal:
        """`admit`'s checks, and a token's use noted (in memory; written once a minute)."""
        now = self.now()
        principal = admit(credential, request, method, now)
        if principal.token_id is not None:
            self.token_uses.saw(principal.token_id, now)
        return principal

    def credential(self, request: HTTPConnection) -> Credential | None:
        """The cached credential of the request, if any (no I/O)."""
        return self.credentials.get(credential_key(request, self.settings.secret_key))


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
