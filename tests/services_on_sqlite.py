"""A process's services on SQLite with a fake clock, for tests of actions without HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from headset.access.passwords import FAST_FOR_TESTS
from headset.bootstrap import Services, start_services, stop_services
from headset.config import Settings
from headset.core.clock import FakeClock


@asynccontextmanager
async def services_on_sqlite(
    folder: Path, now: datetime, **settings: Any
) -> AsyncIterator[Services]:
    """Started services on a new database in `folder`, their clock stopped at `now`;
    `settings` change the defaults (a fixed secret key, so sealed values can be read)."""
    chosen = Settings(
        **{
            "database_url": f"sqlite:///{folder / 'headset.db'}",
            "secret_key": "k" * 32,
            "is_secret_generated": False,
            **settings,
        }
    )
    services = await start_services(chosen, clock=FakeClock(now), passwords=FAST_FOR_TESTS)
    try:
        yield services
    finally:
        await stop_services(services)
