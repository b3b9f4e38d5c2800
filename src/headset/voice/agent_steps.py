"""The connected agent on a live call: their leg joins, hold, mute, a blind transfer."""

from __future__ import annotations

from headset.access.caller import Caller
from headset.access.permissions import Permission
from headset.calls import call as cc
from headset.calls.call import CallStatus
from headset.calls.origins import Origin
from headset.core.errors import Conflict, Invalid, NotFound
from headset.core.ids import new_id
from headset.media.protocol import StopPrompts
from headset.routing.commands import TransferContact
from headset.routing.records import ContactStatus
from headset.service.host import EngineHost
from headset.voice.call_media import CallMedia
from headset.voice.live_call import CUSTOMER, JoinedLeg, LiveCall
from headset.voice.recording_steps import Recorder
from headset.voice.steps import CallSteps


class AgentSteps:
    """What the agent the engine connected a call to does with it."""

    def __init__(
        self, host: EngineHost, media: CallMedia, steps: CallSteps, recorder: Recorder
    ) -> None:
        self.host = host
        self.media = media
        self.steps = steps
        self.recorder = recorder

    def mine(self, who: Caller, tenant_id: str, call_id: str) -> LiveCall:
        """The live call of the caller's agent, for a caller who may handle contacts."""
        who.check(tenant_id, Permission.CONTACT_HANDLE)
        return self.connected(tenant_id, call_id, who.agent_id)

    def connected(self, tenant_id: str, call_id: str, agent_id: str | None) -> LiveCall:
        """The live call, if `agent_id` is the agent connected to it (409 otherwise)."""
        call = self.steps.calls.get(call_id)
        if call is None or call.tenant_id != tenant_id:
            raise NotFound(f"no live call {call_id!r} in tenant {tenant_id!r}")
        contact = self.host.engine.state.contacts.get(call_id)
        connected = contact.agent_id if contact is not None else None
        if agent_id is None or connected != agent_id:
            raise Conflict(f"call {call_id!r} is not connected to your agent")
        return call

    async def join(self, call: LiveCall, agent_id: str, sdp: str, actor: str) -> JoinedLeg:
        """The connected agent's leg joins; the call is answered when it first does."""
        check_connected(self.host, call.call_id, agent_id, "call")
        leg_id = new_id("leg")
        answer = await self.media.add_leg(call.call_id, leg_id, "agent", sdp)
        old, call.agent_leg = call.agent_leg, leg_id
        await self.media.remove_leg(call.call_id, old)
        if call.state.status in (CallStatus.QUEUED, CallStatus.RINGING):
            # an announcement must not go on over the agent's first words
            await self.media.send(StopPrompts(call.call_id, CUSTOMER))
            await self.steps.step(call, cc.Answer(agent_id), actor)
            # after a blind transfer the recording of the first agent's part goes on
            if call.recording_policy == "all" and call.recording_path is None:
                await self.recorder.start(call, Origin.RECORDING)
        await self.media.apply_plan(call)
        return JoinedLeg(leg_id, answer)

    async def change(self, call: LiveCall, command: cc.CallCommand, actor: str) -> None:
        """Hold, resume, mute, unmute: a step and the plan that follows from it."""
        await self.steps.step(call, command, actor)
        await self.media.apply_plan(call)

    async def transfer(
        self, call: LiveCall, queue_id: str | None, agent_id: str | None, actor: str
    ) -> None:
        """A blind transfer: the engine moves the contact, the agent's leg goes."""
        if (queue_id is None) == (agent_id is None):
            raise Invalid("transfer to exactly one of queue_id and agent_id", field="queue_id")
        check_target(self.host, call.tenant_id, queue_id, agent_id)
        command = TransferContact(call.call_id, queue_id=queue_id, agent_id=agent_id)
        await self.steps.step(call, cc.Transfer(queue_id, agent_id), actor, commands=[command])


def check_target(
    host: EngineHost, tenant_id: str, queue_id: str | None, agent_id: str | None
) -> None:
    """NotFound (naming the field) unless the queue and the agent are the tenant's."""
    tenancy = host.tenancy
    if queue_id is not None and tenancy.queues.get(queue_id) != tenant_id:
        raise NotFound(f"no queue {queue_id!r} in tenant {tenant_id!r}", field="queue_id")
    if agent_id is not None:
        place = tenancy.agents.get(agent_id)
        if place is None or place[0] != tenant_id:
            raise NotFound(f"no agent {agent_id!r} in tenant {tenant_id!r}", field="agent_id")


def check_connected(host: EngineHost, contact_id: str, agent_id: str, noun: str) -> None:
    """Conflict unless the engine connected the contact (a call, a consultation) to the agent."""
    contact = host.engine.state.contacts.get(contact_id)
    connected = contact is not None and contact.status is ContactStatus.CONNECTED
    if not connected or contact is None or contact.agent_id != agent_id:
        raise Conflict(f"{noun} {contact_id!r} is not connected to your agent")
