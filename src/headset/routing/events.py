"""Events of the routing engine: every change of a contact or an agent is one of these."""

from __future__ import annotations

from datetime import datetime

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
    profile: AgentProfile
    at: datetime

    @property
    def name(self) -> str:
        return "routing.agent_registered"


@message
class QueueConfigured(Event):
    config: QueueConfig
    at: datetime

    @property
    def name(self) -> str:
        return "routing.queue_configured"


@message
class AgentStateChanged(Event):
    """The agent's state (`new`) or chosen state (`chosen`, with `reason`) changed."""

    agent_id: AgentId
    old: AgentState
    new: AgentState
    chosen: AgentState
    reason: str | None
    at: datetime

    @property
    def name(self) -> str:
        return "routing.agent_state_changed"


@message
class ContactQueued(Event):
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

    @property
    def name(self) -> str:
        return "routing.contact_queued"


@message
class ContactOffered(Event):
    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    queue_id: QueueId
    expires_at: datetime
    at: datetime

    @property
    def name(self) -> str:
        return "routing.contact_offered"


@message
class OfferAccepted(Event):
    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    at: datetime

    @property
    def name(self) -> str:
        return "routing.offer_accepted"


@message
class OfferRejected(Event):
    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    at: datetime

    @property
    def name(self) -> str:
        return "routing.offer_rejected"


@message
class OfferExpired(Event):
    """Nobody answered the offer within the queue's ring timeout."""

    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    at: datetime

    @property
    def name(self) -> str:
        return "routing.offer_expired"


@message
class OfferRescinded(Event):
    """The engine withdrew the offer: another agent accepted (ring-all), or the customer left."""

    offer_id: OfferId
    contact_id: ContactId
    agent_id: AgentId
    reason: str
    at: datetime

    @property
    def name(self) -> str:
        return "routing.offer_rescinded"


@message
class ContactTierOpened(Event):
    """The contact has waited long enough for agents of a further tier of its queue."""

    contact_id: ContactId
    tier: int
    at: datetime

    @property
    def name(self) -> str:
        return "routing.contact_tier_opened"


@message
class ContactOverflowed(Event):
    """An overflow rule of the contact's queue applied (`rule` indexes the queue's rules)."""

    contact_id: ContactId
    rule: int
    at: datetime

    @property
    def name(self) -> str:
        return "routing.contact_overflowed"


@message
class CallbackRequested(Event):
    contact_id: ContactId
    at: datetime

    @property
    def name(self) -> str:
        return "routing.callback_requested"


@message
class ContactAbandoned(Event):
    contact_id: ContactId
    at: datetime

    @property
    def name(self) -> str:
        return "routing.contact_abandoned"


@message
class ContactEnded(Event):
    """The customer part is over; wrap-up runs until `wrap_up_due_at` at the latest."""

    contact_id: ContactId
    agent_id: AgentId
    wrap_up_due_at: datetime
    at: datetime

    @property
    def name(self) -> str:
        return "routing.contact_ended"


@message
class ContactTransferred(Event):
    """The contact moved to `target` (("queue", id), ("agent", id) or ("leaders", team)).

    It waits again from `at`, as a new arrival of its new target; `queue_id` is the queue it
    now counts in (unchanged for transfers to an agent and escalations).
    """

    contact_id: ContactId
    from_agent_id: AgentId | None
    queue_id: QueueId
    target_kind: str
    target_id: str
    at: datetime

    @property
    def name(self) -> str:
        return "routing.contact_transferred"


@message
class ContactCompleted(Event):
    """Wrap-up is done and the agent's capacity is free again."""

    contact_id: ContactId
    agent_id: AgentId
    disposition: str | None
    at: datetime

    @property
    def name(self) -> str:
        return "routing.contact_completed"
