"""Call recordings: pause, resume and start on a live call; list and play them back.

Pausing and resuming belong to the connected agent (each pause is a stored event with who
and why, and a silent stretch in the file). Listing and playing need `recording.listen`;
every playback or download is audited on the contact's timeline. See docs/voice.md,
"Recording policy"; the actions are the switchboard's `Recorder`,
voice/recording_archive.py's and voice/voice_settings.py's.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api import call_models as out
from headset.api.deps import Caller, Rt
from headset.api.downloads import download
from headset.api.principal import Principal
from headset.voice import recording_archive as archive
from headset.voice.board import running
from headset.voice.live_call import LiveCall
from headset.voice.voice_settings import VoiceSettings, save_voice_settings, voice_settings_of

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["recordings"])


class PauseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=200)


def _recording(call: LiveCall) -> out.CallRecordingOut:
    state = out.RecordingStateOut(state=call.state.recording.value)
    return out.CallRecordingOut(call_id=call.call_id, recording=state)


@router.post("/calls/{call_id}/recording/pause")
async def pause(
    tenant_id: str, call_id: str, who: Caller, rt: Rt, body: PauseIn | None = None
) -> out.CallRecordingOut:
    """Silence in the recording from now (a card number, say), until resumed."""
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    await running(rt.switchboard).recorder.pause(call, body.reason if body else None, who.actor)
    return _recording(call)


@router.post("/calls/{call_id}/recording/resume")
async def resume(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> out.CallRecordingOut:
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    await running(rt.switchboard).recorder.resume(call, who.actor)
    return _recording(call)


@router.post("/calls/{call_id}/recording/start")
async def start(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> out.CallRecordingOut:
    """Starts recording a call whose queue records on demand."""
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    await running(rt.switchboard).recorder.start_on_demand(call, who.actor)
    return _recording(call)


def _listener(who: Principal, tenant_id: str) -> archive.Reader:
    scope = who.check(tenant_id, Permission.RECORDING_LISTEN)
    return archive.Reader(tenant_id, scope, who, who.actor, who.user_id)


@router.get("/contacts/{contact_id}/recordings")
async def list_recordings(
    tenant_id: str, contact_id: str, who: Caller, rt: Rt
) -> list[archive.StoredRecording]:
    """The contact's recordings with their pauses and waveform peaks (200 [left, right])."""
    by = _listener(who, tenant_id)
    found = await run_in_threadpool(archive.list_recordings, rt.reader, by, contact_id)
    return found


@router.get("/recordings/{recording_id}/audio")
async def audio(tenant_id: str, recording_id: str, who: Caller, rt: Rt) -> Response:
    """The WAV (customer left, agent right); the playback is audited before it is sent."""
    by = _listener(who, tenant_id)
    content = await archive.play_recording(rt.host, rt.reader, by, recording_id)
    return download(content, f"{recording_id}.wav", "audio/wav")


class MaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start_s: float = Field(ge=0)
    end_s: float = Field(gt=0)
    reason: str = Field(min_length=1, max_length=200)


@router.post("/recordings/{recording_id}/mask")
async def mask(
    tenant_id: str, recording_id: str, body: MaskIn, who: Caller, rt: Rt
) -> out.MaskedOut:
    """Silences a stretch of a stored recording for good (a card number said aloud): the
    stretch joins the recording's pauses with who and why, and the change is audited."""
    by = _listener(who, tenant_id)
    stretch = archive.Mask(body.start_s, body.end_s, body.reason)
    pauses = await archive.mask_recording(rt.host, rt.reader, by, recording_id, stretch)
    return out.MaskedOut(recording_id=recording_id, pauses=pauses)


class VoiceSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: The policy of queues whose `recording` is "tenant".
    recording_default: Literal["all", "none", "on_demand"] = "none"
    retention_days: int = Field(default=90, ge=1, le=3_650)


@router.get("/voice/settings")
def get_voice_settings(tenant_id: str, who: Caller, rt: Rt) -> VoiceSettings:
    """The tenant's recording default and retention (queues may say their own)."""
    who.check(tenant_id, Permission.CONFIG_READ)
    return voice_settings_of(rt.reader, tenant_id)


@router.put("/voice/settings")
async def put_voice_settings(
    tenant_id: str, body: VoiceSettingsIn, who: Caller, rt: Rt
) -> VoiceSettings:
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    wanted = VoiceSettings(body.recording_default, body.retention_days)
    return await save_voice_settings(rt.host, tenant_id, wanted, who.actor)
