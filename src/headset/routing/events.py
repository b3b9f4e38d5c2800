"""Events of the routing engine: every change of a contact or an agent is one of these."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from headset.core.messages import Event, message
from headset.routing.model import (
    AgentId,
    AgentProfile,
    AgentState,
    Channel,
    ContactId,
    Direction,
    OfferId,
    QueueConfig,
    QueueId,
    SkillRequirement,
)


@message
class AgentRegistered(Event):
    name: ClassVar[str] = "routing.agent_registered"
    profile: AgentProfile
    at: datetime


@message
class QueueConfigured(Event):
    name: ClassVar[str] = "routing.queue_configured"
    config: QueueConfig
    at: datetime


@message
class AgentStateChanged(Event):
    """The agent's state (`new`) or chosen state (`chosen`, with `reason`) changed."""

    name: ClassVar[str] = "routing.agent_state_changed"
    agent_id: AgentId
    old: AgentState
    new: AgentState
    chosen: AgentState
    reason: str | None
    at: datetime


@message
class ContactQueued(Event):
    name: ClassVar[str] = "routing.contact_queued"
    contact_id: ContactId
    queue_id: QueueId
    channel: Channel
    direction: Direction
    priority: int
    requirements: tuple[SkillRequirement, ...]
    language: str | None
    tenant_id: str | None
    queued_at: datetime
    at: datetime


@message
class ContactOffered(Event):
    name: ClassVar[str] = "routing.contact_offered"
    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    queue_id: QueueId
    expires_at: datetime
    at: datetime


@message
class OfferAccepted(Event):
    name: ClassVar[str] = "routing.offer_accepted"
    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    at: datetime


@message
class OfferRejected(Event):
    name: ClassVar[str] = "routing.offer_rejected"
    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    at: datetime


@message
class OfferExpired(Event):
    """Nobody answered the offer within the queue's ring timeout."""

    name: ClassVar[str] = "routing.offer_expired"
    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    at: datetime


@message
class OfferRescinded(Event):
    """The engine withdrew the offer: another agent accepted (ring-all), or the customer left."""

    name: ClassVar[str] = "routing.offer_rescinded"
    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    reason: str
    at: datetime


@message
class ContactTierOpened(Event):
    """The contact has waited long enough for agents of a further tier of its queue."""

    name: ClassVar[str] = "routing.contact_tier_opened"
    contact_id: ContactId
    tier: int
    at: datetime


@message
class ContactOverflowed(Event):
    """An overflow rule of the contact's queue applied (`rule` indexes the queue's rules)."""

    name: ClassVar[str] = "routing.contact_overflowed"
    contact_id: ContactId
    rule: int
    at: datetime


@message
class CallbackRequested(Event):
    name: ClassVar[str] = "routing.callback_requested"
    contact_id: ContactId
    at: datetime


@message
class ContactAbandoned(Event):
    name: ClassVar[str] = "routing.contact_abandoned"
    contact_id: ContactId
    at: datetime


@message
class ContactEnded(Event):
    """The customer part is over; wrap-up runs until `wrap_up_due_at` at the latest."""

    name: ClassVar[str] = "routing.contact_ended"
    contact_id: ContactId
    agent_id: AgentId
    wrap_up_due_at: datetime
    at: datetime


@message
class ContactCompleted(Event):
    """Wrap-up is done and the agent's capacity is free again."""

    name: ClassVar[str] = "routing.contact_completed"
    contact_id: ContactId
    agent_id: AgentId
    disposition: str | None
    at: datetime
