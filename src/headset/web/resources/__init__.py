"""What the administration pages manage: each resource's API, list columns and form fields,
one module per group (the model is `model.py`)."""

from __future__ import annotations

from headset.web.resources.chat import CANNED_RESPONSES, WIDGETS
from headset.web.resources.choices import Choices, read_choices
from headset.web.resources.mail import MAILBOXES
from headset.web.resources.model import N_, Column, Field, Resource
from headset.web.resources.options import (
    LANGUAGE_OPTIONS,
    ROLE_LABELS,
    ROLE_OPTIONS,
    STRATEGY_OPTIONS,
    WEEKDAYS,
)
from headset.web.resources.people import AGENTS, TENANTS, USERS
from headset.web.resources.routing import AWAY_REASONS, DISPOSITIONS, QUEUES, SKILLS, TEAMS
from headset.web.resources.voice import IVR_FLOWS, PROMPTS

#: Tenant resources, in the order of the administration's navigation.
RESOURCES: dict[str, Resource] = {
    r.slug: r
    for r in (
        QUEUES,
        USERS,
        AGENTS,
        TEAMS,
        SKILLS,
        DISPOSITIONS,
        AWAY_REASONS,
        CANNED_RESPONSES,
        WIDGETS,
        MAILBOXES,
        IVR_FLOWS,
        PROMPTS,
    )
}

__all__ = [
    "LANGUAGE_OPTIONS",
    "N_",
    "RESOURCES",
    "ROLE_LABELS",
    "ROLE_OPTIONS",
    "STRATEGY_OPTIONS",
    "TENANTS",
    "WEEKDAYS",
    "Choices",
    "Column",
    "Field",
    "Resource",
    "read_choices",
]
