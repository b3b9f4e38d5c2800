"""Agents: routing profile (skills, languages, capacity, queues) and agent state."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission, Scope
from headset.api.deps import Caller, Name, Rt, Slug, reading
from headset.api.directory_events import directory_event
from headset.api.principal import Principal
from headset.core.errors import Conflict, Invalid, NotFound
from headset.handling.agent_state import AgentStateSet, set_agent_state
from headset.routing.commands import RegisterAgent
from headset.routing.model import AgentProfile, AgentState, Channel, Membership
from headset.service.operations import Operation
from headset.storage import codec
from headset.storage.tables import agents, queues, skills, teams, user_tenants
from headset.storage.upsert import save_row

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/agents", tags=["agents"])


class MembershipIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue_id: str
    tier: int = Field(default=1, ge=1, le=10)
    position: int = Field(default=0, ge=0, le=100_000)


class AgentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agent_id: Slug
    display_name: Name
    user_id: str | None = None
    team_id: str | None = None
    is_team_leader: bool = False
    skills: dict[str, int] = Field(default={}, max_length=100)
    languages: list[str] = Field(default=[], max_length=20)
    capacity: dict[Channel, int] = {Channel.VOICE: 1, Channel.CHAT: 3, Channel.EMAIL: 2}
    queues: list[MembershipIn] = Field(default=[], max_length=200)
    auto_answer: bool = False

    def profile(self) -> AgentProfile:
        return AgentProfile(
            agent_id=self.agent_id,
            skills=dict(self.skills),
            languages=frozenset(self.languages),
            team_id=self.team_id,
            is_team_leader=self.is_team_leader,
            capacity={c: self.capacity.get(c, 0) for c in Channel},
            memberships=tuple(Membership(m.queue_id, m.tier, m.position) for m in self.queues),
            auto_answer=self.auto_answer,
        )


class StateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    state: AgentState
    reason: str | None = Field(default=None, max_length=64)


def agent_body(row: Any) -> dict[str, Any]:
    return {
        "agent_id": row.agent_id,
        "display_name": row.display_name,
        "user_id": row.user_id,
        "team_id": row.team_id,
        **row.profile["input"],
    }


def visible(scope: Scope, who: Principal, agent_id: str, team_id: str | None) -> bool:
    if scope is Scope.OWN:
        return agent_id == who.agent_id
    if scope is Scope.TEAM:
        return team_id in who.led_teams or agent_id == who.agent_id
    return True


@router.get("")
def list_agents(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    scope = who.check(tenant_id, Permission.AGENT_READ)
    with reading(rt) as conn:
        rows = conn.execute(
            select(agents).where(agents.c.tenant_id == tenant_id).order_by(agents.c.agent_id)
        )
        return [agent_body(r) for r in rows if visible(scope, who, r.agent_id, r.team_id)]


@router.get("/{agent_id}")
def get_agent(tenant_id: str, agent_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    scope = who.check(tenant_id, Permission.AGENT_READ)
    with reading(rt) as conn:
        row = conn.execute(
            select(agents).where(agents.c.tenant_id == tenant_id, agents.c.agent_id == agent_id)
        ).first()
    if row is None or not visible(scope, who, row.agent_id, row.team_id):
        raise NotFound(f"no agent {agent_id!r} in tenant {tenant_id!r}")
    record = rt.host.engine.state.agents.get(agent_id)
    state = record.state.value if record else AgentState.OFFLINE.value
    return {**agent_body(row), "state": state, "reason": record.reason if record else None}


def _validate(conn: Connection, tenant_id: str, body: AgentIn) -> None:
    """Everything an agent names must belong to the same tenant."""
    known_queues = {
        r.queue_id
        for r in conn.execute(select(queues.c.queue_id).where(queues.c.tenant_id == tenant_id))
    }
    for m in body.queues:
        if m.queue_id not in known_queues:
            raise NotFound(f"no queue {m.queue_id!r} in this tenant; create it first")
    known_skills = {
        r.skill_id
        for r in conn.execute(select(skills.c.skill_id).where(skills.c.tenant_id == tenant_id))
    }
    unknown = sorted(set(body.skills) - known_skills)
    if unknown:
        raise NotFound(f"unknown skills {unknown}; create them under /skills first")
    if (
        body.team_id is not None
        and conn.execute(
            select(teams.c.team_id).where(
                teams.c.tenant_id == tenant_id, teams.c.team_id == body.team_id
            )
        ).first()
        is None
    ):
        raise NotFound(f"no team {body.team_id!r} in this tenant")
    if (
        body.user_id is not None
        and conn.execute(
            select(user_tenants.c.user_id).where(
                user_tenants.c.tenant_id == tenant_id, user_tenants.c.user_id == body.user_id
            )
        ).first()
        is None
    ):
        raise NotFound(f"no user {body.user_id!r} in this tenant")
    _check_user_free(conn, body)
    owner = conn.execute(
        select(agents.c.tenant_id).where(agents.c.agent_id == body.agent_id)
    ).first()
    if owner is not None and owner.tenant_id != tenant_id:
        raise Conflict(
            f"agent id {body.agent_id!r} is taken; choose another",
            field="agent_id",
            code="taken",
            params={"value": body.agent_id},
        )


def _check_user_free(conn: Connection, body: AgentIn) -> None:
    """A user is at most one agent (agents.user_id is unique): a second link is a conflict."""
    if body.user_id is None:
        return
    other = conn.execute(
        select(agents.c.agent_id).where(
            agents.c.user_id == body.user_id, agents.c.agent_id != body.agent_id
        )
    ).first()
    if other is not None:
        raise Conflict(
            f"user {body.user_id!r} is already agent {other.agent_id!r}; a user is one agent",
            field="user_id",
            code="taken",
            params={"value": body.user_id},
        )


@router.put("/{agent_id}")
async def put_agent(
    tenant_id: str, agent_id: str, body: AgentIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Creates or replaces an agent; routing uses the new profile at once."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    if body.agent_id != agent_id:
        raise Conflict(f"the body's agent_id {body.agent_id!r} differs from the URL's")
    if any(not 1 <= level <= 10 for level in body.skills.values()):
        raise Invalid(
            "skill proficiencies are 1-10",
            field="skills",
            code="proficiency_range",
            params={"min": 1, "max": 10},
        )

    def validate() -> None:
        with reading(rt) as conn:
            _validate(conn, tenant_id, body)

    await run_in_threadpool(validate)
    profile = body.profile()
    board = rt.switchboard
    # with voice on, calls go to registered softphones only (decisions/0007)
    routed = board.softphones.routing_profile(profile) if board is not None else profile
    row = {
        "display_name": body.display_name,
        "user_id": body.user_id,
        "team_id": body.team_id,
        "profile": {
            "input": body.model_dump(
                mode="json", exclude={"agent_id", "display_name", "user_id", "team_id"}
            ),
            "profile": codec.encode_value(profile, AgentProfile),
        },
    }

    def write(conn: Connection) -> Any:
        _check_user_free(conn, body)  # again in the writer: another request may have won
        keys = {"tenant_id": tenant_id, "agent_id": agent_id}
        return agent_body(save_row(conn, agents, keys, row))

    event = directory_event(
        "agent_saved",
        tenant_id,
        f"agent-settings:{agent_id}",
        {"agent_id": agent_id, **row},
        rt.now(),
        who,
    )
    outcome = await rt.host.submit(
        Operation(
            commands=[RegisterAgent(routed)],
            write=write,
            events=[event],
            tenant_id=tenant_id,
            actor=who.actor,
            agents=[(agent_id, tenant_id, body.team_id)],
        )
    )
    return dict(outcome.written)


@router.post("/{agent_id}/state")
async def set_state(
    tenant_id: str, agent_id: str, body: StateIn, who: Caller, rt: Rt
) -> AgentStateSet:
    """Available, away (with a reason) or offline; supervisors may set it for others."""
    return await set_agent_state(rt.host, who, tenant_id, agent_id, body.state, body.reason)
