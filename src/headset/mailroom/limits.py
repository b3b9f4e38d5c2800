"""How much mail the mailroom takes in, lets start conversations and answers automatically.

Token buckets (access/rate_limits.py), each keyed within a tenant, so one tenant's flood
never spends another's tokens:

| rule | key | at once, then a minute | over the limit |
|---|---|---|---|
| inbound mail per mailbox | mailbox | 300, 120 | deferred: not taken now (below) |
| inbound mail per sender | From address | 30, 10 | deferred |
| new conversations per sender | From address | 10, 10 an hour | held: stored, not routed |
| acknowledgements per mailbox | mailbox | 10, 10 | routed, not acknowledged |
| acknowledgements per tenant | tenant | 30, 30 | the same |

A deferred message is never accepted, so nothing accepted is lost and nothing is answered:
the built-in SMTP receiver answers 451 4.7.1 and the sending server tries again later (as it
does for any temporary failure); an IMAP message stays unseen on the server and the watcher
fetches it again once the bucket has refilled. Held mail is kept for people to see but
starts no contact and gets no acknowledgement, so a robot that does not say it is one cannot
make a loop. The clock is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from headset.access.rate_limits import Rate, RateLimit
from headset.core.errors import TooManyAttempts
from headset.mailroom.mailboxes import Mailbox


class Deferred(TooManyAttempts):
    """The message is not taken now: its mailbox (`is_mailbox`) or its sender is over the
    limit named in `params["limit"]`."""

    def __init__(self, limit: str, retry_after_seconds: float, *, is_mailbox: bool) -> None:
        wait = max(1, round(retry_after_seconds))
        super().__init__(
            f"too much mail ({limit}); try again in {wait} seconds",
            retry_after_seconds,
            code="rate_limited",
            params={"limit": limit},
        )
        self.is_mailbox = is_mailbox


INBOUND_PER_MAILBOX = Rate(burst=300, per_minute=120)
INBOUND_PER_SENDER = Rate(burst=30, per_minute=10)
CONVERSATIONS_PER_SENDER = Rate(burst=10, per_minute=10 / 60)
ACKNOWLEDGEMENTS_PER_MAILBOX = Rate(burst=10, per_minute=10)
ACKNOWLEDGEMENTS_PER_TENANT = Rate(burst=30, per_minute=30)


@dataclass(frozen=True, slots=True)
class MailRates:
    """The rates of the mailroom's limits (tests and the benchmark choose their own)."""

    inbound_per_mailbox: Rate = INBOUND_PER_MAILBOX
    inbound_per_sender: Rate = INBOUND_PER_SENDER
    conversations_per_sender: Rate = CONVERSATIONS_PER_SENDER
    acknowledgements_per_mailbox: Rate = ACKNOWLEDGEMENTS_PER_MAILBOX
    acknowledgements_per_tenant: Rate = ACKNOWLEDGEMENTS_PER_TENANT


class MailLimits:
    """The mailroom's rate limits, one bucket per key and rule."""

    def __init__(self, rates: MailRates | None = None) -> None:
        self.rates = rates or MailRates()
        self.inbound_mailbox = RateLimit("inbound mail per mailbox", self.rates.inbound_per_mailbox)
        self.inbound_sender = RateLimit("inbound mail per sender", self.rates.inbound_per_sender)
        self.conversations = RateLimit(
            "new conversations per sender", self.rates.conversations_per_sender
        )
        self.acks_mailbox = RateLimit(
            "acknowledgements per mailbox", self.rates.acknowledgements_per_mailbox
        )
        self.acks_tenant = RateLimit(
            "acknowledgements per tenant", self.rates.acknowledgements_per_tenant
        )

    def admit(self, mailbox: Mailbox, sender: str, now: datetime) -> None:
        """Takes one message's tokens of its mailbox and sender, or raises Deferred (and
        takes none) when either is spent."""
        box, who = _box(mailbox), _sender(mailbox, sender)
        for limit, key in ((self.inbound_mailbox, box), (self.inbound_sender, who)):
            wait = limit.retry_after(key, now)
            if wait > 0:
                raise Deferred(limit.name, wait, is_mailbox=limit is self.inbound_mailbox)
        self.inbound_mailbox.allows(box, now)
        self.inbound_sender.allows(who, now)

    def opens_conversation(self, mailbox: Mailbox, sender: str, now: datetime) -> bool:
        """Whether the sender may start one more conversation (False: the message is held)."""
        return self.conversations.allows(_sender(mailbox, sender), now)

    def may_acknowledge(self, mailbox: Mailbox, now: datetime) -> bool:
        """Takes an acknowledgement's tokens of the mailbox and its tenant, if both have one."""
        box, tenant = _box(mailbox), mailbox.tenant_id
        if self.acks_mailbox.retry_after(box, now) > 0:
            return False
        if self.acks_tenant.retry_after(tenant, now) > 0:
            return False
        self.acks_mailbox.allows(box, now)
        self.acks_tenant.allows(tenant, now)
        return True


def _box(mailbox: Mailbox) -> str:
    return f"{mailbox.tenant_id}/{mailbox.mailbox_id}"


def _sender(mailbox: Mailbox, sender: str) -> str:
    return f"{mailbox.tenant_id}/{sender.strip().lower()}"
