"""Events for changes outside the engine (tenants, users, configuration): the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from headset.api.principal import Principal
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
    return NewEvent(
        stream_id=stream_id,
        type=f"directory.{kind}",
        payload=_jsonable(data),
        occurred_at=now,
        tenant_id=tenant_id,
        actor=who.actor,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
