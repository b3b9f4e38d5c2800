"""Tenants (the client companies of the center) and their users."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import Connection, func, insert, select, update
from starlette.concurrency import run_in_threadpool

from headset.access.passwords import check_policy
from headset.access.permissions import Permission, Scope
from headset.access.roles import Role
from headset.api.deps import Caller, Name, Rt, Slug, check_time_zone, reading
from headset.api.directory_events import directory_event
from headset.api.principal import SESSION_COOKIE, Principal, session_digest
from headset.api.sign_in import end_access
from headset.core.errors import Conflict, Forbidden, NotFound
from headset.core.ids import new_id
from headset.service.operations import Operation
from headset.storage.tables import agents, tenants, user_tenants, users

router = APIRouter(prefix="/api/v1", tags=["tenants and users"])


class TenantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tenant_id: Slug
    name: Name
    time_zone: str = Field(default="UTC", max_length=64)


class TenantPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    time_zone: str | None = Field(default=None, max_length=64)
    is_active: bool | None = None


def tenant_body(row: Any) -> dict[str, Any]:
    return {
        "tenant_id": row.tenant_id,
        "name": row.name,
        "time_zone": row.time_zone,
        "is_active": row.is_active,
    }


@router.get("/tenants")
def list_tenants(who: Caller, rt: Rt) -> list[dict[str, Any]]:
    """The tenants the caller may see."""
    with reading(rt) as conn:
        rows = conn.execute(select(tenants).order_by(tenants.c.tenant_id)).all()
    return [tenant_body(r) for r in rows if who.sees(r.tenant_id)]


@router.post("/tenants", status_code=201)
async def create_tenant(body: TenantIn, who: Caller, rt: Rt) -> dict[str, Any]:
    if who.role is not Role.ADMIN:
        raise Forbidden("only the center's admin creates tenants")
    check_time_zone(body.time_zone)
    now = rt.now()

    def write(conn: Connection) -> None:
        if conn.execute(
            select(tenants.c.tenant_id).where(tenants.c.tenant_id == body.tenant_id)
        ).first():
            raise Conflict(
                f"tenant {body.tenant_id!r} exists already; choose another id",
                field="tenant_id",
                code="taken",
                params={"value": body.tenant_id},
            )
        conn.execute(insert(tenants).values(**body.model_dump(), created_at=now))

    event = directory_event(
        "tenant_created", body.tenant_id, f"tenant:{body.tenant_id}", body.model_dump(), now, who
    )
    await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return {**body.model_dump(), "is_active": True}


@router.get("/tenants/{tenant_id}")
def get_tenant(tenant_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.TENANT_READ)
    with reading(rt) as conn:
        row = conn.execute(select(tenants).where(tenants.c.tenant_id == tenant_id)).one_or_none()
    if row is None:
        raise NotFound(f"no tenant {tenant_id!r}")
    return tenant_body(row)


@router.patch("/tenants/{tenant_id}")
async def update_tenant(tenant_id: str, body: TenantPatch, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.TENANT_MANAGE)
    if body.time_zone is not None:
        check_time_zone(body.time_zone)
    values = body.model_dump(exclude_none=True)

    def write(conn: Connection) -> Any:
        if values:
            conn.execute(update(tenants).where(tenants.c.tenant_id == tenant_id).values(**values))
        row = conn.execute(select(tenants).where(tenants.c.tenant_id == tenant_id)).one_or_none()
        if row is None:
            raise NotFound(f"no tenant {tenant_id!r}")
        return tenant_body(row)

    event = directory_event(
        "tenant_updated", tenant_id, f"tenant:{tenant_id}", values, rt.now(), who
    )
    outcome = await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return dict(outcome.written)


# users ---------------------------------------------------------------------------------
class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(pattern=r"^[A-Za-z0-9_.@-]{2,100}$")
    display_name: Name
    email: EmailStr | None = None
    role: Role
    password: str = Field(min_length=1, max_length=256)
    language: str = Field(default="en", pattern=r"^(en|nl|de|lv)$")


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    display_name: Name | None = None
    email: EmailStr | None = None
    role: Role | None = None
    password: str | None = Field(default=None, min_length=1, max_length=256)
    language: str | None = Field(default=None, pattern=r"^(en|nl|de|lv)$")
    is_active: bool | None = None
    #: True clears failed sign-ins and a lockout.
    unlock: bool | None = None
    #: True turns two-factor sign-in off (a lost phone); the user sets it up again.
    reset_totp: bool | None = None


def user_body(row: Any) -> dict[str, Any]:
    return {
        "user_id": row.user_id,
        "username": row.username,
        "display_name": row.display_name,
        "email": row.email,
        "role": row.role,
        "language": row.language,
        "is_active": row.is_active,
        "has_totp": bool(row.totp_secret),
        "is_locked": row.locked_until is not None,
    }


def _tenant_users(tenant_id: str) -> Any:
    return (
        select(users)
        .join(user_tenants, user_tenants.c.user_id == users.c.user_id)
        .where(user_tenants.c.tenant_id == tenant_id)
    )


@router.get("/tenants/{tenant_id}/users")
def list_users(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    scope = who.check(tenant_id, Permission.USER_READ)
    with reading(rt) as conn:
        query = _tenant_users(tenant_id).order_by(users.c.username)
        if scope is Scope.TEAM:
            query = query.join(agents, agents.c.user_id == users.c.user_id).where(
                agents.c.team_id.in_(who.led_teams)
            )
        return [user_body(r) for r in conn.execute(query)]


def _may_grant(who: Any, role: Role) -> None:
    if role is Role.ADMIN and who.role is not Role.ADMIN:
        raise Forbidden("only an admin may make another admin")


@router.post("/tenants/{tenant_id}/users", status_code=201)
async def create_user(tenant_id: str, body: UserIn, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.USER_MANAGE)
    _may_grant(who, body.role)
    check_policy(body.password, body.username)
    password_hash = await run_in_threadpool(rt.passwords.hash, body.password)
    user_id = new_id("u")
    now = rt.now()
    values = body.model_dump(exclude={"password"})

    def write(conn: Connection) -> Any:
        taken = conn.execute(select(users.c.user_id).where(users.c.username == body.username))
        if taken.first():
            raise Conflict(
                f"username {body.username!r} is taken; choose another",
                field="username",
                code="taken",
                params={"value": body.username},
            )
        conn.execute(
            insert(users).values(
                user_id=user_id, password_hash=password_hash, created_at=now, **values
            )
        )
        conn.execute(insert(user_tenants).values(user_id=user_id, tenant_id=tenant_id))
        return user_body(conn.execute(select(users).where(users.c.user_id == user_id)).one())

    event = directory_event(
        "user_created", tenant_id, f"user:{user_id}", {"user_id": user_id, **values}, now, who
    )
    outcome = await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return dict(outcome.written)


@router.get("/tenants/{tenant_id}/users/{user_id}")
def get_user(tenant_id: str, user_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    scope = who.check(tenant_id, Permission.USER_READ)
    with reading(rt) as conn:
        row = conn.execute(_tenant_users(tenant_id).where(users.c.user_id == user_id)).first()
        if row is not None and scope is Scope.TEAM:
            team = conn.execute(select(agents.c.team_id).where(agents.c.user_id == user_id)).first()
            if team is None or team.team_id not in who.led_teams:
                row = None
    if row is None:
        raise NotFound(f"no user {user_id!r} in tenant {tenant_id!r}")
    return user_body(row)


@router.patch("/tenants/{tenant_id}/users/{user_id}")
async def update_user(
    tenant_id: str, user_id: str, body: UserPatch, request: Request, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Changes a user of the tenant; a user of several tenants only the center's admin changes.

    A new password, role or second factor, or a disabled account, ends every session of the
    user (but the caller's own, when they change themselves) and revokes the API tokens the
    user made.
    """
    who.check(tenant_id, Permission.USER_MANAGE)
    if body.role is not None:
        _may_grant(who, body.role)
    values: dict[str, Any] = body.model_dump(
        exclude_none=True, exclude={"password", "unlock", "reset_totp"}
    )
    if body.password is not None:
        values["password_hash"] = await run_in_threadpool(rt.passwords.hash, body.password)
    if body.unlock:
        values.update(failed_logins=0, locked_until=None, last_failed_login_at=None)
    if body.reset_totp:
        values.update(totp_secret=None, totp_last_step=None)
    now = rt.now()
    current = request.cookies.get(SESSION_COOKIE) if who.user_id == user_id else None
    keep = session_digest(rt.settings.secret_key, current) if current else None

    def write(conn: Connection) -> Any:
        row = conn.execute(_tenant_users(tenant_id).where(users.c.user_id == user_id)).first()
        if row is None:
            raise NotFound(f"no user {user_id!r} in tenant {tenant_id!r}")
        if row.role == Role.ADMIN.value and who.role is not Role.ADMIN:
            raise Forbidden("only an admin may change an admin")
        _refuse_shared(conn, who, user_id)
        if body.password is not None:
            check_policy(body.password, row.username)
        if values:
            conn.execute(update(users).where(users.c.user_id == user_id).values(**values))
        role_changed = body.role is not None and body.role.value != row.role
        if body.password is not None or body.reset_totp or body.is_active is False or role_changed:
            end_access(conn, user_id, now, keep_session=keep)
        return user_body(conn.execute(select(users).where(users.c.user_id == user_id)).one())

    shown = {k: v for k, v in values.items() if k not in ("password_hash", "totp_secret")}
    if "password_hash" in values:
        shown["password_changed"] = True
    event = directory_event("user_updated", tenant_id, f"user:{user_id}", shown, now, who)
    outcome = await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    if body.reset_totp:
        rt.pending_totp.pop(user_id, None)
    return dict(outcome.written)


def _refuse_shared(conn: Connection, who: Principal, user_id: str) -> None:
    """A user of several tenants is the center's: a tenant's manager may not change them.

    Roles and passwords are global, so a manager of one tenant who changed a shared user could
    then act as that user in the other tenants.
    """
    if who.role is Role.ADMIN:
        return
    count = conn.execute(
        select(func.count()).select_from(user_tenants).where(user_tenants.c.user_id == user_id)
    ).scalar_one()
    if count > 1:
        raise Forbidden(
            "this user works for several tenants; only the center's admin may change them",
            code="shared_user",
        )
