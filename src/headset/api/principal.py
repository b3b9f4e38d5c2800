"""Who is calling: a browser session (cookie + CSRF token) or an API token (Bearer)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, Engine, select
from starlette.requests import HTTPConnection

from headset.access import csrf, tokens
from headset.access.permissions import Permission, Scope, require
from headset.access.roles import Role
from headset.access.tokens import session_digest
from headset.core.errors import Forbidden, NotFound, Unauthenticated
from headset.storage.tables import agents, api_tokens, sessions, teams, user_tenants, users

SESSION_COOKIE = "headset_session"


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user or the API token behind a request, with what they may see."""

    role: Role
    #: None: every tenant (the center's admin).
    tenant_ids: frozenset[str] | None
    user_id: str | None = None
    token_id: str | None = None
    agent_id: str | None = None
    led_teams: frozenset[str] = frozenset()
    username: str | None = None
    #: A browser session whose sign-in (or two-factor set-up) checked an authenticator code.
    is_second_factor_verified: bool = False

    @property
    def actor(self) -> str:
        return f"user:{self.user_id}" if self.user_id else f"token:{self.token_id}"

    def sees(self, tenant_id: str) -> bool:
        return self.tenant_ids is None or tenant_id in self.tenant_ids

    def check(self, tenant_id: str, permission: Permission) -> Scope:
        """The scope of `permission` in `tenant_id`; an unseen tenant does not exist for them."""
        if not self.sees(tenant_id):
            raise NotFound(f"no tenant {tenant_id!r}")
        return require(self.role, permission)


def load_user_principal(conn: Connection, user_id: str) -> Principal:
    user = conn.execute(select(users).where(users.c.user_id == user_id)).one_or_none()
    if user is None or not user.is_active:
        raise Unauthenticated("this account is disabled; ask an administrator")
    role = Role(user.role)
    tenant_ids: frozenset[str] | None = None
    if role is not Role.ADMIN:
        rows = conn.execute(
            select(user_tenants.c.tenant_id).where(user_tenants.c.user_id == user_id)
        )
        tenant_ids = frozenset(r.tenant_id for r in rows)
    agent = conn.execute(select(agents.c.agent_id).where(agents.c.user_id == user_id)).one_or_none()
    led = conn.execute(select(teams.c.team_id).where(teams.c.leader_user_id == user_id))
    return Principal(
        role=role,
        tenant_ids=tenant_ids,
        user_id=user_id,
        agent_id=agent.agent_id if agent else None,
        led_teams=frozenset(r.team_id for r in led),
        username=user.username,
    )


def read_user_principal(reader: Engine, user_id: str) -> Principal:
    """The user's principal as stored now (after a sign-in, for its answer)."""
    with reader.connect() as conn:
        return load_user_principal(conn, user_id)


@dataclass(frozen=True, slots=True)
class Credential:
    """A verified session or token: who it is and what every request must still match."""

    key: str
    principal: Principal
    csrf_token: str | None = None
    expires_at: datetime | None = None
    is_second_factor_pending: bool = False


def credential_key(request: HTTPConnection, secret_key: str) -> str:
    """The cache key of the request's credential ("t:" token digest, "s:" session digest)."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("use 'Authorization: Bearer <API token>'")
        return "t:" + tokens.digest(token.strip())
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        raise Unauthenticated("sign in first (POST /api/v1/auth/login) or send an API token")
    return "s:" + session_digest(secret_key, session_id)


def load_credential(conn: Connection, key: str) -> Credential:
    """Reads the token or session named by `key`; raises Unauthenticated if it is not valid."""
    kind, _, digest = key.partition(":")
    if kind == "t":
        return _token_credential(conn, key, digest)
    row = conn.execute(select(sessions).where(sessions.c.session_digest == digest)).one_or_none()
    if row is None:
        raise Unauthenticated("your session has ended; sign in again")
    principal = load_user_principal(conn, row.user_id)
    return Credential(
        key,
        replace(principal, is_second_factor_verified=row.is_second_factor_verified),
        row.csrf_token,
        row.expires_at,
        row.is_second_factor_pending,
    )


def admit(credential: Credential, request: HTTPConnection, method: str, now: datetime) -> Principal:
    """The checks every request makes, cached credential or not: expiry, CSRF, two-factor."""
    if credential.expires_at is not None and credential.expires_at <= now:
        if credential.principal.token_id is not None:
            raise Unauthenticated(
                "this API token has expired; a manager makes a new one", code="token_expired"
            )
        raise Unauthenticated("your session has ended; sign in again")
    presented = request.headers.get(csrf.CSRF_HEADER)
    if (
        credential.csrf_token is not None
        and csrf.needs_csrf_token(method)
        and not csrf.csrf_matches(credential.csrf_token, presented)
    ):
        raise Forbidden(f"missing or wrong {csrf.CSRF_HEADER} header; reload the page")
    if credential.is_second_factor_pending and not request.url.path.startswith("/api/v1/auth/"):
        raise Forbidden("set up two-factor sign-in first (POST /api/v1/auth/totp/setup)")
    return credential.principal


def _token_credential(conn: Connection, key: str, digest: str) -> Credential:
    row = conn.execute(select(api_tokens).where(api_tokens.c.token_digest == digest)).one_or_none()
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("this API token is unknown or revoked")
    principal = Principal(
        role=Role(row.role), tenant_ids=frozenset({row.tenant_id}), token_id=row.token_id
    )
    # the expiry is checked by `admit` on every request, cached credential or not
    return Credential(key, principal, expires_at=row.expires_at)
