"""Queues: routing strategy, service-level target, overflow rules, business hours."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.directory import queues
from headset.directory.queues import QueueIn

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/queues", tags=["queues"])


@router.get("")
def list_queues(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return queues.list_queues(conn, tenant_id)


@router.get("/{queue_id}")
def get_queue(tenant_id: str, queue_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return queues.get_queue(conn, tenant_id, queue_id)


@router.put("/{queue_id}")
async def put_queue(
    tenant_id: str, queue_id: str, body: QueueIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Creates or replaces a queue; the engine applies the new settings at once."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    return await queues.save_queue(rt.host, tenant_id, queue_id, body, actor=who.actor)
