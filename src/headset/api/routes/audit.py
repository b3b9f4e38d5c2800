"""The audit trail of a tenant: who changed or viewed what, from the event log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/audit", tags=["audit"])

#: Event types of the audit trail: configuration and people changes, personal-data reads.
AUDITED_PREFIXES = ("directory.", "audit.", "contact.")
#: The largest sequence number the event log can hold (a signed 64-bit integer).
MAX_SEQ = 2**63 - 1


@router.get("")
def audit_trail(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    after: int = Query(default=0, ge=0, le=MAX_SEQ),
    limit: int = Query(default=100, ge=1, le=1000),
) -> dict[str, Any]:
    """Oldest first from `after`; pass `next_after` back for the next page."""
    who.check(tenant_id, Permission.AUDIT_READ)
    items: list[dict[str, Any]] = []
    cursor = after
    # read in pages: engine events of the tenant are skipped, they are not the audit trail
    while len(items) < limit:
        page = rt.host.event_log.read(after=cursor, limit=1000, tenant_ids=[tenant_id])
        if not page:
            break
        for event in page:
            cursor = event.seq
            if event.type.startswith(AUDITED_PREFIXES):
                items.append(
                    {
                        "seq": event.seq,
                        "type": event.type,
                        "actor": event.actor,
                        "occurred_at": event.occurred_at,
                        "data": event.payload,
                    }
                )
                if len(items) == limit:
                    break
    return {"items": items, "next_after": cursor}
