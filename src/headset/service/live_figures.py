"""The wallboard's figures of a tenant for what the caller may see: its queues (open or
closed now) and its agents (with their team's target), from the engine host's live tallies."""

from __future__ import annotations

from sqlalchemy import Engine as SqlEngine
from sqlalchemy import select

from headset.access.caller import Viewer
from headset.access.permissions import Scope
from headset.reporting.realtime import AgentFigures, QueueFigures
from headset.routing.business_hours import is_open_at
from headset.service.host import EngineHost
from headset.storage.tables import teams

#: Each tenant's team targets, read once and forgotten whenever the directory changes.
TargetCache = dict[str, dict[str, float]]


class QueueRow(QueueFigures):
    """A queue's figures, and whether its business hours have it open now."""

    is_open: bool


class AgentRow(AgentFigures):
    """An agent's figures with their team's target, shown beside the figure."""

    team_id: str | None
    contacts_per_hour_target: float | None


def queue_rows(host: EngineHost, tenant_id: str) -> list[QueueRow]:
    """Per queue: waiting, longest wait, today's offered/answered/abandoned, SL, agents."""
    now = host.clock.now()
    rows = []
    for queue_id in sorted(q for q, t in host.tenancy.queues.items() if t == tenant_id):
        hours = host.tenancy.hours.get(queue_id)
        figures = host.stats.queue_stats(host.engine.state, queue_id, now)
        rows.append(QueueRow(**figures, is_open=is_open_at(hours, now)))
    return rows


def team_targets(reader: SqlEngine, cache: TargetCache, tenant_id: str) -> dict[str, float]:
    """Each team's target of contacts per hour, for the teams that have one."""
    cached = cache.get(tenant_id)
    if cached is not None:
        return cached
    query = select(teams.c.team_id, teams.c.contacts_per_hour_target).where(
        teams.c.tenant_id == tenant_id, teams.c.contacts_per_hour_target.is_not(None)
    )
    with reader.connect() as conn:
        found = {r.team_id: float(r.contacts_per_hour_target) for r in conn.execute(query)}
    cache[tenant_id] = found
    return found


def agent_rows(
    host: EngineHost, tenant_id: str, who: Viewer, scope: Scope, targets: dict[str, float]
) -> list[AgentRow]:
    """Per agent the caller may see: state, time in state, contacts held, contacts today."""
    now = host.clock.now()
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
        rows.append(AgentRow(**figures, team_id=team, contacts_per_hour_target=target))
    return rows
