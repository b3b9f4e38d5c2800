"""Warm transfer and conference: consult a colleague while the customer holds."""

from __future__ import annotations

import contextlib
import copy
from typing import TYPE_CHECKING

from headset.calls import call as cc
from headset.calls import events as ev
from headset.calls.call import CallStatus
from headset.calls.events import CallEvent
from headset.contacts.start import StartContact
from headset.core.errors import Conflict, NotFound
from headset.core.ids import new_id
from headset.core.messages import Command
from headset.media.protocol import (
    AddParty,
    Answer,
    RemoveParty,
)
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
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.voice.parts import BoardParts

if TYPE_CHECKING:
    from headset.voice.board import LiveCall


class ConsultationSteps:
    """The switchboard's consultation steps (a mixin of `Switchboard`)."""

    # consultations (warm transfer, conference) -----------------------------------------
    async def consult(
        self: BoardParts,
        call: LiveCall,
        *,
        queue_id: str | None,
        agent_id: str | None,
        team_leader: bool,
        actor: str,
    ) -> str:
        """The customer holds; a consultation contact is offered to the target."""
        if call.consultation_id is not None:
            raise Conflict("this call has a consultation already; complete or cancel it")
        if call.state.status is not CallStatus.CONNECTED or call.agent_leg is None:
            raise Conflict(f"call {call.call_id!r} is not connected; consult during a call")
        consultation_id = new_id("c")
        then: list[Command] = []
        if agent_id is not None:
            then.append(TransferContact(consultation_id, agent_id=agent_id))
        elif team_leader:
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

        target = {"queue_id": queue_id, "to_agent_id": agent_id, "team_leader": team_leader}
        started = CallEvent(
            ev.CONSULTATION_STARTED, now, {"consultation_id": consultation_id, **target}
        )
        self.consultations[consultation_id] = call.call_id
        call.consultation_id = consultation_id
        try:
            await self.step(
                call,
                cc.Hold(),
                actor,
                commands=consulting.commands,
                write=consulting.write,
                inserts=consulting.inserts,
                more=[self._stored(call.tenant_id, call.call_id, started, actor)],
            )
        except BaseException:
            self.consultations.pop(consultation_id, None)
            call.consultation_id = None
            raise
        await self.apply_plan(call)
        return consultation_id

    def consulting(self: BoardParts, tenant_id: str, consultation_id: str) -> LiveCall | None:
        parent = self.consultations.get(consultation_id)
        call = self.calls.get(parent or "")
        return call if call is not None and call.tenant_id == tenant_id else None

    async def join_consultation(
        self: BoardParts, call: LiveCall, consultation_id: str, agent_id: str, sdp: str
    ) -> dict[str, str]:
        contact = self.host.engine.state.contacts.get(consultation_id)
        if (
            contact is None
            or contact.status is not ContactStatus.CONNECTED
            or contact.agent_id != agent_id
        ):
            raise Conflict(f"consultation {consultation_id!r} is not connected to your agent")
        leg_id = new_id("leg")
        reply = await self.media.send(AddParty(call.call_id, leg_id, "agent", sdp))
        assert isinstance(reply, Answer)
        old, call.consult_leg = call.consult_leg, leg_id
        if old is not None:
            with contextlib.suppress(Exception):
                await self.media.send(RemoveParty(call.call_id, old))
        await self.apply_plan(call)
        return {"leg_id": leg_id, "sdp": reply.sdp}

    def _end_consultation_commands(self: BoardParts, consultation_id: str) -> list[Command]:
        contact = self.host.engine.state.contacts.get(consultation_id)
        if contact is None:
            return []
        if contact.status is ContactStatus.CONNECTED:
            return [EndContact(consultation_id), FinishWrapUp(consultation_id)]
        if contact.status is ContactStatus.WRAP_UP:
            return [FinishWrapUp(consultation_id)]
        return [AbandonContact(consultation_id)]

    def _consultation(self: BoardParts, call: LiveCall, consultation_id: str) -> None:
        if call.consultation_id != consultation_id:
            raise NotFound(f"no consultation {consultation_id!r} on call {call.call_id!r}")

    async def _ended(self: BoardParts, call: LiveCall, outcome: str, actor: str) -> NewEvent:
        data = {"consultation_id": call.consultation_id, "outcome": outcome}
        event = CallEvent(ev.CONSULTATION_ENDED, self.host.clock.now(), data)
        return self._stored(call.tenant_id, call.call_id, event, actor)

    async def cancel_consultation(
        self: BoardParts, call: LiveCall, consultation_id: str, actor: str
    ) -> None:
        """Back to the customer: the target leaves, the customer is taken off hold."""
        self._consultation(call, consultation_id)
        commands = self._end_consultation_commands(consultation_id)
        ended = await self._ended(call, "cancelled", actor)
        if call.state.status is CallStatus.HELD:
            await self.step(call, cc.Resume(), actor, commands=commands, more=[ended])
        else:
            await self.host.submit(Operation(commands=commands, events=[ended], actor=actor))
        await self._drop_consultant(call)

    async def _drop_consultant(self: BoardParts, call: LiveCall) -> None:
        leg, call.consult_leg = call.consult_leg, None
        self.consultations.pop(call.consultation_id or "", None)
        call.consultation_id, call.is_conference = None, False
        if leg is not None:
            with contextlib.suppress(Exception):
                await self.media.send(RemoveParty(call.call_id, leg))
        await self.apply_plan(call)

    async def conference(
        self: BoardParts, call: LiveCall, consultation_id: str, actor: str
    ) -> None:
        """Three-way: customer, agent and target all hear each other."""
        self._consultation(call, consultation_id)
        if call.consult_leg is None:
            raise Conflict("the consulted agent has not joined yet")
        event = CallEvent(ev.CALL_CONFERENCED, self.host.clock.now(), {
            "consultation_id": consultation_id})  # fmt: skip
        more = [self._stored(call.tenant_id, call.call_id, event, actor)]
        if call.state.status is CallStatus.HELD:
            await self.step(call, cc.Resume(), actor, more=more)
        else:
            await self.host.submit(Operation(events=more, actor=actor))
        call.is_conference = True
        await self.apply_plan(call)

    async def complete(self: BoardParts, call: LiveCall, consultation_id: str, actor: str) -> str:
        """The target takes the customer; the first agent leaves to wrap-up."""
        self._consultation(call, consultation_id)
        consult = self.host.engine.state.contacts.get(consultation_id)
        if call.consult_leg is None or consult is None or consult.agent_id is None:
            raise Conflict("the consulted agent has not joined yet")
        target = consult.agent_id
        contact = self.host.engine.state.contacts[call.call_id]
        offer_id = f"{call.call_id}~{contact.offer_count + 1}"
        commands: list[Command] = [
            *self._end_consultation_commands(consultation_id),
            TransferContact(call.call_id, agent_id=target),
            AcceptOffer(offer_id),
        ]
        saved = copy.copy(call.control.state)
        now = self.host.clock.now()
        steps: list[cc.CallCommand] = [cc.Transfer(agent_id=target, mode="warm"), cc.Answer(target)]
        happened = [call.control.handle(step, now) for step in steps]
        ended = await self._ended(call, "completed", actor)
        try:
            await self.host.submit(
                Operation(
                    commands=commands,
                    events=[
                        ended,
                        *(self._stored(call.tenant_id, call.call_id, e, actor) for e in happened),
                    ],
                    tenant_id=call.tenant_id,
                    actor=actor,
                )
            )
        except BaseException:
            call.control.state = saved
            raise
        old, call.agent_leg, call.consult_leg = call.agent_leg, call.consult_leg, None
        self.consultations.pop(consultation_id, None)
        call.consultation_id, call.is_conference = None, False
        if old is not None:
            with contextlib.suppress(Exception):
                await self.media.send(RemoveParty(call.call_id, old))
        await self.apply_plan(call)
        return target
