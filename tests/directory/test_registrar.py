"""Every kind of directory item through its actions, on SQLite with a fake clock: created,
changed and deleted with one typed event each, and out of reach of other tenants."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from headset.core.errors import Conflict, NotFound
from headset.directory.events import DirectoryChanged, decode
from headset.service.host import EngineHost
from tests.directory.conftest import NOW
from tests.directory.kinds import ACTOR, CASES, Case

pytestmark = pytest.mark.asyncio
BY_NAME = pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])


def _row(host: EngineHost, case: Case, tenant_id: str, item_id: str) -> dict[str, Any] | None:
    table = case.table
    query = select(table).where(table.c.tenant_id == tenant_id, table.c[case.key] == item_id)
    with host.db.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else dict(row._mapping)


def _events_after(host: EngineHost, seq: int) -> list[DirectoryChanged]:
    return list(decode(host.event_log.read(seq)))


@BY_NAME
async def test_an_item_is_created_changed_and_deleted_with_one_event_each(
    host: EngineHost, case: Case
) -> None:
    seq = host.event_log.last_seq()

    item_id = await case.save(host, "t1", 1, None)
    created = _row(host, case, "t1", item_id)
    await case.save(host, "t1", 2, item_id)
    changed = _row(host, case, "t1", item_id)
    if case.delete is not None:
        await case.delete(host, "t1", item_id)

    assert created is not None
    assert changed is not None
    assert changed != created
    assert _row(host, case, "t1", item_id) == (None if case.delete else changed)
    events = _events_after(host, seq)
    expected = [*case.saved, *([case.deleted] if case.deleted else [])]
    assert [e.type for e in events] == expected
    assert {(e.tenant_id, e.actor, e.at) for e in events} == {("t1", ACTOR, NOW)}


@BY_NAME
async def test_another_tenant_can_neither_change_nor_delete_the_item(
    host: EngineHost, case: Case
) -> None:
    item_id = await case.save(host, "t1", 1, None)
    before = _row(host, case, "t1", item_id)
    seq = host.event_log.last_seq()

    if case.delete is not None:
        with pytest.raises(NotFound):
            await case.delete(host, "t2", item_id)
    try:  # a center-wide id is refused, a changed one not found, a tenant's own id is its own
        await case.save(host, "t2", 2, item_id)
    except (Conflict, NotFound):
        assert _events_after(host, seq) == []

    assert _row(host, case, "t1", item_id) == before
    assert all(e.tenant_id == "t2" for e in _events_after(host, seq))


async def test_a_refused_change_stores_nothing(host: EngineHost) -> None:
    """A check that fails in the writer (a shortcut taken) leaves no row and no event."""
    canned_case = next(c for c in CASES if c.name == "canned responses")
    await canned_case.save(host, "t1", 1, None)
    seq = host.event_log.last_seq()

    with pytest.raises(Conflict, match="shortcut 'thanks' is taken"):
        await canned_case.save(host, "t1", 1, None)

    assert _events_after(host, seq) == []
