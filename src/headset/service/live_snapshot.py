"""What a signed-in user's live stream starts with: who they are, their agent (state, offers,
contacts held) and the wallboard figures they may see. The live stream's events then change
it as docs/live.md ("Applying events to the snapshot") says."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol

from sqlalchemy import Engine as SqlEngine

from headset.access import caller as access
from headset.access.permissions import Permission, Scope, scope_of
from headset.access.roles import Role
from headset.live.event import agent_audience, team_audience, tenant_audience
from headset.live.offers import offer_view
from headset.service.host import EngineHost
from headset.service.live_figures import TargetCache, agent_rows, queue_rows, team_targets


class Viewer(access.Viewer, Protocol):
    """The signed-in user of a stream (the API's `Principal` is one)."""

    @property
    def role(self) -> Role: ...

    @property
    def tenant_ids(self) -> frozenset[str] | None: ...

    @property
    def username(self) -> str | None: ...


class Softphones(Protocol):
    """The agents whose softphone is registered."""

    @property
    def registered(self) -> Collection[str]: ...


class Calls(Protocol):
    """What the snapshot needs of the switchboard (voice/board.py) when voice is on."""

    @property
    def consultations(self) -> Mapping[str, str]: ...

    @property
    def softphones(self) -> Softphones: ...


def consultations_of(calls: Calls | None) -> Mapping[str, str]:
    """Warm transfers' consultations and the calls they are about (none with voice off)."""
    return calls.consultations if calls is not None else {}


def tenants_of(host: EngineHost, who: Viewer) -> list[str]:
    """The tenants the user sees (every tenant with a queue or agent for the center's admin)."""
    if who.tenant_ids is not None:
        return sorted(who.tenant_ids)
    tenancy = host.tenancy
    return sorted(set(tenancy.queues.values()) | {t for t, _ in tenancy.agents.values()})


def audiences_of(host: EngineHost, who: Viewer) -> frozenset[str]:
    """Which events the user may see: their agent's, their teams', or whole tenants'."""
    keys: set[str] = set()
    if who.agent_id:
        keys.add(agent_audience(who.agent_id))
    tenants = tenants_of(host, who)
    scope = scope_of(who.role, Permission.CONTACT_READ)
    if scope in (Scope.TENANT, Scope.CENTER):
        keys |= {tenant_audience(t) for t in tenants}
    elif scope is Scope.TEAM:
        keys |= {team_audience(t, team) for t in tenants for team in who.led_teams}
    return frozenset(keys)


def figures_of(
    host: EngineHost, reader: SqlEngine, targets: TargetCache, who: Viewer
) -> dict[str, Any]:
    """Per tenant, the queue and agent figures the user may see (none for an agent)."""
    scope = scope_of(who.role, Permission.STATS_READ)
    if scope is None or scope is Scope.OWN:
        return {}
    return {
        t: {
            "queues": queue_rows(host, t),
            "agents": agent_rows(host, t, who, scope, team_targets(reader, targets, t)),
        }
        for t in tenants_of(host, who)
    }


def agent_view(host: EngineHost, calls: Calls | None, agent_id: str) -> dict[str, Any]:
    """The agent's part of the snapshot: state, pending offers, contacts held and wrapping."""
    state = host.engine.state
    agent = state.agents[agent_id]
    consultations = consultations_of(calls)
    return {
        "agent_id": agent.agent_id,
        "state": agent.state.value,
        "reason": agent.reason,
        "offers": [offer_view(o, state.contacts, consultations) for o in agent.offers.values()],
        "contacts": sorted(agent.connected),
        "wrapping": sorted(agent.wrapping),
        "softphone_registered": calls is not None and agent_id in calls.softphones.registered,
    }


def snapshot(
    host: EngineHost, reader: SqlEngine, targets: TargetCache, calls: Calls | None, who: Viewer
) -> dict[str, Any]:
    """What the user's screen shows now; built with no await, right after subscribing."""
    data: dict[str, Any] = {"user": who.username, "role": who.role.value}
    if who.agent_id and who.agent_id in host.engine.state.agents:
        data["agent"] = agent_view(host, calls, who.agent_id)
    data["stats"] = figures_of(host, reader, targets, who)
    return data
