"""Warm transfer and conference: consult a colleague while the customer holds."""

from __future__ import annotations

from dataclasses import dataclass

from headset.calls import call as cc
from headset.calls import events as ev
from headset.calls.call import CallStatus
from headset.calls.events import CallEvent
from headset.contacts.start import StartContact
from headset.core.errors import Conflict, Invalid, NotFound
from headset.core.ids import new_id
from headset.core.messages import Command
from headset.routing.commands import (
    AbandonContact,
    AcceptOffer,
    EndContact,
    EscalateContact,
    FinishWrapUp,
    TransferContact,
)
from headset.routing.model import Channel, Direction
from headset.routing.records import ContactStatus
from headset.service.contacts import Alongside, start_operation
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.voice.agent_steps import check_connected, check_target
from headset.voice.call_media import CallMedia
from headset.voice.live_call import JoinedLeg, LiveCall
from headset.voice.steps import CallSteps


@dataclass(frozen=True, slots=True)
class Consult:
    """Whom the agent consults: exactly one of a queue, an agent, any team leader."""

    queue_id: str | None = None
    agent_id: str | None = None
    team_leader: bool = False


class Consultations:
    """Consultation contacts of live calls, and the legs of the agents consulted."""

    def __init__(self, host: EngineHost, media: CallMedia, steps: CallSteps) -> None:
        self.host = host
        self.media = media
        self.steps = steps
        #: consultation contact id -> the call it consults about
        self.of_call: dict[str, str] = {}

    async def consult(
        self, call: LiveCall, target: Consult, by_agent_id: str | None, actor: str
    ) -> str:
        """The customer holds; a consultation contact is offered to the target."""
        queue_id, agent_id = target.queue_id, target.agent_id
        if sum((queue_id is not None, agent_id is not None, target.team_leader)) != 1:
            raise Invalid(
                "consult exactly one of queue_id, agent_id or team_leader", field="queue_id"
            )
        check_target(self.host, call.tenant_id, queue_id, agent_id)
        if agent_id is not None and agent_id == by_agent_id:
            raise Invalid("consult someone else", field="agent_id")
        if call.consultation_id is not None:
            raise Conflict("this call has a consultation already; complete or cancel it")
        if call.state.status is not CallStatus.CONNECTED or call.agent_leg is None:
            raise Conflict(f"call {call.call_id!r} is not connected; consult during a call")
        consultation_id = new_id("c")
        then: list[Command] = []
        if agent_id is not None:
            then.append(TransferContact(consultation_id, agent_id=agent_id))
        elif target.team_leader:
            then.append(EscalateContact(consultation_id, team_id=""))
        now = self.host.clock.now()
        start = StartContact(
            call.tenant_id,
            consultation_id,
            queue_id or call.state.queue_id or "",
            Channel.VOICE,
            Direction.OUTBOUND,
            subject="Consultation",
            external_ref=f"consultation:{call.call_id}",
        )
        also = Alongside(commands=tuple(then))
        consulting = start_operation(self.host, start, actor=actor, alongside=also, now=now)
        started = ev.ConsultationStarted(
            now, consultation_id, queue_id, agent_id, target.team_leader
        )
        self.of_call[consultation_id] = call.call_id
        call.consultation_id = consultation_id
        try:
            await self.steps.step(
                call,
                cc.Hold(),
                actor,
                commands=consulting.commands,
                write=consulting.write,
                inserts=consulting.inserts,
                more=[self.steps.stored(call.tenant_id, call.call_id, started, actor)],
            )
        except BaseException:
            self.of_call.pop(consultation_id, None)
            call.consultation_id = None
            raise
        await self.media.apply_plan(call)
        return consultation_id

    def consulting(self, tenant_id: str, consultation_id: str) -> LiveCall | None:
        """The live call a consultation is about (None: not a consultation of this tenant)."""
        parent = self.of_call.get(consultation_id)
        call = self.steps.calls.get(parent or "")
        return call if call is not None and call.tenant_id == tenant_id else None

    async def join(
        self, call: LiveCall, consultation_id: str, agent_id: str, sdp: str
    ) -> JoinedLeg:
        """The consulted agent's leg joins the call it is about."""
        check_connected(self.host, consultation_id, agent_id, "consultation")
        leg_id = new_id("leg")
        answer = await self.media.add_leg(call.call_id, leg_id, "agent", sdp)
        old, call.consult_leg = call.consult_leg, leg_id
        await self.media.remove_leg(call.call_id, old)
        await self.media.apply_plan(call)
        return JoinedLeg(leg_id, answer)

    def ending_commands(self, consultation_id: str) -> list[Command]:
        """What the engine does with the consultation contact when it is over."""
        contact = self.host.engine.state.contacts.get(consultation_id)
        if contact is None:
            return []
        if contact.status is ContactStatus.CONNECTED:
            return [EndContact(consultation_id), FinishWrapUp(consultation_id)]
        if contact.status is ContactStatus.WRAP_UP:
            return [FinishWrapUp(consultation_id)]
        return [AbandonContact(consultation_id)]

    def _check(self, call: LiveCall, consultation_id: str) -> None:
        if call.consultation_id != consultation_id:
            raise NotFound(f"no consultation {consultation_id!r} on call {call.call_id!r}")

    def _ended(self, call: LiveCall, outcome: str) -> CallEvent:
        return ev.ConsultationEnded(self.host.clock.now(), call.consultation_id, outcome)

    async def cancel(self, call: LiveCall, consultation_id: str, actor: str) -> None:
        """Back to the customer: the target leaves, the customer is taken off hold."""
        self._check(call, consultation_id)
        commands = self.ending_commands(consultation_id)
        ended = self.steps.stored(
            call.tenant_id, call.call_id, self._ended(call, "cancelled"), actor
        )
        if call.state.status is CallStatus.HELD:
            await self.steps.step(call, cc.Resume(), actor, commands=commands, more=[ended])
        else:
            await self.host.submit(Operation(commands=commands, events=[ended], actor=actor))
        leg, call.consult_leg = call.consult_leg, None
        self.of_call.pop(call.consultation_id or "", None)
        call.consultation_id, call.is_conference = None, False
        await self.media.remove_leg(call.call_id, leg)
        await self.media.apply_plan(call)

    async def conference(self, call: LiveCall, consultation_id: str, actor: str) -> None:
        """Three-way: customer, agent and target all hear each other."""
        self._check(call, consultation_id)
        if call.consult_leg is None:
            raise Conflict("the consulted agent has not joined yet")
        event = ev.CallConferenced(self.host.clock.now(), consultation_id)
        more = [self.steps.stored(call.tenant_id, call.call_id, event, actor)]
        if call.state.status is CallStatus.HELD:
            await self.steps.step(call, cc.Resume(), actor, more=more)
        else:
            await self.host.submit(Operation(events=more, actor=actor))
        call.is_conference = True
        await self.media.apply_plan(call)

    async def complete(self, call: LiveCall, consultation_id: str, actor: str) -> str:
        """The target takes the customer; the first agent leaves to wrap-up."""
        self._check(call, consultation_id)
        consult = self.host.engine.state.contacts.get(consultation_id)
        if call.consult_leg is None or consult is None or consult.agent_id is None:
            raise Conflict("the consulted agent has not joined yet")
        target = consult.agent_id
        contact = self.host.engine.state.contacts[call.call_id]
        offer_id = f"{call.call_id}~{contact.offer_count + 1}"
        commands: list[Command] = [
            *self.ending_commands(consultation_id),
            TransferContact(call.call_id, agent_id=target),
            AcceptOffer(offer_id),
        ]
        steps: list[cc.CallCommand] = [cc.Transfer(agent_id=target, mode="warm"), cc.Answer(target)]
        ended = self._ended(call, "completed")
        await self.steps.steps(call, steps, actor, commands=commands, before=[ended])
        old, call.agent_leg, call.consult_leg = call.agent_leg, call.consult_leg, None
        self.of_call.pop(consultation_id, None)
        call.consultation_id, call.is_conference = None, False
        await self.media.remove_leg(call.call_id, old)
        await self.media.apply_plan(call)
        return target
