"""A mailbox's settings as an administrator gives them, and as the API shows them.

A server's password is write-only: given in a request, stored sealed (mailroom/servers.py),
never in an answer (which says `has_password`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from headset.directory.names import Name, Slug

Security = Literal["none", "starttls", "tls"]
#: A host name or address, without spaces or a path.
_HOST = r"^[^\s/]+$"
#: No control characters: a password must not break the line of an IMAP or SMTP command.
_PASSWORD = r"^[^\x00-\x1f\x7f]*$"


#: Settings stored in columns of their own name.
_PLAIN = {
    "acknowledgement", "signature", "max_message_bytes", "is_active",
    "first_response_target_s", "resolution_target_s", "send_survey", "sends_transcripts",
}  # fmt: skip


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

    def columns(self, address: str, now: datetime) -> dict[str, Any]:
        """The stored columns of these settings, passwords aside."""
        imap, smtp = self.imap, self.smtp
        return {
            "address": address,
            "display_name": self.display_name,
            "queue_id": self.queue_id,
            "inbound": self.inbound,
            "imap_host": imap.host if imap else None,
            "imap_port": imap.port if imap else None,
            "imap_username": imap.username if imap else None,
            "imap_folder": imap.folder if imap else None,
            "imap_security": imap.security if imap else None,
            "smtp_host": smtp.host if smtp else None,
            "smtp_port": smtp.port if smtp else None,
            "smtp_username": smtp.username if smtp else None,
            "smtp_security": smtp.security if smtp else "none",
            **self.model_dump(include=_PLAIN),
            "updated_at": now,
        }


class ImapOut(BaseModel):
    host: str
    port: int | None
    username: str | None
    has_password: bool
    folder: str | None
    security: str | None


class SmtpOut(BaseModel):
    host: str
    port: int | None
    username: str | None
    has_password: bool
    security: str | None


class MailboxOut(BaseModel):
    """A mailbox as the API shows it: no password, only whether one is stored."""

    mailbox_id: str
    address: str
    display_name: str
    queue_id: str
    inbound: str
    imap: ImapOut | None
    smtp: SmtpOut | None
    acknowledgement: str | None
    signature: str | None
    max_message_bytes: int
    is_active: bool
    first_response_target_s: int | None
    resolution_target_s: int | None
    send_survey: bool
    sends_transcripts: bool
    updated_at: str


def mailbox_out(row: Any) -> MailboxOut:
    """The stored row of a mailbox as the API shows it."""
    imap = smtp = None
    if row.imap_host:
        imap = ImapOut(
            host=row.imap_host, port=row.imap_port, username=row.imap_username,
            has_password=row.imap_password is not None, folder=row.imap_folder,
            security=row.imap_security,
        )  # fmt: skip
    if row.smtp_host:
        smtp = SmtpOut(
            host=row.smtp_host, port=row.smtp_port, username=row.smtp_username,
            has_password=row.smtp_password is not None, security=row.smtp_security,
        )  # fmt: skip
    plain = {name: getattr(row, name) for name in MailboxOut.model_fields if name not in (
        "imap", "smtp", "updated_at")}  # fmt: skip
    return MailboxOut(**plain, imap=imap, smtp=smtp, updated_at=row.updated_at.isoformat())
