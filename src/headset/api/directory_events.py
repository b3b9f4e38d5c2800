"""The API's shorthand for a directory event by its short name (directory/events.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from headset.api.principal import Principal
from headset.directory.events import DirectoryChanged, DirectoryEventType
from headset.storage.event_log import NewEvent


def directory_event(
    kind: str,
    tenant_id: str | None,
    stream_id: str,
    data: dict[str, Any],
    now: datetime,
    who: Principal,
) -> NewEvent:
    """`directory.<kind>`, stored in the operation's transaction, with the caller as actor."""
    change = DirectoryChanged(
        DirectoryEventType(f"directory.{kind}"), tenant_id, stream_id, data, who.actor, now
    )
    return change.new_event()
