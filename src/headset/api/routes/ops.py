"""Operations: health and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.responses import Response

from headset.api.deps import Rt

router = APIRouter(tags=["operations"])


@router.get("/health")
def health(rt: Rt) -> dict[str, Any]:
    """Alive, the database answers, and the last stored event."""
    with rt.reader.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok", "last_seq": rt.hub.last_seq, "agents": len(rt.host.engine.state.agents)}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"description": "Prometheus metrics", "content": {"text/plain": {}}}},
)
def metrics(rt: Rt) -> Response:
    metric = rt.metrics
    metric.waiting.clear()
    counts: dict[str, int] = {}
    for contact in list(rt.host.engine.state.contacts.values()):
        if contact.is_in_line:
            counts[contact.queue_id] = counts.get(contact.queue_id, 0) + 1
    for queue_id in rt.host.engine.state.queues:
        metric.waiting.labels(queue_id).set(counts.get(queue_id, 0))
    metric.clients.set(rt.hub.subscriber_count)
    return Response(generate_latest(metric.registry), media_type=CONTENT_TYPE_LATEST)
