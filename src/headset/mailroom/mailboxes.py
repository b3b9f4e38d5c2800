"""A mailbox's settings as the mailroom uses them, read from the `mailboxes` table.

Its servers' passwords are kept sealed (access/secret_box.py): a database dump or backup
carries no mail password in clear, and a `Mailbox` holds only the sealed text, which
`ServerAccess` (mailroom/servers.py) opens at the moment it signs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, select

from headset.storage.tables import mailboxes


@dataclass(frozen=True, slots=True)
class Mailbox:
    tenant_id: str
    mailbox_id: str
    address: str
    display_name: str
    queue_id: str
    inbound: str
    imap_host: str | None
    imap_port: int | None
    imap_username: str | None
    #: The IMAP password, sealed (None: none stored).
    imap_password: str | None
    imap_folder: str
    imap_security: str
    smtp_host: str | None
    smtp_port: int | None
    smtp_username: str | None
    #: The SMTP password, sealed (None: no login).
    smtp_password: str | None
    smtp_security: str
    acknowledgement: str | None
    signature: str | None
    max_message_bytes: int
    is_active: bool
    first_response_target_s: int | None = None
    resolution_target_s: int | None = None
    send_survey: bool = False
    sends_transcripts: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.tenant_id, self.mailbox_id)


def mailbox_of(row: Any) -> Mailbox:
    return Mailbox(
        tenant_id=row.tenant_id,
        mailbox_id=row.mailbox_id,
        address=row.address.lower(),
        display_name=row.display_name,
        queue_id=row.queue_id,
        inbound=row.inbound,
        imap_host=row.imap_host,
        imap_port=row.imap_port,
        imap_username=row.imap_username,
        imap_password=row.imap_password,
        imap_folder=row.imap_folder or "INBOX",
        imap_security=row.imap_security or "tls",
        smtp_host=row.smtp_host,
        smtp_port=row.smtp_port,
        smtp_username=row.smtp_username,
        smtp_password=row.smtp_password,
        smtp_security=row.smtp_security,
        acknowledgement=row.acknowledgement,
        signature=row.signature,
        max_message_bytes=row.max_message_bytes,
        is_active=row.is_active,
        first_response_target_s=row.first_response_target_s,
        resolution_target_s=row.resolution_target_s,
        send_survey=row.send_survey,
        sends_transcripts=row.sends_transcripts,
    )


def load_mailboxes(conn: Connection) -> list[Mailbox]:
    return [mailbox_of(r) for r in conn.execute(select(mailboxes)).all()]


Server = Literal["imap", "smtp"]


def secret_context(tenant_id: str, mailbox_id: str, server: Server) -> str:
    """What a mailbox's password is sealed for: it opens for this server of this mailbox of
    this tenant only."""
    return f"mailbox-password:{tenant_id}:{mailbox_id}:{server}"
