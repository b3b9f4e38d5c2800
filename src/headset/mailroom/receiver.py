"""The built-in SMTP receiver: direct delivery to a tenant's mailbox, no mail server between.

It accepts mail only for the addresses of active mailboxes that take mail over SMTP
(anything else: 550, so Headset is never an open relay), and answers 250 only after the
message is committed. Any failure before that answers 451: the sending server keeps the
message and tries again later, so nothing is lost if Headset stops mid-delivery. Mail over
the mailroom's rate limits (mailroom/limits.py) is answered 451 4.7.1 the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from headset.mail.parsing import TooLarge
from headset.mailroom.ingest import Ingest
from headset.mailroom.limits import Deferred
from headset.mailroom.mailboxes import Mailbox

log = logging.getLogger("headset.mailroom")


class DeliveryHandler:
    """aiosmtpd's handler: checks recipients, hands the message to ingestion."""

    def __init__(self, ingest: Ingest, mailbox_for: Callable[[str], Mailbox | None]) -> None:
        self.ingest = ingest
        self.mailbox_for = mailbox_for
        self.on_delivered: Callable[[Mailbox, Any], Any] | None = None

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        mailbox = self.mailbox_for(address)
        if mailbox is None or mailbox.inbound != "smtp":
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes):
            raw = str(raw).encode("utf-8", "surrogateescape")
        boxes: dict[tuple[str, str], Mailbox] = {}
        for address in envelope.rcpt_tos:
            found = self.mailbox_for(address)
            if found is not None:
                boxes[found.key] = found
        try:
            for mailbox in boxes.values():
                delivery = await self.ingest.deliver(mailbox, raw)
                if self.on_delivered is not None:
                    self.on_delivered(mailbox, delivery)
        except TooLarge as error:
            return f"552 5.3.4 {error}"
        except Deferred as later:
            return f"451 4.7.1 {later}"
        except Exception:
            log.exception("a delivery over SMTP failed; the sender will try again")
            return "451 4.3.0 the message could not be stored; try again later"
        return "250 OK: stored"


def make_protocol(handler: DeliveryHandler, max_bytes: int) -> Callable[[], SMTP]:
    """A protocol factory for `loop.create_server` on the service's own event loop."""

    def factory() -> SMTP:
        return SMTP(handler, hostname="headset", data_size_limit=max_bytes, ident="Headset")

    return factory
