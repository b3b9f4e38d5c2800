"""An operation: engine commands plus SQL writes plus events, committed as one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table

from headset.core.messages import Command
from headset.routing.timers import Result
from headset.storage.event_log import NewEvent, StoredEvent

#: SQL work done in the operation's transaction; returns what the caller should get back.
Write = Callable[[Connection], Any]


@dataclass(frozen=True, slots=True)
class Operation:
    """What one API call (or timer) asks of the service, all or nothing."""

    commands: Sequence[Command] = ()
    write: Write | None = None
    #: Rows to insert, batched with the other operations' rows (one executemany per table).
    inserts: Sequence[tuple[Table, dict[str, Any]]] = ()
    #: Events that are not the engine's (directory changes, notes), stored beside its events.
    events: Sequence[NewEvent] = ()
    tenant_id: str | None = None
    actor: str | None = None
    correlation_id: str | None = None
    #: Agents this operation registers, with their tenant and team (for audiences).
    agents: Sequence[tuple[str, str, str | None]] = ()


@dataclass(slots=True)
class Outcome:
    """What an operation did once it is durable."""

    stored: list[StoredEvent] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    written: Any = None
