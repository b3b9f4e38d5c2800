"""Options read from the tenant for a form's `source` fields and a list's name columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from headset.access.roles import Role
from headset.api.principal import Principal
from headset.api.runtime import Runtime
from headset.web.resources.people import USERS
from headset.web.resources.routing import QUEUES, SKILLS, TEAMS
from headset.web.resources.voice import IVR_FLOWS


@dataclass
class Choices:
    """Options read from the tenant for `source` fields, and labels for list columns."""

    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def label(self, source: str, value: Any) -> str:
        return dict(self.options.get(source, [])).get(value, "" if value is None else str(value))


def read_choices(tenant_id: str, who: Principal, rt: Runtime, sources: set[str]) -> Choices:
    """Only the sources a form needs, each read as its page reads it (so within permissions)."""
    found = Choices()
    readers: dict[str, Callable[[], list[tuple[str, str]]]] = {
        "queues": lambda: [
            (q["queue_id"], q["name"]) for q in QUEUES.list_items(tenant_id, who, rt)
        ],
        "skills": lambda: [
            (s["skill_id"], s["name"]) for s in SKILLS.list_items(tenant_id, who, rt)
        ],
        "teams": lambda: [(t["team_id"], t["name"]) for t in TEAMS.list_items(tenant_id, who, rt)],
        "users": lambda: [
            (u["user_id"], f"{u['display_name']} ({u['username']})")
            for u in USERS.list_items(tenant_id, who, rt)
        ],
        "ivr_flows": lambda: [
            (f["flow_id"], f["name"]) for f in IVR_FLOWS.list_items(tenant_id, who, rt)
        ],
        "leaders": lambda: [
            (u["user_id"], f"{u['display_name']} ({u['username']})")
            for u in USERS.list_items(tenant_id, who, rt)
            if u["role"] in (Role.TEAM_LEADER.value, Role.SUPERVISOR.value)
        ],
    }
    for source in sources:
        found.options[source] = readers[source]()
    return found
