"""Tenants (the client companies of the center) and their users; the actions are
directory/tenants.py and directory/users.py."""

from __future__ import annotations

from fastapi import APIRouter, Request

from headset.access.permissions import Permission, Scope
from headset.access.roles import Role
from headset.access.tokens import session_digest
from headset.api.deps import Caller, Rt, reading
from headset.api.principal import SESSION_COOKIE, Principal
from headset.core.errors import Forbidden
from headset.directory import tenants, users
from headset.directory.tenants import TenantIn, TenantOut, TenantPatch
from headset.directory.users import UserIn, UserOut, UserPatch

router = APIRouter(prefix="/api/v1", tags=["tenants and users"])


@router.get("/tenants")
def list_tenants(who: Caller, rt: Rt) -> list[TenantOut]:
    """The tenants the caller may see."""
    with reading(rt) as conn:
        return [TenantOut(**t) for t in tenants.list_tenants(conn, who.sees)]


@router.post("/tenants", status_code=201)
async def create_tenant(body: TenantIn, who: Caller, rt: Rt) -> TenantOut:
    if who.role is not Role.ADMIN:
        raise Forbidden("only the center's admin creates tenants")
    return TenantOut(**await tenants.create_tenant(rt.host, body, actor=who.actor))


@router.get("/tenants/{tenant_id}")
def get_tenant(tenant_id: str, who: Caller, rt: Rt) -> TenantOut:
    who.check(tenant_id, Permission.TENANT_READ)
    with reading(rt) as conn:
        return TenantOut(**tenants.get_tenant(conn, tenant_id))


@router.patch("/tenants/{tenant_id}")
async def update_tenant(tenant_id: str, body: TenantPatch, who: Caller, rt: Rt) -> TenantOut:
    who.check(tenant_id, Permission.TENANT_MANAGE)
    return TenantOut(**await tenants.update_tenant(rt.host, tenant_id, body, actor=who.actor))


def _led_teams(scope: Scope, who: Principal) -> frozenset[str] | None:
    """A team leader reads the users of the agents of their teams only."""
    return frozenset(who.led_teams) if scope is Scope.TEAM else None


@router.get("/tenants/{tenant_id}/users")
def list_users(tenant_id: str, who: Caller, rt: Rt) -> list[UserOut]:
    scope = who.check(tenant_id, Permission.USER_READ)
    with reading(rt) as conn:
        found = users.list_users(conn, tenant_id, _led_teams(scope, who))
    return [UserOut(**u) for u in found]


def _may_grant(who: Principal, role: Role) -> None:
    if role is Role.ADMIN and who.role is not Role.ADMIN:
        raise Forbidden("only an admin may make another admin")


@router.post("/tenants/{tenant_id}/users", status_code=201)
async def create_user(tenant_id: str, body: UserIn, who: Caller, rt: Rt) -> UserOut:
    who.check(tenant_id, Permission.USER_MANAGE)
    _may_grant(who, body.role)
    made = await users.create_user(rt.host, rt.passwords, tenant_id, body, actor=who.actor)
    return UserOut(**made)


@router.get("/tenants/{tenant_id}/users/{user_id}")
def get_user(tenant_id: str, user_id: str, who: Caller, rt: Rt) -> UserOut:
    scope = who.check(tenant_id, Permission.USER_READ)
    with reading(rt) as conn:
        return UserOut(**users.find_user(conn, tenant_id, user_id, _led_teams(scope, who)))


@router.patch("/tenants/{tenant_id}/users/{user_id}")
async def update_user(
    tenant_id: str, user_id: str, body: UserPatch, request: Request, who: Caller, rt: Rt
) -> UserOut:
    """Changes a user of the tenant; a user of several tenants only the center's admin changes.

    A new password, role or second factor, or a disabled account, ends every session of the
    user (but the caller's own, when they change themselves) and revokes the API tokens the
    user made.
    """
    who.check(tenant_id, Permission.USER_MANAGE)
    if body.role is not None:
        _may_grant(who, body.role)
    current = request.cookies.get(SESSION_COOKIE) if who.user_id == user_id else None
    keep = session_digest(rt.settings.secret_key, current) if current else None
    changed = await users.update_user(
        rt.host, rt.passwords, tenant_id, user_id, body,
        actor=who.actor, is_by_admin=who.role is Role.ADMIN, keep_session=keep,
    )  # fmt: skip
    if body.reset_totp:
        rt.pending_totp.pop(user_id, None)
    return UserOut(**changed)
