"""Operations' view of a process: whether it is healthy, and its Prometheus metrics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import generate_latest
from pydantic import BaseModel
from sqlalchemy import text

if TYPE_CHECKING:
    from headset.bootstrap import Services


class Health(BaseModel):
    """Alive, the database answers, the last stored event and the agents the engine knows."""

    status: str
    last_seq: int
    agents: int


def health(services: Services) -> Health:
    """Asks the database (a read that fails raises) and reports the engine's figures."""
    with services.reader.connect() as conn:
        conn.execute(text("SELECT 1"))
    agents = len(services.host.engine.state.agents)
    return Health(status="ok", last_seq=services.hub.last_seq, agents=agents)


def metrics_text(services: Services) -> bytes:
    """The metrics in Prometheus' text format, the gauges read from the engine and hub now."""
    metric = services.metrics
    metric.waiting.clear()
    counts: dict[str, int] = {}
    for contact in list(services.host.engine.state.contacts.values()):
        if contact.is_in_line:
            counts[contact.queue_id] = counts.get(contact.queue_id, 0) + 1
    for queue_id in services.host.engine.state.queues:
        metric.waiting.labels(queue_id).set(counts.get(queue_id, 0))
    metric.clients.set(services.hub.subscriber_count)
    return bytes(generate_latest(metric.registry))
