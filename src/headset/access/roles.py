"""The roles a Headset user or API token can hold."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user is in the center; the permission matrix says what each role may do."""

    ADMIN = "admin"
    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    TEAM_LEADER = "team_leader"
    QA = "qa"
    AGENT = "agent"

    @property
    def meaning(self) -> str:
        """One line saying who holds this role and what for."""
        return _MEANINGS[self]

    @property
    def label(self) -> str:
        """The role as a person reads it in a sentence ("team leader")."""
        return _LABELS[self][1]

    @property
    def with_article(self) -> str:
        """The label with its indefinite article ("an admin", "a team leader")."""
        article, label = _LABELS[self]
        return f"{article} {label}"


_MEANINGS: dict[Role, str] = {
    Role.ADMIN: "the center's administrator: manages tenants, users, everything",
    Role.MANAGER: "call-center manager of assigned tenants: configuration, users, reports",
    Role.SUPERVISOR: "watches and steers the live floor of assigned tenants",
    Role.TEAM_LEADER: "leads teams: sees and steers their teams' agents and contacts",
    Role.QA: "quality-assurance specialist: reads contacts, timelines, notes of assigned tenants",
    Role.AGENT: "handles contacts offered to them",
}

_LABELS: dict[Role, tuple[str, str]] = {
    Role.ADMIN: ("an", "admin"),
    Role.MANAGER: ("a", "manager"),
    Role.SUPERVISOR: ("a", "supervisor"),
    Role.TEAM_LEADER: ("a", "team leader"),
    Role.QA: ("a", "QA specialist"),
    Role.AGENT: ("an", "agent"),
}
