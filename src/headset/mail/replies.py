"""Building the messages Headset sends: replies and acknowledgements, correctly threaded.

A reply answers the customer's latest message: In-Reply-To names it, References carries
the thread, and the subject keeps the conversation's reference token, so the customer's
next answer finds its way back whatever their mail client drops. Everything we send says
Auto-Submitted where it is automatic, so well-behaved robots do not answer it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from headset.mail.threads import reply_references, reply_subject, with_reference


@dataclass(frozen=True, slots=True)
class Sender:
    """The mailbox a message leaves from."""

    address: str
    display_name: str


@dataclass(frozen=True, slots=True)
class OutgoingFile:
    name: str
    media_type: str
    content: bytes


def _address(display_name: str, address: str) -> Address:
    username, _, domain = address.partition("@")
    return Address(display_name=display_name, username=username, domain=domain)


def build_reply(
    sender: Sender,
    to: str,
    subject: str,
    reference: str,
    text: str,
    answered: str | None,
    references: Sequence[str],
    sent_at: datetime,
    signature: str = "",
    files: Sequence[OutgoingFile] = (),
) -> EmailMessage:
    """An agent's answer to the message `answered` (its Message-ID) of a conversation."""
    message = _base(sender, to, reply_subject(subject, reference), sent_at)
    if answered:
        message["In-Reply-To"] = answered
    chain = reply_references(references, answered)
    if chain:
        message["References"] = " ".join(chain)
    body = text.rstrip() + (f"\n\n-- \n{signature.strip()}\n" if signature.strip() else "\n")
    message.set_content(body)
    for f in files:
        main, _, sub = f.media_type.partition("/")
        message.add_attachment(f.content, maintype=main, subtype=sub or "octet-stream",
                               filename=f.name)  # fmt: skip
    return message


def build_acknowledgement(
    sender: Sender, to: str, subject: str | None, reference: str, text: str,
    answered: str | None, sent_at: datetime,
) -> EmailMessage:  # fmt: skip
    """The automatic "we have your message" answer, carrying the reference.

    Anyone can write in a customer's name, so an acknowledgement may reach a person who
    never wrote: it must not carry the writer's words. `subject` and `answered` (the
    Message-ID answered) come from the message and are given only for a verified sender
    (mail/authentication.py); without them the subject is the mailbox's own and there are
    no threading headers. The reference still brings the customer's answer back.
    """
    own = f"Your message to {sender.display_name}".strip()
    line = f"Re: {subject}".strip() if subject is not None else own
    message = _base(sender, to, with_reference(line, reference), sent_at)
    if answered:
        message["In-Reply-To"] = answered
        message["References"] = answered
    message["Auto-Submitted"] = "auto-replied"  # RFC 3834: robots must not answer this
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(text.replace("{reference}", reference).rstrip() + "\n")
    return message


def build_survey_invitation(
    sender: Sender,
    to: str,
    subject: str,
    reference: str,
    text: str,
    answered: str | None,
    references: Sequence[str],
    sent_at: datetime,
) -> EmailMessage:
    """The survey link after a conversation is wrapped up: a reply in its thread (without a
    signature), marked automatic so that robots do not answer it."""
    message = build_reply(sender, to, subject, reference, text, answered, references, sent_at)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    return message


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    """One message of a chat as its transcript shows it."""

    author: str
    sent_at: datetime
    text: str


def build_transcript(
    sender: Sender,
    to: str,
    subject: str,
    reference: str,
    lines: Sequence[TranscriptLine],
    sent_at: datetime,
) -> EmailMessage:
    """A chat's transcript, sent because the customer asked: automatic (robots must not
    answer it), with the reference of its own conversation so a person's answer joins it."""
    message = _base(sender, to, with_reference(subject, reference), sent_at)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    body = "\n\n".join(
        f"{line.author} ({line.sent_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC):\n{line.text}"
        for line in lines
    )
    message.set_content((body or "(no messages)") + "\n")
    return message


def _base(sender: Sender, to: str, subject: str, sent_at: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = _address(sender.display_name, sender.address)
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at)
    domain = sender.address.partition("@")[2] or "headset.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    return message
