"""The switchboard: live calls between call control, the routing engine and the media hub.

One per process, built by the composition root (bootstrap.py). It owns the media (worker
processes, or an in-process hub) and the live calls of this process, and holds the parts
that change them, each a concept of its own: the steps that store every change as a
`voice.*` event through `host.submit` (`CallSteps`), what the caller hears (`Speech`), the
line they wait in (`Line`), the connected agent (`AgentSteps`), supervisors
(`Supervision`), consultations (`Consultations`, as `consults`), recordings (`Recorder`),
how calls end (`Ending`), and what it follows of the engine's committed events
(`EngineFollower`). The parts get what they use when built; none types `self` as another.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from headset.calls.call import CallStatus
from headset.calls.origins import Origin
from headset.core.errors import Conflict, NotFound
from headset.media.protocol import DigitReceived, MediaEvent, PartyLeft, PromptFinished
from headset.media.settings import MediaSettings
from headset.routing.waiting import expected_wait_of
from headset.service.host import EngineHost
from headset.voice.agent_steps import AgentSteps
from headset.voice.call_media import CallMedia
from headset.voice.consultations import Consultations
from headset.voice.ending import Ending
from headset.voice.following import EngineFollower
from headset.voice.line import Line
from headset.voice.live_call import CUSTOMER, CallerView, LiveCall, spawn
from headset.voice.media import Media
from headset.voice.recording_steps import Recorder
from headset.voice.recordings import run_sweeps
from headset.voice.softphones import Softphones
from headset.voice.speech import Speech
from headset.voice.steps import CallSteps
from headset.voice.supervision import Supervision


class Switchboard:
    """Live calls of this process and the parts that change them."""

    def __init__(
        self,
        host: EngineHost,
        media_settings: MediaSettings,
        *,
        in_process: bool,
        announce_every: timedelta = timedelta(seconds=30),
        menu_timeout: timedelta = timedelta(seconds=8),
        media: Media | None = None,
    ) -> None:
        self.host = host
        self.media_settings = media_settings
        self.calls: dict[str, LiveCall] = {}
        self.softphones = Softphones(host)
        #: Recordings and uploaded prompts live here, per tenant (beside the prompt cache).
        self.data_dir = Path(media_settings.prompt_cache).parent
        self.media = CallMedia(media_settings, in_process=in_process, media=media)
        self.steps = CallSteps(host, self.calls)
        self.speech = Speech(host, self.media, self.data_dir, menu_timeout)
        self.recorder = Recorder(host, self.media, self.steps, self.data_dir)
        self.supervision = Supervision(host, self.media, self.steps)
        self.consults = Consultations(host, self.media, self.steps)
        self.ending = Ending(host, self.media, self.steps, self.recorder, self.consults)
        self.line = Line(
            host, self.media, self.steps, self.speech, self.recorder, self.ending, announce_every
        )
        self.agents = AgentSteps(host, self.media, self.steps, self.recorder)
        self.follower = EngineFollower(
            self.media, self.steps, self.line, self.supervision, self.ending
        )
        self._background: set[asyncio.Task[Any]] = set()

    @property
    def consultations(self) -> Mapping[str, str]:
        """Consultation contact id -> the call it consults about (the live offers show it)."""
        return self.consults.of_call

    @property
    def announce_every(self) -> timedelta:
        """How often a waiting caller hears their place in line (at most)."""
        return self.line.announce_every

    @announce_every.setter
    def announce_every(self, every: timedelta) -> None:
        self.line.announce_every = every

    @property
    def menu_timeout(self) -> timedelta:
        """How long a menu waits for a key after its prompt."""
        return self.speech.menu_timeout

    @menu_timeout.setter
    def menu_timeout(self, timeout: timedelta) -> None:
        self.speech.menu_timeout = timeout

    # start and stop --------------------------------------------------------------------
    async def start(self) -> None:
        """Starts the media, follows the engine, ends calls a restart left without media."""
        await self.media.start(self._on_media)
        self.host.listeners.append(self.follower.on_committed)
        await self.ending.end_orphans()
        await self.softphones.unregister_all()
        spawn(self._background, run_sweeps(self.host))

    async def stop(self) -> None:
        """Stops every call's tasks, the following and the media."""
        for call in list(self.calls.values()):
            for task in call.tasks:
                task.cancel()
        for task in list(self._background):
            task.cancel()
        if self.follower.on_committed in self.host.listeners:
            self.host.listeners.remove(self.follower.on_committed)
        await self.media.close()

    # calls -----------------------------------------------------------------------------
    def begin(self, call: LiveCall) -> None:
        """The call is stored: run its IVR."""
        self.calls[call.call_id] = call
        spawn(call.tasks, self._run_ivr(call))

    async def _run_ivr(self, call: LiveCall) -> None:
        from headset.voice.ivr import run_menu  # the IVR runner; kept apart from the board

        topic = await run_menu(self, call)
        if topic is not None and call.state.status is CallStatus.IVR:
            await self.line.queue(call, topic)

    def live(self, tenant_id: str, call_id: str) -> LiveCall:
        """The tenant's live call (404 when this process carries no such call)."""
        call = self.calls.get(call_id)
        if call is None or call.tenant_id != tenant_id:
            raise NotFound(f"no live call {call_id!r} in tenant {tenant_id!r}")
        return call

    def _on_media(self, event: MediaEvent) -> None:
        call = self.calls.get(event.call_id)
        if call is None:
            return
        if isinstance(event, DigitReceived) and event.party_id == CUSTOMER:
            waiting = call.state.status is CallStatus.QUEUED
            if waiting and call.callback_key is not None and event.digit == call.callback_key:
                call.callback_key = None  # once
                spawn(call.tasks, self.line.callback_now(call, event.digit))
            else:
                call.digits.put_nowait(event.digit)
        elif isinstance(event, PromptFinished):
            call.prompts_done.setdefault(event.prompt_id, asyncio.Event()).set()
        elif isinstance(event, PartyLeft):
            if event.party_id == CUSTOMER:
                spawn(call.tasks, self.ending.hang_up(call, "customer", "customer"))
            elif event.party_id == call.agent_leg:
                spawn(call.tasks, self.ending.hang_up(call, "agent", Origin.MEDIA))
            elif event.party_id == call.supervisor_leg:
                leaving = self.supervision.leave(call, event.party_id, Origin.MEDIA)
                spawn(call.tasks, leaving)

    # reading ---------------------------------------------------------------------------
    def caller_view(self, call_id: str) -> CallerView:
        """Status, and place in line and expected wait while queued (the agent's name is
        the caller's route's to add: names are the chat room's)."""
        call = self.calls.get(call_id)
        if call is None:
            return CallerView(call_id, "ended")
        status = call.state.status.value
        contact = self.host.engine.state.contacts.get(call_id)
        if status != "queued" or contact is None:
            return CallerView(call_id, status)
        position, wait = expected_wait_of(self.host.engine.state, contact)
        expected_s = wait.total_seconds() if wait is not None else None
        return CallerView(call_id, status, position, expected_s)


def running(board: Switchboard | None) -> Switchboard:
    """The process's switchboard, or 409 when voice is off in this service."""
    if board is None:
        raise Conflict("voice calls are off in this service (HEADSET_VOICE=1 turns them on)")
    return board
