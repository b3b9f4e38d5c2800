"""Canned responses: prepared answers an agent inserts by typing their shortcut."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, delete, insert, select, update

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading, tenant_row
from headset.api.directory_events import directory_event
from headset.core.errors import Conflict
from headset.core.ids import new_id
from headset.service.operations import Operation
from headset.storage.tables import canned_responses

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/canned-responses", tags=["canned responses"])


class CannedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: What the agent types after "/", e.g. `thanks`; unique in the tenant.
    shortcut: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=4000)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


def canned_body(row: Any) -> dict[str, Any]:
    return {c.name: getattr(row, c.name) for c in canned_responses.c if c.name != "tenant_id"}


@router.get("")
def list_canned(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    language: str | None = Query(default=None, max_length=10),
    prefix: str | None = Query(default=None, max_length=32),
) -> list[dict[str, Any]]:
    """Every agent of the tenant reads them; `prefix` narrows by shortcut as the agent types."""
    who.check(tenant_id, Permission.CONFIG_READ)
    query = select(canned_responses).where(canned_responses.c.tenant_id == tenant_id)
    if language is not None:
        query = query.where(canned_responses.c.language == language)
    if prefix:
        query = query.where(canned_responses.c.shortcut.startswith(prefix, autoescape=True))
    with reading(rt) as conn:
        rows = conn.execute(query.order_by(canned_responses.c.shortcut)).all()
    return [canned_body(r) for r in rows]


def _taken(conn: Connection, tenant_id: str, shortcut: str, canned_id: str | None) -> None:
    query = select(canned_responses.c.canned_id).where(
        canned_responses.c.tenant_id == tenant_id, canned_responses.c.shortcut == shortcut
    )
    found = conn.execute(query).first()
    if found is not None and found.canned_id != canned_id:
        raise Conflict(f"the shortcut {shortcut!r} is taken; choose another")


def _one(conn: Connection, tenant_id: str, canned_id: str) -> Any:
    return tenant_row(conn, canned_responses, "canned_id", tenant_id, canned_id, "canned response")


@router.post("", status_code=201)
async def create_canned(tenant_id: str, body: CannedIn, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.CANNED_MANAGE)
    canned_id, now = new_id("cr"), rt.now()

    def write(conn: Connection) -> dict[str, Any]:
        _taken(conn, tenant_id, body.shortcut, None)
        conn.execute(
            insert(canned_responses).values(
                tenant_id=tenant_id, canned_id=canned_id, updated_at=now, **body.model_dump()
            )
        )
        return canned_body(_one(conn, tenant_id, canned_id))

    return dict(await _submit(rt, who, tenant_id, canned_id, "canned_response_saved", write))


@router.get("/{canned_id}")
def get_canned(tenant_id: str, canned_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return canned_body(_one(conn, tenant_id, canned_id))


@router.put("/{canned_id}")
async def replace_canned(
    tenant_id: str, canned_id: str, body: CannedIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    who.check(tenant_id, Permission.CANNED_MANAGE)
    now = rt.now()

    def write(conn: Connection) -> dict[str, Any]:
        _one(conn, tenant_id, canned_id)
        _taken(conn, tenant_id, body.shortcut, canned_id)
        conn.execute(
            update(canned_responses)
            .where(
                canned_responses.c.tenant_id == tenant_id,
                canned_responses.c.canned_id == canned_id,
            )
            .values(updated_at=now, **body.model_dump())
        )
        return canned_body(_one(conn, tenant_id, canned_id))

    return dict(await _submit(rt, who, tenant_id, canned_id, "canned_response_saved", write))


@router.delete("/{canned_id}", status_code=204)
async def delete_canned(tenant_id: str, canned_id: str, who: Caller, rt: Rt) -> None:
    who.check(tenant_id, Permission.CANNED_MANAGE)

    def write(conn: Connection) -> None:
        _one(conn, tenant_id, canned_id)
        conn.execute(
            delete(canned_responses).where(
                canned_responses.c.tenant_id == tenant_id,
                canned_responses.c.canned_id == canned_id,
            )
        )

    await _submit(rt, who, tenant_id, canned_id, "canned_response_deleted", write)


async def _submit(rt: Any, who: Any, tenant_id: str, canned_id: str, kind: str, write: Any) -> Any:
    event = directory_event(
        kind, tenant_id, f"canned:{tenant_id}", {"canned_id": canned_id}, rt.now(), who
    )
    outcome = await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    return outcome.written
