"""Users of a tenant: who signs in, with which role; created and changed by its managers.

Who may grant which role is the caller's to check; the rules that need the database (a user
of several tenants is the center's, an admin is changed by an admin only) are checked here,
in the writer's transaction.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import Connection, func, insert, select, update

from headset.access.passwords import Passwords, check_policy
from headset.access.roles import Role
from headset.accounts.sessions import end_access
from headset.core.errors import Conflict, Forbidden, NotFound
from headset.core.ids import new_id
from headset.directory.events import DirectoryChanged
from headset.directory.events import DirectoryEventType as E
from headset.directory.names import Name
from headset.directory.registrar import submit
from headset.service.host import EngineHost
from headset.storage.tables import agents, user_tenants, users

LANGUAGE = r"^(en|nl|de|lv)$"


class UserIn(BaseModel):
    """A user to create."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(pattern=r"^[A-Za-z0-9_.@-]{2,100}$")
    display_name: Name
    email: EmailStr | None = None
    role: Role
    password: str = Field(min_length=1, max_length=256)
    language: str = Field(default="en", pattern=LANGUAGE)


class UserPatch(BaseModel):
    """What changes of a user; fields left out stay."""

    model_config = ConfigDict(extra="forbid")
    display_name: Name | None = None
    email: EmailStr | None = None
    role: Role | None = None
    password: str | None = Field(default=None, min_length=1, max_length=256)
    language: str | None = Field(default=None, pattern=LANGUAGE)
    is_active: bool | None = None
    #: True clears failed sign-ins and a lockout.
    unlock: bool | None = None
    #: True turns two-factor sign-in off (a lost phone); the user sets it up again.
    reset_totp: bool | None = None


class UserOut(BaseModel):
    """A user as shown: never a password or second-factor secret."""

    user_id: str
    username: str
    display_name: str
    email: str | None
    role: str
    language: str
    is_active: bool
    has_totp: bool
    is_locked: bool


def user_view(row: Any) -> dict[str, Any]:
    """A user as the API shows them (never a secret)."""
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


def tenant_users(tenant_id: str) -> Any:
    """The query of the tenant's users."""
    return (
        select(users)
        .join(user_tenants, user_tenants.c.user_id == users.c.user_id)
        .where(user_tenants.c.tenant_id == tenant_id)
    )


def list_users(
    conn: Connection, tenant_id: str, led_teams: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """The tenant's users by username; only the agents of `led_teams` when given."""
    query = tenant_users(tenant_id).order_by(users.c.username)
    if led_teams is not None:
        query = query.join(agents, agents.c.user_id == users.c.user_id).where(
            agents.c.team_id.in_(led_teams)
        )
    return [user_view(r) for r in conn.execute(query)]


def find_user(
    conn: Connection, tenant_id: str, user_id: str, led_teams: frozenset[str] | None = None
) -> dict[str, Any]:
    """One user of the tenant (an agent of `led_teams` when given), or NotFound."""
    row = conn.execute(tenant_users(tenant_id).where(users.c.user_id == user_id)).first()
    if row is not None and led_teams is not None:
        team = conn.execute(select(agents.c.team_id).where(agents.c.user_id == user_id)).first()
        if team is None or team.team_id not in led_teams:
            row = None
    if row is None:
        raise NotFound(f"no user {user_id!r} in tenant {tenant_id!r}")
    return user_view(row)


async def create_user(
    host: EngineHost, passwords: Passwords, tenant_id: str, body: UserIn, *, actor: str
) -> dict[str, Any]:
    """Creates a user in the tenant; a username is unique in the whole center."""
    check_policy(body.password, body.username)
    password_hash = await asyncio.to_thread(passwords.hash, body.password)
    user_id, now = new_id("u"), host.clock.now()
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
        return user_view(conn.execute(select(users).where(users.c.user_id == user_id)).one())

    data = {"user_id": user_id, **values}
    event = DirectoryChanged(E.USER_CREATED, tenant_id, f"user:{user_id}", data, actor, now)
    return dict(await submit(host, write, event))


async def update_user(
    host: EngineHost,
    passwords: Passwords,
    tenant_id: str,
    user_id: str,
    body: UserPatch,
    *,
    actor: str,
    is_by_admin: bool,
    keep_session: str | None = None,
) -> dict[str, Any]:
    """Changes a user of the tenant; a user of several tenants only the center's admin changes.

    A new password, role or second factor, or a disabled account, ends every session of the
    user (but `keep_session`, a digest) and revokes the API tokens the user made.
    """
    values: dict[str, Any] = body.model_dump(
        exclude_none=True, exclude={"password", "unlock", "reset_totp"}
    )
    if body.password is not None:
        values["password_hash"] = await asyncio.to_thread(passwords.hash, body.password)
    if body.unlock:
        values.update(failed_logins=0, locked_until=None, last_failed_login_at=None)
    if body.reset_totp:
        values.update(totp_secret=None, totp_last_step=None)
    now = host.clock.now()

    def write(conn: Connection) -> Any:
        row = conn.execute(tenant_users(tenant_id).where(users.c.user_id == user_id)).first()
        if row is None:
            raise NotFound(f"no user {user_id!r} in tenant {tenant_id!r}")
        if row.role == Role.ADMIN.value and not is_by_admin:
            raise Forbidden("only an admin may change an admin")
        if not is_by_admin:
            _refuse_shared(conn, user_id)
        if body.password is not None:
            check_policy(body.password, row.username)
        if values:
            conn.execute(update(users).where(users.c.user_id == user_id).values(**values))
        role_changed = body.role is not None and body.role.value != row.role
        if body.password is not None or body.reset_totp or body.is_active is False or role_changed:
            end_access(conn, user_id, now, keep_session=keep_session)
        return user_view(conn.execute(select(users).where(users.c.user_id == user_id)).one())

    shown = {k: v for k, v in values.items() if k not in ("password_hash", "totp_secret")}
    if "password_hash" in values:
        shown["password_changed"] = True
    event = DirectoryChanged(E.USER_UPDATED, tenant_id, f"user:{user_id}", shown, actor, now)
    return dict(await submit(host, write, event))


def _refuse_shared(conn: Connection, user_id: str) -> None:
    """A user of several tenants is the center's: a tenant's manager may not change them.

    Roles and passwords are global, so a manager of one tenant who changed a shared user could
    then act as that user in the other tenants.
    """
    count = conn.execute(
        select(func.count()).select_from(user_tenants).where(user_tenants.c.user_id == user_id)
    ).scalar_one()
    if count > 1:
        raise Forbidden(
            "this user works for several tenants; only the center's admin may change them",
            code="shared_user",
        )
