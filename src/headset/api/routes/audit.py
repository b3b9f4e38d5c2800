"""The audit trail of a tenant: who changed or viewed what (service/audit_trail.py)."""

from __future__ import annotations

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt
from headset.service.audit_trail import TrailPage, trail_page

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/audit", tags=["audit"])

#: The largest sequence number the event log can hold (a signed 64-bit integer).
MAX_SEQ = 2**63 - 1


@router.get("")
async def audit_trail(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    after: int = Query(default=0, ge=0, le=MAX_SEQ),
    limit: int = Query(default=100, ge=1, le=1000),
) -> TrailPage:
    """Oldest first from `after`; pass `next_after` back for the next page."""
    who.check(tenant_id, Permission.AUDIT_READ)
    return await run_in_threadpool(trail_page, rt.host.event_log, tenant_id, after, limit)
