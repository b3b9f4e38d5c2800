"""Tenants, users and memberships through their actions, on SQLite with a fake clock."""

from __future__ import annotations

import pytest

from headset.access.passwords import Passwords
from headset.access.roles import Role
from headset.core.errors import Conflict, Forbidden
from headset.directory import agents, memberships, tenants, users
from headset.directory.events import DirectoryEventType as E
from headset.directory.events import decode
from headset.service.host import EngineHost

pytestmark = pytest.mark.asyncio
ADMIN = "user:admin"
#: Cheap hashing: these tests are about the directory, not about argon2's cost.
PASSWORDS = Passwords(time_cost=1, memory_cost=16, parallelism=1)


def _types(host: EngineHost, after: int) -> list[E]:
    return [e.type for e in decode(host.event_log.read(after))]


async def _user(host: EngineHost, tenant_id: str = "t1") -> str:
    body = users.UserIn(
        username="ann", display_name="Ann", role=Role.SUPERVISOR, password="correct horse 42"
    )
    made = await users.create_user(host, PASSWORDS, tenant_id, body, actor=ADMIN)
    return str(made["user_id"])


async def test_a_new_tenant_gets_its_time_zone_and_its_id_is_never_taken_twice(
    host: EngineHost,
) -> None:
    seq = host.event_log.last_seq()
    body = tenants.TenantIn(tenant_id="t3", name="Riga", time_zone="Europe/Riga")

    made = await tenants.create_tenant(host, body, actor=ADMIN)
    with pytest.raises(Conflict, match="tenant 't3' exists already"):
        await tenants.create_tenant(host, body, actor=ADMIN)
    patch = tenants.TenantPatch(time_zone="Europe/Amsterdam")
    changed = await tenants.update_tenant(host, "t3", patch, actor=ADMIN)

    assert made == {"tenant_id": "t3", "name": "Riga", "time_zone": "Europe/Riga",
                    "is_active": True}  # fmt: skip
    assert changed["time_zone"] == "Europe/Amsterdam"
    assert host.tenancy.time_zone_of("t3") == "Europe/Amsterdam"  # learnt from the events
    assert _types(host, seq) == [E.TENANT_CREATED, E.TENANT_UPDATED]


async def test_a_user_of_two_tenants_is_changed_by_the_centers_admin_only(
    host: EngineHost,
) -> None:
    user_id = await _user(host)
    await memberships.add_member(host, "t2", "ann", actor=ADMIN)
    patch = users.UserPatch(display_name="Ann B.")

    with pytest.raises(Forbidden, match="works for several tenants"):
        await users.update_user(
            host, PASSWORDS, "t1", user_id, patch, actor="user:manager", is_by_admin=False
        )
    changed = await users.update_user(
        host, PASSWORDS, "t1", user_id, patch, actor=ADMIN, is_by_admin=True
    )

    assert changed["display_name"] == "Ann B."


async def test_a_user_keeps_their_last_tenant_and_the_tenant_they_are_an_agent_of(
    host: EngineHost,
) -> None:
    user_id = await _user(host)
    body = agents.AgentIn(agent_id="ann", display_name="Ann", user_id=user_id)
    await agents.save_agent(host, host.db, "t1", "ann", body, actor=ADMIN)

    with pytest.raises(Conflict, match="only tenant"):
        await memberships.remove_member(host, "t1", user_id, actor=ADMIN)
    await memberships.add_member(host, "t2", "ann", actor=ADMIN)
    with pytest.raises(Conflict, match="signs in as agent 'ann'"):
        await memberships.remove_member(host, "t1", user_id, actor=ADMIN)
    seq = host.event_log.last_seq()
    await memberships.remove_member(host, "t2", user_id, actor=ADMIN)

    with host.db.connect() as conn:
        assert memberships.user_tenants_of(conn, user_id) == [{"tenant_id": "t1", "name": "t1"}]
    assert _types(host, seq) == [E.MEMBER_REMOVED]
