"""Mailboxes: a tenant's e-mail addresses, how their mail comes in and goes out.

A server's password is write-only: given in a request, stored sealed with the server's
secret key (access/secret_box.py), never in an answer (which says `has_password`). Leaving
it out keeps the stored one while the server's host, port, user name and encryption stay
the same; a changed server needs it again, so a stored password never follows the host
to a server of someone's choosing. Hosts are checked like webhooks' (no internal
addresses unless the operator allows them, docs/email.md). Every change restarts the
mailroom's watcher of that mailbox.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator
from sqlalchemy import Connection, delete, select

from headset.access.addresses import InternalAddress, Unresolvable, check_public_host
from headset.access.permissions import Permission
from headset.api.deps import Caller, Name, Rt, Slug, reading, tenant_row
from headset.api.directory_events import directory_event
from headset.core.errors import Conflict, Invalid
from headset.mailroom.mailboxes import Server
from headset.service.operations import Operation
from headset.storage.tables import mailboxes
from headset.storage.upsert import save_row

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/mailboxes", tags=["e-mail"])

Security = Literal["none", "starttls", "tls"]
#: A host name or address, without spaces or a path.
_HOST = r"^[^\s/]+$"
#: No control characters: a password must not break the line of an IMAP or SMTP command.
_PASSWORD = r"^[^\x00-\x1f\x7f]*$"
#: The port a server without one is reached on (as imap_watch.py and outbound.py choose).
_DEFAULT_PORTS = {
    ("imap", "tls"): 993,
    ("imap", "starttls"): 143,
    ("imap", "none"): 143,
    ("smtp", "tls"): 465,
    ("smtp", "starttls"): 587,
    ("smtp", "none"): 587,
}


class ImapIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: str = Field(min_length=1, max_length=255, pattern=_HOST)
    port: int | None = Field(default=None, ge=1, le=65535)
    username: str = Field(min_length=1, max_length=320)
    #: Write-only. Left out (or null): the stored password stays; "" removes it.
    password: str | None = Field(default=None, max_length=1000, pattern=_PASSWORD)
    folder: str = Field(default="INBOX", min_length=1, max_length=200)
    security: Security = "tls"


class SmtpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: str = Field(min_length=1, max_length=255, pattern=_HOST)
    port: int | None = Field(default=None, ge=1, le=65535)
    username: str | None = Field(default=None, max_length=320)
    #: Write-only, as for IMAP; without a password (or user name) there is no login.
    password: str | None = Field(default=None, max_length=1000, pattern=_PASSWORD)
    security: Security = "starttls"


class MailboxIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mailbox_id: Slug | None = None
    address: EmailStr
    display_name: Name
    queue_id: str = Field(min_length=1, max_length=64)
    #: "smtp": mail is delivered to Headset's receiver; "imap": Headset fetches it.
    inbound: Literal["smtp", "imap"]
    imap: ImapIn | None = None
    smtp: SmtpIn | None = None
    #: Sent to the customer when a conversation starts; "{reference}" is filled in.
    acknowledgement: str | None = Field(default=None, max_length=4000)
    signature: str | None = Field(default=None, max_length=2000)
    max_message_bytes: int = Field(default=25_000_000, ge=10_000, le=50_000_000)
    is_active: bool = True
    #: Targets of the e-mail timers in business seconds (docs/email.md); none: no target.
    first_response_target_s: int | None = Field(default=None, ge=60, le=90 * 86_400)
    resolution_target_s: int | None = Field(default=None, ge=60, le=365 * 86_400)
    #: Send the survey link by e-mail once a contact of this mailbox is wrapped up.
    send_survey: bool = False
    #: Chat transcripts customers ask for leave from this mailbox.
    sends_transcripts: bool = False

    @field_validator("imap", "smtp", mode="before")
    @classmethod
    def _blank_server_is_none(cls, value: Any) -> Any:
        """A server block with no host, user or password variable is no server: the admin
        form sends its empty fields (and the selects' defaults) for a server not used."""
        if isinstance(value, dict) and not any(
            value.get(key) for key in ("host", "username", "password")
        ):
            return None
        return value

    @model_validator(mode="after")
    def _imap_when_fetched(self) -> MailboxIn:
        if self.inbound == "imap" and self.imap is None:
            raise ValueError("a mailbox with inbound imap needs its imap settings")
        return self


def mailbox_body(row: Any) -> dict[str, Any]:
    return {
        "mailbox_id": row.mailbox_id,
        "address": row.address,
        "display_name": row.display_name,
        "queue_id": row.queue_id,
        "inbound": row.inbound,
        "imap": (
            {
                "host": row.imap_host,
                "port": row.imap_port,
                "username": row.imap_username,
                "has_password": row.imap_password is not None,
                "folder": row.imap_folder,
                "security": row.imap_security,
            }
            if row.imap_host
            else None
        ),
        "smtp": (
            {
                "host": row.smtp_host,
                "port": row.smtp_port,
                "username": row.smtp_username,
                "has_password": row.smtp_password is not None,
                "security": row.smtp_security,
            }
            if row.smtp_host
            else None
        ),
        "acknowledgement": row.acknowledgement,
        "signature": row.signature,
        "max_message_bytes": row.max_message_bytes,
        "is_active": row.is_active,
        "first_response_target_s": row.first_response_target_s,
        "resolution_target_s": row.resolution_target_s,
        "send_survey": row.send_survey,
        "sends_transcripts": row.sends_transcripts,
        "updated_at": row.updated_at.isoformat(),
    }


def _one(conn: Connection, tenant_id: str, mailbox_id: str) -> Any:
    return tenant_row(conn, mailboxes, "mailbox_id", tenant_id, mailbox_id, "mailbox")


@router.get("")
def list_mailboxes(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.MAILBOX_MANAGE)
    with reading(rt) as conn:
        rows = conn.execute(
            select(mailboxes)
            .where(mailboxes.c.tenant_id == tenant_id)
            .order_by(mailboxes.c.mailbox_id)
        ).all()
    return [mailbox_body(r) for r in rows]


@router.get("/{mailbox_id}")
def get_mailbox(tenant_id: str, mailbox_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.MAILBOX_MANAGE)
    with reading(rt) as conn:
        return mailbox_body(_one(conn, tenant_id, mailbox_id))


@router.put("/{mailbox_id}")
async def save_mailbox(
    tenant_id: str, mailbox_id: Slug, body: MailboxIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Creates or replaces the mailbox; its address must be free in the whole center."""
    who.check(tenant_id, Permission.MAILBOX_MANAGE)
    if body.mailbox_id is not None and body.mailbox_id != mailbox_id:
        raise Invalid("mailbox_id in the body differs from the URL's", field="mailbox_id")
    if rt.host.tenancy.queues.get(body.queue_id) != tenant_id:
        raise Invalid(f"no queue {body.queue_id!r} in tenant {tenant_id!r}", field="queue_id")
    address = str(body.address).lower()
    imap, smtp = body.imap, body.smtp
    if not rt.settings.mail_internal_hosts:
        await asyncio.to_thread(_check_hosts, body)
    room = rt.mailroom
    for server, block in (("imap", imap), ("smtp", smtp)):
        if block is not None and block.password and rt.settings.is_secret_generated:
            raise Invalid(
                "set HEADSET_SECRET_KEY before storing a password: one sealed with the key "
                "made at this start could not be read after a restart",
                field=f"{server}.password",
                code="secret_key_unset",
            )
    values: dict[str, Any] = {
        "address": address,
        "display_name": body.display_name,
        "queue_id": body.queue_id,
        "inbound": body.inbound,
        "imap_host": imap.host if imap else None,
        "imap_port": imap.port if imap else None,
        "imap_username": imap.username if imap else None,
        "imap_folder": imap.folder if imap else None,
        "imap_security": imap.security if imap else None,
        "smtp_host": smtp.host if smtp else None,
        "smtp_port": smtp.port if smtp else None,
        "smtp_username": smtp.username if smtp else None,
        "smtp_security": smtp.security if smtp else "none",
        "acknowledgement": body.acknowledgement,
        "signature": body.signature,
        "max_message_bytes": body.max_message_bytes,
        "is_active": body.is_active,
        "first_response_target_s": body.first_response_target_s,
        "resolution_target_s": body.resolution_target_s,
        "send_survey": body.send_survey,
        "sends_transcripts": body.sends_transcripts,
        "updated_at": rt.now(),
    }

    def write(conn: Connection) -> dict[str, Any]:
        taken = conn.execute(
            select(mailboxes.c.tenant_id, mailboxes.c.mailbox_id).where(
                mailboxes.c.address == address
            )
        ).first()
        if taken is not None and (taken.tenant_id, taken.mailbox_id) != (tenant_id, mailbox_id):
            raise Conflict(
                f"the address {address} belongs to another mailbox",
                field="address",
                code="taken",
                params={"value": address},
            )
        keys = {"tenant_id": tenant_id, "mailbox_id": mailbox_id}
        before = conn.execute(
            select(mailboxes).where(
                mailboxes.c.tenant_id == tenant_id, mailboxes.c.mailbox_id == mailbox_id
            )
        ).first()
        key = (tenant_id, mailbox_id)
        sealed = {
            "imap_password": _sealed(room.access.seal, key, "imap", imap, before),
            "smtp_password": _sealed(room.access.seal, key, "smtp", smtp, before),
        }
        if body.inbound == "imap" and sealed["imap_password"] is None:
            raise Invalid(
                "a mailbox that fetches its mail over IMAP needs the server's password",
                field="imap.password",
                code="required",
            )
        return mailbox_body(save_row(conn, mailboxes, keys, {**values, **sealed}))

    saved = await _submit(rt, who, tenant_id, mailbox_id, "mailbox_saved", write)
    await room.refresh()
    return dict(saved)


def _check_hosts(body: MailboxIn) -> None:
    """Refuses a server on an internal address, by its spelling or by what its name
    resolves to now (blocking: run in a worker thread). A name that does not resolve yet is
    accepted: every connection checks again."""
    for server, block in (("imap", body.imap), ("smtp", body.smtp)):
        if block is None:
            continue
        port = block.port or _DEFAULT_PORTS[(server, block.security)]
        try:
            check_public_host(block.host, port)
        except InternalAddress as refused:
            raise Invalid(
                f"the mail server must be reachable on the internet: {refused} (the operator "
                "can allow internal mail servers with HEADSET_MAIL_INTERNAL_HOSTS=1)",
                field=f"{server}.host",
                code="internal_host",
            ) from None
        except Unresolvable:
            pass


def _sealed(
    seal: Any, key: tuple[str, str], server: Server, block: ImapIn | SmtpIn | None, before: Any
) -> str | None:
    """The sealed password to store for a server: a new one sealed, none, or the stored one
    while the server is the same."""
    if block is None or block.password == "":
        return None
    if block.password is not None:
        return str(seal(key, server, block.password))
    stored = getattr(before, f"{server}_password", None) if before is not None else None
    if stored is None:
        return None
    was = tuple(getattr(before, f"{server}_{k}") for k in ("host", "port", "username", "security"))
    if was != (block.host, block.port, block.username, block.security):
        raise Invalid(
            "the server, its user name or its encryption changed: enter its password again "
            "(or an empty one for none)",
            field=f"{server}.password",
            code="password_again",
        )
    return str(stored)


@router.delete("/{mailbox_id}", status_code=204)
async def delete_mailbox(tenant_id: str, mailbox_id: str, who: Caller, rt: Rt) -> None:
    """Stops receiving for the address; the conversations and their messages stay."""
    who.check(tenant_id, Permission.MAILBOX_MANAGE)

    def write(conn: Connection) -> None:
        _one(conn, tenant_id, mailbox_id)
        conn.execute(
            delete(mailboxes).where(
                mailboxes.c.tenant_id == tenant_id, mailboxes.c.mailbox_id == mailbox_id
            )
        )

    await _submit(rt, who, tenant_id, mailbox_id, "mailbox_deleted", write)
    await rt.mailroom.refresh()


async def _submit(rt: Any, who: Any, tenant_id: str, mailbox_id: str, kind: str, write: Any) -> Any:
    event = directory_event(
        kind, tenant_id, f"mailbox:{tenant_id}", {"mailbox_id": mailbox_id}, rt.now(), who
    )
    outcome = await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    return outcome.written
