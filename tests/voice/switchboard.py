"""A switchboard on the engine host (SQLite, fake clock) with fake media: no HTTP, no WebRTC.

Tenant t1 has a voice queue and agent a1 (voice capacity 1, as with its softphone
registered). A call is put in line as its IVR would put it; what the switchboard does after
a commit is waited for by awaiting the writer and the call's tasks, never by sleeping.
"""

from __future__ import annotations

import asyncio
import wave
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from headset.calls.call import CallControl
from headset.contacts.start import StartContact
from headset.core.clock import FakeClock
from headset.media import protocol as mp
from headset.media.settings import MediaSettings
from headset.routing.commands import ConfigureQueue, FireTimer, RegisterAgent, SetAgentState
from headset.routing.model import AgentProfile, AgentState, Channel, Membership, QueueConfig
from headset.service.contacts import start_contact
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.database import make_engine
from headset.storage.event_log import SqlEventLog
from headset.storage.migrate import upgrade
from headset.storage.tables import tenants
from headset.voice.board import Switchboard
from headset.voice.live_call import LiveCall

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TENANT = "t1"
QUEUE = "t1-voice"


@dataclass
class FakeMedia:
    """Media that carries out every command at once: legs are answered, a recording is a
    second of silence."""

    sent: list[mp.Command] = field(default_factory=list)
    recording: dict[str, str] = field(default_factory=dict)

    async def send(self, command: mp.Command) -> mp.Reply:
        self.sent.append(command)
        if isinstance(command, mp.AddParty):
            return mp.Answer(f"answer-of-{command.party_id}")
        if isinstance(command, mp.StartRecording):
            self.recording[command.call_id] = command.path
        if isinstance(command, mp.StopRecording):
            path = self.recording.pop(command.call_id)
            with wave.open(path, "wb") as writer:
                writer.setnchannels(2)
                writer.setsampwidth(2)
                writer.setframerate(8000)
                writer.writeframes(bytes(4 * 8000))
            return mp.RecordingStopped(path, 1.0, ())
        return mp.Done()

    async def close(self) -> None:
        return None


@dataclass
class Board:
    """The switchboard, its host, clock and media."""

    board: Switchboard
    host: EngineHost
    clock: FakeClock
    media: FakeMedia
    tmp: Path

    async def queued_call(self, call_id: str) -> LiveCall:
        """A call whose IVR chose the queue: stored in its IVR, then queued (and offered)."""
        start = StartContact(TENANT, call_id, QUEUE, Channel.VOICE, is_in_ivr=True)
        await start_contact(self.host, start, actor="customer")
        topic = {"topic_id": "support", "label": "support", "queue_id": QUEUE}
        call = LiveCall(call_id, TENANT, "w1", "Shop", [topic], None, None, CallControl(call_id))
        self.board.calls[call_id] = call
        await self.board.line.queue(call, topic)
        return call

    async def accept(self, call_id: str) -> None:
        """Agent a1 accepts the call's offer."""
        from headset.routing.commands import AcceptOffer

        (offer_id,) = self.host.engine.state.agents["a1"].offers
        assert offer_id.startswith(call_id)
        await self.host.submit(Operation(commands=[AcceptOffer(offer_id)], actor="user:u1"))

    async def settle(self, call: LiveCall, done: Callable[[], bool]) -> None:
        """Lets the writer and the call's tasks (not its announcer) run until `done()`."""
        for _ in range(100):
            if done():
                return
            await self.host.quiet()
            busy = [t for t in call.tasks if t is not call.announcer and not t.done()]
            if busy:
                await asyncio.wait(busy)
            else:
                await asyncio.sleep(0)
        raise AssertionError("the switchboard did not get there")

    async def fire_due_timers(self) -> None:
        """What the host's scheduler does when the clock reaches a timer: fire it."""
        for timer in self.host.engine.pending_timers():
            if timer.due_at <= self.clock.now():
                await self.host.submit(Operation(commands=[FireTimer(timer.key)]))


async def open_desk(tmp_path: Path) -> AsyncIterator[Board]:
    """Builds the desk; stops it when the test is done."""
    url = f"sqlite:///{tmp_path}/voice.db"
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(insert(tenants).values(tenant_id=TENANT, name="T1", created_at=NOW))
    clock = FakeClock(NOW)
    host = EngineHost(db, SqlEventLog(db), clock)
    host.boot()
    await host.start()
    media = FakeMedia()
    settings = MediaSettings(is_in_process=True, prompt_cache=str(tmp_path / "prompts"))
    board = Switchboard(host, settings, in_process=True, media=media)
    await board.start()
    profile = AgentProfile(
        "a1", team_id="blue", capacity={Channel.VOICE: 1}, memberships=(Membership(QUEUE),)
    )
    await host.submit(
        Operation(
            commands=[
                ConfigureQueue(QueueConfig(QUEUE, tenant_id=TENANT)),
                RegisterAgent(profile),
                SetAgentState("a1", AgentState.AVAILABLE),
            ],
            tenant_id=TENANT,
            agents=[("a1", TENANT, "blue")],
        )
    )
    try:
        yield Board(board, host, clock, media, tmp_path)
    finally:
        await board.stop()
        await host.stop()
        db.dispose()
