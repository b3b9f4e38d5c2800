"""Call recordings: pause, resume and start on a live call; list and play them back.

Pausing and resuming belong to the connected agent (each pause is a stored event with who
and why, and a silent stretch in the file). Listing and playing need `recording.listen`;
every playback or download is audited on the contact's timeline. See docs/voice.md,
"Recording policy".
"""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, insert, select, update
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.api.directory_events import directory_event
from headset.api.downloads import download
from headset.api.principal import Principal
from headset.api.routes.calls import mine
from headset.api.routes.contacts import load_contact
from headset.api.routes.voice_customer import board_of
from headset.api.runtime import Runtime
from headset.core.errors import Conflict, Invalid, NotFound
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import recordings, users, voice_settings

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["recordings"])


class PauseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=200)


@router.post("/calls/{call_id}/recording/pause")
async def pause(
    tenant_id: str, call_id: str, who: Caller, rt: Rt, body: PauseIn | None = None
) -> dict[str, Any]:
    """Silence in the recording from now (a card number, say), until resumed."""
    call = mine(rt, who, tenant_id, call_id)
    await board_of(rt).pause_recording(call, body.reason if body else None, who.actor)
    return {"call_id": call_id, "recording": {"state": call.state.recording.value}}


@router.post("/calls/{call_id}/recording/resume")
async def resume(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    call = mine(rt, who, tenant_id, call_id)
    await board_of(rt).resume_recording(call, who.actor)
    return {"call_id": call_id, "recording": {"state": call.state.recording.value}}


@router.post("/calls/{call_id}/recording/start")
async def start(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """Starts recording a call whose queue records on demand."""
    call = mine(rt, who, tenant_id, call_id)
    if call.recording_policy == "none":
        raise Conflict("this queue's calls are never recorded (recording: none)")
    await board_of(rt).start_recording(call, who.actor)
    return {"call_id": call_id, "recording": {"state": call.state.recording.value}}


def _body(row: Any) -> dict[str, Any]:
    return {
        "recording_id": row.recording_id,
        "contact_id": row.contact_id,
        "kind": row.kind,
        "duration_s": round(row.duration_s, 3),
        "channels": ["customer", "agent"],
        "pauses": row.pauses,
        "peaks": row.peaks,
        "created_at": row.created_at.isoformat(),
        "expires_at": row.expires_at.isoformat(),
    }


def _list(rt: Runtime, who: Principal, tenant_id: str, contact_id: str) -> list[dict[str, Any]]:
    scope = who.check(tenant_id, Permission.RECORDING_LISTEN)
    with reading(rt) as conn:
        load_contact(conn, tenant_id, contact_id, scope, who)
        rows = conn.execute(
            select(recordings)
            .where(recordings.c.tenant_id == tenant_id, recordings.c.contact_id == contact_id)
            .order_by(recordings.c.created_at)
        ).all()
        names = _names(conn, {p.get("by") for r in rows for p in r.pauses or ()})
    bodies = [_body(r) for r in rows]
    for body in bodies:
        body["pauses"] = [{**p, "by_name": names.get(p.get("by"))} for p in body["pauses"] or ()]
    return bodies


def _names(conn: Connection, actors: set[Any]) -> dict[str, str]:
    """Display names of the users among `actors` ("user:u_..."), for a pause's "by"."""
    ids = {
        a.removeprefix("user:"): a for a in actors if isinstance(a, str) and a.startswith("user:")
    }
    if not ids:
        return {}
    rows = conn.execute(
        select(users.c.user_id, users.c.display_name).where(users.c.user_id.in_(sorted(ids)))
    )
    return {ids[r.user_id]: r.display_name for r in rows}


@router.get("/contacts/{contact_id}/recordings")
async def list_recordings(
    tenant_id: str, contact_id: str, who: Caller, rt: Rt
) -> list[dict[str, Any]]:
    """The contact's recordings with their pauses and waveform peaks (200 [left, right])."""
    return await run_in_threadpool(_list, rt, who, tenant_id, contact_id)


def _read(rt: Runtime, who: Principal, tenant_id: str, recording_id: str) -> tuple[Any, bytes]:
    scope = who.check(tenant_id, Permission.RECORDING_LISTEN)
    with reading(rt) as conn:
        row = conn.execute(
            select(recordings).where(
                recordings.c.tenant_id == tenant_id, recordings.c.recording_id == recording_id
            )
        ).first()
        if row is None:
            raise NotFound(f"no recording {recording_id!r} in tenant {tenant_id!r}")
        load_contact(conn, tenant_id, row.contact_id, scope, who)
    path = Path(row.path)
    if not path.is_file():
        raise NotFound(f"the file of recording {recording_id!r} is gone")
    return row, path.read_bytes()


@router.get("/recordings/{recording_id}/audio")
async def audio(tenant_id: str, recording_id: str, who: Caller, rt: Rt) -> Response:
    """The WAV (customer left, agent right); the playback is audited before it is sent."""
    row, content = await run_in_threadpool(_read, rt, who, tenant_id, recording_id)
    event = NewEvent(
        stream_id=f"contact:{row.contact_id}",
        type="voice.recording_played",
        payload={
            "contact_id": row.contact_id,
            "recording_id": recording_id,
            "user_id": who.user_id,
        },
        occurred_at=rt.now(),
        tenant_id=tenant_id,
        actor=who.actor,
    )
    await rt.host.submit(Operation(events=[event], tenant_id=tenant_id, actor=who.actor))
    return download(content, f"{recording_id}.wav", "audio/wav")


class MaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start_s: float = Field(ge=0)
    end_s: float = Field(gt=0)
    reason: str = Field(min_length=1, max_length=200)


def _mask_file(path: Path, start_s: float, end_s: float) -> None:
    """Silences [start_s, end_s) of a 16-bit WAV in place (both channels)."""
    with wave.open(str(path), "rb") as reader:
        params = reader.getparams()
        frames = bytearray(reader.readframes(reader.getnframes()))
    width = params.sampwidth * params.nchannels
    first = int(start_s * params.framerate) * width
    last = min(len(frames), int(end_s * params.framerate) * width)
    frames[first:last] = bytes(max(0, last - first))
    with wave.open(str(path), "wb") as writer:
        writer.setparams(params)
        writer.writeframes(bytes(frames))


@router.post("/recordings/{recording_id}/mask")
async def mask(
    tenant_id: str, recording_id: str, body: MaskIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Silences a stretch of a stored recording for good (a card number said aloud): the
    stretch joins the recording's pauses with who and why, and the change is audited."""
    row, _ = await run_in_threadpool(_read, rt, who, tenant_id, recording_id)
    if body.end_s <= body.start_s or body.start_s >= row.duration_s:
        raise Invalid(
            f"mask a stretch inside the recording (0-{row.duration_s:.1f} s, end after start)",
            field="end_s",
        )
    await run_in_threadpool(_mask_file, Path(row.path), body.start_s, body.end_s)
    stretch = {"start_s": body.start_s, "end_s": min(body.end_s, row.duration_s),
               "by": who.actor, "reason": body.reason}  # fmt: skip
    pauses = [*row.pauses, stretch]

    def write(conn: Connection) -> None:
        conn.execute(
            update(recordings)
            .where(recordings.c.tenant_id == tenant_id, recordings.c.recording_id == recording_id)
            .values(pauses=pauses)
        )

    event = NewEvent(
        stream_id=f"contact:{row.contact_id}",
        type="voice.recording_masked",
        payload={"contact_id": row.contact_id, "recording_id": recording_id, **stretch},
        occurred_at=rt.now(),
        tenant_id=tenant_id,
        actor=who.actor,
    )
    await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    return {"recording_id": recording_id, "pauses": pauses}


class VoiceSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: The policy of queues whose `recording` is "tenant".
    recording_default: Literal["all", "none", "on_demand"] = "none"
    retention_days: int = Field(default=90, ge=1, le=3_650)


def _settings_body(row: Any) -> dict[str, Any]:
    if row is None:
        return {"recording_default": "none", "retention_days": 90}
    return {"recording_default": row.recording_default, "retention_days": row.retention_days}


@router.get("/voice/settings")
def get_voice_settings(tenant_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The tenant's recording default and retention (queues may say their own)."""
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        row = conn.execute(
            select(voice_settings).where(voice_settings.c.tenant_id == tenant_id)
        ).first()
    return _settings_body(row)


@router.put("/voice/settings")
async def put_voice_settings(
    tenant_id: str, body: VoiceSettingsIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    now = rt.now()
    values = {**body.model_dump(), "updated_at": now}

    def write(conn: Connection) -> dict[str, Any]:
        where = voice_settings.c.tenant_id == tenant_id
        if conn.execute(select(voice_settings.c.tenant_id).where(where)).first() is None:
            conn.execute(insert(voice_settings).values(tenant_id=tenant_id, **values))
        else:
            conn.execute(update(voice_settings).where(where).values(**values))
        return body.model_dump()

    event = directory_event(
        "voice_settings_saved",
        tenant_id,
        f"voice-settings:{tenant_id}",
        body.model_dump(),
        now,
        who,
    )
    outcome = await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    return dict(outcome.written)
