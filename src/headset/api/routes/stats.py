"""Real-time queue and agent statistics, for what the caller may see."""

from __future__ import annotations

from fastapi import APIRouter

from headset.access.permissions import Permission, Scope
from headset.api.deps import Caller, Rt
from headset.service.live_figures import AgentRow, QueueRow, agent_rows, queue_rows, team_targets

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/stats", tags=["statistics"])


@router.get("/queues")
def queues(tenant_id: str, who: Caller, rt: Rt) -> list[QueueRow]:
    """Per queue: waiting, longest wait, today's offered/answered/abandoned, SL, agents."""
    scope = who.check(tenant_id, Permission.STATS_READ)
    if scope is Scope.OWN:
        return []
    return queue_rows(rt.host, tenant_id)


@router.get("/agents")
def agents(tenant_id: str, who: Caller, rt: Rt) -> list[AgentRow]:
    """Per agent: state, time in state, contacts held, contacts today."""
    scope = who.check(tenant_id, Permission.STATS_READ)
    targets = team_targets(rt.reader, rt.team_targets, tenant_id)
    return agent_rows(rt.host, tenant_id, who, scope, targets)
