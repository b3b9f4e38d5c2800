"""Agents: routing profile (skills, languages, capacity, queues) and agent state."""

from __future__ import annotations

from fastapi import APIRouter

from headset.access.permissions import Permission, Scope
from headset.api.deps import Caller, Rt, reading
from headset.api.principal import Principal
from headset.directory import agents
from headset.directory.agents import AgentIn, AgentNow, AgentOut
from headset.handling.agent_state import AgentStateSet, set_agent_state
from headset.handling.requests import StateIn
from headset.routing.model import AgentState

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/agents", tags=["agents"])


def visible(scope: Scope, who: Principal, agent_id: str, team_id: str | None) -> bool:
    """Whether the caller, reading agents with `scope`, sees this agent."""
    return agents.is_visible(
        scope, agent_id, team_id, own_agent_id=who.agent_id, led_teams=who.led_teams
    )


@router.get("")
def list_agents(tenant_id: str, who: Caller, rt: Rt) -> list[AgentOut]:
    scope = who.check(tenant_id, Permission.AGENT_READ)
    with reading(rt) as conn:
        found = agents.list_agents(
            conn, tenant_id, scope, own_agent_id=who.agent_id, led_teams=who.led_teams
        )
    return [AgentOut(**a) for a in found]


@router.get("/{agent_id}")
def get_agent(tenant_id: str, agent_id: str, who: Caller, rt: Rt) -> AgentNow:
    scope = who.check(tenant_id, Permission.AGENT_READ)
    with reading(rt) as conn:
        agent = agents.find_agent(
            conn, tenant_id, agent_id, scope, own_agent_id=who.agent_id, led_teams=who.led_teams
        )
    record = rt.host.engine.state.agents.get(agent_id)
    state = record.state.value if record else AgentState.OFFLINE.value
    return AgentNow(**agent, state=state, reason=record.reason if record else None)


@router.put("/{agent_id}")
async def put_agent(tenant_id: str, agent_id: str, body: AgentIn, who: Caller, rt: Rt) -> AgentOut:
    """Creates or replaces an agent; routing uses the new profile at once."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    board = rt.switchboard
    # with voice on, calls go to registered softphones only (decisions/0007)
    routed = board.softphones.routing_profile if board is not None else None
    saved = await agents.save_agent(
        rt.host, rt.reader, tenant_id, agent_id, body, actor=who.actor, routed=routed
    )
    return AgentOut(**saved)


@router.post("/{agent_id}/state")
async def set_state(
    tenant_id: str, agent_id: str, body: StateIn, who: Caller, rt: Rt
) -> AgentStateSet:
    """Available, away (with a reason) or offline; supervisors may set it for others."""
    return await set_agent_state(rt.host, who, tenant_id, agent_id, body.state, body.reason)
