"""Whom a contact can be transferred to: the tenant's queues and agents, with their state
(the query is service/transfer_targets.py)."""

from __future__ import annotations

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt
from headset.service.transfer_targets import TransferTargets
from headset.service.transfer_targets import transfer_targets as targets

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["contact handling"])


@router.get("/transfer-targets")
async def transfer_targets(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    contact_id: str | None = Query(default=None, max_length=64),
) -> TransferTargets:
    """With `contact_id`, `can_take_now` says whether the agent would be offered that contact
    at once (available, with room on its channel, not its current holder); without it,
    whether they have room for anything."""
    who.check(tenant_id, Permission.CONTACT_TRANSFER)
    return await run_in_threadpool(
        targets, rt.host, rt.reader, tenant_id, contact_id, who.agent_id, rt.now()
    )
