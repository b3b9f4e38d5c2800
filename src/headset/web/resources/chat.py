"""Chat in the administration: canned responses and chat widgets."""

from __future__ import annotations

from headset.access.permissions import Permission
from headset.directory import canned, widgets
from headset.web.resources.model import N_, Column, Field, Resource, tenant_item, tenant_list
from headset.web.resources.options import ID_HELP

CANNED_RESPONSES = Resource(
    slug="canned-responses",
    title=N_("Canned responses"),
    singular=N_("canned response"),
    key="canned_id",
    api="/api/v1/tenants/{tenant_id}/canned-responses",
    # the API's list also narrows by language and prefix; the administration shows them all
    list_items=tenant_list(Permission.CONFIG_READ, canned.list_canned),
    get_item=tenant_item(Permission.CONFIG_READ, canned.get_canned),
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
    list_items=tenant_list(Permission.CONFIG_READ, widgets.list_widgets),
    get_item=tenant_item(Permission.CONFIG_READ, widgets.get_widget),
    columns=(
        Column("widget_id", N_("Id")),
        Column("display_name", N_("Name")),
        Column("widget_key", N_("Widget key")),
        Column("topics", N_("Topics"), "count"),
        Column("is_active", N_("Active"), "bool"),
    ),
    fields=(
        Field("widget_id", N_("Id"), is_key=True, is_required=True, help=ID_HELP),
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
