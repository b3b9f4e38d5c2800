"""A tenant's time zone reaches its queues' settings in the engine: its day is "today"."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import Engine as SqlEngine
from sqlalchemy import insert

from headset.core.clock import FakeClock
from headset.routing.commands import ConfigureQueue
from headset.routing.model import QueueConfig
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.database import make_engine
from headset.storage.event_log import NewEvent, SqlEventLog
from headset.storage.migrate import upgrade
from headset.storage.tables import tenants
from tests.service.conftest import Center, ok

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def db(tmp_path: Path) -> AsyncIterator[SqlEngine]:
    url = f"sqlite:///{tmp_path}/day.db"
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(
            insert(tenants).values(
                tenant_id="t1", name="T1", time_zone="Europe/Riga", created_at=NOW
            )
        )
    yield db
    db.dispose()


async def _started(db: SqlEngine) -> EngineHost:
    host = EngineHost(db, SqlEventLog(db), FakeClock(NOW))
    host.boot()
    await host.start()
    return host


def _zone(host: EngineHost) -> str:
    return host.engine.state.queues["q"].tenant_time_zone


@pytest.mark.asyncio
async def test_queue_settings_stored_without_the_tenants_zone_get_it_at_start(
    db: SqlEngine,
) -> None:
    host = await _started(db)
    # as stored before queues carried their tenant's zone
    await host.submit(Operation(commands=[ConfigureQueue(QueueConfig("q", tenant_id="t1"))]))
    await host.stop()
    assert _zone(host) == "UTC"

    again = await _started(db)
    try:
        assert _zone(again) == "Europe/Riga"
    finally:
        await again.stop()


@pytest.mark.asyncio
async def test_a_tenants_new_time_zone_moves_its_queues_day(db: SqlEngine) -> None:
    host = await _started(db)
    try:
        await host.submit(
            Operation(
                commands=[
                    ConfigureQueue(QueueConfig("q", tenant_id="t1", tenant_time_zone="Europe/Riga"))
                ]
            )
        )
        changed = NewEvent(
            "tenant:t1", "directory.tenant_updated", {"time_zone": "Europe/Amsterdam"}, NOW, "t1"
        )
        await host.submit(Operation(events=[changed], tenant_id="t1"))
        for _ in range(100):  # the queue is configured again by an operation of its own
            if _zone(host) == "Europe/Amsterdam":
                break
            await asyncio.sleep(0)
        assert _zone(host) == "Europe/Amsterdam"
        assert host.tenancy.time_zone_of("t1") == "Europe/Amsterdam"
    finally:
        await host.stop()


def test_a_queue_saved_over_the_api_carries_its_tenants_zone_and_follows_it(
    center: Center,
) -> None:
    admin, engine = center.admin, center.services.host.engine
    tenant = {"tenant_id": "riga", "name": "Riga", "time_zone": "Europe/Riga"}
    ok(admin.post("/api/v1/tenants", json=tenant), 201)
    queue = {"queue_id": "riga-sales", "name": "Sales", "time_zone": "UTC"}
    ok(admin.put("/api/v1/tenants/riga/queues/riga-sales", json=queue))
    # the queue's own zone is for its opening hours; its day is the tenant's
    assert engine.state.queues["riga-sales"].tenant_time_zone == "Europe/Riga"

    ok(admin.patch("/api/v1/tenants/riga", json={"time_zone": "Europe/Amsterdam"}))
    for _ in range(500):  # configured again by an operation of its own, after the change
        if engine.state.queues["riga-sales"].tenant_time_zone == "Europe/Amsterdam":
            break
        time.sleep(0.01)
    assert engine.state.queues["riga-sales"].tenant_time_zone == "Europe/Amsterdam"
