"""Mailbox administration: save (create or replace) and delete a mailbox, and read them.

A stored password never follows the host to a server of someone's choosing: left out, it
stays while the server's host, port, user name and encryption stay the same; a changed server
needs it again. Hosts are checked like webhooks' (no internal addresses unless the operator
allows them, docs/email.md). Every change restarts the mailroom's watcher of that mailbox.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, select

from headset.access.addresses import InternalAddress, Unresolvable, check_public_host
from headset.core.errors import Conflict, Invalid, NotFound
from headset.directory.events import DirectoryChanged, DirectoryEventType
from headset.mailroom.mailbox_settings import ImapIn, MailboxIn, MailboxOut, SmtpIn, mailbox_out
from headset.mailroom.mailboxes import Server
from headset.service.operations import Operation
from headset.storage.tables import mailboxes
from headset.storage.upsert import save_row

if TYPE_CHECKING:
    from headset.mailroom.room import Mailroom

#: The port a server without one is reached on (as imap_watch.py and outbound.py choose).
_DEFAULT_PORTS = {
    ("imap", "tls"): 993,
    ("imap", "starttls"): 143,
    ("imap", "none"): 143,
    ("smtp", "tls"): 465,
    ("smtp", "starttls"): 587,
    ("smtp", "none"): 587,
}


def list_mailboxes(room: Mailroom, tenant_id: str) -> list[MailboxOut]:
    """The tenant's mailboxes by id."""
    with room.reader.connect() as conn:
        rows = conn.execute(
            select(mailboxes)
            .where(mailboxes.c.tenant_id == tenant_id)
            .order_by(mailboxes.c.mailbox_id)
        ).all()
    return [mailbox_out(r) for r in rows]


def get_mailbox(room: Mailroom, tenant_id: str, mailbox_id: str) -> MailboxOut:
    """One mailbox of the tenant; NotFound if there is none."""
    with room.reader.connect() as conn:
        return mailbox_out(_one(conn, tenant_id, mailbox_id))


async def save_mailbox(
    room: Mailroom,
    tenant_id: str,
    mailbox_id: str,
    settings: MailboxIn,
    *,
    actor: str,
    is_key_generated: bool,
) -> MailboxOut:
    """Creates or replaces the mailbox; its address must be free in the whole center.
    `is_key_generated`: the secret key was made at this start (no password may be sealed)."""
    if settings.mailbox_id is not None and settings.mailbox_id != mailbox_id:
        raise Invalid("mailbox_id in the body differs from the URL's", field="mailbox_id")
    if room.host.tenancy.queues.get(settings.queue_id) != tenant_id:
        raise Invalid(f"no queue {settings.queue_id!r} in tenant {tenant_id!r}", field="queue_id")
    address = str(settings.address).lower()
    imap, smtp = settings.imap, settings.smtp
    if not room.access.allows_internal_hosts:
        await asyncio.to_thread(_check_hosts, settings)
    for server, block in (("imap", imap), ("smtp", smtp)):
        if block is not None and block.password and is_key_generated:
            raise Invalid(
                "set HEADSET_SECRET_KEY before storing a password: one sealed with the key "
                "made at this start could not be read after a restart",
                field=f"{server}.password",
                code="secret_key_unset",
            )
    values = settings.columns(address, room.host.clock.now())
    key = (tenant_id, mailbox_id)

    def write(conn: Connection) -> MailboxOut:
        taken = conn.execute(
            select(mailboxes.c.tenant_id, mailboxes.c.mailbox_id).where(
                mailboxes.c.address == address
            )
        ).first()
        if taken is not None and (taken.tenant_id, taken.mailbox_id) != key:
            raise Conflict(
                f"the address {address} belongs to another mailbox",
                field="address",
                code="taken",
                params={"value": address},
            )
        before = conn.execute(
            select(mailboxes).where(
                mailboxes.c.tenant_id == tenant_id, mailboxes.c.mailbox_id == mailbox_id
            )
        ).first()
        sealed = {
            "imap_password": _sealed(room, key, "imap", imap, before),
            "smtp_password": _sealed(room, key, "smtp", smtp, before),
        }
        if settings.inbound == "imap" and sealed["imap_password"] is None:
            raise Invalid(
                "a mailbox that fetches its mail over IMAP needs the server's password",
                field="imap.password",
                code="required",
            )
        keys = {"tenant_id": tenant_id, "mailbox_id": mailbox_id}
        return mailbox_out(save_row(conn, mailboxes, keys, {**values, **sealed}))

    saved = await _submit(room, key, DirectoryEventType.MAILBOX_SAVED, write, actor)
    await room.refresh()
    assert isinstance(saved, MailboxOut)
    return saved


async def delete_mailbox(room: Mailroom, tenant_id: str, mailbox_id: str, *, actor: str) -> None:
    """Stops receiving for the address; the conversations and their messages stay."""

    def write(conn: Connection) -> None:
        _one(conn, tenant_id, mailbox_id)
        conn.execute(
            delete(mailboxes).where(
                mailboxes.c.tenant_id == tenant_id, mailboxes.c.mailbox_id == mailbox_id
            )
        )

    await _submit(room, (tenant_id, mailbox_id), DirectoryEventType.MAILBOX_DELETED, write, actor)
    await room.refresh()


def _one(conn: Connection, tenant_id: str, mailbox_id: str) -> Any:
    row = conn.execute(
        select(mailboxes).where(
            mailboxes.c.tenant_id == tenant_id, mailboxes.c.mailbox_id == mailbox_id
        )
    ).first()
    if row is None:
        raise NotFound(f"no mailbox {mailbox_id!r} in tenant {tenant_id!r}")
    return row


def _check_hosts(settings: MailboxIn) -> None:
    """Refuses a server on an internal address, by its spelling or by what its name
    resolves to now (blocking: run in a worker thread). A name that does not resolve yet is
    accepted: every connection checks again."""
    for server, block in (("imap", settings.imap), ("smtp", settings.smtp)):
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
    room: Mailroom, key: tuple[str, str], server: Server, block: ImapIn | SmtpIn | None, before: Any
) -> str | None:
    """The sealed password to store for a server: a new one sealed, none, or the stored one
    while the server is the same."""
    if block is None or block.password == "":
        return None
    if block.password is not None:
        return room.access.seal(key, server, block.password)
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


async def _submit(
    room: Mailroom, key: tuple[str, str], kind: DirectoryEventType, write: Any, actor: str
) -> Any:
    tenant_id, mailbox_id = key
    event = DirectoryChanged(
        kind, tenant_id, f"mailbox:{tenant_id}", {"mailbox_id": mailbox_id}, actor,
        room.host.clock.now(),
    ).new_event()  # fmt: skip
    outcome = await room.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=actor)
    )
    return outcome.written
