"""The people of the administration: tenants, their users and agents."""

from __future__ import annotations

from typing import Any

from headset.access.permissions import Permission, Scope
from headset.api.principal import Principal
from headset.api.runtime import Runtime
from headset.directory import agents, tenants, users
from headset.web.resources.model import N_, Column, Field, Resource
from headset.web.resources.options import ID_HELP, LANGUAGE_OPTIONS, ROLE_OPTIONS


def visible_tenants(who: Principal, rt: Runtime) -> list[dict[str, Any]]:
    """The tenants the caller may see."""
    with rt.reader.connect() as conn:
        return tenants.list_tenants(conn, who.sees)


def get_tenant(tenant_id: str, who: Principal, rt: Runtime) -> dict[str, Any]:
    """A tenant the caller may read."""
    who.check(tenant_id, Permission.TENANT_READ)
    with rt.reader.connect() as conn:
        return tenants.get_tenant(conn, tenant_id)


def _led_teams(tenant_id: str, who: Principal) -> frozenset[str] | None:
    scope = who.check(tenant_id, Permission.USER_READ)
    return frozenset(who.led_teams) if scope is Scope.TEAM else None


def _users(tenant_id: str, who: Principal, rt: Runtime) -> list[dict[str, Any]]:
    led_teams = _led_teams(tenant_id, who)
    with rt.reader.connect() as conn:
        return users.list_users(conn, tenant_id, led_teams)


def _user(tenant_id: str, user_id: str, who: Principal, rt: Runtime) -> dict[str, Any]:
    led_teams = _led_teams(tenant_id, who)
    with rt.reader.connect() as conn:
        return users.find_user(conn, tenant_id, user_id, led_teams)


def _agents(tenant_id: str, who: Principal, rt: Runtime) -> list[dict[str, Any]]:
    scope = who.check(tenant_id, Permission.AGENT_READ)
    with rt.reader.connect() as conn:
        return agents.list_agents(
            conn, tenant_id, scope, own_agent_id=who.agent_id, led_teams=who.led_teams
        )


def _agent(tenant_id: str, agent_id: str, who: Principal, rt: Runtime) -> dict[str, Any]:
    scope = who.check(tenant_id, Permission.AGENT_READ)
    with rt.reader.connect() as conn:
        return agents.find_agent(
            conn, tenant_id, agent_id, scope, own_agent_id=who.agent_id, led_teams=who.led_teams
        )


TENANTS = Resource(
    slug="tenants",
    title=N_("Tenants"),
    singular=N_("tenant"),
    key="tenant_id",
    api="/api/v1/tenants",
    list_items=lambda _t, who, rt: visible_tenants(who, rt),
    get_item=lambda _t, item, who, rt: get_tenant(item, who, rt),
    columns=(
        Column("tenant_id", N_("Id")),
        Column("name", N_("Name")),
        Column("time_zone", N_("Time zone")),
        Column("is_active", N_("Active"), "bool"),
    ),
    fields=(
        Field("tenant_id", N_("Id"), is_key=True, is_required=True, help=ID_HELP),
        Field("name", N_("Name"), is_required=True),
        Field("time_zone", N_("Time zone"), "timezone", default="UTC"),
        Field("is_active", N_("Active"), "checkbox", on_create=False, default=True),
    ),
    create_method="POST",
    update_method="PATCH",
    is_center=True,
    intro=N_("The client companies whose contacts the center handles; their data is kept apart."),
)

USERS = Resource(
    slug="users",
    title=N_("Users"),
    singular=N_("user"),
    key="user_id",
    api="/api/v1/tenants/{tenant_id}/users",
    list_items=_users,
    get_item=_user,
    columns=(
        Column("username", N_("Username")),
        Column("display_name", N_("Name")),
        Column("role", N_("Role"), "choice"),
        Column("language", N_("Language"), "choice"),
        Column("is_active", N_("Active"), "bool"),
        Column("is_locked", N_("Locked"), "bool"),
    ),
    fields=(
        Field("username", N_("Username"), is_required=True, on_edit=False),
        Field("display_name", N_("Name"), is_required=True),
        Field("email", N_("E-mail address"), "email"),
        Field("role", N_("Role"), "select", options=ROLE_OPTIONS, default="agent"),
        Field(
            "password",
            N_("Password"),
            "password",
            is_required=True,
            on_edit=False,
            help=N_("10 to 256 characters, not containing the username."),
        ),
        Field(
            "password",
            N_("New password"),
            "password",
            on_create=False,
            help=N_("Leave empty to keep the current password."),
        ),
        Field("language", N_("Language"), "select", options=LANGUAGE_OPTIONS, default="en"),
        Field("is_active", N_("Active"), "checkbox", on_create=False, default=True),
        Field(
            "unlock",
            N_("Unlock after failed sign-ins"),
            "checkbox",
            on_create=False,
            default=False,
        ),
    ),
    create_method="POST",
    update_method="PATCH",
    name_field="username",
    intro=N_("People who sign in to this tenant, and their roles."),
    list_panel="admin/members.html",
)


AGENTS = Resource(
    slug="agents",
    title=N_("Agents"),
    singular=N_("agent"),
    key="agent_id",
    api="/api/v1/tenants/{tenant_id}/agents",
    list_items=_agents,
    get_item=_agent,
    columns=(
        Column("agent_id", N_("Id")),
        Column("display_name", N_("Name")),
        Column("team_id", N_("Team"), "choice"),
        Column("skills", N_("Skills"), "count"),
        Column("queues", N_("Queues"), "count"),
    ),
    fields=(
        Field("agent_id", N_("Id"), is_key=True, is_required=True, help=ID_HELP),
        Field("display_name", N_("Name"), is_required=True),
        Field("user_id", N_("Signs in as"), "select", source="users"),
        Field("team_id", N_("Team"), "select", source="teams"),
        Field(
            "is_team_leader", N_("Team leader (takes overflow contacts)"), "checkbox", default=False
        ),
        Field(
            "skills",
            N_("Skills and levels"),
            "levels",
            default={},
            help=N_("One skill per line with its level from 1 to 10, as french=7."),
        ),
        Field(
            "queues",
            N_("Queues"),
            "rows",
            default=[],
            fields=(
                Field("queue_id", N_("Queue"), "select", source="queues", is_required=True),
                Field("tier", N_("Tier"), "number", default=1),
            ),
        ),
        Field("auto_answer", N_("Answer offers automatically"), "checkbox", default=False),
    ),
    name_field="display_name",
    intro=N_("How each person who takes contacts is routed: skills, team, queues."),
)
