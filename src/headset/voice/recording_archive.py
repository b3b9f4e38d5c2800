"""Stored recordings: listed with their pauses, played back (audited), masked for good.

Each playback or download stores `voice.recording_played` on the contact's timeline before
the file is sent; a mask silences a stretch of the file and stores who did it and why.
"""

from __future__ import annotations

import asyncio
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy import Engine as SqlEngine

from headset.access.caller import Viewer
from headset.access.permissions import Scope
from headset.calls import events as ev
from headset.core.errors import Invalid, NotFound
from headset.service.contact_reads import load_contact
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import recordings, users


@dataclass(frozen=True, slots=True)
class Reader:
    """Who reads recordings: the caller's scope over contacts and the caller themselves."""

    tenant_id: str
    scope: Scope
    who: Viewer
    actor: str
    user_id: str | None


@dataclass(frozen=True, slots=True)
class StoredRecording:
    """A recording as listed: its pauses (each with who paused, by name) and peaks."""

    recording_id: str
    contact_id: str
    kind: str
    duration_s: float
    #: the two channels of the file: customer left, agent right
    channels: list[str]
    pauses: list[dict[str, Any]]
    peaks: list[list[float]]
    #: ISO 8601, as the API shows it
    created_at: str
    expires_at: str


def list_recordings(reader: SqlEngine, by: Reader, contact_id: str) -> list[StoredRecording]:
    """The contact's recordings, oldest first, each pause with its `by_name`."""
    with reader.connect() as conn:
        load_contact(conn, by.tenant_id, contact_id, by.scope, by.who)
        rows = conn.execute(
            select(recordings)
            .where(recordings.c.tenant_id == by.tenant_id, recordings.c.contact_id == contact_id)
            .order_by(recordings.c.created_at)
        ).all()
        names = _names(conn, {p.get("by") for r in rows for p in r.pauses or ()})
    return [
        StoredRecording(
            row.recording_id,
            row.contact_id,
            row.kind,
            round(row.duration_s, 3),
            ["customer", "agent"],
            [{**p, "by_name": names.get(p.get("by"))} for p in row.pauses or ()],
            row.peaks,
            row.created_at.isoformat(),
            row.expires_at.isoformat(),
        )
        for row in rows
    ]


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


def read_recording(reader: SqlEngine, by: Reader, recording_id: str) -> tuple[Any, bytes]:
    """The recording's row and its file, if the caller may see its contact."""
    with reader.connect() as conn:
        row = conn.execute(
            select(recordings).where(
                recordings.c.tenant_id == by.tenant_id, recordings.c.recording_id == recording_id
            )
        ).first()
        if row is None:
            raise NotFound(f"no recording {recording_id!r} in tenant {by.tenant_id!r}")
        load_contact(conn, by.tenant_id, row.contact_id, by.scope, by.who)
    path = Path(row.path)
    if not path.is_file():
        raise NotFound(f"the file of recording {recording_id!r} is gone")
    return row, path.read_bytes()


async def play_recording(
    host: EngineHost, reader: SqlEngine, by: Reader, recording_id: str
) -> bytes:
    """The recording's WAV; the playback is stored on the contact's timeline first."""
    row, content = await asyncio.to_thread(read_recording, reader, by, recording_id)
    played = ev.RecordingPlayed(host.clock.now(), recording_id, by.user_id)
    event = _on_timeline(row.contact_id, played, by)
    await host.submit(Operation(events=[event], tenant_id=by.tenant_id, actor=by.actor))
    return content


@dataclass(frozen=True, slots=True)
class Mask:
    """A stretch of a recording to silence for good, and why."""

    start_s: float
    end_s: float
    reason: str


async def mask_recording(
    host: EngineHost, reader: SqlEngine, by: Reader, recording_id: str, mask: Mask
) -> list[dict[str, Any]]:
    """Silences the stretch in the file; it joins the recording's pauses (returned)."""
    row, _ = await asyncio.to_thread(read_recording, reader, by, recording_id)
    if mask.end_s <= mask.start_s or mask.start_s >= row.duration_s:
        raise Invalid(
            f"mask a stretch inside the recording (0-{row.duration_s:.1f} s, end after start)",
            field="end_s",
        )
    await asyncio.to_thread(_mask_file, Path(row.path), mask.start_s, mask.end_s)
    masked = ev.RecordingMasked(
        host.clock.now(), recording_id, mask.start_s, min(mask.end_s, row.duration_s),
        by.actor, mask.reason,
    )  # fmt: skip
    stretch = {k: v for k, v in masked.data.items() if k != "recording_id"}
    pauses = [*row.pauses, stretch]

    def write(conn: Connection) -> None:
        conn.execute(
            update(recordings)
            .where(
                recordings.c.tenant_id == by.tenant_id, recordings.c.recording_id == recording_id
            )
            .values(pauses=pauses)
        )

    event = _on_timeline(row.contact_id, masked, by)
    await host.submit(
        Operation(write=write, events=[event], tenant_id=by.tenant_id, actor=by.actor)
    )
    return pauses


def _on_timeline(contact_id: str, event: ev.CallEvent, by: Reader) -> NewEvent:
    return NewEvent(
        stream_id=f"contact:{contact_id}",
        type=event.name,
        payload={"contact_id": contact_id, **event.data},
        occurred_at=event.at,
        tenant_id=by.tenant_id,
        actor=by.actor,
    )


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
