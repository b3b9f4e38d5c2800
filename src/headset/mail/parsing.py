"""Reading a raw message: headers for threading, the text people wrote, safe HTML, files.

Built on the standard `email` package with its `compat32` policy: the modern policy parses
every header into objects on each access, which made parsing seven times slower (measured
with `bench/mail_bench.py`). Encoded words are decoded here for the few headers people
read. A part in a charset Python does not know is read as UTF-8 with replacement
characters rather than refused: a customer's message is never lost over its encoding.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from headset.core.errors import Invalid
from headset.mail.attachments import judge, safe_file_name
from headset.mail.bounces import Bounce, recognise_bounce
from headset.mail.loops import is_automatic
from headset.mail.sanitizing import html_to_text, remote_images, sanitize_html
from headset.mail.threads import message_ids, reference_in

#: Headers kept with a stored message: what threading, loop protection and the sender's
#: verification (the topmost Authentication-Results, mail/authentication.py) read.
KEPT_HEADERS = ("Auto-Submitted", "Precedence", "X-Auto-Response-Suppress", "List-Id",
                "List-Unsubscribe", "X-Autoreply", "X-Autorespond", "Return-Path",
                "Authentication-Results")  # fmt: skip
DEFAULT_MAX_BYTES = 25_000_000


class TooLarge(Invalid):
    """The message is over the mailbox's size limit (SMTP answers 552)."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file of the message; `content_id` is set for inline images the HTML shows."""

    name: str
    media_type: str
    content: bytes
    content_id: str | None = None
    is_inline: bool = False


@dataclass(frozen=True, slots=True)
class Mail:
    """A parsed message, everything the mailroom needs and nothing it must parse again."""

    message_id: str
    subject: str
    from_address: str
    from_name: str
    to_addresses: tuple[str, ...]
    in_reply_to: str | None
    references: tuple[str, ...]
    text: str
    html: str | None
    sent_at: datetime | None
    headers: dict[str, str]
    attachments: tuple[Attachment, ...] = ()
    #: Names of refused attachments with the reason, shown to the agent.
    refused: tuple[tuple[str, str], ...] = ()
    remote_images: int = 0
    bounce: Bounce | None = None
    size: int = 0
    is_automatic: bool = False
    reference: str | None = field(default=None)


def parse(raw: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Mail:
    """Parses a whole message; raises TooLarge past `max_bytes`."""
    if len(raw) > max_bytes:
        raise TooLarge(
            f"the message has {len(raw)} bytes; this mailbox takes at most {max_bytes}",
            code="message_too_large",
            params={"max_bytes": max_bytes, "size": len(raw)},
        )
    message = BytesParser(policy=policy.compat32).parsebytes(raw)
    ids = message_ids(_header(message, "Message-ID"))
    # a message without an id gets one from its bytes: the same message twice is the same id
    message_id = ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()[:32]}@headset.invalid>"
    raw_from = _header(message, "From")
    name, address = parseaddr(raw_from)
    name = decoded(name)
    if "@" not in address or "=?" in address:
        # a whole "Name <address>" in one encoded word, as some clients send
        name, address = parseaddr(decoded(raw_from))
    replied = message_ids(_header(message, "In-Reply-To"))
    text, html_source, files, refused = _body(message)
    html = sanitize_html(html_source) if html_source is not None else None
    if not text.strip() and html_source is not None:
        text = html_to_text(html_source)
    headers = {h: _header(message, h) for h in KEPT_HEADERS if message.get(h) is not None}
    subject = decoded(_header(message, "Subject"))
    bounce = recognise_bounce(message, address, text)
    return Mail(
        message_id=message_id,
        subject=subject,
        from_address=address.lower(),
        from_name=name,
        to_addresses=tuple(
            a.lower()
            for _, a in getaddresses([_header(message, "To"), _header(message, "Cc")])
            if a
        ),
        in_reply_to=replied[0] if replied else None,
        references=tuple(message_ids(_header(message, "References"))),
        text=text.strip(),
        html=html,
        sent_at=_date(_header(message, "Date")),
        headers=headers,
        attachments=tuple(files),
        refused=tuple(refused),
        remote_images=remote_images(html_source) if html_source is not None else 0,
        bounce=bounce,
        size=len(raw),
        is_automatic=bounce is not None or is_automatic(headers, address),
        reference=reference_in(subject),
    )


def _header(message: Message, name: str) -> str:
    """The raw header, unfolded; 8-bit bytes some clients put in headers read as UTF-8."""
    value = message.get(name)
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= c <= "\udcff" for c in text):
        text = text.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    return " ".join(text.split())


def decoded(value: str) -> str:
    """A header with its encoded words (RFC 2047) decoded."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return value


def _date(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None


def _content(part: Message) -> str:
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return raw.decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        return raw.decode("utf-8", "replace")


def _body(
    message: Message,
) -> tuple[str, str | None, list[Attachment], list[tuple[str, str]]]:
    texts: list[str] = []
    htmls: list[str] = []
    files: list[Attachment] = []
    refused: list[tuple[str, str]] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        filename = decoded(filename) if filename else None
        if kind in ("text/plain", "text/html") and disposition != "attachment" and not filename:
            (texts if kind == "text/plain" else htmls).append(_content(part))
            continue
        if kind in ("message/delivery-status", "text/rfc822-headers"):
            continue  # read by bounce recognition, not a file for people
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else _content(part).encode()
        name = safe_file_name(filename or f"part.{kind.split('/')[-1]}")
        verdict = judge(name, kind, content)
        if verdict.is_refused:
            refused.append((name, verdict.reason))
            continue
        cid = part.get("Content-ID")
        content_id = str(cid).strip().strip("<>") if cid else None
        files.append(
            Attachment(name, kind, content, content_id, disposition == "inline" or bool(content_id))
        )
    # alternatives carry the same words twice: the first plain text (or HTML) is the message
    return (texts[0] if texts else ""), (htmls[0] if htmls else None), files, refused
