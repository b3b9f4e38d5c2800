"""Mutable records of the routing state: agents, contacts and offers as the engine holds them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from headset.routing.model import (
    AgentId,
    AgentProfile,
    AgentState,
    Channel,
    ContactId,
    Direction,
    OfferId,
    QueueId,
)

if TYPE_CHECKING:
    from headset.routing.pools import ContactEntry, Pool, Signature, Target

_VOICE = Channel.VOICE
_AVAILABLE = AgentState.AVAILABLE


class ContactStatus(StrEnum):
    """A contact's status: the one enum for the engine's contacts and the `contacts` table's
    rows (the stored values never change). The engine holds a contact from WAITING to WRAP_UP;
    a web call is IVR before its IVR queues it, and a row is ABANDONED or COMPLETED once the
    engine has let the contact go."""

    IVR = "ivr"
    WAITING = "waiting"
    OFFERED = "offered"
    CONNECTED = "connected"
    WRAP_UP = "wrap_up"
    ABANDONED = "abandoned"
    COMPLETED = "completed"


class OfferRecord:
    """A contact reserved for one agent until accepted, rejected, expired or rescinded."""

    __slots__ = ("agent_id", "contact_id", "expires_at", "offer_id", "offered_at", "queue_id")

    def __init__(
        self,
        offer_id: OfferId,
        contact_id: ContactId,
        agent_id: AgentId,
        queue_id: QueueId,
        offered_at: datetime,
        expires_at: datetime,
    ) -> None:
        self.offer_id = offer_id
        self.contact_id = contact_id
        self.agent_id = agent_id
        self.queue_id = queue_id
        self.offered_at = offered_at
        self.expires_at = expires_at


class AgentRecord:
    """An agent's profile, chosen state, work in hand and routing counters."""

    __slots__ = (
        "agent_id",
        "capacity",
        "chosen",
        "connected",
        "contacts_today",
        "count_day",
        "held",
        "idle_order",
        "idle_since",
        "is_filed",
        "last_offer",
        "no_answers",
        "offers",
        "pools",
        "positions",
        "profile",
        "reason",
        "seq",
        "state",
        "total_held",
        "version",
        "wrapping",
    )

    def __init__(self, profile: AgentProfile, seq: int, at: datetime) -> None:
        self.agent_id = profile.agent_id
        self.set_profile(profile)
        self.seq = seq
        self.chosen = AgentState.OFFLINE
        self.reason: str | None = None
        self.state = AgentState.OFFLINE
        self.offers: dict[OfferId, OfferRecord] = {}
        self.connected: set[ContactId] = set()
        self.wrapping: set[ContactId] = set()
        self.held = dict.fromkeys(Channel, 0)
        self.total_held = 0
        self.idle_since = at
        #: Rises each time an agent becomes idle: orders "longest idle" without comparing times.
        self.idle_order = -1
        #: False while the agent waits to be re-filed in its pools (see RoutingState.flush).
        self.is_filed = True
        self.contacts_today = 0
        self.count_day: date | None = None
        self.no_answers = 0
        self.last_offer: dict[QueueId, int] = {}
        self.version = 0
        #: The pools the agent belongs to, by the channel of their contacts.
        self.pools: dict[Channel, list[Pool]] = {}

    def set_profile(self, profile: AgentProfile) -> None:
        self.profile = profile
        self.positions = {m.queue_id: m.position for m in profile.memberships}
        self.capacity = {c: profile.capacity.get(c, 0) for c in Channel}

    def can_take(self, channel: Channel) -> bool:
        """Whether one more contact of `channel` may be offered now (a call blocks the rest)."""
        if self.chosen is not _AVAILABLE:
            return False
        if channel is _VOICE:
            return self.total_held == 0 and self.capacity[_VOICE] > 0
        return self.held[_VOICE] == 0 and self.held[channel] < self.capacity[channel]

    @property
    def load(self) -> float:
        """Share of the agent's capacity in use, summed over channels (multi-channel load)."""
        capacity = self.capacity
        return sum(n / capacity[c] for c, n in self.held.items() if n and capacity[c])

    def contacts_on(self, day: date) -> int:
        return self.contacts_today if self.count_day == day else 0

    def derived_state(self, chosen: AgentState) -> AgentState:
        """The state supervisors see: work in hand first, else what the agent chose."""
        if self.connected:
            return AgentState.BUSY
        if self.offers:
            return AgentState.RESERVED
        if self.wrapping:
            return AgentState.WRAP_UP
        return chosen


class ContactRecord:
    """A live contact: waiting, offered, connected or in wrap-up."""

    __slots__ = (
        "agent_id",
        "answered_at",
        "channel",
        "contact_id",
        "declined",
        "direction",
        "ended_at",
        "is_callback",
        "is_filed",
        "language",
        "offer_count",
        "offers",
        "pools",
        "priority",
        "queue_id",
        "queued_at",
        "requirements",
        "rules_applied",
        "seq",
        "status",
        "targets",
        "tenant_id",
        "tiers_open",
        "version",
        "wrap_up_due_at",
    )

    def __init__(
        self,
        contact_id: ContactId,
        queue_id: QueueId,
        channel: Channel,
        direction: Direction,
        priority: int,
        requirements: dict[str, int],
        language: str | None,
        tenant_id: str | None,
        queued_at: datetime,
        seq: int,
    ) -> None:
        self.contact_id = contact_id
        self.queue_id = queue_id
        self.channel = channel
        self.direction = direction
        self.priority = priority
        self.requirements = requirements
        self.language = language
        self.tenant_id = tenant_id
        self.queued_at = queued_at
        self.seq = seq
        self.status = ContactStatus.WAITING
        self.offers: dict[OfferId, OfferRecord] = {}
        self.offer_count = 0
        self.agent_id: AgentId | None = None
        self.answered_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.wrap_up_due_at: datetime | None = None
        self.targets: list[Target] = [("queue", queue_id)]
        self.tiers_open = 1
        self.rules_applied = 0
        #: Agents who rejected or missed the contact, and until when it is not offered to them.
        self.declined: dict[AgentId, datetime] = {}
        self.is_callback = False
        self.is_filed = True
        self.version = 0
        self.pools: list[Pool] = []

    @property
    def is_waiting(self) -> bool:
        return self.status is ContactStatus.WAITING

    @property
    def is_in_line(self) -> bool:
        """Not yet answered: waiting, or ringing at one or more agents."""
        return self.status is ContactStatus.WAITING or self.status is ContactStatus.OFFERED

    def entry(self) -> ContactEntry:
        """The contact's place in line: higher priority first, then earlier queued, then arrival."""
        return (-self.priority, self.queued_at, self.seq, self.version, self.contact_id)

    def signature(self) -> Signature:
        if not self.requirements:
            return (self.channel, self.language, ())
        needs = tuple(sorted((s, m) for s, m in self.requirements.items() if m > 0))
        return (self.channel, self.language, needs)
