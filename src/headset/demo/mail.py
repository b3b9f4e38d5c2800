"""The demo's e-mail: simulated customers write to each tenant's mailbox over SMTP (to
Headset's built-in receiver on loopback), and a small SMTP sink in the demo process stands
in for the customers' mail provider: it takes the agents' replies (and the automatic
acknowledgements), and some simulated customers answer a reply, threaded, a little later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import smtplib
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger("headset.demo")

#: What simulated customers write about, and answer to a reply.
SUBJECTS = [
    (
        "Question about my invoice",
        "Hello,\n\nmy last invoice looks higher than usual. Can you check it?",
    ),
    ("Change of address", "Good morning,\n\nI moved last month. How do I update my address?"),
    ("Payment date", "Hi,\n\ncan the monthly payment be taken on the 25th instead of the 1st?"),
    ("Card not working", "Hello,\n\nmy card was refused twice today. What is wrong?"),
]
ANSWERS = [
    "Thank you, that answers my question.",
    "Thanks! One more thing: can you send me the confirmation?",
    "Great, that was quick. Have a nice day.",
]
#: What simulated agents answer an e-mail with.
REPLIES = [
    "Thank you for your message. I have checked your account and everything is in order now.",
    "Thanks for writing to us. I have passed this on; you will hear from us within two days.",
    "Thank you for your e-mail. The change is done and takes effect from next month.",
]
#: A simulated customer answers at most this many replies in one conversation.
MAX_ANSWERS = 2


class DemoMail:
    """The customers' side of the demo's e-mail."""

    def __init__(self, rng: random.Random, answer_share: float = 0.5) -> None:
        self.rng = rng
        self.answer_share = answer_share
        self.receiver_port: int | None = None
        self.sink_port: int | None = None
        self.delivered = 0  # messages the sink took
        self.sent = 0  # messages the customers wrote
        self._server: asyncio.Server | None = None
        self._answers: dict[str, int] = {}  # the conversation's first Message-ID -> answers
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        """Starts the sink on a free loopback port; returns the port."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self, hostname="provider.example.com", ident="Demo provider"),
            "127.0.0.1",
            0,
        )
        self.sink_port = int(self._server.sockets[0].getsockname()[1])
        return self.sink_port

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            self._server.close()
            self._server = None

    # the sink ---------------------------------------------------------------------------
    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes):
            raw = str(raw).encode("utf-8", "surrogateescape")
        self.delivered += 1
        message = message_from_bytes(raw, policy=policy.default)
        if str(message.get("Auto-Submitted", "no")).lower() == "no":  # an agent's reply
            self._maybe_answer(message)
        return "250 OK: delivered to the customer"

    def _maybe_answer(self, reply: Any) -> None:
        references = str(reply.get("References", "")).split()
        first = references[0] if references else str(reply["Message-ID"])
        if self._answers.get(first, 0) >= MAX_ANSWERS or self.rng.random() > self.answer_share:
            return
        self._answers[first] = self._answers.get(first, 0) + 1
        task = asyncio.get_running_loop().create_task(self._answer(reply))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, reply: Any) -> None:
        await asyncio.sleep(self.rng.uniform(3, 12))
        customer_name, customer = parseaddr(str(reply["To"]))
        _, mailbox = parseaddr(str(reply["From"]))
        answer = _message(customer_name or customer, customer, mailbox,
                          f"Re: {reply['Subject']}", self.rng.choice(ANSWERS))  # fmt: skip
        answer["In-Reply-To"] = str(reply["Message-ID"])
        answer["References"] = f"{reply.get('References', '')} {reply['Message-ID']}".strip()
        await self._send(customer, mailbox, answer)

    # the customers ----------------------------------------------------------------------
    async def write(self, name: str, address: str, mailbox: str) -> None:
        """A customer's new e-mail to `mailbox`, delivered to Headset's receiver."""
        subject, text = self.rng.choice(SUBJECTS)
        message = _message(name, address, mailbox, subject, f"{text}\n\n{name}")
        await self._send(address, mailbox, message)

    async def _send(self, sender: str, to: str, message: EmailMessage) -> None:
        if self.receiver_port is None:
            return
        port = self.receiver_port

        def hand_over() -> None:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                client.sendmail(sender, [to], message.as_bytes(policy=policy.SMTP))

        try:
            await asyncio.to_thread(hand_over)
            self.sent += 1
        except (OSError, smtplib.SMTPException) as error:
            log.warning("a demo customer's e-mail was not taken: %s", error)


def _message(name: str, address: str, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((name, address))
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=address.partition("@")[2] or "example.com")
    message.set_content(text)
    return message


async def close(mail: DemoMail | None) -> None:
    if mail is not None:
        with contextlib.suppress(Exception):
            await mail.stop()
