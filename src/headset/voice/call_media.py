"""The media side of the switchboard's calls: legs in and out, prompts, mix plans."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from headset.core.errors import Conflict
from headset.media.plan import MixPlan
from headset.media.protocol import (
    AddParty,
    Answer,
    CreateCall,
    HangUp,
    MediaEvent,
    RemoveParty,
    Reply,
    SetMixPlan,
)
from headset.media.protocol import Command as MediaCommand
from headset.media.settings import MediaSettings
from headset.voice.live_call import CUSTOMER, LiveCall
from headset.voice.media import Media, start_media
from headset.voice.mix_plans import plan_of


class CallMedia:
    """The worker processes (or in-process hub) that carry this process's calls."""

    def __init__(
        self, settings: MediaSettings, *, in_process: bool, media: Media | None = None
    ) -> None:
        self.settings = settings
        self.in_process = in_process
        #: media given from outside (a test's fake) instead of started here
        self._given = media
        self._media: Media | None = None

    async def start(self, on_event: Callable[[MediaEvent], None]) -> None:
        """Starts the media; its events (digits, prompts done, legs gone) go to `on_event`."""
        if self._given is not None:
            self._media = self._given
            return
        self._media = await start_media(self.settings, self.in_process, on_event)

    async def close(self) -> None:
        """Stops the media (every call's media ends with it)."""
        if self._media is not None:
            await self._media.close()
            self._media = None

    async def send(self, command: MediaCommand) -> Reply:
        """One media command; Conflict while voice is not running in this process."""
        if self._media is None:
            raise Conflict("voice is not running in this process")
        return await self._media.send(command)

    async def open_call(self, call_id: str, customer_sdp: str) -> str:
        """Creates the call's media with the customer's leg; returns the answer SDP."""
        await self.send(CreateCall(call_id))
        try:
            reply = await self.send(AddParty(call_id, CUSTOMER, CUSTOMER, customer_sdp))
            await self.send(SetMixPlan(call_id, MixPlan({CUSTOMER: frozenset()})))
        except BaseException:
            await self.drop(call_id)
            raise
        assert isinstance(reply, Answer)
        return reply.sdp

    async def drop(self, call_id: str) -> None:
        """Ends the call's media (nothing if it is gone already)."""
        with contextlib.suppress(Exception):
            await self.send(HangUp(call_id))

    async def add_leg(self, call_id: str, leg_id: str, role: str, sdp: str) -> str:
        """Adds a browser's leg to the call; returns the answer SDP."""
        reply = await self.send(AddParty(call_id, leg_id, role, sdp))
        assert isinstance(reply, Answer)
        return reply.sdp

    async def remove_leg(self, call_id: str, leg_id: str | None) -> None:
        """Takes a leg off the call (nothing if it is gone already)."""
        if leg_id is not None:
            with contextlib.suppress(Exception):
                await self.send(RemoveParty(call_id, leg_id))

    async def apply_plan(self, call: LiveCall) -> None:
        """Who hears whom, as the call's state says now."""
        await self.send(SetMixPlan(call.call_id, plan_of(call)))
