"""Operations: health and Prometheus metrics (service/health.py)."""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from headset.api.deps import Rt
from headset.service.health import Health, metrics_text
from headset.service.health import health as process_health

router = APIRouter(tags=["operations"])


@router.get("/health")
def health(rt: Rt) -> Health:
    """Alive, the database answers, and the last stored event."""
    return process_health(rt)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"description": "Prometheus metrics", "content": {"text/plain": {}}}},
)
def metrics(rt: Rt) -> Response:
    return Response(metrics_text(rt), media_type=CONTENT_TYPE_LATEST)
