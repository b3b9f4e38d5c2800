"""Simple configuration of a tenant: teams, skills, dispositions and away reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Table, delete, select

from headset.access.permissions import Permission
from headset.api.deps import Caller, Name, Rt, Slug, reading
from headset.api.directory_events import directory_event
from headset.core.errors import Conflict, NotFound
from headset.service.operations import Operation
from headset.storage.tables import away_reasons, dispositions, skills, teams
from headset.storage.upsert import save_row

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["configuration"])


class TeamIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    team_id: Slug
    name: Name
    leader_user_id: str | None = None
    #: Contacts per hour each agent of the team aims for; shown on their desktops.
    contacts_per_hour_target: float | None = Field(default=None, gt=0, le=1000)


class SkillIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    skill_id: Slug
    name: Name


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Slug
    label: Name


@dataclass(frozen=True)
class Kind:
    """One simple resource: its table, key column, path and body model."""

    path: str
    table: Table
    key: str
    body: type[BaseModel]
    #: Keys unique across the center (the engine knows teams by id alone).
    is_global_key: bool = False


KINDS = (
    Kind("teams", teams, "team_id", TeamIn, is_global_key=True),
    Kind("skills", skills, "skill_id", SkillIn),
    Kind("dispositions", dispositions, "code", CodeIn),
    Kind("away-reasons", away_reasons, "code", CodeIn),
)


def _row(kind: Kind, row: Any) -> dict[str, Any]:
    return {c: getattr(row, c) for c in [col.name for col in kind.table.c] if c != "tenant_id"}


def _register(kind: Kind) -> None:
    table, key = kind.table, kind.table.c[kind.key]
    noun = kind.path.rstrip("s").replace("-", " ")

    def list_(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
        who.check(tenant_id, Permission.CONFIG_READ)
        with reading(rt) as conn:
            rows = conn.execute(select(table).where(table.c.tenant_id == tenant_id).order_by(key))
            return [_row(kind, r) for r in rows]

    def get(tenant_id: str, item_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
        who.check(tenant_id, Permission.CONFIG_READ)
        with reading(rt) as conn:
            row = conn.execute(
                select(table).where(table.c.tenant_id == tenant_id, key == item_id)
            ).first()
        if row is None:
            raise NotFound(f"no {noun} {item_id!r} in tenant {tenant_id!r}")
        return _row(kind, row)

    async def put(
        tenant_id: str, item_id: str, body: BaseModel, who: Caller, rt: Rt
    ) -> dict[str, Any]:
        who.check(tenant_id, Permission.CONFIG_MANAGE)
        values = body.model_dump()
        if values[kind.key] != item_id:
            raise Conflict(f"the body's {kind.key} {values[kind.key]!r} differs from the URL's")

        def write(conn: Connection) -> Any:
            where = (
                [key == item_id]
                if kind.is_global_key
                else [table.c.tenant_id == tenant_id, key == item_id]
            )
            found = conn.execute(select(table.c.tenant_id).where(*where)).first()
            if found is not None and found.tenant_id != tenant_id:
                raise Conflict(f"{noun} id {item_id!r} is taken; choose another")
            keys = {"tenant_id": tenant_id, kind.key: item_id}
            rest = {k: v for k, v in values.items() if k != kind.key}
            return _row(kind, save_row(conn, table, keys, rest))

        event = directory_event(
            f"{kind.path.replace('-', '_')}_saved",
            tenant_id,
            f"{kind.path}:{tenant_id}:{item_id}",
            values,
            rt.now(),
            who,
        )
        outcome = await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
        return dict(outcome.written)

    async def remove(tenant_id: str, item_id: str, who: Caller, rt: Rt) -> None:
        who.check(tenant_id, Permission.CONFIG_MANAGE)

        def write(conn: Connection) -> None:
            gone = conn.execute(delete(table).where(table.c.tenant_id == tenant_id, key == item_id))
            if gone.rowcount == 0:
                raise NotFound(f"no {noun} {item_id!r} in tenant {tenant_id!r}")

        event = directory_event(
            f"{kind.path.replace('-', '_')}_removed",
            tenant_id,
            f"{kind.path}:{tenant_id}:{item_id}",
            {kind.key: item_id},
            rt.now(),
            who,
        )
        await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))

    # FastAPI reads the body model from the annotation: give it this kind's model
    put.__annotations__["body"] = kind.body
    path = f"/{kind.path}"
    router.add_api_route(path, list_, methods=["GET"], name=f"list_{kind.path}")
    router.add_api_route(path + "/{item_id}", get, methods=["GET"], name=f"get_{kind.path}")
    router.add_api_route(path + "/{item_id}", put, methods=["PUT"], name=f"put_{kind.path}")
    router.add_api_route(
        path + "/{item_id}", remove, methods=["DELETE"], status_code=204, name=f"delete_{kind.path}"
    )


for _kind in KINDS:
    _register(_kind)
