"""The logical routing state as plain data: what replay must reproduce and tests compare."""

from __future__ import annotations

from typing import Any

from headset.routing.records import AgentRecord, ContactRecord, OfferRecord
from headset.routing.state import RoutingState


def snapshot(state: RoutingState) -> dict[str, Any]:
    """Agents, queues, live contacts and offers; indexes and versions are left out."""
    return {
        "agents": {a.agent_id: _agent(a) for a in state.agents.values()},
        "queues": dict(state.queues),
        "contacts": {c.contact_id: _contact(c) for c in state.contacts.values()},
        "offers": {o.offer_id: _offer(o) for o in state.offers.values()},
        "counters": (state.agent_seq, state.contact_seq, state.offer_seq, state.idle_seq),
    }


def _agent(a: AgentRecord) -> dict[str, Any]:
    return {
        "profile": a.profile,
        "chosen": a.chosen,
        "reason": a.reason,
        "state": a.state,
        "offers": sorted(a.offers),
        "connected": sorted(a.connected),
        "wrapping": sorted(a.wrapping),
        "held": dict(a.held),
        "idle_since": a.idle_since,
        "idle_order": a.idle_order,
        "contacts_today": (a.count_day, a.contacts_today),
        "no_answers": a.no_answers,
        "last_offer": dict(a.last_offer),
    }


def _contact(c: ContactRecord) -> dict[str, Any]:
    return {
        "queue_id": c.queue_id,
        "channel": c.channel,
        "direction": c.direction,
        "priority": c.priority,
        "requirements": dict(c.requirements),
        "language": c.language,
        "tenant_id": c.tenant_id,
        "queued_at": c.queued_at,
        "place": c.seq,
        "status": c.status,
        "offers": sorted(c.offers),
        "agent_id": c.agent_id,
        "answered_at": c.answered_at,
        "ended_at": c.ended_at,
        "wrap_up_due_at": c.wrap_up_due_at,
        "targets": list(c.targets),
        "tiers_open": c.tiers_open,
        "rules_applied": c.rules_applied,
        "declined": sorted(c.declined.items()),
        "is_callback": c.is_callback,
        "pools": [p.key for p in c.pools],
    }


def _offer(o: OfferRecord) -> dict[str, Any]:
    return {
        "contact_id": o.contact_id,
        "agent_id": o.agent_id,
        "queue_id": o.queue_id,
        "offered_at": o.offered_at,
        "expires_at": o.expires_at,
    }
