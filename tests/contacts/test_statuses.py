"""The stored contact statuses: one enum, whose values the `contacts` table already holds."""

from __future__ import annotations

from datetime import UTC, datetime

from headset.routing import events as ev
from headset.routing.model import Channel, Direction
from headset.routing.records import ContactStatus
from headset.service.projection import contact_changes

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_the_stored_values_never_change_so_no_migration_is_needed() -> None:
    assert [s.value for s in ContactStatus] == [
        "ivr", "waiting", "offered", "connected", "wrap_up", "abandoned", "completed",
    ]  # fmt: skip


def test_the_projection_stores_members_of_the_enum() -> None:
    queued = ev.ContactQueued(
        "c1", "q1", Channel.CHAT, Direction.INBOUND, 0, (), None, "t1", AT, AT
    )
    steps = [
        ev.ContactOffered("o1", "c1", "a1", "q1", AT, AT),
        ev.OfferAccepted("o1", "c1", "a1", AT),
        ev.ContactEnded("c1", "a1", AT, AT),
        ev.ContactCompleted("c1", "a1", None, AT),
    ]
    seen = [contact_changes([queued, event], {})["c1"]["status"] for event in steps]
    left = contact_changes([queued, ev.ContactAbandoned("c1", AT)], {})["c1"]["status"]

    assert seen == [
        ContactStatus.OFFERED, ContactStatus.CONNECTED, ContactStatus.WRAP_UP,
        ContactStatus.COMPLETED,
    ]  # fmt: skip
    assert left == ContactStatus.ABANDONED
