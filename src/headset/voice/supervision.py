"""A supervisor on a call: listen, whisper and barge as a third leg, leave, take over."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING

from headset.calls import call as cc
from headset.calls.call import CallStatus
from headset.core.errors import Conflict, NotFound
from headset.core.ids import new_id
from headset.core.messages import Command
from headset.media.protocol import (
    AddParty,
    Answer,
    RemoveParty,
)
from headset.service.operations import Operation
from headset.voice.parts import BoardParts

if TYPE_CHECKING:
    from headset.voice.board import LiveCall


class SupervisorSteps:
    """The switchboard's supervisor steps (a mixin of `Switchboard`)."""

    # supervisors -----------------------------------------------------------------------
    async def join_supervisor(
        self: BoardParts, call: LiveCall, user_id: str, mode: str, sdp: str, actor: str
    ) -> dict[str, str]:
        if call.supervisor_leg is not None:
            raise Conflict("a supervisor is on this call already")
        if call.agent_leg is None or call.state.status is not CallStatus.CONNECTED:
            raise Conflict(f"call {call.call_id!r} has no agent talking on it")
        leg_id = new_id("sup")
        reply = await self.media.send(AddParty(call.call_id, leg_id, "supervisor", sdp))
        assert isinstance(reply, Answer)
        try:
            await self.step(call, cc.JoinSupervisor(user_id, mode), actor)
        except BaseException:
            with contextlib.suppress(Exception):
                await self.media.send(RemoveParty(call.call_id, leg_id))
            raise
        call.supervisor_leg = leg_id
        await self.apply_plan(call)
        return {"leg_id": leg_id, "sdp": reply.sdp}

    async def switch_supervisor(
        self: BoardParts, call: LiveCall, leg_id: str, user_id: str, mode: str, actor: str
    ) -> None:
        if leg_id != call.supervisor_leg:
            raise NotFound(f"no supervisor leg {leg_id!r} on this call")
        await self.step(call, cc.JoinSupervisor(user_id, mode), actor)
        await self.apply_plan(call)

    async def leave_supervisor(self: BoardParts, call: LiveCall, leg_id: str, actor: str) -> None:
        if leg_id != call.supervisor_leg:
            raise NotFound(f"no supervisor leg {leg_id!r} on this call")
        call.supervisor_leg = None
        with contextlib.suppress(Exception):
            await self.media.send(RemoveParty(call.call_id, leg_id))
        if call.state.supervisor_user_id is not None:
            await self.step(call, cc.LeaveSupervisor(), actor)
        await self.apply_plan(call)

    async def take_over(
        self: BoardParts, call: LiveCall, agent_id: str, commands: Sequence[Command], actor: str
    ) -> None:
        """The supervisor's leg becomes the agent's; the engine moves the contact to the
        supervisor's agent and releases the other (wrap-up), all in one operation."""
        saved = copy.copy(call.control.state)
        now = self.host.clock.now()
        steps: list[cc.CallCommand] = [
            cc.LeaveSupervisor(),
            cc.Transfer(agent_id=agent_id),
            cc.Answer(agent_id),
        ]
        happened = [call.control.handle(step, now) for step in steps]
        try:
            await self.host.submit(
                Operation(
                    commands=commands,
                    events=[self._stored(call.tenant_id, call.call_id, e, actor) for e in happened],
                    tenant_id=call.tenant_id,
                    actor=actor,
                )
            )
        except BaseException:
            call.control.state = saved
            raise
        old, call.agent_leg, call.supervisor_leg = call.agent_leg, call.supervisor_leg, None
        if old is not None:
            with contextlib.suppress(Exception):
                await self.media.send(RemoveParty(call.call_id, old))
        await self.apply_plan(call)
