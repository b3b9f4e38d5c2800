"""Whom a contact can be transferred to: the tenant's queues and agents, with their state.

The transfer itself (`POST .../contacts/{id}/transfer`) accepts any queue or agent of the
tenant, so whoever may transfer sees them all, not just their own team. Only what choosing
needs is given: ids, names, the agent's state and whether they could take the contact now;
no skills, users or away reasons.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.core.errors import NotFound
from headset.routing.model import AgentState, Channel
from headset.storage.tables import agents, queues

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["contact handling"])


@router.get("/transfer-targets")
async def transfer_targets(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    contact_id: str | None = Query(default=None, max_length=64),
) -> dict[str, Any]:
    """With `contact_id`, `can_take_now` says whether the agent would be offered that contact
    at once (available, with room on its channel, not its current holder); without it,
    whether they have room for anything."""
    who.check(tenant_id, Permission.CONTACT_TRANSFER)
    state = rt.host.engine.state
    channels = list(Channel)
    holder = None
    if contact_id is not None:
        contact = state.contacts.get(contact_id)
        if contact is None or rt.host.tenancy.contacts.get(contact_id) != tenant_id:
            raise NotFound(f"no live contact {contact_id!r} in tenant {tenant_id!r}")
        channels, holder = [contact.channel], contact.agent_id

    def read() -> tuple[list[Any], list[Any]]:
        with reading(rt) as conn:
            queue_rows = conn.execute(
                select(queues.c.queue_id, queues.c.name)
                .where(queues.c.tenant_id == tenant_id)
                .order_by(queues.c.name, queues.c.queue_id)
            ).all()
            agent_rows = conn.execute(
                select(agents.c.agent_id, agents.c.display_name)
                .where(agents.c.tenant_id == tenant_id)
                .order_by(agents.c.display_name, agents.c.agent_id)
            ).all()
            return list(queue_rows), list(agent_rows)

    queue_rows, agent_rows = await run_in_threadpool(read)
    now = rt.now()
    found_queues = []
    for row in queue_rows:
        hours = rt.host.tenancy.hours.get(row.queue_id)
        found_queues.append(
            {
                "queue_id": row.queue_id,
                "name": row.name,
                "is_open": hours.is_open(now) if hours else True,
            }
        )
    found_agents = []
    for row in agent_rows:
        record = state.agents.get(row.agent_id)
        found_agents.append(
            {
                "agent_id": row.agent_id,
                "display_name": row.display_name,
                "state": record.state.value if record else AgentState.OFFLINE.value,
                "can_take_now": record is not None
                and row.agent_id != holder
                and any(record.can_take(channel) for channel in channels),
                "is_you": row.agent_id == who.agent_id,
            }
        )
    return {"queues": found_queues, "agents": found_agents}
