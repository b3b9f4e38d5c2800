"""A directory on a real engine host on SQLite with a fake clock: two tenants, one queue each."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest_asyncio
from sqlalchemy import insert

from headset.core.clock import FakeClock
from headset.directory.queues import QueueIn, save_queue
from headset.service.host import EngineHost
from headset.storage.database import make_engine
from headset.storage.event_log import SqlEventLog
from headset.storage.migrate import upgrade
from headset.storage.tables import tenants

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TENANTS = ("t1", "t2")


@pytest_asyncio.fixture
async def host(tmp_path: Path) -> AsyncIterator[EngineHost]:
    url = f"sqlite:///{tmp_path}/directory.db"
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        for tenant_id in TENANTS:
            conn.execute(
                insert(tenants).values(tenant_id=tenant_id, name=tenant_id, created_at=NOW)
            )
    host = EngineHost(db, SqlEventLog(db), FakeClock(NOW))
    host.boot()
    await host.start()
    try:
        for tenant_id in TENANTS:
            body = QueueIn(queue_id=f"{tenant_id}-q", name="Support")
            await save_queue(host, tenant_id, f"{tenant_id}-q", body, actor="user:admin")
        yield host
    finally:
        await host.stop()
        db.dispose()
