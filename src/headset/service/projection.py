"""Keeps the `contacts` table in step with the engine's events, in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, update

from headset.core.messages import Event
from headset.routing import events as ev
from headset.routing.records import ContactStatus
from headset.storage.tables import contacts


def contact_changes(
    events: Iterable[Event], team_of: dict[str, tuple[str, str | None]]
) -> dict[str, dict[str, Any]]:
    """The columns each contact's row gets from these events (later events win)."""
    changes: dict[str, dict[str, Any]] = {}
    for event in events:
        contact_id = getattr(event, "contact_id", None)
        if contact_id is None:
            continue
        row = changes.setdefault(contact_id, {})
        if isinstance(event, ev.ContactOffered):
            row["status"] = ContactStatus.OFFERED.value
            row.setdefault("offered_at", event.at)
        elif isinstance(event, ev.OfferAccepted):
            row["status"] = ContactStatus.CONNECTED.value
            row["answered_at"] = event.at
            row["agent_id"] = event.agent_id
            place = team_of.get(event.agent_id)
            row["team_id"] = place[1] if place else None
        elif isinstance(event, ev.OfferRejected | ev.OfferExpired | ev.OfferRescinded):
            # back to waiting unless the contact was answered or left in the same batch
            if row.get("status") in (None, ContactStatus.OFFERED):
                row["status"] = ContactStatus.WAITING.value
        elif isinstance(event, ev.CallbackRequested):
            row["is_callback"] = True
        elif isinstance(event, ev.ContactAbandoned):
            row["status"] = ContactStatus.ABANDONED.value
            row["abandoned_at"] = event.at
        elif isinstance(event, ev.ContactEnded):
            row["status"] = ContactStatus.WRAP_UP.value
            row["ended_at"] = event.at
        elif isinstance(event, ev.ContactCompleted):
            row["status"] = ContactStatus.COMPLETED.value
            row["wrapped_at"] = event.at
            row["disposition"] = event.disposition
        elif isinstance(event, ev.ContactTransferred):
            row.update(status=ContactStatus.WAITING.value, queue_id=event.queue_id, agent_id=None)
    return {contact_id: row for contact_id, row in changes.items() if row}


def fix_offer_status(changes: dict[str, dict[str, Any]], live: Mapping[str, Any]) -> None:
    """A contact still ringing somewhere after the batch is offered, not waiting."""
    for contact_id, row in changes.items():
        if row.get("status") == ContactStatus.WAITING:
            contact = live.get(contact_id)
            if contact is not None and contact.offers:
                row["status"] = ContactStatus.OFFERED.value


def merge_changes(parts: Iterable[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The changes of several operations in order: later values win, the first offer stays."""
    merged: dict[str, dict[str, Any]] = {}
    for part in parts:
        for contact_id, row in part.items():
            into = merged.setdefault(contact_id, {})
            first_offer = into.get("offered_at")
            into.update(row)
            if first_offer is not None:
                into["offered_at"] = first_offer
    return merged


def apply_changes(conn: Connection, changes: dict[str, dict[str, Any]]) -> None:
    """One executemany per set of changed columns (most batches have a handful of sets)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    first_offers = []
    for contact_id, row in changes.items():
        values = dict(row)
        offered_at = values.pop("offered_at", None)
        if offered_at is not None:  # only the first offer counts as offered_at
            first_offers.append({"b_contact_id": contact_id, "offered_at": offered_at})
        if values:
            groups.setdefault(tuple(sorted(values)), []).append(
                {"b_contact_id": contact_id, **values}
            )
    by_id = contacts.c.contact_id == bindparam("b_contact_id")
    for rows in groups.values():
        conn.execute(update(contacts).where(by_id), rows)
    if first_offers:
        conn.execute(update(contacts).where(by_id, contacts.c.offered_at.is_(None)), first_offers)
