"""Bounces: the mail system saying a message of ours could not be delivered.

A delivery status notification (RFC 3464, multipart/report) names the original message and
the failed recipient precisely. Many servers still send plain text; for those the sender
(MAILER-DAEMON, postmaster), the subject and a quoted Message-ID are the clues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from headset.mail.threads import MESSAGE_ID

_SUBJECTS = re.compile(
    r"undeliver|delivery (status notification|has failed|failure)|returned mail|"
    r"failure notice|mail delivery failed|delivery problem|non[- ]?delivery",
    re.IGNORECASE,
)
_DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon")
_QUOTED_ID = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Bounce:
    """What failed: the original message (to find the conversation), whom, and why."""

    original_message_id: str | None
    recipient: str | None
    status: str | None
    reason: str


def recognise_bounce(message: Message, sender: str, text: str) -> Bounce | None:
    """The bounce this message is, or None if it is not one."""
    if message.get_content_type() == "multipart/report":
        report = message.get_param("report-type", header="content-type")
        if isinstance(report, str) and report.lower() == "delivery-status":
            return _from_report(message)
    local = sender.lower().split("@", 1)[0]
    subject = str(message.get("Subject", ""))
    if local in _DAEMONS or (local.startswith(_DAEMONS) and _SUBJECTS.search(subject)):
        found = _QUOTED_ID.search(text)
        return Bounce(found.group(1) if found else _first_attached_id(message), None, None,
                      subject or "undeliverable")  # fmt: skip
    return None


def _from_report(message: Message) -> Bounce:
    recipient = status = diagnostic = None
    original = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            fields = _status_fields(part)
            recipient = _after_type(
                fields.get("final-recipient") or fields.get("original-recipient")
            )
            status = fields.get("status")
            diagnostic = _after_type(fields.get("diagnostic-code")) or fields.get("action")
        elif kind in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            original = original or _original_id(part)
    reason = diagnostic or (f"delivery status {status}" if status else "undeliverable")
    return Bounce(original, recipient, status, reason)


def _status_fields(part: Message) -> dict[str, str]:
    """The per-recipient fields of a delivery-status part (the email package gives each
    block as a headers-only message)."""
    fields: dict[str, str] = {}
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else []
    for block in blocks:
        if not isinstance(block, Message):
            continue
        for key, value in block.items():
            fields.setdefault(key.lower(), str(value).strip())
    if not blocks and isinstance(payload, str):
        for line in payload.splitlines():
            key, _, value = line.partition(":")
            if value:
                fields.setdefault(key.strip().lower(), value.strip())
    return fields


def _after_type(value: str | None) -> str | None:
    """ "rfc822; carla@example.test" -> "carla@example.test"."""
    if not value:
        return None
    return value.split(";", 1)[1].strip() if ";" in value else value.strip()


def _original_id(part: Message) -> str | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload:
        inner = payload[0]
        if isinstance(inner, Message):
            found = MESSAGE_ID.findall(str(inner.get("Message-ID", "")))
            return found[0] if found else None
    raw = part.get_payload(decode=True)
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(payload)
    quoted = _QUOTED_ID.search(text)
    return quoted.group(1) if quoted else None


def _first_attached_id(message: Message) -> str | None:
    for part in message.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            return _original_id(part)
    return None
