"""Agents' routing profiles: skills, languages, capacity, team and queues.

An agent's state (available, away) is not the directory's: see the agent handling actions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select
from sqlalchemy import Engine as SqlEngine

from headset.access.caller import Caller
from headset.access.permissions import Permission, Scope
from headset.core.errors import Conflict, Forbidden, NotFound
from headset.directory.events import DirectoryEventType as E
from headset.directory.names import Name, Slug
from headset.directory.registrar import Change, Kind, save
from headset.directory.rules import check_proficiencies, check_same_id
from headset.routing.commands import RegisterAgent
from headset.routing.model import AgentProfile, Channel, Membership
from headset.service.host import EngineHost
from headset.storage import codec
from headset.storage.tables import agents, queues, skills, teams, user_tenants


def agent_view(row: Any) -> dict[str, Any]:
    """An agent as the API shows it: the profile as it was sent."""
    return {
        "agent_id": row.agent_id,
        "display_name": row.display_name,
        "user_id": row.user_id,
        "team_id": row.team_id,
        **row.profile["input"],
    }


AGENTS = Kind(
    agents, "agent_id", "agent", E.AGENT_SAVED, None,
    stream=lambda _, agent_id: f"agent-settings:{agent_id}", view=agent_view,
)  # fmt: skip


class MembershipIn(BaseModel):
    """A queue the agent takes contacts of, at a tier."""

    model_config = ConfigDict(extra="forbid")
    queue_id: str
    tier: int = Field(default=1, ge=1, le=10)
    position: int = Field(default=0, ge=0, le=100_000)


class AgentIn(BaseModel):
    """An agent as clients send it."""

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
        """The engine's profile of the agent."""
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


class AgentOut(AgentIn):
    """A stored agent: the profile as it was sent."""

    # what was stored is shown as stored, even a field a later release no longer takes
    model_config = ConfigDict(extra="allow")

    agent_id: str
    display_name: str


class AgentNow(AgentOut):
    """A stored agent with the state the engine holds now."""

    state: str
    reason: str | None


def list_agents(
    conn: Connection,
    tenant_id: str,
    scope: Scope = Scope.TENANT,
    *,
    own_agent_id: str | None = None,
    led_teams: Collection[str] = (),
) -> list[dict[str, Any]]:
    """The tenant's agents by id that a caller reading with `scope` sees (`is_visible`)."""
    query = select(agents).where(agents.c.tenant_id == tenant_id).order_by(agents.c.agent_id)
    return [
        agent_view(r)
        for r in conn.execute(query)
        if is_visible(scope, r.agent_id, r.team_id, own_agent_id=own_agent_id, led_teams=led_teams)
    ]


def is_visible(
    scope: Scope,
    agent_id: str,
    team_id: str | None,
    *,
    own_agent_id: str | None,
    led_teams: Collection[str],
) -> bool:
    """Whether a caller reading agents with `scope` sees this agent: themselves only, the
    agents of the teams they lead, or every agent of the tenant."""
    if scope is Scope.OWN:
        return agent_id == own_agent_id
    if scope is Scope.TEAM:
        return team_id in led_teams or agent_id == own_agent_id
    return True


def check_may_act_for(
    who: Caller, tenant_id: str, agent_id: str, team_id: str | None, refusal: str
) -> None:
    """The agent themself, or someone who may set other agents' state and sees this one (a
    team leader: the agents of their own teams); `refusal` says what was refused."""
    if agent_id == who.agent_id:
        who.check(tenant_id, Permission.AGENT_STATE_OWN)
        return
    scope = who.check(tenant_id, Permission.AGENT_STATE_ANY)
    if not is_visible(scope, agent_id, team_id, own_agent_id=who.agent_id, led_teams=who.led_teams):
        raise Forbidden(refusal)


def find_agent(
    conn: Connection,
    tenant_id: str,
    agent_id: str,
    scope: Scope = Scope.TENANT,
    *,
    own_agent_id: str | None = None,
    led_teams: Collection[str] = (),
) -> dict[str, Any]:
    """One agent of the tenant that a caller reading with `scope` sees, or NotFound."""
    where = (agents.c.tenant_id == tenant_id, agents.c.agent_id == agent_id)
    row = conn.execute(select(agents).where(*where)).first()
    if row is None or not is_visible(
        scope, agent_id, row.team_id, own_agent_id=own_agent_id, led_teams=led_teams
    ):
        raise NotFound(f"no agent {agent_id!r} in tenant {tenant_id!r}")
    return agent_view(row)


def _exists(conn: Connection, column: Any, tenant_id: str, value: str) -> bool:
    where = (column.table.c.tenant_id == tenant_id, column == value)
    return conn.execute(select(column).where(*where)).first() is not None


def _validate(conn: Connection, tenant_id: str, body: AgentIn) -> None:
    """Everything an agent names must belong to the same tenant."""
    known_queues = set(
        conn.execute(select(queues.c.queue_id).where(queues.c.tenant_id == tenant_id)).scalars()
    )
    for m in body.queues:
        if m.queue_id not in known_queues:
            raise NotFound(f"no queue {m.queue_id!r} in this tenant; create it first")
    known_skills = set(
        conn.execute(select(skills.c.skill_id).where(skills.c.tenant_id == tenant_id)).scalars()
    )
    unknown = sorted(set(body.skills) - known_skills)
    if unknown:
        raise NotFound(f"unknown skills {unknown}; create them under /skills first")
    if body.team_id is not None and not _exists(conn, teams.c.team_id, tenant_id, body.team_id):
        raise NotFound(f"no team {body.team_id!r} in this tenant")
    if body.user_id is not None and not _exists(
        conn, user_tenants.c.user_id, tenant_id, body.user_id
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


async def save_agent(
    host: EngineHost,
    reader: SqlEngine,
    tenant_id: str,
    agent_id: str,
    body: AgentIn,
    *,
    actor: str,
    routed: Callable[[AgentProfile], AgentProfile] | None = None,
) -> dict[str, Any]:
    """Creates or replaces an agent; routing uses the new profile at once.

    `routed` is the profile the engine gets (with voice on, calls go to registered
    softphones only: decisions/0007).
    """
    check_same_id("agent_id", body.agent_id, agent_id)
    check_proficiencies(body.skills.values())

    def validate() -> None:
        with reader.connect() as conn:
            _validate(conn, tenant_id, body)

    await asyncio.to_thread(validate)  # reads off the writer: it only checks names
    profile = body.profile()
    exclude = {"agent_id", "display_name", "user_id", "team_id"}
    values = {
        "display_name": body.display_name,
        "user_id": body.user_id,
        "team_id": body.team_id,
        "profile": {
            "input": body.model_dump(mode="json", exclude=exclude),
            "profile": codec.encode_value(profile, AgentProfile),
        },
    }
    change = Change(
        tenant_id, agent_id, values, actor, host.clock.now(),
        data={"agent_id": agent_id, **values},
        # again in the writer: another request may have linked the user meanwhile
        check=lambda conn: _check_user_free(conn, body),
        commands=[RegisterAgent(routed(profile) if routed is not None else profile)],
        agents=[(agent_id, tenant_id, body.team_id)],
    )  # fmt: skip
    return await save(host, AGENTS, change)
