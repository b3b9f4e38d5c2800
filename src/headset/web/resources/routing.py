"""Routing's settings in the administration: queues, teams, skills and codes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from headset.access.permissions import Permission
from headset.directory import queues
from headset.directory.lists import LIST_BY_PATH, get_item, list_items
from headset.web.resources.model import (
    N_,
    Column,
    Field,
    Getter,
    Reader,
    Resource,
    tenant_item,
    tenant_list,
)
from headset.web.resources.options import (
    ID_HELP,
    OVERFLOW_ACTIONS,
    RECORDING_OPTIONS,
    STRATEGY_OPTIONS,
)


def _list_reader(path: str) -> tuple[Reader, Getter]:
    kind = LIST_BY_PATH[path].kind

    def items(conn: Connection, tenant_id: str) -> list[dict[str, Any]]:
        return list_items(conn, kind, tenant_id)

    def item(conn: Connection, tenant_id: str, item_id: str) -> dict[str, Any]:
        return get_item(conn, kind, tenant_id, item_id)

    read = Permission.CONFIG_READ
    return tenant_list(read, items), tenant_item(read, item)


_teams = _list_reader("teams")
TEAMS = Resource(
    slug="teams",
    title=N_("Teams"),
    singular=N_("team"),
    key="team_id",
    api="/api/v1/tenants/{tenant_id}/teams",
    list_items=_teams[0],
    get_item=_teams[1],
    columns=(
        Column("team_id", N_("Id")),
        Column("name", N_("Name")),
        Column("leader_user_id", N_("Team leader"), "choice"),
        Column("contacts_per_hour_target", N_("Target contacts per hour"), "number"),
    ),
    fields=(
        Field("team_id", N_("Id"), is_key=True, is_required=True, help=ID_HELP),
        Field("name", N_("Name"), is_required=True),
        Field("leader_user_id", N_("Team leader"), "select", source="leaders"),
        Field(
            "contacts_per_hour_target",
            N_("Target contacts per hour"),
            "number",
            help=N_(
                "What each agent of the team aims to handle per hour, up to 1000, e.g. 8; "
                "agents see it beside their own figure. Leave empty for no target."
            ),
        ),
    ),
    can_delete=True,
)

_skills = _list_reader("skills")
SKILLS = Resource(
    slug="skills",
    title=N_("Skills"),
    singular=N_("skill"),
    key="skill_id",
    api="/api/v1/tenants/{tenant_id}/skills",
    list_items=_skills[0],
    get_item=_skills[1],
    columns=(Column("skill_id", N_("Id")), Column("name", N_("Name"))),
    fields=(
        Field("skill_id", N_("Id"), is_key=True, is_required=True, help=ID_HELP),
        Field("name", N_("Name"), is_required=True),
    ),
    can_delete=True,
    intro=N_("What agents know (a product, a language, a tier), matched to what contacts need."),
)

OVERFLOW_FIELDS = (
    Field("after_seconds", N_("After (seconds)"), "number", is_required=True),
    Field("action", N_("Then"), "select", options=OVERFLOW_ACTIONS, default="add_team_leaders"),
    Field("skill", N_("Skill"), "select", source="skills"),
    Field("minimum", N_("Lowest level"), "number"),
    Field("queue_id", N_("Queue"), "select", source="queues"),
    Field("team_id", N_("Team"), "select", source="teams"),
    Field("by", N_("Raise by"), "number"),
)

QUEUES = Resource(
    slug="queues",
    title=N_("Queues"),
    singular=N_("queue"),
    key="queue_id",
    api="/api/v1/tenants/{tenant_id}/queues",
    list_items=tenant_list(Permission.CONFIG_READ, queues.list_queues),
    get_item=tenant_item(Permission.CONFIG_READ, queues.get_queue),
    columns=(
        Column("queue_id", N_("Id")),
        Column("name", N_("Name")),
        Column("strategy", N_("Strategy"), "choice"),
        Column("service_level_percent", N_("Service-level target"), "percent"),
        Column("service_level_seconds", N_("Answered within"), "seconds"),
        Column("overflow", N_("Overflow rules"), "count"),
        Column("holidays", N_("Holidays"), "dates"),
    ),
    fields=(
        Field("queue_id", N_("Id"), is_key=True, is_required=True, help=ID_HELP),
        Field("name", N_("Name"), is_required=True),
        Field("strategy", N_("Routing strategy"), "select", options=STRATEGY_OPTIONS),
        Field("priority", N_("Priority"), "number", default=0),
        Field(
            "service_level_percent",
            N_("Service-level target, percent"),
            "number",
            default=80,
            help=N_("Share of contacts to answer within the time below, e.g. 80."),
        ),
        Field("service_level_seconds", N_("Answered within (seconds)"), "number", default=20),
        Field("ring_timeout_seconds", N_("Offer rings for (seconds)"), "number", default=20),
        Field("wrap_up_seconds", N_("Wrap-up time (seconds)"), "number", default=30),
        Field(
            "max_no_answers",
            N_("Unanswered offers before an agent is set away"),
            "number",
            default=3,
        ),
        Field(
            "reoffer_delay_seconds",
            N_("Wait before offering again (seconds)"),
            "number",
            default=30,
        ),
        Field(
            "tier_delays_seconds",
            N_("Agent tiers join after (seconds)"),
            "numbers",
            default=[30],
            help=N_("One delay per further tier, separated by commas, e.g. 30, 60."),
        ),
        Field("time_zone", N_("Time zone"), "timezone", default="UTC"),
        Field(
            "business_hours",
            N_("Business hours"),
            "hours",
            default={},
            help=N_(
                "Per day, for example 08:00-12:00, 13:00-17:00. A day left empty is closed; "
                "leave every day empty for a queue that is always open."
            ),
        ),
        Field(
            "holidays",
            N_("Holidays"),
            "lines",
            default=[],
            help=N_("Closed all day: one date per line, as 2026-12-25."),
        ),
        Field(
            "overflow",
            N_("Overflow rules"),
            "rows",
            default=[],
            fields=OVERFLOW_FIELDS,
            help=N_("Widen who may take a waiting contact after it has waited a while."),
        ),
        Field(
            "recording",
            N_("Call recording"),
            "select",
            options=RECORDING_OPTIONS,
            default="tenant",
            help=N_("On demand: the agent starts the recording during the call."),
        ),
        Field(
            "recording_retention_days",
            N_("Keep recordings for (days)"),
            "number",
            default=90,
        ),
        Field(
            "announce_every_s",
            N_("Tell waiting callers their place every (seconds)"),
            "number",
            default=30,
            help=N_("From 5 to 600: place in line and expected wait, spoken over the music."),
        ),
    ),
    intro=N_("Where contacts wait for an agent: strategy, service-level target, opening hours."),
)


def _code_list(slug: str, title: str, singular: str, intro: str) -> Resource:
    """A tenant's list of codes with labels (dispositions, away reasons)."""
    reader = _list_reader(slug)
    return Resource(
        slug=slug,
        title=title,
        singular=singular,
        key="code",
        api=f"/api/v1/tenants/{{tenant_id}}/{slug}",
        list_items=reader[0],
        get_item=reader[1],
        columns=(Column("code", N_("Code")), Column("label", N_("Label"))),
        fields=(
            Field("code", N_("Code"), is_key=True, is_required=True, help=ID_HELP),
            Field("label", N_("Label"), is_required=True),
        ),
        can_delete=True,
        name_field="label",
        intro=intro,
    )


DISPOSITIONS = _code_list(
    "dispositions",
    N_("Dispositions"),
    N_("disposition"),
    N_("The outcomes an agent chooses from at wrap-up."),
)
AWAY_REASONS = _code_list(
    "away-reasons",
    N_("Away reasons"),
    N_("away reason"),
    N_("Why an agent is away: break, lunch, meeting, training, coaching."),
)
