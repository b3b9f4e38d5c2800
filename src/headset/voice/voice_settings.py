"""A tenant's voice settings: the recording policy of queues that leave it to the tenant, and
how long recordings are kept."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from sqlalchemy import Connection, insert, select, update
from sqlalchemy import Engine as SqlEngine

from headset.directory.events import DirectoryChanged, DirectoryEventType
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.tables import voice_settings

Policy = Literal["all", "none", "on_demand"]


@dataclass(frozen=True, slots=True)
class VoiceSettings:
    """The tenant's recording default (for queues saying "tenant") and retention."""

    recording_default: Policy = "none"
    retention_days: int = 90


def voice_settings_of(reader: SqlEngine, tenant_id: str) -> VoiceSettings:
    """The tenant's settings (the defaults until saved)."""
    with reader.connect() as conn:
        row = conn.execute(
            select(voice_settings).where(voice_settings.c.tenant_id == tenant_id)
        ).first()
    if row is None:
        return VoiceSettings()
    return VoiceSettings(row.recording_default, row.retention_days)


async def save_voice_settings(
    host: EngineHost, tenant_id: str, settings: VoiceSettings, actor: str
) -> VoiceSettings:
    """Stores the settings (audited as `directory.voice_settings_saved`)."""
    now = host.clock.now()
    values = {**asdict(settings), "updated_at": now}

    def write(conn: Connection) -> None:
        where = voice_settings.c.tenant_id == tenant_id
        if conn.execute(select(voice_settings.c.tenant_id).where(where)).first() is None:
            conn.execute(insert(voice_settings).values(tenant_id=tenant_id, **values))
        else:
            conn.execute(update(voice_settings).where(where).values(**values))

    saved = DirectoryChanged(
        DirectoryEventType.VOICE_SETTINGS_SAVED,
        tenant_id,
        f"voice-settings:{tenant_id}",
        asdict(settings),
        actor,
        now,
    )
    await host.submit(
        Operation(write=write, events=[saved.new_event()], tenant_id=tenant_id, actor=actor)
    )
    return settings
