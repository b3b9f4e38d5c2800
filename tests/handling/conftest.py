"""A tenant on the engine host (SQLite, fake clock): a chat queue, agent a1 of team blue and
agent a2 of team green; callers standing in for their users; timers fired by the clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest_asyncio
from sqlalchemy import insert

from headset.access.permissions import Permission, Scope, require
from headset.access.roles import Role
from headset.bootstrap import Services
from headset.contacts.start import StartContact
from headset.core.clock import FakeClock
from headset.core.errors import NotFound
from headset.routing.commands import ConfigureQueue, FireTimer, RegisterAgent
from headset.routing.model import AgentProfile, Channel, Membership, QueueConfig
from headset.service.contacts import start_contact
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.tables import dispositions, tenants
from tests.services_on_sqlite import services_on_sqlite

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TENANT = "t1"
QUEUE = "t1-chat"


@dataclass(frozen=True, slots=True)
class FakeCaller:
    """A signed-in user as the actions see one (the API's Principal has the same shape)."""

    role: Role
    agent_id: str | None = None
    led_teams: frozenset[str] = frozenset()
    user_id: str | None = None
    username: str | None = None
    tenant_ids: frozenset[str] | None = frozenset({TENANT})

    @property
    def actor(self) -> str:
        return f"user:{self.user_id}"

    def check(self, tenant_id: str, permission: Permission) -> Scope:
        if self.tenant_ids is not None and tenant_id not in self.tenant_ids:
            raise NotFound(f"no tenant {tenant_id!r}")
        return require(self.role, permission)


AGENT = FakeCaller(Role.AGENT, agent_id="a1", user_id="u1", username="ada")
OTHER_AGENT = FakeCaller(Role.AGENT, agent_id="a2", user_id="u2", username="bob")
SUPERVISOR = FakeCaller(Role.SUPERVISOR, user_id="u3", username="sue")
MANAGER = FakeCaller(Role.MANAGER, user_id="u5", username="max")
LEADER = FakeCaller(Role.TEAM_LEADER, user_id="u4", username="lea", led_teams=frozenset({"blue"}))


@dataclass
class Desk:
    """The services of one process and its fake clock."""

    services: Services
    clock: FakeClock

    @property
    def host(self) -> EngineHost:
        return self.services.host

    async def start(self, contact_id: str) -> None:
        """A chat contact starts in the queue (and is offered to an available agent)."""
        start = StartContact(TENANT, contact_id, QUEUE, Channel.CHAT)
        await start_contact(self.services.host, start, actor="test")

    async def fire_due_timers(self) -> None:
        """What the host's scheduler does when the clock reaches a timer: fire it."""
        now = self.clock.now()
        for timer in self.services.host.engine.pending_timers():
            if timer.due_at <= now:
                await self.services.host.submit(
                    Operation(commands=[FireTimer(timer.key)], actor="system:timer")
                )

    def offers_of(self, agent_id: str) -> list[str]:
        return sorted(self.services.host.engine.state.agents[agent_id].offers)


@pytest_asyncio.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    async with services_on_sqlite(tmp_path, NOW) as services:
        assert isinstance(services.clock, FakeClock)
        with services.db.begin() as conn:
            conn.execute(insert(tenants).values(tenant_id=TENANT, name="T1", created_at=NOW))
            conn.execute(
                insert(dispositions).values(tenant_id=TENANT, code="resolved", label="Resolved")
            )
        queue = ConfigureQueue(QueueConfig(QUEUE, tenant_id=TENANT))
        await services.host.submit(Operation(commands=[queue], tenant_id=TENANT))
        for agent_id, team in (("a1", "blue"), ("a2", "green")):
            profile = AgentProfile(agent_id, team_id=team, memberships=(Membership(QUEUE),))
            await services.host.submit(
                Operation(
                    commands=[RegisterAgent(profile)],
                    tenant_id=TENANT,
                    agents=[(agent_id, TENANT, team)],
                )
            )
        yield Desk(services, services.clock)
