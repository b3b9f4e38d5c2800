"""What the engine did to a live call, followed by its media: an offer rings, an offer that
nobody took puts the caller back in line, an end or a transfer reaches the call.

The host's listeners get committed events; the switchboard decodes the engine's own into
their typed messages and matches the types. Its own steps (origin `Origin.SWITCHBOARD`) are
not followed again.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from headset.calls import call as cc
from headset.calls.call import CallStatus
from headset.calls.origins import Origin, origin_of
from headset.core.errors import Invalid
from headset.core.messages import Event
from headset.routing.events import (
    ContactAbandoned,
    ContactEnded,
    ContactOffered,
    ContactTransferred,
    OfferExpired,
    OfferRejected,
    OfferRescinded,
)
from headset.routing.records import ContactStatus
from headset.storage import codec
from headset.storage.event_log import StoredEvent
from headset.voice.call_media import CallMedia
from headset.voice.ending import Ending
from headset.voice.line import Line
from headset.voice.live_call import LiveCall, spawn
from headset.voice.steps import CallSteps
from headset.voice.supervision import Supervision


class EngineFollower:
    """Turns the engine's committed events about live calls into their call steps."""

    def __init__(
        self,
        media: CallMedia,
        steps: CallSteps,
        line: Line,
        supervision: Supervision,
        ending: Ending,
    ) -> None:
        self.media = media
        self.steps = steps
        self.line = line
        self.supervision = supervision
        self.ending = ending

    def on_committed(self, stored: list[StoredEvent]) -> None:
        """The host's listener: each engine event about a live call, as its typed message."""
        for event in stored:
            call = self.steps.calls.get(str(event.payload.get("contact_id", "")))
            if call is None or origin_of(event.actor) is Origin.SWITCHBOARD:
                continue
            if not event.type.startswith("routing."):
                continue
            try:
                typed = codec.decode(event.type, event.payload)
            except Invalid:  # not the engine's (or not this version's): nothing to follow
                continue
            work = self._work(call, typed)
            if work is not None:
                spawn(call.tasks, work())

    def _work(self, call: LiveCall, event: Event) -> Callable[[], Coroutine[Any, Any, None]] | None:
        match event:
            case ContactOffered(agent_id=agent_id):
                return lambda: self._ringing(call, agent_id)
            case OfferRejected() | OfferExpired() | OfferRescinded():
                return lambda: self._unrung(call)
            case ContactEnded() | ContactAbandoned():
                return lambda: self.ending.ended_elsewhere(call)
            case ContactTransferred(queue_id=queue_id):
                return lambda: self._transferred(call, queue_id)
        return None

    async def _ringing(self, call: LiveCall, agent_id: str) -> None:
        if call.state.status in (CallStatus.QUEUED, CallStatus.RINGING):
            await self.steps.step(call, cc.Ring(agent_id), Origin.SWITCHBOARD)

    async def _unrung(self, call: LiveCall) -> None:
        """Nobody took the offer: the caller is waiting in line again (announcements too)."""
        contact = self.steps.host.engine.state.contacts.get(call.call_id)
        if (
            call.state.status is CallStatus.RINGING
            and contact is not None
            and contact.status is ContactStatus.WAITING
            and not contact.offers
        ):
            await self.steps.step(call, cc.Queue(contact.queue_id), Origin.SWITCHBOARD)
            self.line.start_announcer(call)

    async def _transferred(self, call: LiveCall, queue_id: str) -> None:
        """Back in a queue (a blind transfer): the agent's leg goes, the caller hears music."""
        contact = self.steps.host.engine.state.contacts.get(call.call_id)
        if (
            contact is not None
            and contact.status is ContactStatus.CONNECTED
            and contact.agent_id == call.state.agent_id
        ):
            return  # taken over: already connected to the new agent
        if call.state.status in (CallStatus.CONNECTED, CallStatus.HELD):
            await self.steps.step(call, cc.Queue(str(queue_id)), Origin.SWITCHBOARD)
        leg, call.agent_leg = call.agent_leg, None
        await self.media.remove_leg(call.call_id, leg)
        if call.supervisor_leg is not None:
            await self.supervision.leave(call, call.supervisor_leg, Origin.SWITCHBOARD)
        await self.media.apply_plan(call)
        self.line.start_announcer(call)
