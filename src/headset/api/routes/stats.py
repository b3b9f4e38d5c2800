"""Real-time queue and agent statistics, for what the caller may see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from headset.access.permissions import Permission, Scope
from headset.api.deps import Caller, Rt
from headset.api.principal import Principal
from headset.api.runtime import Runtime

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/stats", tags=["statistics"])


def queue_stats(rt: Runtime, tenant_id: str) -> list[dict[str, Any]]:
    host, now = rt.host, rt.now()
    ids = sorted(q for q, t in host.tenancy.queues.items() if t == tenant_id)
    rows = []
    for queue_id in ids:
        hours = host.tenancy.hours.get(queue_id)
        is_open = hours.is_open(now) if hours else True
        rows.append(
            {**host.stats.queue_stats(host.engine.state, queue_id, now), "is_open": is_open}
        )
    return rows


def agent_stats(rt: Runtime, tenant_id: str, who: Principal, scope: Scope) -> list[dict[str, Any]]:
    host, now = rt.host, rt.now()
    rows = []
    for agent_id, (tenant, team) in sorted(host.tenancy.agents.items()):
        if tenant != tenant_id or agent_id not in host.engine.state.agents:
            continue
        if scope is Scope.OWN and agent_id != who.agent_id:
            continue
        if scope is Scope.TEAM and team not in who.led_teams and agent_id != who.agent_id:
            continue
        rows.append({**host.stats.agent_stats(host.engine.state, agent_id, now), "team_id": team})
    return rows


@router.get("/queues")
def queues(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    """Per queue: waiting, longest wait, today's offered/answered/abandoned, SL, agents."""
    scope = who.check(tenant_id, Permission.STATS_READ)
    if scope is Scope.OWN:
        return []
    return queue_stats(rt, tenant_id)


@router.get("/agents")
def agents(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    """Per agent: state, time in state, contacts held, contacts today."""
    scope = who.check(tenant_id, Permission.STATS_READ)
    return agent_stats(rt, tenant_id, who, scope)
