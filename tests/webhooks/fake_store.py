"""FakeDeliveryStore: the DeliveryStore port in memory, for the deliverer's tests."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from datetime import datetime

from headset.webhooks import Delivery, DeliveryStatus, Outcome, Webhook


class FakeDeliveryStore:
    """Deliveries and webhooks in dicts; locked, as the deliverer calls it from threads."""

    def __init__(self, webhooks: Iterable[Webhook] = (), deliveries: Iterable[Delivery] = ()):
        self._lock = threading.Lock()
        self.webhooks = {w.webhook_id: w for w in webhooks}
        self.deliveries = {d.delivery_id: d for d in deliveries}
        self.outcomes: list[tuple[str, Outcome]] = []

    def due(self, now: datetime, limit: int) -> list[Delivery]:
        with self._lock:
            pending = [
                d
                for d in self.deliveries.values()
                if d.status is DeliveryStatus.PENDING
                and d.next_attempt_at is not None
                and d.next_attempt_at <= now
            ]
        pending.sort(key=lambda d: (d.next_attempt_at, d.event_seq))
        return pending[:limit]

    def record(self, delivery_id: str, outcome: Outcome) -> None:
        with self._lock:
            self.outcomes.append((delivery_id, outcome))
            delivery = self.deliveries[delivery_id]
            is_delivered = outcome.status is DeliveryStatus.DELIVERED
            self.deliveries[delivery_id] = dataclasses.replace(
                delivery,
                attempt=outcome.attempt,
                status=outcome.status,
                next_attempt_at=outcome.next_attempt_at,
                last_status_code=outcome.status_code,
                last_error=outcome.error,
                delivered_at=outcome.attempted_at if is_delivered else None,
            )

    def webhook(self, webhook_id: str) -> Webhook | None:
        with self._lock:
            return self.webhooks.get(webhook_id)
