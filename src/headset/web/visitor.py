"""Who is looking at a page: the session behind the cookie, their language and CSRF token.

Pages are GET requests and change nothing; they only need to know who is signed in, which
language to speak and which CSRF token to hand the JavaScript that calls the API. The checks
are the API's own (`load_credential`, the credential cache); a page never accepts an API token.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from starlette.requests import Request

from headset.access.permissions import Permission, Scope, scope_of
from headset.access.roles import Role
from headset.api.principal import SESSION_COOKIE, Principal, credential_key, load_credential
from headset.api.runtime import runtime_of
from headset.core.errors import Unauthenticated
from headset.storage.tables import users
from headset.web.i18n import DEFAULT_LANGUAGE, is_language, negotiate

#: Where the language chosen before signing in is kept (signed-in users: users.language).
LANGUAGE_COOKIE = "headset_language"

#: Each role's first page after signing in.
HOMES = {
    Role.ADMIN: "/admin",
    Role.MANAGER: "/admin",
    Role.SUPERVISOR: "/wallboard",
    Role.TEAM_LEADER: "/wallboard",
    Role.QA: "/wallboard",
    Role.AGENT: "/desktop",
}


@dataclass(frozen=True, slots=True)
class Visitor:
    """A signed-in user, as a page sees them."""

    principal: Principal
    csrf_token: str
    display_name: str
    language: str
    has_totp: bool
    #: Signed in with a password only, while their role requires two-factor set-up first.
    is_second_factor_pending: bool

    @property
    def home(self) -> str:
        return HOMES[self.principal.role]

    @property
    def may_desktop(self) -> bool:
        """Agents and team leaders take contacts: they have a desktop."""
        return self.principal.agent_id is not None

    @property
    def may_wallboard(self) -> bool:
        scope = scope_of(self.principal.role, Permission.STATS_READ)
        return scope is not None and scope is not Scope.OWN

    @property
    def may_admin(self) -> bool:
        role = self.principal.role
        return scope_of(role, Permission.CONFIG_MANAGE) is not None


def visitor_of(request: Request) -> Visitor | None:
    """The signed-in user of the request's session cookie, or None (reads the database)."""
    if SESSION_COOKIE not in request.cookies or "authorization" in request.headers:
        return None
    rt = runtime_of(request)
    try:
        key = credential_key(request, rt.settings.secret_key)
        credential = rt.credentials.get(key)
        with rt.reader.connect() as conn:
            if credential is None:
                credential = load_credential(conn, key)
                rt.credentials.put(credential)
            user_id = credential.principal.user_id
            row = conn.execute(
                select(users.c.display_name, users.c.language, users.c.totp_secret).where(
                    users.c.user_id == user_id
                )
            ).one_or_none()
    except Unauthenticated:
        return None
    if row is None or credential.csrf_token is None:
        return None
    if credential.expires_at is not None and credential.expires_at <= rt.now():
        return None
    return Visitor(
        principal=credential.principal,
        csrf_token=credential.csrf_token,
        display_name=row.display_name,
        language=row.language if is_language(row.language) else DEFAULT_LANGUAGE,
        has_totp=bool(row.totp_secret),
        is_second_factor_pending=credential.is_second_factor_pending,
    )


def anonymous_language(request: Request) -> str:
    """The language for someone not signed in: their earlier choice, else their browser's."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if is_language(chosen):
        return str(chosen)
    return negotiate(request.headers.get("accept-language"))
