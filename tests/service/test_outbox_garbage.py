"""The outbox runs once per commit batch, hundreds of times a second: it must leave no cycles.

Cyclic garbage is freed only by the collector, in one pause for all of it; at 200 contacts/s a
statement built per batch left ~5,000 objects a second, and the pause that freed them (50 ms)
was the service's worst latency (docs/service.md, "Speed").
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from headset.core.clock import FakeClock
from headset.service.webhook_outbox import WebhookOutbox
from headset.storage.database import make_engine
from headset.storage.event_log import StoredEvent
from headset.storage.migrate import upgrade
from headset.storage.tables import tenants, webhook_deliveries, webhooks

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sa.Engine]:
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _event(seq: int, tenant_id: str) -> StoredEvent:
    return StoredEvent(
        seq=seq,
        stream_id=f"contact-{seq}",
        version=1,
        type="routing.contact_queued",
        payload={"contact_id": f"c{seq}"},
        occurred_at=NOW,
        recorded_at=NOW,
        tenant_id=tenant_id,
        actor=None,
        correlation_id=None,
    )


def test_enqueueing_a_batch_leaves_no_cyclic_garbage(db: sa.Engine) -> None:
    with db.begin() as conn:
        for tenant_id in ("t1", "t2"):
            conn.execute(
                sa.insert(tenants).values(tenant_id=tenant_id, name=tenant_id, created_at=NOW)
            )
        conn.execute(
            sa.insert(webhooks).values(
                webhook_id="w1",
                tenant_id="t1",
                url="https://crm.example.com/hook",
                secret="s" * 32,
                event_types=[],
                is_active=True,
                created_at=NOW,
            )
        )
    outbox = WebhookOutbox(db, FakeClock(NOW))
    with db.begin() as conn:
        outbox.enqueue(conn, [_event(1, "t1")])  # warm SQLAlchemy's caches first
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            for seq in range(2, 52):
                outbox.enqueue(conn, [_event(seq, "t1"), _event(seq + 1000, "t2")])
            gc.collect()
            garbage = [type(o).__qualname__ for o in gc.garbage]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
        delivered = conn.execute(sa.select(sa.func.count()).select_from(webhook_deliveries))
        assert delivered.scalar_one() == 51  # one per t1 event: the work was done
    assert garbage == []
