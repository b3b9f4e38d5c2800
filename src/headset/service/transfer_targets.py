"""Whom a contact can be transferred to: the tenant's queues and agents, with their state.

The transfer itself accepts any queue or agent of the tenant, so whoever may transfer sees
them all, not just their own team. Only what choosing needs is given: ids, names, the
agent's state and whether they could take the contact now; no skills, users or away reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine as SqlEngine
from sqlalchemy import select

from headset.core.errors import NotFound
from headset.routing.model import AgentState, Channel
from headset.service.host import EngineHost
from headset.storage.tables import agents, queues


@dataclass(frozen=True, slots=True)
class QueueTarget:
    queue_id: str
    name: str
    is_open: bool


@dataclass(frozen=True, slots=True)
class AgentTarget:
    agent_id: str
    display_name: str
    state: str
    can_take_now: bool
    is_you: bool


@dataclass(frozen=True, slots=True)
class TransferTargets:
    """The tenant's queues and agents, by name."""

    queues: list[QueueTarget]
    agents: list[AgentTarget]


def transfer_targets(
    host: EngineHost,
    reader: SqlEngine,
    tenant_id: str,
    contact_id: str | None,
    my_agent_id: str | None,
    now: datetime,
) -> TransferTargets:
    """With `contact_id`, `can_take_now` says whether the agent would be offered that contact
    at once (available, with room on its channel, not its current holder); without it,
    whether they have room for anything."""
    state = host.engine.state
    channels = list(Channel)
    holder = None
    if contact_id is not None:
        contact = state.contacts.get(contact_id)
        if contact is None or host.tenancy.contacts.get(contact_id) != tenant_id:
            raise NotFound(f"no live contact {contact_id!r} in tenant {tenant_id!r}")
        channels, holder = [contact.channel], contact.agent_id
    with reader.connect() as conn:
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
    found_queues = []
    for row in queue_rows:
        hours = host.tenancy.hours.get(row.queue_id)
        found_queues.append(
            QueueTarget(row.queue_id, row.name, hours.is_open(now) if hours else True)
        )
    found_agents = []
    for row in agent_rows:
        record = state.agents.get(row.agent_id)
        found_agents.append(
            AgentTarget(
                row.agent_id,
                row.display_name,
                record.state.value if record else AgentState.OFFLINE.value,
                record is not None
                and row.agent_id != holder
                and any(record.can_take(channel) for channel in channels),
                row.agent_id == my_agent_id,
            )
        )
    return TransferTargets(found_queues, found_agents)
