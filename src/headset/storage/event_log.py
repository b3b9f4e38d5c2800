"""The append-only event log: a global `seq` in commit order, and a `version` per stream.

`append` runs inside the caller's transaction: a command's handler appends its events and
updates projection rows in one transaction, commits, and only then publishes the stored
events. A reader that tails the log with `read(after=last_seq_seen)` must never skip an event,
so `seq` has to follow commit order, gaplessly:

- PostgreSQL hands out sequence and identity values before commit, so two transactions can
  commit in the opposite order of their numbers, and a tailer that has already read the
  higher number never sees the lower one. `append` therefore takes a transaction-scoped
  advisory lock (`pg_advisory_xact_lock`) before it reads `max(seq)`: appenders queue on the
  lock, which is released only after commit, so the next appender numbers after every row
  already visible. Use READ COMMITTED (PostgreSQL's default), so that the read of `max(seq)`
  after the lock sees the transaction that released it.
- SQLite writes one transaction at a time, and `make_engine` starts every write transaction
  with BEGIN IMMEDIATE, so `max(seq)` is read under the write lock already.

Writers serialize on this lock for the rest of their transaction: keep command transactions
short. The unique (stream_id, version) constraint is a second line of defence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, select

from headset.core.clock import require_aware
from headset.core.errors import Conflict
from headset.storage.database import READ_ONLY_OPTION, is_postgres, read_only
from headset.storage.tables import events

#: The advisory lock key of the event log ("HSEVLOG" in ASCII): any 64-bit number will do,
#: as long as nothing else in the database uses it.
ADVISORY_LOCK_KEY = 0x48_53_45_56_4C_4F_47


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append: its payload is JSON-safe data (see `headset.storage.codec`)."""

    stream_id: str
    type: str
    payload: Mapping[str, Any]
    occurred_at: datetime
    tenant_id: str | None = None
    actor: str | None = None
    correlation_id: str | None = None
    #: The stream's version before this event; a different one raises `Conflict`.
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event in the log: `seq` orders the whole log, `version` orders its stream."""

    seq: int
    stream_id: str
    version: int
    type: str
    payload: Mapping[str, Any]
    occurred_at: datetime
    recorded_at: datetime
    tenant_id: str | None
    actor: str | None
    correlation_id: str | None


class SqlEventLog:
    """The event log in the `events` table, on SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._reader = read_only(engine)
        self._is_postgres = is_postgres(engine)
        # Appending is the service's hottest write: the statement is compiled once and the
        # rows go straight to the driver, each value through its column type's own processor
        # (the same conversion SQLAlchemy would apply, without its per-statement overhead).
        dialect = engine.dialect
        self._columns = [c.name for c in events.columns]
        self._processors: list[Callable[[Any], Any] | None] = [
            events.c[name].type.bind_processor(dialect) for name in self._columns
        ]
        mark = "%s" if self._is_postgres else "?"
        marks = [mark] * len(self._columns)
        if self._is_postgres:  # psycopg needs the JSON text cast; SQLite's JSON type is text
            at = self._columns.index("payload")
            self._processors[at] = json.dumps
            marks[at] = "%s::json"
        self._insert_sql = (
            f"INSERT INTO events ({', '.join(self._columns)}) VALUES ({', '.join(marks)})"
        )
        self._mark = mark

    def append(
        self, conn: Connection, new_events: Sequence[NewEvent], recorded_at: datetime
    ) -> list[StoredEvent]:
        """Appends in the caller's transaction; raises `Conflict` on an unexpected version."""
        require_aware(recorded_at)
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            raise ValueError(
                "append needs a writing connection (engine.begin()), not a read-only one"
            )
        if not new_events:
            return []
        if self._is_postgres:
            conn.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
        seq = conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM events").scalar_one()
        versions = self._versions(conn, {e.stream_id for e in new_events})
        stored = []
        for new in new_events:
            version = versions.get(new.stream_id, 0)
            if new.expected_version is not None and new.expected_version != version:
                raise Conflict(
                    f"stream {new.stream_id!r} is at version {version}, not "
                    f"{new.expected_version}: someone else changed it; reload and try again"
                )
            seq += 1
            versions[new.stream_id] = version + 1
            stored.append(
                StoredEvent(
                    seq=seq,
                    stream_id=new.stream_id,
                    version=version + 1,
                    type=new.type,
                    payload=dict(new.payload),
                    occurred_at=new.occurred_at,
                    recorded_at=recorded_at,
                    tenant_id=new.tenant_id,
                    actor=new.actor,
                    correlation_id=new.correlation_id,
                )
            )
        # one executemany: a batch of events costs one round trip
        processors = self._processors
        rows = []
        for event in stored:
            values = _row(event)
            rows.append(
                tuple(
                    p(values[name]) if p is not None else values[name]
                    for name, p in zip(self._columns, processors, strict=True)
                )
            )
        conn.exec_driver_sql(self._insert_sql, rows)
        return stored

    def read(
        self,
        after: int = 0,
        limit: int | None = None,
        *,
        stream_id: str | None = None,
        tenant_ids: Collection[str] | None = None,
        types: Collection[str] | None = None,
    ) -> list[StoredEvent]:
        """Events with `seq > after`, in seq order; filters combine (rows without a tenant
        never match `tenant_ids`)."""
        query = select(events).where(events.c.seq > after).order_by(events.c.seq)
        if stream_id is not None:
            query = query.where(events.c.stream_id == stream_id)
        if tenant_ids is not None:
            query = query.where(events.c.tenant_id.in_(list(tenant_ids)))
        if types is not None:
            query = query.where(events.c.type.in_(list(types)))
        if limit is not None:
            query = query.limit(limit)
        with self._reader.connect() as conn:
            return [_stored(row) for row in conn.execute(query)]

    def read_stream(self, stream_id: str) -> list[StoredEvent]:
        """Every event of one stream, in version order."""
        query = select(events).where(events.c.stream_id == stream_id).order_by(events.c.version)
        with self._reader.connect() as conn:
            return [_stored(row) for row in conn.execute(query)]

    def last_seq(self) -> int:
        """The seq of the newest event, 0 when the log is empty."""
        with self._reader.connect() as conn:
            last: int = conn.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one()
            return last

    def iter_all(self, batch: int = 5000, after: int = 0) -> Iterator[StoredEvent]:
        """The whole log (after `after`) in seq order, read in pages of `batch` events.

        Each page is a short query of its own on the primary key (no long-lived transaction,
        no OFFSET), so replaying a large log at start-up stays linear.
        """
        if batch < 1:
            raise ValueError(f"batch must be at least 1, not {batch}")
        while True:
            page = self.read(after, batch)
            yield from page
            if len(page) < batch:
                return
            after = page[-1].seq

    def _versions(self, conn: Connection, stream_ids: set[str]) -> dict[str, int]:
        ids = sorted(stream_ids)
        marks = ", ".join([self._mark] * len(ids))
        sql = (
            f"SELECT stream_id, max(version) FROM events WHERE stream_id IN ({marks}) "
            "GROUP BY stream_id"
        )
        return {row[0]: row[1] for row in conn.exec_driver_sql(sql, tuple(ids))}


def _row(event: StoredEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "stream_id": event.stream_id,
        "version": event.version,
        "type": event.type,
        "payload": event.payload,
        "tenant_id": event.tenant_id,
        "actor": event.actor,
        "correlation_id": event.correlation_id,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
    }


def _stored(row: Row[Any]) -> StoredEvent:
    m = row._mapping
    return StoredEvent(
        seq=m["seq"],
        stream_id=m["stream_id"],
        version=m["version"],
        type=m["type"],
        payload=m["payload"],
        occurred_at=m["occurred_at"],
        recorded_at=m["recorded_at"],
        tenant_id=m["tenant_id"],
        actor=m["actor"],
        correlation_id=m["correlation_id"],
    )
