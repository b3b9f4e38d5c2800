"""Everything a request needs: the process's services (bootstrap.py) and the API's caches."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from starlette.requests import HTTPConnection

from headset.api.credentials import CredentialCache
from headset.api.principal import (
    Credential,
    Principal,
    admit,
    credential_key,
    load_credential,
)
from headset.bootstrap import Services


@dataclass(eq=False)
class Runtime(Services):
    """The process's services, built by the composition root, and what requests remember."""

    #: TOTP secrets shown to a user and not yet confirmed with a code.
    pending_totp: dict[str, str] = field(default_factory=dict)
    credentials: CredentialCache = field(default_factory=CredentialCache)
    #: Each tenant's team targets of contacts per hour, read once and forgotten whenever the
    #: directory changes (the live stream sends agent figures every second).
    team_targets: dict[str, dict[str, float]] = field(default_factory=dict)

    def principal(self, request: HTTPConnection, method: str) -> Principal:
        """Authenticates a request from the cache, reading the database on a miss."""
        credential = self.credential(request)
        if credential is None:
            key = credential_key(request, self.settings.secret_key)
            with self.reader.connect() as conn:
                credential = load_credential(conn, key)
            self.credentials.put(credential)
        return self.admit(credential, request, method)

    def admit(self, credential: Credential, request: HTTPConnection, method: str) -> Principal:
        """`admit`'s checks, and a token's use noted (in memory; written once a minute)."""
        now = self.now()
        principal = admit(credential, request, method, now)
        if principal.token_id is not None:
            self.token_uses.saw(principal.token_id, now)
        return principal

    def credential(self, request: HTTPConnection) -> Credential | None:
        """The cached credential of the request, if any (no I/O)."""
        return self.credentials.get(credential_key(request, self.settings.secret_key))


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime
