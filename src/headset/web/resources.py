"""What the administration pages manage: each resource's API, list columns and form fields.

One generic list page and one generic form page serve every resource here; adding one (such
as canned responses or chat widget settings) is one `Resource(...)` in `RESOURCES` with its
API path and reader functions. Labels are English message ids, marked with `N_` so Babel
extracts them, and translated when the page is rendered. Validation is the API's alone: the
form sends what was typed and shows the API's field errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from headset.access.permissions import Permission
from headset.access.roles import Role
from headset.api.principal import Principal
from headset.api.routes import (
    agents,
    config,
    ivr_flows,
    queues,
    tenants,
    widgets,
)
from headset.api.runtime import Runtime
from headset.core.errors import NotFound
from headset.directory import canned as canned_queries
from headset.mailroom import mailbox_changes
from headset.routing.model import Strategy


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name for "translate later")
    """Marks a message id for extraction; the template translates it."""
    return message


FieldKind = Literal[
    "text",
    "email",
    "password",
    "number",
    "select",
    "checkbox",
    "numbers",
    "lines",
    "levels",
    "hours",
    "rows",
    "timezone",
    "paragraph",
    "json",
    "wav",
]


@dataclass(frozen=True)
class Field:
    """One control of a form, named by its key in the API's JSON body."""

    name: str
    label: str
    kind: FieldKind = "text"
    help: str = ""
    #: Fixed choices as (value, label); `source` names choices read from the tenant instead.
    options: tuple[tuple[str, str], ...] = ()
    source: str | None = None
    #: Sent as "" when empty (the API then says it is missing); optional fields send null.
    is_required: bool = False
    #: The resource's id: typed when creating, fixed afterwards.
    is_key: bool = False
    on_create: bool = True
    on_edit: bool = True
    #: The controls of one row, for kind "rows".
    fields: tuple[Field, ...] = ()
    default: Any = None
    #: Sent as "" when empty, for optional texts the API keeps as strings (a greeting).
    sends_blank: bool = False


ColumnFormat = Literal["text", "number", "percent", "seconds", "bool", "dates", "choice", "count"]


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    format: ColumnFormat = "text"


Reader = Callable[[str, Principal, Runtime], list[dict[str, Any]]]
Getter = Callable[[str, str, Principal, Runtime], dict[str, Any]]


@dataclass(frozen=True)
class Resource:
    """A kind of thing the administration lists and edits."""

    slug: str
    title: str
    singular: str
    key: str
    #: The API collection, with "{tenant_id}" for tenant resources.
    api: str
    list_items: Reader
    get_item: Getter
    columns: tuple[Column, ...]
    fields: tuple[Field, ...]
    create_method: Literal["POST", "PUT"] = "PUT"
    update_method: Literal["PUT", "PATCH"] = "PUT"
    can_delete: bool = False
    #: Only the center's admin (tenants); otherwise anyone with config.manage in the tenant.
    is_center: bool = False
    #: A column that shows the item's name in messages and titles.
    name_field: str = "name"
    intro: str = ""
    #: Who may open its pages (the API checks again on every call).
    permission: Permission = Permission.CONFIG_MANAGE
    #: A template shown with a saved item (the widget's script tag), or None.
    panel: str | None = None
    #: A template shown under the list (the users page's "add an existing user"), or None.
    list_panel: str | None = None

    def create_url(self, tenant_id: str | None) -> str:
        base = self.api.format(tenant_id=tenant_id)
        return base if self.create_method == "POST" else base + "/{" + self.key + "}"

    def item_url(self, tenant_id: str | None, item_id: str) -> str:
        return self.api.format(tenant_id=tenant_id) + "/" + item_id


def _route(router: Any, name: str) -> Any:
    """An API route's function, to read exactly what the API would answer."""
    for route in router.routes:
        if getattr(route, "name", None) == name:
            return route.endpoint
    raise LookupError(name)


def _read(
    who: Principal, rt: Runtime, query: Callable[..., Any], tenant_id: str, *args: Any
) -> Any:
    """A directory query of the tenant on the reader, for a caller who may read its settings."""
    who.check(tenant_id, Permission.CONFIG_READ)
    with rt.reader.connect() as conn:
        return query(conn, tenant_id, *args)


def _config_reader(path: str) -> tuple[Reader, Getter]:
    return _route(config.router, f"list_{path}"), _route(config.router, f"get_{path}")


ROLE_OPTIONS = (
    ("agent", N_("Agent")),
    ("team_leader", N_("Team leader")),
    ("supervisor", N_("Supervisor")),
    ("qa", N_("Quality assurance")),
    ("manager", N_("Manager")),
    ("admin", N_("Administrator")),
)
ROLE_LABELS = dict(ROLE_OPTIONS)
LANGUAGE_OPTIONS = (("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch"), ("lv", "Latviešu"))
STRATEGY_OPTIONS = (
    (Strategy.LONGEST_IDLE.value, N_("Longest idle agent")),
    (Strategy.ROUND_ROBIN.value, N_("Round robin")),
    (Strategy.FEWEST_CONTACTS.value, N_("Fewest contacts today")),
    (Strategy.LEAST_OCCUPIED.value, N_("Least occupied")),
    (Strategy.SKILLS_WEIGHTED.value, N_("Best skill match")),
    (Strategy.TOP_DOWN.value, N_("Top down (fixed order)")),
    (Strategy.RING_ALL.value, N_("Ring all")),
)
OVERFLOW_ACTIONS = (
    ("relax_skill", N_("Accept a lower skill level")),
    ("add_queue", N_("Also offer to another queue's agents")),
    ("add_team_leaders", N_("Also offer to team leaders")),
    ("raise_priority", N_("Raise the priority")),
)
WEEKDAYS = (
    ("mon", N_("Monday")),
    ("tue", N_("Tuesday")),
    ("wed", N_("Wednesday")),
    ("thu", N_("Thursday")),
    ("fri", N_("Friday")),
    ("sat", N_("Saturday")),
    ("sun", N_("Sunday")),
)

RECORDING_OPTIONS = (
    ("tenant", N_("As the tenant's default")),
    ("none", N_("Not recorded")),
    ("all", N_("Every call")),
    ("on_demand", N_("On demand")),
)

_ID_HELP = N_("Lower-case letters, digits, dots, dashes and underscores; cannot be changed later.")

TENANTS = Resource(
    slug="tenants",
    title=N_("Tenants"),
    singular=N_("tenant"),
    key="tenant_id",
    api="/api/v1/tenants",
    list_items=lambda _t, who, rt: tenants.list_tenants(who, rt),
    get_item=lambda _t, item, who, rt: tenants.get_tenant(item, who, rt),
    columns=(
        Column("tenant_id", N_("Id")),
        Column("name", N_("Name")),
        Column("time_zone", N_("Time zone")),
        Column("is_active", N_("Active"), "bool"),
    ),
    fields=(
        Field("tenant_id", N_("Id"), is_key=True, is_required=True, help=_ID_HELP),
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
    list_items=tenants.list_users,
    get_item=tenants.get_user,
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

_teams = _config_reader("teams")
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
        Field("team_id", N_("Id"), is_key=True, is_required=True, help=_ID_HELP),
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

_skills = _config_reader("skills")
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
        Field("skill_id", N_("Id"), is_key=True, is_required=True, help=_ID_HELP),
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
    list_items=queues.list_queues,
    get_item=queues.get_queue,
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
        Field("queue_id", N_("Id"), is_key=True, is_required=True, help=_ID_HELP),
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

AGENTS = Resource(
    slug="agents",
    title=N_("Agents"),
    singular=N_("agent"),
    key="agent_id",
    api="/api/v1/tenants/{tenant_id}/agents",
    list_items=agents.list_agents,
    get_item=agents.get_agent,
    columns=(
        Column("agent_id", N_("Id")),
        Column("display_name", N_("Name")),
        Column("team_id", N_("Team"), "choice"),
        Column("skills", N_("Skills"), "count"),
        Column("queues", N_("Queues"), "count"),
    ),
    fields=(
        Field("agent_id", N_("Id"), is_key=True, is_required=True, help=_ID_HELP),
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


def _code_list(slug: str, title: str, singular: str, intro: str) -> Resource:
    """A tenant's list of codes with labels (dispositions, away reasons)."""
    reader = _config_reader(slug)
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
            Field("code", N_("Code"), is_key=True, is_required=True, help=_ID_HELP),
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

CANNED_RESPONSES = Resource(
    slug="canned-responses",
    title=N_("Canned responses"),
    singular=N_("canned response"),
    key="canned_id",
    api="/api/v1/tenants/{tenant_id}/canned-responses",
    # the API's list also narrows by language and prefix; the administration shows them all
    list_items=lambda t, who, rt: _read(who, rt, canned_queries.list_canned, t),
    get_item=lambda t, item, who, rt: _read(who, rt, canned_queries.get_canned, t, item),
    columns=(
        Column("shortcut", N_("Shortcut")),
        Column("title", N_("Title")),
        Column("language", N_("Language")),
    ),
    fields=(
        Field(
            "shortcut",
            N_("Shortcut"),
            is_required=True,
            help=N_(
                "What the agent types after a slash, as thanks: up to 32 lower-case letters, "
                "digits, dashes and underscores, starting with a letter or digit."
            ),
        ),
        Field("title", N_("Title"), is_required=True),
        Field("body", N_("Text"), "paragraph", is_required=True),
        Field(
            "language",
            N_("Language"),
            help=N_("A language code such as en or nl-BE; leave empty for every language."),
        ),
    ),
    create_method="POST",
    can_delete=True,
    name_field="shortcut",
    permission=Permission.CANNED_MANAGE,
    intro=N_("Prepared answers that agents insert in a chat by typing a slash and the shortcut."),
)

TOPIC_FIELDS = (
    Field("topic_id", N_("Topic id"), is_required=True),
    Field("label", N_("Shown as"), is_required=True),
    Field("queue_id", N_("Queue"), "select", source="queues", is_required=True),
    Field("skills", N_("Skills, as french=5"), "levels", default={}),
)

WIDGETS = Resource(
    slug="widgets",
    title=N_("Chat widgets"),
    singular=N_("chat widget"),
    key="widget_id",
    api="/api/v1/tenants/{tenant_id}/widgets",
    list_items=widgets.list_widgets,
    get_item=widgets.get_widget,
    columns=(
        Column("widget_id", N_("Id")),
        Column("display_name", N_("Name")),
        Column("widget_key", N_("Widget key")),
        Column("topics", N_("Topics"), "count"),
        Column("is_active", N_("Active"), "bool"),
    ),
    fields=(
        Field("widget_id", N_("Id"), is_key=True, is_required=True, help=_ID_HELP),
        Field("display_name", N_("Name shown to customers"), is_required=True),
        Field(
            "greeting",
            N_("Greeting"),
            "paragraph",
            sends_blank=True,
            default="",
            help=N_("The first words the customer reads above the pre-chat form."),
        ),
        Field(
            "colour",
            N_("Colour"),
            default="#1f6feb",
            help=N_("The launcher's and header's colour, as #1f6feb."),
        ),
        Field(
            "topics",
            N_("Topics"),
            "rows",
            default=[],
            fields=TOPIC_FIELDS,
            help=N_(
                "What the customer chooses from in the pre-chat form; each topic sends the chat "
                "to a queue, for agents with the skills it needs (one per line with the lowest "
                "level, as french=5). At least one."
            ),
        ),
        Field(
            "languages",
            N_("Languages"),
            "lines",
            default=[],
            help=N_("One language code per line, as en or nl-BE; leave empty to offer all."),
        ),
        Field(
            "offline_message",
            N_("Message outside business hours"),
            "paragraph",
            sends_blank=True,
            default="",
            help=N_("Shown when the topic's queue is closed; the customer can leave a message."),
        ),
        Field(
            "allowed_origins",
            N_("Sites that may show the widget"),
            "lines",
            default=[],
            help=N_("One origin per line, as https://www.example.com."),
        ),
        Field("is_active", N_("Active"), "checkbox", default=True),
        Field(
            "voice_enabled",
            N_("Calls (the Call us button)"),
            "checkbox",
            default=True,
            help=N_("Customers can call from the widget when the service has calls on."),
        ),
        Field(
            "ivr_flow_id",
            N_("IVR flow for calls"),
            "select",
            source="ivr_flows",
            help=N_("Without one, calls hear a menu of the topics (press 1 for the first)."),
        ),
    ),
    can_delete=True,
    name_field="display_name",
    permission=Permission.WIDGET_MANAGE,
    panel="admin/widget_embed.html",
    intro=N_("The chat on the client company's site: what it shows and where each topic goes."),
)

IVR_EXAMPLE = [
    {"id": "welcome", "type": "play", "text": "Welcome.", "next": "menu"},
    {
        "id": "menu",
        "type": "menu",
        "text": "For sales, press 1. To leave a message, press 2.",
        "options": {"1": "sales", "2": "message"},
        "on_timeout": "sales",
    },
    {"id": "sales", "type": "queue", "queue_id": ""},
    {"id": "message", "type": "voicemail", "queue_id": "", "text": "Speak after the tone."},
]

IVR_FLOWS = Resource(
    slug="ivr-flows",
    title=N_("IVR flows"),
    singular=N_("IVR flow"),
    key="flow_id",
    api="/api/v1/tenants/{tenant_id}/ivr-flows",
    list_items=ivr_flows.list_flows,
    get_item=ivr_flows.get_flow,
    columns=(
        Column("flow_id", N_("Id")),
        Column("name", N_("Name")),
        Column("steps", N_("Steps"), "count"),
    ),
    fields=(
        Field("flow_id", N_("Id"), is_key=True, is_required=True, help=_ID_HELP),
        Field("name", N_("Name"), is_required=True),
        Field(
            "steps",
            N_("Steps (JSON)"),
            "json",
            default=IVR_EXAMPLE,
            help=N_(
                "A list of steps; the first is where a call starts. Each has an id and a type: "
                "play (text or prompt_id, next), menu (text or prompt_id, options as key: step, "
                "timeout_s, retries, on_timeout, on_invalid), collect (text, variable, "
                "max_digits, finish_on, next), hours (queue_id, open, closed), queue (queue_id, "
                "skills), callback (queue_id), voicemail (queue_id, text, max_s), hangup "
                "(text). Every step must lead to a queue, callback, voicemail or hangup."
            ),
        ),
    ),
    can_delete=True,
    intro=N_(
        "What callers hear and choose before they wait for an agent: prompts, menus, "
        "opening hours, callbacks and voicemail."
    ),
)


def _get_prompt(tenant_id: str, prompt_id: str, who: Principal, rt: Runtime) -> dict[str, Any]:
    """One prompt from the list (the API has no read of a single prompt's facts)."""
    for prompt in ivr_flows.list_prompts(tenant_id, who, rt):
        if prompt["prompt_id"] == prompt_id:
            return prompt
    raise NotFound(f"no prompt {prompt_id!r}")


PROMPTS = Resource(
    slug="prompts",
    title=N_("Prompts"),
    singular=N_("prompt"),
    key="prompt_id",
    api="/api/v1/tenants/{tenant_id}/prompts",
    list_items=ivr_flows.list_prompts,
    get_item=_get_prompt,
    columns=(
        Column("prompt_id", N_("Id")),
        Column("name", N_("Name")),
        Column("duration_s", N_("Length"), "seconds"),
    ),
    fields=(
        Field("prompt_id", N_("Id"), is_key=True, is_required=True, help=_ID_HELP),
        Field("name", N_("Name")),
        Field(
            "file",
            N_("Recording (WAV)"),
            "wav",
            is_required=True,
            help=N_("A WAV file of up to 5 minutes; an IVR step plays it by its id (prompt_id)."),
        ),
    ),
    name_field="name",
    can_delete=True,
    intro=N_("Recorded messages for the IVR flows; steps with a text are spoken instead."),
)

SECURITY_OPTIONS = (
    ("tls", N_("TLS from the start")),
    ("starttls", N_("STARTTLS")),
    ("none", N_("None (only on a trusted network)")),
)


def _list_mailboxes(tenant_id: str, who: Principal, rt: Runtime) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.MAILBOX_MANAGE)
    return [m.model_dump() for m in mailbox_changes.list_mailboxes(rt.mailroom, tenant_id)]


def _get_mailbox(tenant_id: str, mailbox_id: str, who: Principal, rt: Runtime) -> dict[str, Any]:
    """The mailbox with its servers' settings also under dotted names ("imap.host"), which
    is how the form names its controls."""
    who.check(tenant_id, Permission.MAILBOX_MANAGE)
    item = mailbox_changes.get_mailbox(rt.mailroom, tenant_id, mailbox_id).model_dump()
    for server in ("imap", "smtp"):
        for key, value in (item.get(server) or {}).items():
            item[f"{server}.{key}"] = value
    return item


def _server_fields(server: str, security: str) -> tuple[Field, ...]:
    return (
        Field(f"{server}.host", N_("Server")),
        Field(f"{server}.port", N_("Port"), "number", help=N_("Empty: the usual port.")),
        Field(f"{server}.username", N_("User name on the server")),
        Field(
            f"{server}.password",
            N_("Password on the server"),
            "password",
            help=N_("Stored encrypted and never shown again; leave empty to keep the stored one."),
        ),
        Field(f"{server}.security", N_("Encryption"), "select", options=SECURITY_OPTIONS,
              default=security),
    )  # fmt: skip


MAILBOXES = Resource(
    slug="mailboxes",
    title=N_("Mailboxes"),
    singular=N_("mailbox"),
    key="mailbox_id",
    api="/api/v1/tenants/{tenant_id}/mailboxes",
    list_items=_list_mailboxes,
    get_item=_get_mailbox,
    columns=(
        Column("mailbox_id", N_("Id")),
        Column("address", N_("Address")),
        Column("display_name", N_("Name")),
        Column("queue_id", N_("Queue")),
        Column("inbound", N_("Mail comes in by")),
        Column("is_active", N_("Active"), "bool"),
    ),
    fields=(
        Field("mailbox_id", N_("Id"), is_key=True, is_required=True, help=_ID_HELP),
        Field("address", N_("E-mail address"), "email", is_required=True),
        Field("display_name", N_("Name replies are sent under"), is_required=True),
        Field("queue_id", N_("Queue"), "select", source="queues", is_required=True),
        Field(
            "inbound",
            N_("Mail comes in by"),
            "select",
            options=(
                ("smtp", N_("Delivery to Headset's SMTP receiver")),
                ("imap", N_("Headset fetching it over IMAP")),
            ),
            default="smtp",
        ),
        *_server_fields("imap", "tls"),
        Field("imap.folder", N_("IMAP folder"), default="INBOX"),
        *_server_fields("smtp", "starttls"),
        Field(
            "acknowledgement",
            N_("Automatic acknowledgement"),
            "paragraph",
            help=N_("Sent when a conversation starts; {reference} is filled in. Empty: none."),
        ),
        Field("signature", N_("Signature"), "paragraph", help=N_("Added under every reply.")),
        Field("max_message_bytes", N_("Largest message, bytes"), "number", default=25_000_000),
        Field("first_response_target_s", N_("First-response target, seconds"), "number"),
        Field("resolution_target_s", N_("Resolution target, seconds"), "number"),
        Field("send_survey", N_("Send the survey link after wrap-up"), "checkbox", default=False),
        Field("sends_transcripts", N_("Send chat transcripts"), "checkbox", default=False),
        Field("is_active", N_("Active"), "checkbox", default=True),
    ),
    can_delete=True,
    name_field="address",
    permission=Permission.MAILBOX_MANAGE,
    intro=N_(
        "The tenant's e-mail addresses: where their mail comes in, which queue its "
        "conversations wait in, and the server replies leave through."
    ),
)


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


@dataclass
class Choices:
    """Options read from the tenant for `source` fields, and labels for list columns."""

    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def label(self, source: str, value: Any) -> str:
        return dict(self.options.get(source, [])).get(value, "" if value is None else str(value))


def read_choices(tenant_id: str, who: Principal, rt: Runtime, sources: set[str]) -> Choices:
    """Only the sources a form needs, each through its API route (so within permissions)."""
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
