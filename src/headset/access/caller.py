"""Who acts, as the actions outside the API see them: the API's `Principal` is one, and
tests pass fakes. Scopes narrow to the caller's own agent and the teams they lead."""

from __future__ import annotations

from typing import Protocol

from headset.access.permissions import Permission, Scope


class Viewer(Protocol):
    """Whose contacts, agents and figures a scope narrows to."""

    @property
    def agent_id(self) -> str | None: ...

    @property
    def led_teams(self) -> frozenset[str]: ...


class Caller(Viewer, Protocol):
    """A signed-in user or API token asking for an action."""

    @property
    def user_id(self) -> str | None: ...

    @property
    def actor(self) -> str: ...

    def check(self, tenant_id: str, permission: Permission) -> Scope:
        """The scope of `permission` in `tenant_id`, or the refusal (NotFound, Forbidden)."""
        ...
