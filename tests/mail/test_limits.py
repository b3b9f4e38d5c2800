"""The mailroom's rate limits: per mailbox, per sender, per tenant, with the caller's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.access.rate_limits import Rate
from headset.mailroom.limits import Deferred, MailLimits, MailRates
from headset.mailroom.mailboxes import Mailbox

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _box(tenant_id: str = "t1", mailbox_id: str = "support") -> Mailbox:
    return Mailbox(
        tenant_id, mailbox_id, f"{mailbox_id}@{tenant_id}.example", "T", "q", "smtp", None,
        None, None, None, "INBOX", "none", None, None, None, None, "none", None, None, 100_000,
        True,
    )  # fmt: skip


def test_a_spent_sender_takes_none_of_the_mailboxs_tokens() -> None:
    limits = MailLimits(MailRates(inbound_per_mailbox=Rate(3, 1), inbound_per_sender=Rate(1, 1)))
    limits.admit(_box(), "a@x.example", NOW)
    for _ in range(5):
        with pytest.raises(Deferred) as later:
            limits.admit(_box(), "A@x.example", NOW)  # the same sender, in other letters
        assert not later.value.is_mailbox
    limits.admit(_box(), "b@x.example", NOW)
    limits.admit(_box(), "c@x.example", NOW)  # the mailbox still had its three
    with pytest.raises(Deferred) as full:
        limits.admit(_box(), "d@x.example", NOW)
    assert full.value.is_mailbox
    assert full.value.code == "rate_limited"
    assert full.value.params == {"limit": "inbound mail per mailbox"}


def test_tenants_and_mailboxes_have_buckets_of_their_own() -> None:
    limits = MailLimits(MailRates(inbound_per_sender=Rate(1, 1)))
    limits.admit(_box("t1"), "a@x.example", NOW)
    limits.admit(_box("t2"), "a@x.example", NOW)  # another tenant's view of the same sender
    assert limits.may_acknowledge(_box("t1", "one"), NOW)


def test_acknowledgements_stop_at_the_mailbox_or_the_tenant_and_come_back() -> None:
    limits = MailLimits(
        MailRates(acknowledgements_per_mailbox=Rate(2, 1), acknowledgements_per_tenant=Rate(3, 1))
    )
    answered = [limits.may_acknowledge(_box(mailbox_id="one"), NOW) for _ in range(3)]
    answered += [limits.may_acknowledge(_box(mailbox_id="two"), NOW) for _ in range(3)]

    assert answered == [True, True, False, True, False, False]
    assert limits.may_acknowledge(_box(mailbox_id="two"), NOW + timedelta(minutes=1))
