"""The registrar: how every kind of directory item is loaded, saved and deleted.

Each kind is described once (`Kind`: its table, key column, noun, events, view and what a
delete must check); `save` and `delete` are the only writers of those tables. Each submits
one operation through the engine host: the SQL work, the engine commands that go with it
(a queue's settings, an agent's profile) and one typed `DirectoryChanged`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Row, Table, delete, insert, select, update

from headset.core.errors import Conflict, NotFound
from headset.core.messages import Command
from headset.directory.events import DirectoryChanged, DirectoryEventType
from headset.service.host import EngineHost
from headset.service.operations import Operation

#: What the API shows of a stored row.
View = Callable[[Row[Any]], dict[str, Any]]
#: A check in the writer's transaction (another request may have changed things since).
Check = Callable[[Connection], None]


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of directory item, as the registrar needs to know it."""

    table: Table
    key: str
    #: How messages name one item: "no canned response 'x' in tenant 't1'".
    noun: str
    saved: DirectoryEventType
    deleted: DirectoryEventType | None
    #: The event stream of an item, from its tenant and id.
    stream: Callable[[str, str], str]
    view: View
    #: Ids unique across the center, not only in the tenant (the engine knows teams by id).
    is_global_key: bool = False
    #: Refuses a delete while something still uses the item (tenant, item id).
    delete_check: Callable[[Connection, str, str], None] | None = None


def columns_view(table: Table, *hidden: str) -> View:
    """Every column of the row but the tenant and the `hidden` ones."""
    shown = [c.name for c in table.c if c.name != "tenant_id" and c.name not in hidden]
    return lambda row: {name: getattr(row, name) for name in shown}


@dataclass(frozen=True, slots=True)
class Change:
    """One save of one item: what to store, by whom, and what goes with it."""

    tenant_id: str
    item_id: str
    values: Mapping[str, Any]
    actor: str
    at: datetime
    #: upsert: create or replace; create: a new id; update: an existing item (404 if none).
    mode: Literal["upsert", "create", "update"] = "upsert"
    #: Columns set only when the row is made (a widget's public key, a creation time).
    on_create: Mapping[str, Any] = field(default_factory=dict)
    #: The event's data; by default the item's key.
    data: Mapping[str, Any] | None = None
    #: The event, when not the kind's `saved` (a token revoked, a webhook updated).
    event: DirectoryEventType | None = None
    check: Check | None = None
    commands: Sequence[Command] = ()
    #: Agents the change registers, with tenant and team (service/operations.py).
    agents: Sequence[tuple[str, str, str | None]] = ()


def _where(kind: Kind, tenant_id: str, item_id: str) -> list[Any]:
    return [kind.table.c.tenant_id == tenant_id, kind.table.c[kind.key] == item_id]


def load(conn: Connection, kind: Kind, tenant_id: str, item_id: str) -> Row[Any]:
    """The tenant's item, or NotFound naming the kind's noun."""
    row = conn.execute(select(kind.table).where(*_where(kind, tenant_id, item_id))).first()
    if row is None:
        raise NotFound(f"no {kind.noun} {item_id!r} in tenant {tenant_id!r}")
    return row


def listing(conn: Connection, kind: Kind, tenant_id: str, *where: Any) -> list[dict[str, Any]]:
    """The tenant's items of the kind (narrowed by `where`), ordered by key, as viewed."""
    table = kind.table
    query = select(table).where(table.c.tenant_id == tenant_id, *where)
    return [kind.view(r) for r in conn.execute(query.order_by(table.c[kind.key]))]


async def submit(
    host: EngineHost,
    write: Callable[[Connection], Any],
    event: DirectoryChanged,
    commands: Sequence[Command] = (),
    agents: Sequence[tuple[str, str, str | None]] = (),
) -> Any:
    """One operation: the SQL work, its commands and its directory event; what `write` gave."""
    operation = Operation(
        commands=commands,
        write=write,
        events=[event.new_event()],
        tenant_id=event.tenant_id,
        actor=event.actor,
        agents=agents,
    )
    return (await host.submit(operation)).written


async def save(host: EngineHost, kind: Kind, change: Change) -> dict[str, Any]:
    """Stores the item as `change` says; returns it as stored and viewed."""
    tenant_id, item_id, table = change.tenant_id, change.item_id, kind.table

    def write(conn: Connection) -> dict[str, Any]:
        where = _where(kind, tenant_id, item_id)
        if change.mode == "update":
            load(conn, kind, tenant_id, item_id)
        if kind.is_global_key:
            owner = conn.execute(select(table.c.tenant_id).where(where[1])).first()
            if owner is not None and owner.tenant_id != tenant_id:
                raise Conflict(f"{kind.noun} id {item_id!r} is taken; choose another")
        if change.check is not None:
            change.check(conn)
        is_new = change.mode == "create" or (
            change.mode == "upsert"
            and conn.execute(select(table.c[kind.key]).where(*where)).first() is None
        )
        if is_new:
            keys = {"tenant_id": tenant_id, kind.key: item_id}
            conn.execute(insert(table).values(**keys, **change.on_create, **change.values))
        else:
            conn.execute(update(table).where(*where).values(**change.values))
        return kind.view(load(conn, kind, tenant_id, item_id))

    data = {kind.key: item_id} if change.data is None else change.data
    event = DirectoryChanged(
        change.event or kind.saved,
        tenant_id,
        kind.stream(tenant_id, item_id),
        data,
        change.actor,
        change.at,
    )
    return dict(await submit(host, write, event, change.commands, change.agents))


async def remove(
    host: EngineHost, kind: Kind, tenant_id: str, item_id: str, *, actor: str, at: datetime
) -> None:
    """Deletes the tenant's item: NotFound if there is none, refused while it is in use."""
    if kind.deleted is None:
        raise TypeError(f"{kind.noun} items are not deleted")

    def write(conn: Connection) -> None:
        load(conn, kind, tenant_id, item_id)
        if kind.delete_check is not None:
            kind.delete_check(conn, tenant_id, item_id)
        conn.execute(delete(kind.table).where(*_where(kind, tenant_id, item_id)))

    stream = kind.stream(tenant_id, item_id)
    event = DirectoryChanged(kind.deleted, tenant_id, stream, {kind.key: item_id}, actor, at)
    await submit(host, write, event)
