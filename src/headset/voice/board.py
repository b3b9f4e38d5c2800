"""The switchboard: live calls between call control, the routing engine and the media hub.

One per process, built by the composition root (bootstrap.py). It owns the media (worker
processes, or an in-process hub), keeps the live calls of this process, turns media events (a
digit, a prompt that finished, a party whose connection dropped) into call steps, and runs
every step through `host.submit`, so each is a stored `voice.*` event before anyone is told.
It also listens to committed engine events: an offer of a call rings, an engine-side end or
transfer of a call reaches its media.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update

from headset.calls import call as cc
from headset.calls import events as ev
from headset.calls.call import CallControl, CallStatus
from headset.calls.events import CallEvent
from headset.calls.ivr import Flow
from headset.chat.waiting import expected_wait
from headset.contacts.start import for_topic
from headset.core.errors import Conflict, NotFound
from headset.core.ids import new_id
from headset.core.messages import Command
from headset.media import plan as mix
from headset.media.plan import HOLD_MUSIC, MixPlan
from headset.media.protocol import (
    AddParty,
    Answer,
    CreateCall,
    DigitReceived,
    HangUp,
    MediaEvent,
    PartyLeft,
    PlayPrompt,
    PromptFinished,
    RemoveParty,
    SetMixPlan,
    StartRecording,
    StopPrompts,
)
from headset.media.settings import MediaSettings
from headset.routing.commands import (
    AbandonContact,
    EndContact,
    RequestCallback,
    TransferContact,
)
from headset.routing.model import Channel
from headset.routing.records import ContactStatus
from headset.service.contacts import queue_after_ivr
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent, StoredEvent
from headset.storage.tables import (
    chat_sessions,
    contacts,
    queues,
    voice_prompts,
    voice_settings,
)
from headset.voice.consultations import ConsultationSteps
from headset.voice.media import Media, start_media
from headset.voice.queueing import announcement, place_in_line
from headset.voice.recording_steps import RecordingSteps
from headset.voice.recordings import recording_path, run_sweeps
from headset.voice.softphones import Softphones
from headset.voice.supervision import SupervisorSteps

log = logging.getLogger("headset.voice")

CUSTOMER = "customer"
#: How long a prompt may take before the IVR stops waiting for its end.
_PROMPT_LIMIT_S = 60.0
#: The stored statuses of a call that still has media (ended after a restart).
_OPEN = (
    ContactStatus.IVR.value,
    ContactStatus.WAITING.value,
    ContactStatus.OFFERED.value,
    ContactStatus.CONNECTED.value,
)


@dataclass(eq=False)
class LiveCall:
    """A call this process carries: who is on it and what call control knows of it."""

    call_id: str
    tenant_id: str
    widget_id: str
    display_name: str
    topics: list[dict[str, Any]]
    topic_id: str | None
    language: str | None
    control: CallControl
    agent_leg: str | None = None
    supervisor_leg: str | None = None
    digits: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    prompts_done: dict[str, asyncio.Event] = field(default_factory=dict)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    prompt_count: int = 0
    announcer: asyncio.Task[None] | None = None
    #: The widget's IVR flow (None: the built-in topic menu).
    flow: Flow | None = None
    #: The queue's recording policy once queued: "all", "none" or "on_demand".
    recording_policy: str = "none"
    recording_path: str | None = None
    #: who paused the recording and why, in order (the media reports the offsets)
    pause_reasons: list[tuple[str, str | None]] = field(default_factory=list)
    retention_days: int = 90
    announce_every: timedelta | None = None
    #: A consultation (warm transfer / conference): its contact id and the target's leg.
    consultation_id: str | None = None
    consult_leg: str | None = None
    is_conference: bool = False
    #: While queued, this key asks for a callback (the place in line is kept).
    callback_key: str | None = None

    @property
    def state(self) -> cc.CallState:
        return self.control.state

    def legs(self) -> list[dict[str, str]]:
        found = [{"leg_id": CUSTOMER, "party": CUSTOMER, "role": CUSTOMER}]
        if self.agent_leg:
            found.append({"leg_id": self.agent_leg, "party": "agent", "role": "agent"})
        if self.supervisor_leg:
            found.append(
                {"leg_id": self.supervisor_leg, "party": "supervisor", "role": "supervisor"}
            )
        return found


class Switchboard(RecordingSteps, SupervisorSteps, ConsultationSteps):
    """Live calls of this process and the one way they change."""

    def __init__(
        self,
        host: EngineHost,
        media_settings: MediaSettings,
        *,
        in_process: bool,
        announce_every: timedelta = timedelta(seconds=30),
        menu_timeout: timedelta = timedelta(seconds=8),
    ) -> None:
        self.host = host
        self.media_settings = media_settings
        self.in_process = in_process
        self.announce_every = announce_every
        self.menu_timeout = menu_timeout
        self.calls: dict[str, LiveCall] = {}
        #: consultation contact id -> the call it consults about
        self.consultations: dict[str, str] = {}
        self.softphones = Softphones(host)
        #: Recordings and uploaded prompts live here, per tenant (beside the prompt cache).
        self.data_dir = Path(media_settings.prompt_cache).parent
        self._media: Media | None = None
        self._background: set[asyncio.Task[Any]] = set()

    # start and stop --------------------------------------------------------------------
    async def start(self) -> None:
        self._media = await start_media(self.media_settings, self.in_process, self._on_media)
        self.host.listeners.append(self._on_committed)
        await self._end_orphans()
        await self.softphones.unregister_all()
        self._spawn(None, run_sweeps(self.host))

    async def stop(self) -> None:
        for call in list(self.calls.values()):
            for task in call.tasks:
                task.cancel()
        for task in list(self._background):
            task.cancel()
        if self._on_committed in self.host.listeners:
            self.host.listeners.remove(self._on_committed)
        if self._media is not None:
            await self._media.close()
            self._media = None

    @property
    def media(self) -> Media:
        if self._media is None:
            raise Conflict("voice is not running in this process")
        return self._media

    async def _end_orphans(self) -> None:
        """After a restart the media of every call is gone: end each open voice contact."""

        def read() -> list[Any]:
            with self.host.db.connect() as conn:
                return list(
                    conn.execute(
                        select(
                            contacts.c.tenant_id, contacts.c.contact_id, contacts.c.status
                        ).where(
                            contacts.c.channel == Channel.VOICE.value,
                            contacts.c.status.in_(_OPEN),
                            # the switchboard's own calls: voice contacts of the API channel
                            # (a telephony integration's) have no media here to lose
                            contacts.c.contact_id.in_(select(chat_sessions.c.contact_id))
                            | contacts.c.external_ref.like("consultation:%"),
                        )
                    )
                )

        for row in await asyncio.to_thread(read):
            event = CallEvent(ev.CALL_ENDED, self.host.clock.now(), {"hung_up_by": "system"})
            commands = self._ending_commands(row.contact_id)
            await self.host.submit(
                Operation(
                    commands=commands,
                    write=self._abandon_ivr_row(row.tenant_id, row.contact_id),
                    events=[self._stored(row.tenant_id, row.contact_id, event, "system:recovery")],
                    tenant_id=row.tenant_id,
                    actor="system:recovery",
                )
            )

    # media -----------------------------------------------------------------------------
    async def open_call(self, call_id: str, customer_sdp: str) -> str:
        """Creates the call's media with the customer's leg; returns the answer SDP."""
        await self.media.send(CreateCall(call_id))
        try:
            reply = await self.media.send(AddParty(call_id, CUSTOMER, CUSTOMER, customer_sdp))
            await self.media.send(SetMixPlan(call_id, MixPlan({CUSTOMER: frozenset()})))
        except BaseException:
            await self.drop_media(call_id)
            raise
        assert isinstance(reply, Answer)
        return reply.sdp

    async def drop_media(self, call_id: str) -> None:
        with contextlib.suppress(Exception):
            await self.media.send(HangUp(call_id))

    def begin(self, call: LiveCall) -> None:
        """The call is stored: run its IVR."""
        self.calls[call.call_id] = call
        self._spawn(call, self._run_ivr(call))

    def _on_media(self, event: MediaEvent) -> None:
        call = self.calls.get(event.call_id)
        if call is None:
            return
        if isinstance(event, DigitReceived) and event.party_id == CUSTOMER:
            waiting = call.state.status is CallStatus.QUEUED
            if waiting and call.callback_key is not None and event.digit == call.callback_key:
                call.callback_key = None  # once
                self._spawn(call, self._callback_now(call, event.digit))
            else:
                call.digits.put_nowait(event.digit)
        elif isinstance(event, PromptFinished):
            call.prompts_done.setdefault(event.prompt_id, asyncio.Event()).set()
        elif isinstance(event, PartyLeft):
            if event.party_id == CUSTOMER:
                self._spawn(call, self.hang_up(call, "customer", "customer"))
            elif event.party_id == call.agent_leg:
                self._spawn(call, self.hang_up(call, "agent", "system:media"))
            elif event.party_id == call.supervisor_leg:
                self._spawn(call, self.leave_supervisor(call, event.party_id, "system:media"))

    def _spawn(self, call: LiveCall | None, work: Any) -> None:
        task = asyncio.ensure_future(work)
        bucket = call.tasks if call is not None else self._background
        bucket.add(task)
        task.add_done_callback(bucket.discard)
        task.add_done_callback(_log_failure)

    async def apply_plan(self, call: LiveCall) -> None:
        await self.media.send(SetMixPlan(call.call_id, self.plan_of(call)))

    def plan_of(self, call: LiveCall) -> MixPlan:
        """Who hears whom now (docs/voice.md, "Mix plans"), from the call's state."""
        s, c, a, sup = call.state, CUSTOMER, call.agent_leg, call.supervisor_leg
        if s.status is CallStatus.IVR:
            return MixPlan({c: frozenset()})
        if a is None or s.status in (CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ENDED):
            hears: dict[str, set[str]] = {c: {HOLD_MUSIC}}
            if a is not None:
                hears[a] = set()
            return MixPlan({k: frozenset(v) for k, v in hears.items()})
        mode = s.supervisor_mode if sup else None
        t = call.consult_leg
        if t is not None and call.is_conference:
            hears = {k: set(v) for k, v in mix.conference([c, a, t]).hears.items()}
            if s.is_muted:
                hears[c].discard(a)
                hears[t].discard(a)
            return MixPlan({k: frozenset(v) for k, v in hears.items()})
        if t is not None:  # consulting: the customer holds, the two agents talk
            return MixPlan({c: frozenset({HOLD_MUSIC}), a: frozenset({t}), t: frozenset({a})})
        if s.status is CallStatus.HELD:
            hears = {c: {HOLD_MUSIC}, a: set()}
            if sup:
                hears[sup] = {a}
                if mode in ("whisper", "barge"):
                    hears[a] = {sup}
        else:
            if sup and mode == "listen":
                base = mix.listen(c, a, sup)
            elif sup and mode == "whisper":
                base = mix.whisper(c, a, sup)
            elif sup and mode == "barge":
                base = mix.barge(c, a, sup)
            else:
                base = mix.connected(c, a)
            hears = {k: set(v) for k, v in base.hears.items()}
        if s.is_muted:
            hears[c].discard(a)
        return MixPlan({k: frozenset(v) for k, v in hears.items()})

    async def say(
        self, call: LiveCall, text: str, *, wait: bool = True, path: str | None = None
    ) -> None:
        """Speaks `text` (or plays the file at `path`) to the customer; waits until it has
        played (unless `wait` is off)."""
        call.prompt_count += 1
        prompt_id = f"p{call.prompt_count}"
        done = call.prompts_done.setdefault(prompt_id, asyncio.Event())
        await self._play(call, prompt_id, text, path)
        if wait:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), _PROMPT_LIMIT_S)
        call.prompts_done.pop(prompt_id, None)

    async def ask(
        self,
        call: LiveCall,
        text: str,
        *,
        path: str | None = None,
        timeout_s: float | None = None,
    ) -> str | None:
        """Plays a menu and waits for a key: during the prompt, or up to the menu timeout.

        Keys pressed earlier (during a greeting, or beyond what the last menu took) count:
        callers who know the menu type ahead."""
        call.prompt_count += 1
        prompt_id = f"p{call.prompt_count}"
        done = call.prompts_done.setdefault(prompt_id, asyncio.Event())
        await self._play(call, prompt_id, text, path)
        wait_s = timeout_s if timeout_s is not None else self.menu_timeout.total_seconds()
        key = asyncio.ensure_future(call.digits.get())
        finished = asyncio.ensure_future(done.wait())
        try:
            await asyncio.wait(
                {key, finished}, timeout=_PROMPT_LIMIT_S, return_when="FIRST_COMPLETED"
            )
            if not key.done():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(key), wait_s)
            return key.result() if key.done() else None
        finally:
            key.cancel()
            finished.cancel()
            call.prompts_done.pop(prompt_id, None)

    # the IVR and the queue -------------------------------------------------------------
    async def _run_ivr(self, call: LiveCall) -> None:
        from headset.voice.ivr import run_menu  # the IVR runner; kept apart from the board

        topic = await run_menu(self, call)
        if topic is not None and call.state.status is CallStatus.IVR:
            await self.queue(call, topic)

    async def record_digits(
        self, call: LiveCall, digits: str, *, variable: str | None = None
    ) -> None:
        await self.step(call, cc.PressDigits(digits, variable), "customer")

    async def _prompt_file(self, tenant_id: str, prompt_id: str) -> str:
        """An uploaded prompt as a file the media can play (written from the database)."""

        def write() -> str:
            with self.host.db.connect() as conn:
                content = conn.execute(
                    select(voice_prompts.c.content).where(
                        voice_prompts.c.tenant_id == tenant_id,
                        voice_prompts.c.prompt_id == prompt_id,
                    )
                ).scalar()
            if content is None:
                raise NotFound(f"no prompt {prompt_id!r}")
            path = self.data_dir / "prompts" / tenant_id / f"{prompt_id}.wav"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            return str(path)

        return await asyncio.to_thread(write)

    async def _play(self, call: LiveCall, prompt_id: str, text: str, path: str | None) -> None:
        voice = (call.language or "en").split("-")[0]
        if path is not None:
            command = PlayPrompt(call.call_id, CUSTOMER, prompt_id, path=path)
        else:
            command = PlayPrompt(call.call_id, CUSTOMER, prompt_id, text=text, voice=voice)
        await self.media.send(command)

    async def say_step(self, call: LiveCall, step: Any) -> None:
        """A step's prompt (its text, or its uploaded prompt), waited for; none: nothing."""
        if step.prompt_id:
            path = await self._prompt_file(call.tenant_id, step.prompt_id)
            await self.say(call, "", path=path)
        elif step.text:
            await self.say(call, step.text)

    async def ask_step(self, call: LiveCall, step: Any) -> str | None:
        path = await self._prompt_file(call.tenant_id, step.prompt_id) if step.prompt_id else None
        return await self.ask(call, step.text, path=path, timeout_s=float(step.timeout_s))

    async def queue(self, call: LiveCall, topic: dict[str, Any]) -> None:
        """Puts the call in the topic's queue; closed or gone queues end it politely."""
        queue_id = str(topic["queue_id"])
        state = self.host.engine.state
        if self.host.tenancy.queues.get(queue_id) != call.tenant_id or queue_id not in state.queues:
            await self.say(call, "Sorry, this line cannot be reached now. Goodbye.")
            await self.hang_up(call, "system", "system:ivr")
            return
        hours = self.host.tenancy.hours.get(queue_id)
        if hours is not None and not hours.is_open(self.host.clock.now()):
            await self.say(call, "We are closed now. Please call again during our opening hours.")
            await self.hang_up(call, "system", "system:ivr")
            return
        start = for_topic(
            call.tenant_id, call.call_id, Channel.VOICE, topic, language=call.language
        )
        queued = queue_after_ivr(self.host, start)
        settings = await asyncio.to_thread(self._queue_settings, call.tenant_id, queue_id)
        call.recording_policy = str(settings["recording"])
        call.retention_days = int(settings["recording_retention_days"])
        call.announce_every = timedelta(seconds=float(settings.get("announce_every_s", 0)))
        await self.step(
            call, cc.Queue(queue_id), "customer", commands=queued.commands, write=queued.write
        )
        await self.apply_plan(call)
        self._start_announcer(call)

    def _queue_settings(self, tenant_id: str, queue_id: str) -> dict[str, Any]:
        """The queue's voice settings, the tenant's defaults filling in what it leaves open."""
        with self.host.db.connect() as conn:
            settings = conn.execute(
                select(queues.c.settings).where(queues.c.queue_id == queue_id)
            ).scalar()
            defaults = conn.execute(
                select(voice_settings).where(voice_settings.c.tenant_id == tenant_id)
            ).first()
        found = dict((settings or {}).get("input", {}))
        if found.get("recording", "tenant") == "tenant":
            found["recording"] = defaults.recording_default if defaults else "none"
        if found.get("recording_retention_days") is None:
            found["recording_retention_days"] = defaults.retention_days if defaults else 90
        return found

    def _start_announcer(self, call: LiveCall) -> None:
        if call.announcer is not None:
            call.announcer.cancel()
        call.announcer = asyncio.ensure_future(self._announce(call))
        call.tasks.add(call.announcer)
        call.announcer.add_done_callback(call.tasks.discard)
        call.announcer.add_done_callback(_log_failure)

    async def callback(self, call: LiveCall, topic: dict[str, Any], step: Any) -> None:
        """The caller keeps their place in line and is called back; the call itself ends."""
        await self.queue(call, topic)
        if call.state.status is not CallStatus.QUEUED:
            return
        await self.host.submit(
            Operation(
                commands=[RequestCallback(call.call_id)], tenant_id=call.tenant_id, actor="customer"
            )
        )
        await self.say(call, step.text or "Thank you. We will call you back. Goodbye.")
        await self.hang_up(call, "system", "system:ivr", keep_in_line=True)

    async def _callback_now(self, call: LiveCall, key: str) -> None:
        """The waiting caller pressed the callback key: called back, same place in line."""
        contact = self.host.engine.state.contacts.get(call.call_id)
        if contact is None or contact.status is not ContactStatus.WAITING:
            return
        await self.record_digits(call, key)
        await self.host.submit(
            Operation(
                commands=[RequestCallback(call.call_id)], tenant_id=call.tenant_id, actor="customer"
            )
        )
        await self.say(call, "Thank you. We will call you back, you keep your place. Goodbye.")
        await self.hang_up(call, "system", "system:ivr", keep_in_line=True)

    async def voicemail(self, call: LiveCall, topic: dict[str, Any], step: Any) -> None:
        """Records the caller (up to `max_s`, or until they press #), then keeps the call in
        line as a callback with the message as its recording."""
        await self.say_step(call, step) if (step.text or step.prompt_id) else await self.say(
            call, "Please leave a message after the tone, and press the hash key when done."
        )
        recording_id = new_id("vm")
        path = await asyncio.to_thread(recording_path, self.data_dir, call.tenant_id, recording_id)
        await self.media.send(StartRecording(call.call_id, str(path)))
        call.recording_path = str(path)
        while not call.digits.empty():
            call.digits.get_nowait()
        deadline = asyncio.get_running_loop().time() + float(step.max_s)
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                if await asyncio.wait_for(call.digits.get(), left) == "#":
                    break
            except TimeoutError:
                break
        stored = await self._stop_recording(call, kind="voicemail")
        await self.queue(call, topic)
        if call.state.status is not CallStatus.QUEUED:
            return
        await self.host.submit(
            Operation(
                commands=[RequestCallback(call.call_id)],
                inserts=stored,
                tenant_id=call.tenant_id,
                actor="customer",
            )
        )
        await self.say(call, "Thank you. We will call you back. Goodbye.")
        await self.hang_up(call, "system", "system:ivr", keep_in_line=True)

    async def _announce(self, call: LiveCall) -> None:
        """While the call waits: its place in line and the expected wait, every so often."""
        while call.state.status is CallStatus.QUEUED:
            contact = self.host.engine.state.contacts.get(call.call_id)
            if contact is None or contact.status is not ContactStatus.WAITING:
                return
            position, slots = place_in_line(self.host.engine.state, contact)
            text = announcement(position, slots)
            if call.callback_key is not None:
                key = {"*": "star", "#": "hash"}.get(call.callback_key, call.callback_key)
                text += f" To be called back without losing your place, press {key}."
            await self.say(call, text)
            every = call.announce_every or self.announce_every
            await asyncio.sleep(min(every, self.announce_every).total_seconds())

    # steps -----------------------------------------------------------------------------
    async def step(
        self,
        call: LiveCall,
        command: cc.CallCommand,
        actor: str,
        *,
        commands: Sequence[Command] = (),
        write: Callable[[Connection], Any] | None = None,
        more: Sequence[NewEvent] = (),
        inserts: Sequence[Any] = (),
    ) -> CallEvent:
        """One call step, stored with the engine commands and SQL work it goes with."""
        saved = copy.copy(call.control.state)
        event = call.control.handle(command, self.host.clock.now())
        try:
            await self.host.submit(
                Operation(
                    commands=commands,
                    write=write,
                    inserts=inserts,
                    events=[self._stored(call.tenant_id, call.call_id, event, actor), *more],
                    tenant_id=call.tenant_id,
                    actor=actor,
                )
            )
        except BaseException:
            call.control.state = saved
            raise
        return event

    def _stored(self, tenant_id: str, call_id: str, event: CallEvent, actor: str) -> NewEvent:
        """A call event as the log keeps it, addressed (by agent_id) to whoever answers."""
        payload: dict[str, Any] = {"contact_id": call_id, "tenant_id": tenant_id, **event.data}
        call = self.calls.get(call_id)
        live = self.host.engine.state.contacts.get(call_id)
        agent_id = call.state.agent_id if call is not None else None
        if agent_id is None and live is not None:
            agent_id = live.agent_id
        if agent_id is not None:
            payload.setdefault("agent_id", agent_id)
        return NewEvent(
            stream_id=f"contact:{call_id}",
            type=event.name,
            payload=payload,
            occurred_at=event.at,
            tenant_id=tenant_id,
            actor=actor,
        )

    def _ending_commands(self, call_id: str) -> list[Command]:
        contact = self.host.engine.state.contacts.get(call_id)
        if contact is None or contact.status is ContactStatus.WRAP_UP:
            return []
        if contact.status is ContactStatus.CONNECTED:
            return [EndContact(call_id)]
        return [AbandonContact(call_id)]

    def _abandon_ivr_row(self, tenant_id: str, call_id: str) -> Callable[[Connection], None]:
        now = self.host.clock.now()

        def write(conn: Connection) -> None:  # a call still in the IVR is not in the engine
            conn.execute(
                update(contacts)
                .where(
                    contacts.c.tenant_id == tenant_id,
                    contacts.c.contact_id == call_id,
                    contacts.c.status == ContactStatus.IVR.value,
                )
                .values(status=ContactStatus.ABANDONED.value, abandoned_at=now)
            )

        return write

    async def hang_up(
        self, call: LiveCall, by: str, actor: str, *, keep_in_line: bool = False
    ) -> None:
        """Ends the call (the engine too: wrap-up if answered, abandoned if not)."""
        if call.state.status is CallStatus.ENDED:
            return
        stored = await self._stop_recording(call)
        ending = [] if keep_in_line else self._ending_commands(call.call_id)
        if call.consultation_id is not None:
            ending += self._end_consultation_commands(call.consultation_id)
            self.consultations.pop(call.consultation_id, None)
        await self.step(
            call,
            cc.HangUp(by),
            actor,
            commands=ending,
            write=self._abandon_ivr_row(call.tenant_id, call.call_id),
            inserts=stored,
        )
        await self._close(call)

    async def _close(self, call: LiveCall) -> None:
        self.calls.pop(call.call_id, None)
        await self.drop_media(call.call_id)
        current = asyncio.current_task()
        for task in list(call.tasks):
            if task is not current:
                task.cancel()

    # agents ----------------------------------------------------------------------------
    def live(self, tenant_id: str, call_id: str) -> LiveCall:
        call = self.calls.get(call_id)
        if call is None or call.tenant_id != tenant_id:
            raise NotFound(f"no live call {call_id!r} in tenant {tenant_id!r}")
        return call

    async def join_agent(
        self, call: LiveCall, agent_id: str, sdp: str, actor: str
    ) -> dict[str, str]:
        """The connected agent's leg joins; the call is answered when it first does."""
        contact = self.host.engine.state.contacts.get(call.call_id)
        if (
            contact is None
            or contact.status is not ContactStatus.CONNECTED
            or contact.agent_id != agent_id
        ):
            raise Conflict(f"call {call.call_id!r} is not connected to your agent")
        leg_id = new_id("leg")
        reply = await self.media.send(AddParty(call.call_id, leg_id, "agent", sdp))
        assert isinstance(reply, Answer)
        old, call.agent_leg = call.agent_leg, leg_id
        if old is not None:
            with contextlib.suppress(Exception):
                await self.media.send(RemoveParty(call.call_id, old))
        if call.state.status in (CallStatus.QUEUED, CallStatus.RINGING):
            # an announcement must not go on over the agent's first words
            await self.media.send(StopPrompts(call.call_id, CUSTOMER))
            await self.step(call, cc.Answer(agent_id), actor)
            # after a blind transfer the recording of the first agent's part goes on
            if call.recording_policy == "all" and call.recording_path is None:
                await self.start_recording(call, "system:recording")
        await self.apply_plan(call)
        return {"leg_id": leg_id, "sdp": reply.sdp}

    async def change(self, call: LiveCall, command: cc.CallCommand, actor: str) -> None:
        """Hold, resume, mute, unmute: a step and the plan that follows from it."""
        await self.step(call, command, actor)
        await self.apply_plan(call)

    async def transfer(
        self, call: LiveCall, queue_id: str | None, agent_id: str | None, actor: str
    ) -> None:
        """A blind transfer: the engine moves the contact, the agent's leg goes."""
        command = TransferContact(call.call_id, queue_id=queue_id, agent_id=agent_id)
        await self.step(call, cc.Transfer(queue_id, agent_id), actor, commands=[command])

    # what the engine did ---------------------------------------------------------------
    def _on_committed(self, stored: list[StoredEvent]) -> None:
        for event in stored:
            call = self.calls.get(str(event.payload.get("contact_id", "")))
            if call is None or event.actor == "system:voice":
                continue
            kind = event.type
            if kind == "routing.contact_offered":
                agent_id = str(event.payload.get("agent_id"))
                self._spawn(call, self._ringing(call, agent_id))
            elif kind in (
                "routing.offer_rejected",
                "routing.offer_expired",
                "routing.offer_rescinded",
            ):
                self._spawn(call, self._unrung(call))
            elif kind in ("routing.contact_ended", "routing.contact_abandoned"):
                self._spawn(call, self._ended_elsewhere(call))
            elif kind == "routing.contact_transferred":
                self._spawn(call, self._transferred(call, event.payload))

    async def _ringing(self, call: LiveCall, agent_id: str) -> None:
        if call.state.status in (CallStatus.QUEUED, CallStatus.RINGING):
            await self.step(call, cc.Ring(agent_id), "system:voice")

    async def _unrung(self, call: LiveCall) -> None:
        """Nobody took the offer: the caller is waiting in line again (announcements too)."""
        contact = self.host.engine.state.contacts.get(call.call_id)
        if (
            call.state.status is CallStatus.RINGING
            and contact is not None
            and contact.status is ContactStatus.WAITING
            and not contact.offers
        ):
            await self.step(call, cc.Queue(contact.queue_id), "system:voice")
            self._start_announcer(call)

    async def _ended_elsewhere(self, call: LiveCall) -> None:
        """The contact ended through the engine (an agent's end or wrap-up route)."""
        if call.state.status is not CallStatus.ENDED:
            await self.step(call, cc.HangUp("agent"), "system:voice")
        await self._close(call)

    async def _transferred(self, call: LiveCall, payload: Any) -> None:
        """Back in a queue (a blind transfer): the agent's leg goes, the caller hears music."""
        contact = self.host.engine.state.contacts.get(call.call_id)
        if (
            contact is not None
            and contact.status is ContactStatus.CONNECTED
            and contact.agent_id == call.state.agent_id
        ):
            return  # taken over: already connected to the new agent
        if call.state.status in (CallStatus.CONNECTED, CallStatus.HELD):
            queue_id = payload.get("queue_id")
            await self.step(call, cc.Queue(str(queue_id)), "system:voice")
        leg, call.agent_leg = call.agent_leg, None
        if leg is not None:
            with contextlib.suppress(Exception):
                await self.media.send(RemoveParty(call.call_id, leg))
        if call.supervisor_leg is not None:
            await self.leave_supervisor(call, call.supervisor_leg, "system:voice")
        await self.apply_plan(call)
        self._start_announcer(call)

    # reading ---------------------------------------------------------------------------
    def customer_view(self, call_id: str) -> dict[str, Any]:
        """Status, place in line and expected wait as the caller's page shows them."""
        call = self.calls.get(call_id)
        status = call.state.status.value if call is not None else "ended"
        view: dict[str, Any] = {
            "call_id": call_id,
            "status": status,
            "place_in_line": None,
            "expected_wait_s": None,
            "agent_name": None,
        }
        contact = self.host.engine.state.contacts.get(call_id)
        if call is not None and status == "queued" and contact is not None:
            position, slots = place_in_line(self.host.engine.state, contact)
            wait = expected_wait(position, slots)
            view["place_in_line"] = position
            view["expected_wait_s"] = wait.total_seconds() if wait is not None else None
        return view


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("voice task failed: %r", task.exception())
