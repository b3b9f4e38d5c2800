"""Stored recordings and voice settings through their actions (engine host, fake clock)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from headset.access.permissions import Scope
from headset.calls.call import CallStatus
from headset.core.errors import Invalid, NotFound
from headset.voice import recording_archive as archive
from headset.voice.voice_settings import VoiceSettings, save_voice_settings, voice_settings_of
from tests.voice.switchboard import TENANT, Board

pytestmark = pytest.mark.asyncio


@dataclass(frozen=True)
class Viewer:
    agent_id: str | None = None
    led_teams: frozenset[str] = frozenset()


LISTENER = archive.Reader(TENANT, Scope.TENANT, Viewer(), "user:u9", "u9")


async def recorded_call(desk: Board, call_id: str) -> None:
    """A call recorded from its answer, paused once by the agent, then hung up."""
    call = await desk.queued_call(call_id)
    await desk.settle(call, lambda: call.state.status is CallStatus.RINGING)
    await desk.accept(call_id)
    await desk.board.agents.join(call, "a1", "v=0 offer", "user:u1")
    call.recording_policy = "on_demand"
    await desk.board.recorder.start_on_demand(call, "user:u1")
    await desk.board.recorder.pause(call, "card number", "user:u1")
    await desk.board.ending.hang_up(call, "agent", "user:u1")


async def test_a_played_recording_is_on_the_contacts_timeline_first(desk: Board) -> None:
    await recorded_call(desk, "c1")
    (found,) = archive.list_recordings(desk.host.db, LISTENER, "c1")
    assert (found.kind, found.duration_s, found.pauses) == ("call", 1.0, [])
    content = await archive.play_recording(desk.host, desk.host.db, LISTENER, found.recording_id)
    assert content.startswith(b"RIFF")
    (played,) = [
        e
        for e in desk.host.event_log.read_stream("contact:c1")
        if e.type == "voice.recording_played"
    ]
    assert dict(played.payload) == {
        "contact_id": "c1", "recording_id": found.recording_id, "user_id": "u9",
    }  # fmt: skip
    assert played.actor == "user:u9"


async def test_a_mask_joins_the_pauses_with_who_and_why(desk: Board) -> None:
    await recorded_call(desk, "c2")
    (found,) = archive.list_recordings(desk.host.db, LISTENER, "c2")
    with pytest.raises(Invalid):
        await archive.mask_recording(
            desk.host, desk.host.db, LISTENER, found.recording_id, archive.Mask(2.0, 3.0, "late")
        )
    stretch = archive.Mask(0.25, 5.0, "card number said aloud")
    pauses = await archive.mask_recording(
        desk.host, desk.host.db, LISTENER, found.recording_id, stretch
    )
    assert pauses == [
        {"start_s": 0.25, "end_s": 1.0, "by": "user:u9", "reason": "card number said aloud"}
    ]
    (listed,) = archive.list_recordings(desk.host.db, LISTENER, "c2")
    assert listed.pauses == [{**pauses[0], "by_name": None}]
    with pytest.raises(NotFound):
        archive.read_recording(desk.host.db, LISTENER, "rec_none")


async def test_voice_settings_are_the_defaults_until_saved(desk: Board) -> None:
    assert voice_settings_of(desk.host.db, TENANT) == VoiceSettings("none", 90)
    saved = VoiceSettings("all", 30)
    await save_voice_settings(desk.host, TENANT, saved, "user:u5")
    await save_voice_settings(desk.host, TENANT, VoiceSettings("on_demand", 30), "user:u5")
    assert voice_settings_of(desk.host.db, TENANT) == VoiceSettings("on_demand", 30)
    stored = desk.host.event_log.read_stream(f"voice-settings:{TENANT}")
    assert [e.type for e in stored] == ["directory.voice_settings_saved"] * 2
