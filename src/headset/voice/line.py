"""A call in line: queued in its topic's queue, told its place, called back, or a voicemail."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from headset.calls import call as cc
from headset.calls.call import CallStatus
from headset.calls.origins import Origin
from headset.contacts.start import for_topic
from headset.core.ids import new_id
from headset.media.protocol import StartRecording
from headset.routing.business_hours import is_open_at
from headset.routing.commands import RequestCallback
from headset.routing.model import Channel
from headset.routing.records import ContactStatus
from headset.routing.waiting import place_in_line
from headset.service.contacts import queue_after_ivr
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.tables import queues, voice_settings
from headset.voice.call_media import CallMedia
from headset.voice.ending import Ending
from headset.voice.live_call import LiveCall, spawn
from headset.voice.queueing import announcement
from headset.voice.recording_steps import Recorder
from headset.voice.speech import Speech
from headset.voice.steps import CallSteps


class Line:
    """Calls waiting for an agent: queueing, announcements, callbacks and voicemail."""

    def __init__(
        self,
        host: EngineHost,
        media: CallMedia,
        steps: CallSteps,
        speech: Speech,
        recorder: Recorder,
        ending: Ending,
        announce_every: timedelta,
    ) -> None:
        self.host = host
        self.media = media
        self.steps = steps
        self.speech = speech
        self.recorder = recorder
        self.ending = ending
        self.announce_every = announce_every

    async def queue(self, call: LiveCall, topic: dict[str, Any]) -> None:
        """Puts the call in the topic's queue; closed or gone queues end it politely."""
        queue_id = str(topic["queue_id"])
        state = self.host.engine.state
        if self.host.tenancy.queues.get(queue_id) != call.tenant_id or queue_id not in state.queues:
            await self.speech.say(call, "Sorry, this line cannot be reached now. Goodbye.")
            await self.ending.hang_up(call, "system", Origin.IVR)
            return
        hours = self.host.tenancy.hours.get(queue_id)
        if not is_open_at(hours, self.host.clock.now()):
            await self.speech.say(
                call, "We are closed now. Please call again during our opening hours."
            )
            await self.ending.hang_up(call, "system", Origin.IVR)
            return
        start = for_topic(
            call.tenant_id, call.call_id, Channel.VOICE, topic, language=call.language
        )
        queued = queue_after_ivr(self.host, start)
        settings = await asyncio.to_thread(self._queue_settings, call.tenant_id, queue_id)
        call.recording_policy = str(settings["recording"])
        call.retention_days = int(settings["recording_retention_days"])
        call.announce_every = timedelta(seconds=float(settings.get("announce_every_s", 0)))
        await self.steps.step(
            call, cc.Queue(queue_id), "customer", commands=queued.commands, write=queued.write
        )
        await self.media.apply_plan(call)
        self.start_announcer(call)

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

    def start_announcer(self, call: LiveCall) -> None:
        """Tells the waiting caller their place in line, every so often (again from now)."""
        if call.announcer is not None:
            call.announcer.cancel()
        call.announcer = spawn(call.tasks, self._announce(call))

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
            await self.speech.say(call, text)
            every = call.announce_every or self.announce_every
            await asyncio.sleep(min(every, self.announce_every).total_seconds())

    async def callback(self, call: LiveCall, topic: dict[str, Any], step: Any) -> None:
        """The caller keeps their place in line and is called back; the call itself ends."""
        await self.queue(call, topic)
        if call.state.status is not CallStatus.QUEUED:
            return
        await self._called_back(call, step.text or "Thank you. We will call you back. Goodbye.")

    async def callback_now(self, call: LiveCall, key: str) -> None:
        """The waiting caller pressed the callback key: called back, same place in line."""
        contact = self.host.engine.state.contacts.get(call.call_id)
        if contact is None or contact.status is not ContactStatus.WAITING:
            return
        await self.steps.record_digits(call, key)
        text = "Thank you. We will call you back, you keep your place. Goodbye."
        await self._called_back(call, text)

    async def voicemail(self, call: LiveCall, topic: dict[str, Any], step: Any) -> None:
        """Records the caller (up to `max_s`, or until they press #), then keeps the call in
        line as a callback with the message as its recording."""
        if step.text or step.prompt_id:
            await self.speech.say_step(call, step)
        else:
            text = "Please leave a message after the tone, and press the hash key when done."
            await self.speech.say(call, text)
        path = await self.recorder.new_file(call, new_id("vm"))
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
        stored = await self.recorder.stop(call, kind="voicemail")
        await self.queue(call, topic)
        if call.state.status is not CallStatus.QUEUED:
            return
        await self._called_back(call, "Thank you. We will call you back. Goodbye.", stored)

    async def _called_back(self, call: LiveCall, goodbye: str, inserts: Sequence[Any] = ()) -> None:
        """The engine keeps the call in line as a callback; the caller hears goodbye."""
        await self.host.submit(
            Operation(
                commands=[RequestCallback(call.call_id)],
                inserts=inserts,
                tenant_id=call.tenant_id,
                actor="customer",
            )
        )
        await self.speech.say(call, goodbye)
        await self.ending.hang_up(call, "system", Origin.IVR, keep_in_line=True)
