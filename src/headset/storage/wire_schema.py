"""The wire schema of stored events: every class the codec encodes, its fields and their types.

Declared here rather than read from the classes' annotations, because mypyc-compiled classes
keep only erased annotations (`str | None` becomes `type`, `tuple[X, ...]` becomes `tuple`).
`tests/storage/test_wire_schema.py` holds this schema equal to the annotations of the
pure-Python classes, so the two cannot drift apart. Changing a stored class therefore means
changing this file too: the moment to think about events already in the log.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from headset.core.messages import Event
from headset.routing import events as ev
from headset.routing import model as m

__all__ = ["ACTION_KINDS", "EVENT_TYPES", "SCHEMA"]

#: Wire name (the event's `name`) -> event class. Stored events name their class this way.
EVENT_TYPES: Mapping[str, type[Event]] = MappingProxyType(
    {
        "routing.agent_registered": ev.AgentRegistered,
        "routing.queue_configured": ev.QueueConfigured,
        "routing.agent_state_changed": ev.AgentStateChanged,
        "routing.contact_queued": ev.ContactQueued,
        "routing.contact_offered": ev.ContactOffered,
        "routing.offer_accepted": ev.OfferAccepted,
        "routing.offer_rejected": ev.OfferRejected,
        "routing.offer_expired": ev.OfferExpired,
        "routing.offer_rescinded": ev.OfferRescinded,
        "routing.contact_tier_opened": ev.ContactTierOpened,
        "routing.contact_overflowed": ev.ContactOverflowed,
        "routing.callback_requested": ev.CallbackRequested,
        "routing.contact_abandoned": ev.ContactAbandoned,
        "routing.contact_ended": ev.ContactEnded,
        "routing.contact_transferred": ev.ContactTransferred,
        "routing.contact_completed": ev.ContactCompleted,
    }
)

#: The tag of each overflow action in JSON.
ACTION_KINDS: Mapping[type, str] = MappingProxyType(
    {
        m.RelaxSkill: "relax_skill",
        m.AddQueueTarget: "add_queue",
        m.AddTeamLeaders: "add_team_leaders",
        m.RaisePriority: "raise_priority",
    }
)

_ID = str
_OPTIONAL = str | None
_AT = {"at": datetime}
_OFFER = {"offer_id": _ID, "contact_id": _ID, "agent_id": _ID}

#: class -> {field: type}: the wire schema of every class the codec reads and writes.
SCHEMA: Mapping[type, Mapping[str, Any]] = MappingProxyType(
    {
        m.Membership: {"queue_id": _ID, "tier": int, "position": int},
        m.AgentProfile: {
            "agent_id": _ID,
            "skills": Mapping[str, int],
            "languages": frozenset[str],
            "team_id": _OPTIONAL,
            "is_team_leader": bool,
            "capacity": Mapping[m.Channel, int],
            "memberships": tuple[m.Membership, ...],
            "auto_answer": bool,
        },
        m.SkillRequirement: {"skill": str, "minimum": int},
        m.ServiceLevelTarget: {"percent": float, "threshold": timedelta},
        m.RelaxSkill: {"skill": str, "minimum": int},
        m.AddQueueTarget: {"queue_id": _ID},
        m.AddTeamLeaders: {"team_id": _OPTIONAL},
        m.RaisePriority: {"by": int},
        m.OverflowRule: {"after": timedelta, "action": m.OverflowAction},
        m.QueueConfig: {
            "queue_id": _ID,
            "strategy": m.Strategy,
            "priority": int,
            "service_level": m.ServiceLevelTarget,
            "ring_timeout": timedelta,
            "wrap_up_duration": timedelta,
            "max_no_answers": int,
            "reoffer_delay": timedelta,
            "tier_delays": tuple[timedelta, ...],
            "overflow": tuple[m.OverflowRule, ...],
            "tenant_id": _OPTIONAL,
            "tenant_time_zone": str,
        },
        ev.AgentRegistered: {"profile": m.AgentProfile, **_AT},
        ev.QueueConfigured: {"config": m.QueueConfig, **_AT},
        ev.AgentStateChanged: {
            "agent_id": _ID,
            "old": m.AgentState,
            "new": m.AgentState,
            "chosen": m.AgentState,
            "reason": _OPTIONAL,
            **_AT,
        },
        ev.ContactQueued: {
            "contact_id": _ID,
            "queue_id": _ID,
            "channel": m.Channel,
            "direction": m.Direction,
            "priority": int,
            "requirements": tuple[m.SkillRequirement, ...],
            "language": _OPTIONAL,
            "tenant_id": _OPTIONAL,
            "queued_at": datetime,
            **_AT,
        },
        ev.ContactOffered: {**_OFFER, "queue_id": _ID, "expires_at": datetime, **_AT},
        ev.OfferAccepted: {**_OFFER, **_AT},
        ev.OfferRejected: {**_OFFER, **_AT},
        ev.OfferExpired: {**_OFFER, **_AT},
        ev.OfferRescinded: {**_OFFER, "reason": str, **_AT},
        ev.ContactTierOpened: {"contact_id": _ID, "tier": int, **_AT},
        ev.ContactOverflowed: {"contact_id": _ID, "rule": int, **_AT},
        ev.CallbackRequested: {"contact_id": _ID, **_AT},
        ev.ContactAbandoned: {"contact_id": _ID, **_AT},
        ev.ContactEnded: {"contact_id": _ID, "agent_id": _ID, "wrap_up_due_at": datetime, **_AT},
        ev.ContactTransferred: {
            "contact_id": _ID,
            "from_agent_id": _OPTIONAL,
            "queue_id": _ID,
            "target_kind": str,
            "target_id": str,
            **_AT,
        },
        ev.ContactCompleted: {"contact_id": _ID, "agent_id": _ID, "disposition": _OPTIONAL, **_AT},
    }
)
