"""Webhook deliveries: written in the events' own transaction (an outbox), sent afterwards.

Because a delivery row commits with its event, a crash can delay a delivery but never lose
it; the deliverer retries with back-off until the receiver answers 2xx.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from headset.core.clock import Clock
from headset.core.ids import new_id
from headset.storage.database import read_only
from headset.storage.event_log import StoredEvent
from headset.storage.tables import webhook_deliveries, webhooks
from headset.webhooks.deliverer import WebhookDeliverer
from headset.webhooks.model import Delivery, DeliveryStatus, Outcome, Webhook, delivery_body

log = logging.getLogger("headset.webhooks")

#: Contact events are what integrations subscribe to (the engine's and the notes).
CONTACT_PREFIXES = ("routing.contact_", "routing.offer_", "routing.callback_", "contact.")

#: Built once: a statement built per batch leaves its bind parameters as cyclic garbage,
#: thousands of objects a second that the collector then frees in one long pause.
_ACTIVE_WEBHOOKS = select(webhooks).where(
    webhooks.c.tenant_id.in_(bindparam("tenant_ids", expanding=True)), webhooks.c.is_active
)


class WebhookOutbox:
    """The SQL `DeliveryStore`, and the hook that enqueues deliveries for stored events."""

    def __init__(self, db: Engine, clock: Clock, *, allow_internal: bool = False) -> None:
        self.db = db
        self.allow_internal = allow_internal
        #: polling for due deliveries must not take SQLite's write lock
        self.reader = read_only(db)
        self.clock = clock

    def enqueue(self, conn: Connection, stored: list[StoredEvent]) -> None:
        """Inside the batch's transaction: one delivery per event and interested webhook."""
        wanted = [e for e in stored if e.tenant_id and e.type.startswith(CONTACT_PREFIXES)]
        if not wanted:
            return
        tenants = {e.tenant_id for e in wanted if e.tenant_id}
        hooks = [
            _webhook(r) for r in conn.execute(_ACTIVE_WEBHOOKS, {"tenant_ids": sorted(tenants)})
        ]
        if not hooks:
            return
        now = self.clock.now()
        rows = []
        for event in wanted:
            for hook in hooks:
                if hook.tenant_id == event.tenant_id and hook.wants(event.type):
                    delivery_id = new_id("d")
                    body = delivery_body(
                        delivery_id,
                        event.type,
                        event.seq,
                        event.occurred_at,
                        hook.tenant_id,
                        event.payload,
                    )
                    rows.append(
                        {
                            "delivery_id": delivery_id,
                            "tenant_id": hook.tenant_id,
                            "webhook_id": hook.webhook_id,
                            "event_seq": event.seq,
                            "event_type": event.type,
                            "body": body.decode(),
                            "attempt": 0,
                            "status": DeliveryStatus.PENDING.value,
                            "next_attempt_at": now,
                            "created_at": now,
                        }
                    )
        if rows:
            conn.execute(insert(webhook_deliveries), rows)

    # DeliveryStore ---------------------------------------------------------------------
    def due(self, now: datetime, limit: int) -> list[Delivery]:
        d = webhook_deliveries.c
        with self.reader.connect() as conn:
            rows = conn.execute(
                select(webhook_deliveries)
                .where(d.status == DeliveryStatus.PENDING.value, d.next_attempt_at <= now)
                .order_by(d.next_attempt_at, d.event_seq)
                .limit(limit)
            ).all()
        return [
            Delivery(
                delivery_id=r.delivery_id,
                webhook_id=r.webhook_id,
                tenant_id=r.tenant_id,
                event_seq=r.event_seq,
                event_type=r.event_type,
                body=r.body.encode(),
                next_attempt_at=r.next_attempt_at,
                attempt=r.attempt,
                status=DeliveryStatus(r.status),
                last_status_code=r.last_status_code,
                last_error=r.last_error,
                delivered_at=r.delivered_at,
            )
            for r in rows
        ]

    def record(self, delivery_id: str, outcome: Outcome) -> None:
        with self.db.begin() as conn:
            conn.execute(
                update(webhook_deliveries)
                .where(webhook_deliveries.c.delivery_id == delivery_id)
                .values(
                    attempt=outcome.attempt,
                    status=outcome.status.value,
                    next_attempt_at=outcome.next_attempt_at,
                    last_status_code=outcome.status_code,
                    last_error=(outcome.error or None) and outcome.error[:500],
                    delivered_at=(
                        outcome.attempted_at if outcome.status is DeliveryStatus.DELIVERED else None
                    ),
                )
            )

    def webhook(self, webhook_id: str) -> Webhook | None:
        with self.reader.connect() as conn:
            row = conn.execute(select(webhooks).where(webhooks.c.webhook_id == webhook_id)).first()
        return _webhook(row) if row is not None and row.is_active else None

    async def run(self, interval: timedelta = timedelta(seconds=1)) -> None:
        """Delivers until cancelled."""
        async with httpx.AsyncClient(follow_redirects=False) as client:
            deliverer = WebhookDeliverer(
                self, self.clock, client, allow_internal=self.allow_internal
            )
            with contextlib.suppress(asyncio.CancelledError):
                await deliverer.run_forever(interval)


def _webhook(row: object) -> Webhook:
    return Webhook(
        webhook_id=row.webhook_id,  # type: ignore[attr-defined]
        tenant_id=row.tenant_id,  # type: ignore[attr-defined]
        url=row.url,  # type: ignore[attr-defined]
        secret=row.secret,  # type: ignore[attr-defined]
        event_types=frozenset(row.event_types),  # type: ignore[attr-defined]
        is_active=row.is_active,  # type: ignore[attr-defined]
    )
