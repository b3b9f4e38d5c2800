"""E-mail in the administration: the tenant's mailboxes."""

from __future__ import annotations

from typing import Any

from headset.access.permissions import Permission
from headset.api.principal import Principal
from headset.api.runtime import Runtime
from headset.mailroom import mailbox_changes
from headset.web.resources.model import N_, Column, Field, Resource
from headset.web.resources.options import ID_HELP

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
        Field("mailbox_id", N_("Id"), is_key=True, is_required=True, help=ID_HELP),
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
