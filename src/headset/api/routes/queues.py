"""Queues: routing strategy, service-level target, overflow rules, business hours."""

from __future__ import annotations

from fastapi import APIRouter

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.directory import queues
from headset.directory.queues import QueueIn, QueueOut

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/queues", tags=["queues"])


@router.get("")
def list_queues(tenant_id: str, who: Caller, rt: Rt) -> list[QueueOut]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return [QueueOut(**q) for q in queues.list_queues(conn, tenant_id)]


@router.get("/{queue_id}")
def get_queue(tenant_id: str, queue_id: str, who: Caller, rt: Rt) -> QueueOut:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return QueueOut(**queues.get_queue(conn, tenant_id, queue_id))


@router.put("/{queue_id}")
async def put_queue(tenant_id: str, queue_id: str, body: QueueIn, who: Caller, rt: Rt) -> QueueOut:
    """Creates or replaces a queue; the engine applies the new settings at once."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    return QueueOut(**await queues.save_queue(rt.host, tenant_id, queue_id, body, actor=who.actor))
