"""A supervisor on a call: listen, whisper and barge as a third leg, leave, take over."""

from __future__ import annotations

from headset.calls import call as cc
from headset.calls.call import CallStatus
from headset.core.errors import Conflict, NotFound
from headset.core.ids import new_id
from headset.routing.commands import AcceptOffer, TransferContact
from headset.routing.model import Channel
from headset.service.host import EngineHost
from headset.voice.call_media import CallMedia
from headset.voice.live_call import JoinedLeg, LiveCall
from headset.voice.steps import CallSteps


class Supervision:
    """Supervisors' legs on live calls and the steps they take."""

    def __init__(self, host: EngineHost, media: CallMedia, steps: CallSteps) -> None:
        self.host = host
        self.media = media
        self.steps = steps

    async def join(
        self, call: LiveCall, user_id: str, mode: str, sdp: str, actor: str
    ) -> JoinedLeg:
        """The supervisor's leg joins in `mode`; its id and the answer SDP come back."""
        if call.supervisor_leg is not None:
            raise Conflict("a supervisor is on this call already")
        if call.agent_leg is None or call.state.status is not CallStatus.CONNECTED:
            raise Conflict(f"call {call.call_id!r} has no agent talking on it")
        leg_id = new_id("sup")
        answer = await self.media.add_leg(call.call_id, leg_id, "supervisor", sdp)
        try:
            await self.steps.step(call, cc.JoinSupervisor(user_id, mode), actor)
        except BaseException:
            await self.media.remove_leg(call.call_id, leg_id)
            raise
        call.supervisor_leg = leg_id
        await self.media.apply_plan(call)
        return JoinedLeg(leg_id, answer)

    async def switch(
        self, call: LiveCall, leg_id: str, user_id: str, mode: str, actor: str
    ) -> None:
        """The supervisor on the call listens, whispers or barges now."""
        if leg_id != call.supervisor_leg:
            raise NotFound(f"no supervisor leg {leg_id!r} on this call")
        await self.steps.step(call, cc.JoinSupervisor(user_id, mode), actor)
        await self.media.apply_plan(call)

    async def leave(self, call: LiveCall, leg_id: str, actor: str) -> None:
        """The supervisor's leg goes."""
        if leg_id != call.supervisor_leg:
            raise NotFound(f"no supervisor leg {leg_id!r} on this call")
        call.supervisor_leg = None
        await self.media.remove_leg(call.call_id, leg_id)
        if call.state.supervisor_user_id is not None:
            await self.steps.step(call, cc.LeaveSupervisor(), actor)
        await self.media.apply_plan(call)

    async def take_over(
        self, call: LiveCall, user_id: str, agent_id: str | None, actor: str
    ) -> str:
        """The supervisor's leg becomes the agent's; the engine moves the contact to the
        supervisor's agent and releases the other (wrap-up), all in one operation. Returns
        the released agent's id."""
        if call.supervisor_leg is None or call.state.supervisor_user_id != user_id:
            raise Conflict("join the call first (POST .../monitor), then take it over")
        agent = self.host.engine.state.agents.get(agent_id or "")
        if agent_id is None or agent is None:
            raise Conflict("taking over needs an agent profile of your own; barge in instead")
        if not agent.can_take(Channel.VOICE):
            raise Conflict("your agent cannot take a call now: set yourself available")
        contact = self.host.engine.state.contacts[call.call_id]
        released = contact.agent_id or ""
        offer_id = f"{call.call_id}~{contact.offer_count + 1}"
        steps: list[cc.CallCommand] = [
            cc.LeaveSupervisor(),
            cc.Transfer(agent_id=agent_id),
            cc.Answer(agent_id),
        ]
        commands = [TransferContact(call.call_id, agent_id=agent_id), AcceptOffer(offer_id)]
        await self.steps.steps(call, steps, actor, commands=commands)
        old, call.agent_leg, call.supervisor_leg = call.agent_leg, call.supervisor_leg, None
        await self.media.remove_leg(call.call_id, old)
        await self.media.apply_plan(call)
        return released
