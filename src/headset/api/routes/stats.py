"""Real-time queue and agent statistics, for what the caller may see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from headset.access.permissions import Permission, Scope
from headset.api.deps import Caller, Rt
from headset.api.principal import Principal
from headset.api.runtime import Runtime
from headset.storage.tables import teams

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


def team_targets(rt: Runtime, tenant_id: str) -> dict[str, float]:
    """Each team's target of contacts per hour, for the teams that have one (cached until
    the directory changes, see `Runtime.team_targets`)."""
    cached = rt.team_targets.get(tenant_id)
    if cached is not None:
        return cached
    query = select(teams.c.team_id, teams.c.contacts_per_hour_target).where(
        teams.c.tenant_id == tenant_id, teams.c.contacts_per_hour_target.is_not(None)
    )
    with rt.reader.connect() as conn:
        found = {r.team_id: float(r.contacts_per_hour_target) for r in conn.execute(query)}
    rt.team_targets[tenant_id] = found
    return found


def agent_stats(rt: Runtime, tenant_id: str, who: Principal, scope: Scope) -> list[dict[str, Any]]:
    """Each agent's row carries their team's target, so the desktop shows it beside the figure."""
    host, now = rt.host, rt.now()
    targets = team_targets(rt, tenant_id)
    rows = []
    for agent_id, (tenant, team) in sorted(host.tenancy.agents.items()):
        if tenant != tenant_id or agent_id not in host.engine.state.agents:
            continue
        if scope is Scope.OWN and agent_id != who.agent_id:
            continue
        if scope is Scope.TEAM and team not in who.led_teams and agent_id != who.agent_id:
            continue
        figures = host.stats.agent_stats(host.engine.state, agent_id, now)
        target = targets.get(team) if team else None
        rows.append({**figures, "team_id": team, "contacts_per_hour_target": target})
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
