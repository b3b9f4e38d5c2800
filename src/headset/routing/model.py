"""The routing vocabulary: channels, agent states, strategies, agent profiles and queue settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import TypeAlias

from headset.core.days import is_time_zone
from headset.core.errors import Invalid

AgentId: TypeAlias = str
QueueId: TypeAlias = str
ContactId: TypeAlias = str
OfferId: TypeAlias = str


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class AgentState(StrEnum):
    """What an agent is doing, as supervisors see it (glossary: agent state)."""

    OFFLINE = "offline"
    AVAILABLE = "available"
    RESERVED = "reserved"
    BUSY = "busy"
    WRAP_UP = "wrap_up"
    AWAY = "away"


#: The states an agent (or a supervisor) may choose; the others follow from the agent's work.
CHOSEN_STATES = frozenset({AgentState.OFFLINE, AgentState.AVAILABLE, AgentState.AWAY})

#: The away reason the engine sets after too many consecutive unanswered offers.
NO_ANSWER_REASON = "no answer"


class Strategy(StrEnum):
    """How a queue chooses among the agents who could take a contact."""

    LONGEST_IDLE = "longest_idle"
    ROUND_ROBIN = "round_robin"
    FEWEST_CONTACTS = "fewest_contacts_today"
    LEAST_OCCUPIED = "least_occupied"
    SKILLS_WEIGHTED = "skills_weighted"
    TOP_DOWN = "top_down"
    RING_ALL = "ring_all"


DEFAULT_CAPACITY: Mapping[Channel, int] = MappingProxyType(
    {Channel.VOICE: 1, Channel.CHAT: 3, Channel.EMAIL: 2}
)


@dataclass(frozen=True, slots=True)
class Membership:
    """An agent's place in a queue: tier 1 is offered first, `position` orders top-down."""

    queue_id: QueueId
    tier: int = 1
    position: int = 0

    def __post_init__(self) -> None:
        if self.tier < 1:
            raise Invalid(f"tier of queue {self.queue_id!r} must be 1 or more, not {self.tier}")


@dataclass(frozen=True, slots=True)
class AgentProfile:
    """Who an agent is for routing: skills (name -> proficiency 1-10), languages, capacity."""

    agent_id: AgentId
    skills: Mapping[str, int] = field(default_factory=dict)
    languages: frozenset[str] = frozenset()
    team_id: str | None = None
    is_team_leader: bool = False
    capacity: Mapping[Channel, int] = field(default_factory=lambda: DEFAULT_CAPACITY)
    memberships: tuple[Membership, ...] = ()
    #: Offers connect at once, without ringing (agents on a headset with auto-answer).
    auto_answer: bool = False

    def __post_init__(self) -> None:
        for skill, level in self.skills.items():
            if not 1 <= level <= 10:
                raise Invalid(f"proficiency of {skill!r} must be 1-10, not {level}")
        for channel, slots in self.capacity.items():
            if slots < 0:
                raise Invalid(f"capacity for {channel} cannot be negative ({slots})")
        queues = [m.queue_id for m in self.memberships]
        if len(set(queues)) != len(queues):
            raise Invalid(f"agent {self.agent_id!r} is listed twice in one queue")


@dataclass(frozen=True, slots=True)
class SkillRequirement:
    """A contact needs an agent with `skill` at `minimum` proficiency or better."""

    skill: str
    minimum: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.minimum <= 10:
            raise Invalid(f"minimum proficiency of {self.skill!r} must be 0-10, not {self.minimum}")


@dataclass(frozen=True, slots=True)
class ServiceLevelTarget:
    """ "80/20": `percent` of contacts answered within `threshold`."""

    percent: float = 80.0
    threshold: timedelta = timedelta(seconds=20)


# Overflow actions: what happens to a waiting contact once a rule's delay has passed.
@dataclass(frozen=True, slots=True)
class RelaxSkill:
    """Lower the minimum proficiency of one required skill (0 drops the requirement)."""

    skill: str
    minimum: int


@dataclass(frozen=True, slots=True)
class AddQueueTarget:
    """Also offer the contact to the agents of another queue."""

    queue_id: QueueId


@dataclass(frozen=True, slots=True)
class AddTeamLeaders:
    """Also offer the contact to team leaders (of one team, or of all teams)."""

    team_id: str | None = None


@dataclass(frozen=True, slots=True)
class RaisePriority:
    by: int


OverflowAction: TypeAlias = RelaxSkill | AddQueueTarget | AddTeamLeaders | RaisePriority


@dataclass(frozen=True, slots=True)
class OverflowRule:
    """After `after` of waiting, apply `action` to the contact."""

    after: timedelta
    action: OverflowAction


@dataclass(frozen=True, slots=True)
class QueueConfig:
    """A queue's routing settings."""

    queue_id: QueueId
    strategy: Strategy = Strategy.LONGEST_IDLE
    priority: int = 0
    service_level: ServiceLevelTarget = ServiceLevelTarget()
    ring_timeout: timedelta = timedelta(seconds=20)
    wrap_up_duration: timedelta = timedelta(seconds=30)
    max_no_answers: int = 3
    #: After an agent rejects or misses a contact, it is not offered to them again this soon.
    reoffer_delay: timedelta = timedelta(seconds=30)
    #: Delays after which tier 2, tier 3, ... agents may be offered a waiting contact.
    tier_delays: tuple[timedelta, ...] = (timedelta(seconds=30),)
    overflow: tuple[OverflowRule, ...] = ()
    tenant_id: str | None = None
    #: The tenant's time zone (an IANA name): its local day is "today" for the queue's
    #: `fewest_contacts_today` counts. Not the queue's business-hours zone.
    tenant_time_zone: str = "UTC"

    def __post_init__(self) -> None:
        if self.ring_timeout <= timedelta(0):
            raise Invalid(f"ring timeout of queue {self.queue_id!r} must be positive")
        if self.wrap_up_duration < timedelta(0):
            raise Invalid(f"wrap-up duration of queue {self.queue_id!r} cannot be negative")
        if self.reoffer_delay < timedelta(0):
            raise Invalid(f"re-offer delay of queue {self.queue_id!r} cannot be negative")
        if self.max_no_answers < 1:
            raise Invalid(f"max no-answers of queue {self.queue_id!r} must be 1 or more")
        if list(self.tier_delays) != sorted(self.tier_delays):
            raise Invalid(f"tier delays of queue {self.queue_id!r} must not decrease")
        if any(rule.after < timedelta(0) for rule in self.overflow):
            raise Invalid(f"overflow delays of queue {self.queue_id!r} cannot be negative")
        if not is_time_zone(self.tenant_time_zone):
            raise Invalid(
                f"time zone {self.tenant_time_zone!r} of queue {self.queue_id!r} is unknown: "
                "give an IANA name such as 'Europe/Riga'"
            )

    def tier_opens_after(self, tier: int) -> timedelta:
        """How long a contact waits before agents of `tier` may be offered it."""
        if tier <= 1:
            return timedelta(0)
        delays = self.tier_delays
        return delays[min(tier - 2, len(delays) - 1)] if delays else timedelta(0)
