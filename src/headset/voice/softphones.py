"""Which agents have a registered softphone: only they are offered calls (decision 0007).

The engine knows nothing of softphones. An agent without one is registered in the engine
with a voice capacity of 0, so routing never offers them a call; registering puts the voice
capacity of the agent's saved profile back. Each change is a `RegisterAgent` through the
host, so it is in the log and replay rebuilds the same engine. At start nobody is
registered (the browsers must register again), and closing an agent's last live stream
unregisters them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any

from sqlalchemy import select

from headset.access.caller import Caller
from headset.access.permissions import Permission
from headset.calls import events as ev
from headset.calls.origins import Origin
from headset.core.errors import NotFound
from headset.directory.agents import check_may_act_for
from headset.routing.commands import RegisterAgent
from headset.routing.model import AgentProfile, Channel
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage import codec
from headset.storage.event_log import NewEvent
from headset.storage.tables import agents

log = logging.getLogger("headset.voice")


def without_voice(profile: AgentProfile) -> AgentProfile:
    capacity = {**profile.capacity, Channel.VOICE: 0}
    return dataclasses.replace(profile, capacity=capacity)


class Softphones:
    """Registered softphones and open live streams per agent, in this process."""

    def __init__(self, host: EngineHost) -> None:
        self.host = host
        self.registered: set[str] = set()
        self.streams: dict[str, int] = {}
        self._background: set[asyncio.Task[Any]] = set()

    def routing_profile(self, profile: AgentProfile) -> AgentProfile:
        """The profile routing uses: the saved one, less voice unless registered."""
        if profile.agent_id in self.registered:
            return profile
        return without_voice(profile)

    def saved_profile(self, agent_id: str) -> AgentProfile:
        with self.host.db.connect() as conn:
            row = conn.execute(
                select(agents.c.profile).where(agents.c.agent_id == agent_id)
            ).first()
        if row is None:
            raise NotFound(f"no agent {agent_id!r}")
        profile: AgentProfile = codec.decode_value(row.profile["profile"], AgentProfile)
        return profile

    async def register(self, who: Caller, tenant_id: str, agent_id: str, on: bool) -> bool:
        """Registers (or unregisters) the agent's softphone for the agent themself or for
        someone who may set that agent's state (a team leader: their own teams' agents)."""
        place = self.host.tenancy.agents.get(agent_id)
        if place is not None:
            refusal = "you may register the softphones of your own teams' agents only"
            check_may_act_for(who, tenant_id, agent_id, place[1], refusal)
        else:  # still the caller's permission first: an unknown name tells nothing to others
            own = agent_id == who.agent_id
            who.check(tenant_id, Permission.AGENT_STATE_OWN if own else Permission.AGENT_STATE_ANY)
        if place is None or place[0] != tenant_id:
            raise NotFound(f"no agent {agent_id!r} in tenant {tenant_id!r}")
        return await self.set_registered(agent_id, tenant_id, on, who.actor)

    async def set_registered(self, agent_id: str, tenant_id: str, on: bool, actor: str) -> bool:
        saved = await asyncio.to_thread(self.saved_profile, agent_id)
        if on:
            self.registered.add(agent_id)
        else:
            self.registered.discard(agent_id)
        changed = ev.SoftphoneChanged(self.host.clock.now(), agent_id, tenant_id, on)
        event = NewEvent(
            stream_id=f"agent:{agent_id}",
            type=changed.name,
            payload=changed.data,
            occurred_at=changed.at,
            tenant_id=tenant_id,
            actor=actor,
        )
        try:
            await self.host.submit(
                Operation(
                    commands=[RegisterAgent(self.routing_profile(saved))],
                    events=[event],
                    tenant_id=tenant_id,
                    actor=actor,
                )
            )
        except BaseException:
            (self.registered.discard if on else self.registered.add)(agent_id)
            raise
        return on

    async def unregister_all(self) -> None:
        """At start: every agent's voice capacity to 0 in the engine (none is registered)."""
        commands = [
            RegisterAgent(without_voice(a.profile))
            for a in self.host.engine.state.agents.values()
            if a.profile.capacity.get(Channel.VOICE, 0) > 0
        ]
        if commands:
            await self.host.submit(Operation(commands=commands, actor=Origin.SWITCHBOARD))

    def stream_opened(self, agent_id: str) -> None:
        self.streams[agent_id] = self.streams.get(agent_id, 0) + 1

    def stream_closed(self, agent_id: str) -> None:
        left = self.streams.get(agent_id, 1) - 1
        if left > 0:
            self.streams[agent_id] = left
            return
        self.streams.pop(agent_id, None)
        if agent_id in self.registered:
            place = self.host.tenancy.agents.get(agent_id)
            if place is None:
                self.registered.discard(agent_id)
                return
            task = asyncio.ensure_future(
                self.set_registered(agent_id, place[0], False, Origin.SWITCHBOARD)
            )
            self._background.add(task)
            task.add_done_callback(self._background.discard)
