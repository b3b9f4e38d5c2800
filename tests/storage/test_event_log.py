"""The event log contract, on SQLite and PostgreSQL: gapless seq in commit order, versions."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from headset.core.errors import Conflict
from headset.storage.database import make_engine
from headset.storage.event_log import NewEvent, SqlEventLog, StoredEvent
from headset.storage.tables import events

AT = datetime(2026, 11, 23, 8, 0, 0, 123456, tzinfo=UTC)


def new(stream: str, n: int = 0, **fields: object) -> NewEvent:
    return NewEvent(
        stream_id=stream,
        type="test.happened",
        payload={"n": n, "nested": {"list": [1, "two", None]}},
        occurred_at=AT + timedelta(seconds=n),
        **fields,  # type: ignore[arg-type]
    )


def append(engine: Engine, log: SqlEventLog, *batch: NewEvent) -> list[StoredEvent]:
    with engine.begin() as conn:
        return log.append(conn, batch, AT)


def test_an_empty_log_has_last_seq_zero_and_reads_nothing(event_log: SqlEventLog) -> None:
    assert event_log.last_seq() == 0
    assert event_log.read() == []
    assert list(event_log.iter_all()) == []


def test_append_numbers_events_gaplessly_and_versions_each_stream(
    engine: Engine, event_log: SqlEventLog
) -> None:
    first = append(engine, event_log, new("agent:a", 1), new("agent:b", 2), new("agent:a", 3))
    second = append(engine, event_log, new("agent:b", 4))

    assert [e.seq for e in first + second] == [1, 2, 3, 4]
    assert [(e.stream_id, e.version) for e in first + second] == [
        ("agent:a", 1),
        ("agent:b", 1),
        ("agent:a", 2),
        ("agent:b", 2),
    ]
    assert event_log.read() == first + second
    assert event_log.last_seq() == 4


def test_stored_events_keep_every_field(engine: Engine, event_log: SqlEventLog) -> None:
    (stored,) = append(
        engine, event_log, new("c:1", 7, tenant_id="acme", actor="user:ann", correlation_id="r1")
    )
    (read,) = event_log.read()
    assert read == stored
    assert read.payload == {"n": 7, "nested": {"list": [1, "two", None]}}
    assert read.occurred_at == AT + timedelta(seconds=7)
    assert read.recorded_at == AT
    assert (read.tenant_id, read.actor, read.correlation_id) == ("acme", "user:ann", "r1")


def test_read_filters_by_position_stream_tenant_and_type(
    engine: Engine, event_log: SqlEventLog
) -> None:
    append(
        engine,
        event_log,
        new("s1", 1, tenant_id="acme"),
        new("s2", 2, tenant_id="globex"),
        new("s1", 3, tenant_id="acme"),
        new("s3", 4),
    )
    append(engine, event_log, NewEvent("s2", "test.other", {}, AT, tenant_id="globex"))

    assert [e.seq for e in event_log.read(after=2)] == [3, 4, 5]
    assert [e.seq for e in event_log.read(after=1, limit=2)] == [2, 3]
    assert [e.seq for e in event_log.read(stream_id="s1")] == [1, 3]
    assert [e.seq for e in event_log.read(tenant_ids={"globex"})] == [2, 5]
    assert event_log.read(tenant_ids=[]) == []  # rows without a tenant never match
    assert [e.seq for e in event_log.read(types=["test.other"])] == [5]
    assert [e.seq for e in event_log.read(tenant_ids=["acme"], after=1)] == [3]
    assert [e.version for e in event_log.read_stream("s2")] == [1, 2]


def test_iter_all_reads_the_whole_log_in_pages(engine: Engine, event_log: SqlEventLog) -> None:
    for batch in range(7):
        append(engine, event_log, *(new(f"s{i}", batch) for i in range(3)))

    assert [e.seq for e in event_log.iter_all(batch=4)] == list(range(1, 22))
    assert [e.seq for e in event_log.iter_all(batch=21)] == list(range(1, 22))
    assert [e.seq for e in event_log.iter_all(batch=5, after=18)] == [19, 20, 21]


def test_expected_version_guards_against_concurrent_changes(
    engine: Engine, event_log: SqlEventLog
) -> None:
    append(engine, event_log, new("queue:q", 1, expected_version=0))
    append(engine, event_log, new("queue:q", 2, expected_version=1), new("queue:q", 3))

    assert [e.version for e in event_log.read_stream("queue:q")] == [1, 2, 3]


def test_an_expected_version_conflict_changes_nothing(
    engine: Engine, event_log: SqlEventLog
) -> None:
    append(engine, event_log, new("queue:q", 1))

    with pytest.raises(Conflict, match="is at version 1, not 0"):
        append(engine, event_log, new("other", 2), new("queue:q", 3, expected_version=0))

    assert event_log.last_seq() == 1
    assert [e.stream_id for e in event_log.read()] == ["queue:q"]
    assert append(engine, event_log, new("other", 4))[0].seq == 2


def test_append_joins_the_callers_transaction(engine: Engine, event_log: SqlEventLog) -> None:
    def command_whose_projection_fails() -> None:
        with engine.begin() as conn:
            event_log.append(conn, [new("s", 1)], AT)
            raise RuntimeError("projection failed")

    with pytest.raises(RuntimeError, match="projection failed"):
        command_whose_projection_fails()

    assert event_log.last_seq() == 0


def test_append_refuses_naive_recorded_at(engine: Engine, event_log: SqlEventLog) -> None:
    with pytest.raises(ValueError, match="timezone-aware"), engine.begin() as conn:
        event_log.append(conn, [new("s", 1)], datetime(2026, 11, 23, 8, 0))


def test_events_survive_disposing_and_recreating_the_engine(database_url: str) -> None:
    engine = make_engine(database_url)
    stored = append(engine, SqlEventLog(engine), new("s", 1), new("s", 2))
    engine.dispose()

    again = make_engine(database_url)
    try:
        assert SqlEventLog(again).read() == stored
    finally:
        again.dispose()


WRITERS, BATCHES = 4, 200


def test_a_tailer_sees_every_event_once_in_seq_order_while_writers_append(
    engine: Engine, event_log: SqlEventLog
) -> None:
    total = WRITERS * BATCHES * 2
    errors: list[BaseException] = []
    seen: list[StoredEvent] = []
    done = threading.Event()

    def write(writer: int) -> None:
        try:
            for batch in range(BATCHES):
                append(engine, event_log, new(f"w{writer}", batch), new(f"w{writer}:{batch}"))
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    def tail() -> None:
        last = 0
        deadline = time.monotonic() + 120
        try:
            while len(seen) < total and time.monotonic() < deadline and not errors:
                page = event_log.read(after=last)
                seen.extend(page)
                last = page[-1].seq if page else last
        except BaseException as error:
            errors.append(error)
        finally:
            done.set()

    tailer = threading.Thread(target=tail)
    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    tailer.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.wait(180)
    tailer.join()

    assert errors == []
    assert [e.seq for e in seen] == list(range(1, total + 1))
    for writer in range(WRITERS):
        versions = [e.version for e in seen if e.stream_id == f"w{writer}"]
        assert versions == list(range(1, BATCHES + 1))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == total
