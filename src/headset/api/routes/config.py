"""Simple configuration of a tenant: teams, skills, dispositions and away reasons."""

from __future__ import annotations

from types import GenericAlias

from fastapi import APIRouter
from pydantic import BaseModel

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.directory.lists import LISTS, SimpleList, get_item, list_items, remove_item, save_item

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["configuration"])


def _register(simple: SimpleList) -> None:
    kind, path, out = simple.kind, f"/{simple.path}", simple.out

    def list_(tenant_id: str, who: Caller, rt: Rt) -> list[BaseModel]:
        who.check(tenant_id, Permission.CONFIG_READ)
        with reading(rt) as conn:
            return [out(**item) for item in list_items(conn, kind, tenant_id)]

    def get(tenant_id: str, item_id: str, who: Caller, rt: Rt) -> BaseModel:
        who.check(tenant_id, Permission.CONFIG_READ)
        with reading(rt) as conn:
            return out(**get_item(conn, kind, tenant_id, item_id))

    async def put(tenant_id: str, item_id: str, body: BaseModel, who: Caller, rt: Rt) -> BaseModel:
        who.check(tenant_id, Permission.CONFIG_MANAGE)
        return out(**await save_item(rt.host, kind, tenant_id, item_id, body, actor=who.actor))

    async def remove(tenant_id: str, item_id: str, who: Caller, rt: Rt) -> None:
        who.check(tenant_id, Permission.CONFIG_MANAGE)
        await remove_item(rt.host, kind, tenant_id, item_id, actor=who.actor)

    # FastAPI reads the body and answer models from the annotations: give it this list's
    put.__annotations__["body"] = simple.body
    list_.__annotations__["return"] = GenericAlias(list, (simple.out,))
    get.__annotations__["return"] = put.__annotations__["return"] = simple.out
    router.add_api_route(path, list_, methods=["GET"], name=f"list_{simple.path}")
    router.add_api_route(path + "/{item_id}", get, methods=["GET"], name=f"get_{simple.path}")
    router.add_api_route(path + "/{item_id}", put, methods=["PUT"], name=f"put_{simple.path}")
    router.add_api_route(
        path + "/{item_id}", remove, methods=["DELETE"], status_code=204,
        name=f"delete_{simple.path}",
    )  # fmt: skip


for _list in LISTS:
    _register(_list)
