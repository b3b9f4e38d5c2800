"""Everything a request needs, built once per process from the settings."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy import Connection
from sqlalchemy import Engine as SqlEngine
from starlette.requests import HTTPConnection

from headset.access.passwords import Passwords
from headset.api.metrics import Metrics
from headset.api.principal import Principal, resolve
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

    def now(self) -> datetime:
        return self.clock.now()

    def principal(self, conn: Connection, request: HTTPConnection, method: str) -> Principal:
        return resolve(conn, request, method, self.settings.secret_key, self.now())


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
