"""Canned responses: prepared answers an agent inserts by typing their shortcut."""

from __future__ import annotations

from fastapi import APIRouter, Query

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.directory import canned
from headset.directory.canned import CannedIn, CannedOut

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/canned-responses", tags=["canned responses"])


@router.get("")
def list_canned(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    language: str | None = Query(default=None, max_length=10),
    prefix: str | None = Query(default=None, max_length=32),
) -> list[CannedOut]:
    """Every agent of the tenant reads them; `prefix` narrows by shortcut as the agent types."""
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return [CannedOut(**c) for c in canned.list_canned(conn, tenant_id, language, prefix)]


@router.post("", status_code=201)
async def create_canned(tenant_id: str, body: CannedIn, who: Caller, rt: Rt) -> CannedOut:
    who.check(tenant_id, Permission.CANNED_MANAGE)
    return CannedOut(**await canned.save_canned(rt.host, tenant_id, None, body, actor=who.actor))


@router.get("/{canned_id}")
def get_canned(tenant_id: str, canned_id: str, who: Caller, rt: Rt) -> CannedOut:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return CannedOut(**canned.get_canned(conn, tenant_id, canned_id))


@router.put("/{canned_id}")
async def replace_canned(
    tenant_id: str, canned_id: str, body: CannedIn, who: Caller, rt: Rt
) -> CannedOut:
    who.check(tenant_id, Permission.CANNED_MANAGE)
    saved = await canned.save_canned(rt.host, tenant_id, canned_id, body, actor=who.actor)
    return CannedOut(**saved)


@router.delete("/{canned_id}", status_code=204)
async def delete_canned(tenant_id: str, canned_id: str, who: Caller, rt: Rt) -> None:
    who.check(tenant_id, Permission.CANNED_MANAGE)
    await canned.delete_canned(rt.host, tenant_id, canned_id, actor=who.actor)
