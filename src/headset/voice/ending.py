"""How a call ends: hung up by someone, ended through the engine, or lost in a restart."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from headset.calls import call as cc
from headset.calls import events as ev
from headset.calls.call import CallStatus
from headset.calls.origins import Origin
from headset.routing.model import Channel
from headset.routing.records import ContactStatus
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.tables import chat_sessions, contacts
from headset.voice.call_media import CallMedia
from headset.voice.consultations import Consultations
from headset.voice.live_call import LiveCall
from headset.voice.recording_steps import Recorder
from headset.voice.steps import CallSteps

#: The stored statuses of a call that still has media (ended after a restart).
_OPEN = (
    ContactStatus.IVR.value,
    ContactStatus.WAITING.value,
    ContactStatus.OFFERED.value,
    ContactStatus.CONNECTED.value,
)


class Ending:
    """Ends calls: their step, the engine's end, the recording's row, the media."""

    def __init__(
        self,
        host: EngineHost,
        media: CallMedia,
        steps: CallSteps,
        recorder: Recorder,
        consultations: Consultations,
    ) -> None:
        self.host = host
        self.media = media
        self.steps = steps
        self.recorder = recorder
        self.consultations = consultations

    async def hang_up(
        self, call: LiveCall, by: str, actor: str, *, keep_in_line: bool = False
    ) -> None:
        """Ends the call (the engine too: wrap-up if answered, abandoned if not)."""
        if call.state.status is CallStatus.ENDED:
            return
        stored = await self.recorder.stop(call)
        ending = [] if keep_in_line else self.steps.ending_commands(call.call_id)
        if call.consultation_id is not None:
            ending += self.consultations.ending_commands(call.consultation_id)
            self.consultations.of_call.pop(call.consultation_id, None)
        await self.steps.step(
            call,
            cc.HangUp(by),
            actor,
            commands=ending,
            write=self.steps.abandon_ivr_row(call.tenant_id, call.call_id),
            inserts=stored,
        )
        await self.close(call)

    async def ended_elsewhere(self, call: LiveCall) -> None:
        """The contact ended through the engine (an agent's end or wrap-up route)."""
        if call.state.status is not CallStatus.ENDED:
            await self.steps.step(call, cc.HangUp("agent"), Origin.SWITCHBOARD)
        await self.close(call)

    async def close(self, call: LiveCall) -> None:
        """The call is over here: its media goes, and every task serving it but this one."""
        self.steps.calls.pop(call.call_id, None)
        await self.media.drop(call.call_id)
        current = asyncio.current_task()
        for task in list(call.tasks):
            if task is not current:
                task.cancel()

    async def end_orphans(self) -> None:
        """After a restart the media of every call is gone: end each open voice contact."""
        for row in await asyncio.to_thread(self._orphans):
            event = ev.CallEnded(self.host.clock.now(), "system")
            actor = Origin.RECOVERY
            await self.host.submit(
                Operation(
                    commands=self.steps.ending_commands(row.contact_id),
                    write=self.steps.abandon_ivr_row(row.tenant_id, row.contact_id),
                    events=[self.steps.stored(row.tenant_id, row.contact_id, event, actor)],
                    tenant_id=row.tenant_id,
                    actor=actor,
                )
            )

    def _orphans(self) -> list[Any]:
        with self.host.db.connect() as conn:
            return list(
                conn.execute(
                    select(contacts.c.tenant_id, contacts.c.contact_id, contacts.c.status).where(
                        contacts.c.channel == Channel.VOICE.value,
                        contacts.c.status.in_(_OPEN),
                        # the switchboard's own calls: voice contacts of the API channel
                        # (a telephony integration's) have no media here to lose
                        contacts.c.contact_id.in_(select(chat_sessions.c.contact_id))
                        | contacts.c.external_ref.like("consultation:%"),
                    )
                )
            )
