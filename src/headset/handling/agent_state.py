"""An agent's state: available, away (with a reason) or offline."""

from __future__ import annotations

from dataclasses import dataclass

from headset.access.caller import Caller
from headset.access.permissions import Permission
from headset.core.errors import Conflict, Invalid, NotFound
from headset.directory.agents import check_may_act_for
from headset.routing.commands import SetAgentState
from headset.routing.model import AgentState
from headset.service.host import EngineHost
from headset.service.operations import Operation


@dataclass(frozen=True, slots=True)
class AgentStateSet:
    """The agent's state (and away reason) as the engine holds it afterwards."""

    agent_id: str
    state: str
    reason: str | None


async def set_agent_state(
    host: EngineHost,
    who: Caller,
    tenant_id: str,
    agent_id: str,
    state: AgentState,
    reason: str | None,
) -> AgentStateSet:
    """Sets the agent's state; supervisors may set it for the agents they see."""
    place = host.tenancy.agents.get(agent_id)
    if place is None or place[0] != tenant_id:
        who.check(tenant_id, Permission.AGENT_READ)
        raise NotFound(f"no agent {agent_id!r} in tenant {tenant_id!r}")
    refusal = "you may set the state of the agents of your own teams only"
    check_may_act_for(who, tenant_id, agent_id, place[1], refusal)
    if state is AgentState.AWAY and not reason:
        raise Invalid("say why the agent is away: give a reason such as break or lunch")
    await host.submit(
        Operation(
            commands=[SetAgentState(agent_id, state, reason)], tenant_id=tenant_id, actor=who.actor
        )
    )
    record = host.engine.state.agents[agent_id]
    return AgentStateSet(agent_id, record.state.value, record.reason)


def own_agent(host: EngineHost, who: Caller) -> tuple[str, str]:
    """The caller's own agent and its tenant (the live stream's command names neither)."""
    if who.agent_id is None or who.agent_id not in host.tenancy.agents:
        raise Conflict("only an agent has a state; this user is no agent")
    return host.tenancy.agents[who.agent_id][0], who.agent_id
