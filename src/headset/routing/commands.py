"""Commands the routing engine accepts; each has exactly one handler in the engine."""

from __future__ import annotations

from datetime import datetime

from headset.core.messages import Command, message
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
class RegisterAgent(Command):
    """Adds an agent, or replaces its profile (skills, capacity, queues)."""

    profile: AgentProfile


@message
class ConfigureQueue(Command):
    """Adds a queue, or replaces its settings."""

    config: QueueConfig


@message
class SetAgentState(Command):
    """An agent (or a supervisor) chooses available, away (with a reason) or offline."""

    agent_id: AgentId
    state: AgentState
    reason: str | None = None


@message
class QueueContact(Command):
    """A contact enters a queue. `queued_at` keeps an earlier place in line (default: now)."""

    contact_id: ContactId
    queue_id: QueueId
    channel: Channel = Channel.VOICE
    direction: Direction = Direction.INBOUND
    priority: int | None = None
    requirements: tuple[SkillRequirement, ...] = ()
    language: str | None = None
    tenant_id: str | None = None
    queued_at: datetime | None = None


@message
class AcceptOffer(Command):
    offer_id: OfferId


@message
class RejectOffer(Command):
    offer_id: OfferId


@message
class EndContact(Command):
    """The customer part of an answered contact is over; wrap-up starts."""

    contact_id: ContactId


@message
class FinishWrapUp(Command):
    """The agent is done with after-contact work, before the queue's wrap-up time runs out."""

    contact_id: ContactId
    disposition: str | None = None


@message
class AbandonContact(Command):
    """The customer left before an agent answered."""

    contact_id: ContactId


@message
class RequestCallback(Command):
    """A waiting customer asks to be called back; the contact keeps its place in line."""

    contact_id: ContactId


@message
class TransferContact(Command):
    """Moves a contact to another queue or to one agent; a connected contact leaves its agent.

    Exactly one of `queue_id` and `agent_id` is given. A waiting contact can be moved too
    (a supervisor reassigning it): its offers are withdrawn first.
    """

    contact_id: ContactId
    queue_id: QueueId | None = None
    agent_id: AgentId | None = None


@message
class EscalateContact(Command):
    """Raises a contact to the team leaders of a team (default: the handling agent's team).

    `team_id=""` asks any team leader of the center.
    """

    contact_id: ContactId
    team_id: str | None = None


@message
class FireTimer(Command):
    """A deadline the engine asked for has come; stale keys are ignored."""

    key: str
