"""Voice in the administration: IVR flows and their recorded prompts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from headset.access.permissions import Permission
from headset.core.errors import NotFound
from headset.directory import ivr
from headset.web.resources.model import N_, Column, Field, Resource, tenant_item, tenant_list
from headset.web.resources.options import ID_HELP

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
    list_items=tenant_list(Permission.CONFIG_READ, ivr.list_flows),
    get_item=tenant_item(Permission.CONFIG_READ, ivr.get_flow),
    columns=(
        Column("flow_id", N_("Id")),
        Column("name", N_("Name")),
        Column("steps", N_("Steps"), "count"),
    ),
    fields=(
        Field("flow_id", N_("Id"), is_key=True, is_required=True, help=ID_HELP),
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


def _get_prompt(conn: Connection, tenant_id: str, prompt_id: str) -> dict[str, Any]:
    """One prompt from the list (the API has no read of a single prompt's facts)."""
    for prompt in ivr.list_prompts(conn, tenant_id):
        if prompt["prompt_id"] == prompt_id:
            return prompt
    raise NotFound(f"no prompt {prompt_id!r}")


PROMPTS = Resource(
    slug="prompts",
    title=N_("Prompts"),
    singular=N_("prompt"),
    key="prompt_id",
    api="/api/v1/tenants/{tenant_id}/prompts",
    list_items=tenant_list(Permission.CONFIG_READ, ivr.list_prompts),
    get_item=tenant_item(Permission.CONFIG_READ, _get_prompt),
    columns=(
        Column("prompt_id", N_("Id")),
        Column("name", N_("Name")),
        Column("duration_s", N_("Length"), "seconds"),
    ),
    fields=(
        Field("prompt_id", N_("Id"), is_key=True, is_required=True, help=ID_HELP),
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
