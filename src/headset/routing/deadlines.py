"""The deadlines a contact waits for: further tiers, overflow rules, a re-offer, its offers."""

from __future__ import annotations

from datetime import datetime

from headset.routing.records import ContactRecord, ContactStatus
from headset.routing.state import RoutingState
from headset.routing.timers import (
    Timer,
    offer_timer,
    overflow_timer,
    reoffer_timer,
    tier_timer,
    wrap_up_timer,
)


def next_widenings(state: RoutingState, contact: ContactRecord) -> list[Timer]:
    """When the contact's next tier opens and its next overflow rule applies."""
    if contact.targets[0][0] != "queue":
        return []  # sent to one agent or to team leaders: no tiers or overflow apply
    queue = state.queues[contact.queue_id]
    max_tier = state.max_tier(contact.queue_id)
    if not queue.overflow and contact.tiers_open >= max_tier:
        return []
    timers = []
    if contact.tiers_open < max_tier:
        tier = contact.tiers_open + 1
        due = contact.queued_at + queue.tier_opens_after(tier)
        timers.append(Timer(tier_timer(contact.contact_id, tier), due))
    if contact.rules_applied < len(queue.overflow):
        rule = contact.rules_applied
        due = contact.queued_at + queue.overflow[rule].after
        timers.append(Timer(overflow_timer(contact.contact_id, rule), due))
    return timers


def next_reoffer(contact: ContactRecord, now: datetime) -> list[Timer]:
    """The first moment an agent who declined the contact may be offered it again."""
    upcoming = [until for until in contact.declined.values() if until > now]
    return [Timer(reoffer_timer(contact.contact_id), min(upcoming))] if upcoming else []


def pending_timers(state: RoutingState, now: datetime) -> list[Timer]:
    """Every deadline of the state, in time order: what a restarted scheduler must start."""
    timers = [Timer(offer_timer(o.offer_id), o.expires_at) for o in state.offers.values()]
    for contact in state.contacts.values():
        if contact.status is ContactStatus.WRAP_UP and contact.wrap_up_due_at:
            timers.append(Timer(wrap_up_timer(contact.contact_id), contact.wrap_up_due_at))
        elif contact.is_in_line:
            timers += next_widenings(state, contact)
            timers += next_reoffer(contact, now)
    return sorted(timers, key=lambda t: (t.due_at, t.key))
