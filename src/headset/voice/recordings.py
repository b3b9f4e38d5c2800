"""Recording files: where they live, their waveform peaks, and the retention sweep."""

from __future__ import annotations

import asyncio
import logging
import wave
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, select

from headset.calls import events as ev
from headset.calls.origins import Origin
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import recordings

log = logging.getLogger("headset.voice")

#: Waveform points per recording (pairs of left/right peaks, 0..1).
PEAKS = 200


def recording_path(data_dir: Path, tenant_id: str, recording_id: str) -> Path:
    """Recordings are kept per tenant under the data directory."""
    folder = data_dir / "recordings" / tenant_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{recording_id}.wav"


def peaks(path: Path, points: int = PEAKS) -> list[list[float]]:
    """About `points` [left, right] pairs: the loudest sample of each stretch, 0..1."""
    with wave.open(str(path)) as reader:
        channels = reader.getnchannels()
        data = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16)
    if data.size == 0:
        return []
    frames = data.reshape(-1, channels).astype(np.float64) / 32768.0
    if channels == 1:
        frames = np.repeat(frames, 2, axis=1)
    chunks = np.array_split(np.abs(frames[:, :2]), min(points, len(frames)))
    return [[round(float(c[:, 0].max()), 3), round(float(c[:, 1].max()), 3)] for c in chunks]


async def sweep(host: EngineHost, now: datetime) -> int:
    """Deletes recordings past their retention, row and file, each with an audit event on
    its contact's timeline (through the host, like every change)."""

    def read() -> list[Any]:
        with host.db.connect() as conn:
            return list(conn.execute(select(recordings).where(recordings.c.expires_at <= now)))

    expired = await asyncio.to_thread(read)
    if not expired:
        return 0

    def write(conn: Connection) -> None:
        for row in expired:
            conn.execute(
                delete(recordings).where(
                    recordings.c.tenant_id == row.tenant_id,
                    recordings.c.recording_id == row.recording_id,
                )
            )

    await host.submit(
        Operation(write=write, events=[_deleted(r, now) for r in expired], actor=Origin.RETENTION)
    )
    for row in expired:  # after commit: a failed write leaves the files where they were
        Path(row.path).unlink(missing_ok=True)
    log.info("recordings past retention deleted", extra={"count": len(expired)})
    return len(expired)


async def run_sweeps(host: EngineHost, every_s: float = 3600.0) -> None:
    """The periodic retention sweep (a task of the switchboard)."""
    while True:
        try:
            await sweep(host, host.clock.now())
        except Exception:
            log.exception("the recording sweep failed")
        await asyncio.sleep(every_s)


def _deleted(row: Any, now: datetime) -> NewEvent:
    deleted = ev.RecordingDeleted(now, row.recording_id)
    return NewEvent(
        stream_id=f"contact:{row.contact_id}",
        type=deleted.name,
        payload={"contact_id": row.contact_id, **deleted.data},
        occurred_at=now,
        tenant_id=row.tenant_id,
        actor=Origin.RETENTION,
    )
