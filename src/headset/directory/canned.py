"""Canned responses: prepared answers an agent inserts by typing their shortcut."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select

from headset.core.errors import Conflict
from headset.core.ids import new_id
from headset.directory.events import DirectoryEventType as E
from headset.directory.registrar import Change, Kind, columns_view, listing, load, remove, save
from headset.service.host import EngineHost
from headset.storage.tables import canned_responses

CANNED = Kind(
    canned_responses, "canned_id", "canned response",
    E.CANNED_RESPONSE_SAVED, E.CANNED_RESPONSE_DELETED,
    stream=lambda tenant_id, _: f"canned:{tenant_id}",
    view=columns_view(canned_responses),
)  # fmt: skip


class CannedIn(BaseModel):
    """A canned response as clients send it."""

    model_config = ConfigDict(extra="forbid")
    #: What the agent types after "/", e.g. `thanks`; unique in the tenant.
    shortcut: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=4000)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


def list_canned(
    conn: Connection, tenant_id: str, language: str | None = None, prefix: str | None = None
) -> list[dict[str, Any]]:
    """The tenant's canned responses by shortcut, narrowed by language and shortcut prefix."""
    column = canned_responses.c
    where = [] if language is None else [column.language == language]
    if prefix:
        where.append(column.shortcut.startswith(prefix, autoescape=True))
    return listing(conn, CANNED, tenant_id, *where)


def get_canned(conn: Connection, tenant_id: str, canned_id: str) -> dict[str, Any]:
    """One canned response, or NotFound."""
    return CANNED.view(load(conn, CANNED, tenant_id, canned_id))


def _shortcut_free(tenant_id: str, shortcut: str, canned_id: str) -> Any:
    def check(conn: Connection) -> None:
        query = select(canned_responses.c.canned_id).where(
            canned_responses.c.tenant_id == tenant_id, canned_responses.c.shortcut == shortcut
        )
        found = conn.execute(query).first()
        if found is not None and found.canned_id != canned_id:
            raise Conflict(f"the shortcut {shortcut!r} is taken; choose another")

    return check


async def save_canned(
    host: EngineHost, tenant_id: str, canned_id: str | None, body: CannedIn, *, actor: str
) -> dict[str, Any]:
    """Creates a canned response (no id) or replaces one; a shortcut is unique in the tenant."""
    item_id = canned_id or new_id("cr")
    now = host.clock.now()
    change = Change(
        tenant_id, item_id, {"updated_at": now, **body.model_dump()}, actor, now,
        mode="create" if canned_id is None else "update",
        check=_shortcut_free(tenant_id, body.shortcut, item_id),
    )  # fmt: skip
    return await save(host, CANNED, change)


async def delete_canned(host: EngineHost, tenant_id: str, canned_id: str, *, actor: str) -> None:
    """Deletes a canned response of the tenant."""
    await remove(host, CANNED, tenant_id, canned_id, actor=actor, at=host.clock.now())


class CannedOut(CannedIn):
    """A stored canned response."""

    canned_id: str
    updated_at: datetime
