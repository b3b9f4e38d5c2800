"""Eligibility pools: the index that keeps every routing decision away from full scans.

A pool holds, for one target tier (a queue's tier, or the team leaders) and one contact
signature (channel, language, skill minimums), the agents who qualify and the contacts that
wait for them. Both sides are heaps with lazy deletion: an entry carries the version of its
agent or contact and is dropped when it is found stale at the top.
"""

from __future__ import annotations

import heapq
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from headset.routing.model import AgentId, Channel, ContactId, QueueId, Strategy
from headset.routing.strategies import STRATEGY_KEYS

if TYPE_CHECKING:
    from headset.routing.records import AgentRecord, ContactRecord

#: (channel, language, ((skill, minimum), ...)) - what a contact needs from an agent.
Signature: TypeAlias = tuple[Channel, str | None, tuple[tuple[str, int], ...]]
#: ("queue", queue_id) or ("leaders", team_id or "").
Target: TypeAlias = tuple[str, str]
PoolKey: TypeAlias = tuple[Target, int, Signature]
#: (strategy key..., agent version, agent id): see strategies.py.
AgentEntry: TypeAlias = tuple[Any, ...]
ContactEntry: TypeAlias = tuple[int, datetime, int, int, ContactId]

_MIN_COMPACT = 64


class Pool:
    """Agents and waiting contacts of one target tier and one signature."""

    __slots__ = (
        "_agents_compact_at",
        "_contacts_compact_at",
        "_order",
        "agents",
        "channel",
        "contacts",
        "key",
        "language",
        "members",
        "queue_id",
        "requirements",
        "strategy",
        "tier",
        "time_zone",
        "today",
    )

    def __init__(self, key: PoolKey, strategy: Strategy) -> None:
        target, tier, (channel, language, requirements) = key
        self.key = key
        self.queue_id: QueueId = target[1] if target[0] == "queue" else ""
        self.tier = tier
        self.channel = channel
        self.language = language
        self.requirements = requirements
        self.strategy = strategy
        self._order = STRATEGY_KEYS[strategy]
        #: The zone of the tenant's day and the day the agents' keys were made for (only
        #: `fewest_contacts_today` reads it; see RoutingState.advance_to).
        self.time_zone = "UTC"
        self.today = date.min
        #: The qualifying agents, with their summed proficiency in the required skills.
        self.members: dict[AgentId, int] = {}
        self.agents: list[AgentEntry] = []
        self.contacts: list[ContactEntry] = []
        self._agents_compact_at = _MIN_COMPACT
        self._contacts_compact_at = _MIN_COMPACT

    def admits(self, agent: AgentRecord) -> bool:
        """Whether the agent's profile qualifies (state and load aside)."""
        profile = agent.profile
        if profile.capacity.get(self.channel, 0) <= 0:
            return False
        if self.language is not None and self.language not in profile.languages:
            return False
        skills = profile.skills
        return all(skills.get(skill, 0) >= minimum for skill, minimum in self.requirements)

    def skill_score(self, agent: AgentRecord) -> int:
        skills = agent.profile.skills
        return sum(skills.get(skill, 0) for skill, _ in self.requirements)

    def position_of(self, agent: AgentRecord) -> int:
        return agent.positions.get(self.queue_id, 0)

    # agents ---------------------------------------------------------------------------
    def push_agent(self, agent: AgentRecord, agents: dict[AgentId, AgentRecord]) -> None:
        heapq.heappush(self.agents, self._order(agent, self, self.today))
        if len(self.agents) > self._agents_compact_at:
            self.agents = [e for e in self.agents if self._agent_valid(e, agents, self.channel)]
            heapq.heapify(self.agents)
            self._agents_compact_at = max(_MIN_COMPACT, 2 * len(self.agents))

    def reorder(self, today: date, agents: dict[AgentId, AgentRecord]) -> None:
        """Recomputes every agent's key: after a strategy change or at the tenant's midnight."""
        self._order = STRATEGY_KEYS[self.strategy]
        self.today = today
        self.agents = [
            self._order(agents[aid], self, today)
            for aid in sorted(self.members)
            if agents[aid].can_take(self.channel)
        ]
        heapq.heapify(self.agents)
        self._agents_compact_at = max(_MIN_COMPACT, 2 * len(self.agents))

    @staticmethod
    def _agent_valid(
        entry: AgentEntry, agents: dict[AgentId, AgentRecord], channel: Channel
    ) -> bool:
        # An agent who leaves a pool (new profile) gets a new version: no membership test.
        agent = agents.get(entry[-1])
        return agent is not None and agent.version == entry[-2] and agent.can_take(channel)

    def best_agent(
        self, agents: dict[AgentId, AgentRecord], declined: dict[AgentId, datetime], now: datetime
    ) -> AgentRecord | None:
        """The first agent in strategy order who can take a contact now and has not declined it."""
        heap = self.agents
        skipped: list[AgentEntry] | None = None
        found: AgentRecord | None = None
        channel = self.channel
        while heap:
            entry = heap[0]
            agent = agents.get(entry[-1])
            if agent is None or agent.version != entry[-2] or not agent.can_take(channel):
                heapq.heappop(heap)
            elif declined and declined.get(entry[-1], now) > now:
                if skipped is None:
                    skipped = []
                skipped.append(heapq.heappop(heap))
            else:
                found = agent
                break
        if skipped:
            for entry in skipped:
                heapq.heappush(heap, entry)
        return found

    def candidates(self, agents: dict[AgentId, AgentRecord]) -> list[AgentRecord]:
        """Every agent who could take a contact now, in strategy order (for ring-all)."""
        channel = self.channel
        seen: set[AgentId] = set()
        found = []
        for entry in sorted(e for e in self.agents if self._agent_valid(e, agents, channel)):
            if entry[-1] not in seen:
                seen.add(entry[-1])
                found.append(agents[entry[-1]])
        return found

    # contacts -------------------------------------------------------------------------
    def push_contact(
        self, contact: ContactRecord, contacts: dict[ContactId, ContactRecord]
    ) -> None:
        heapq.heappush(self.contacts, contact.entry())
        if len(self.contacts) > self._contacts_compact_at:
            self.contacts = [e for e in self.contacts if _contact_valid(e, contacts)]
            heapq.heapify(self.contacts)
            self._contacts_compact_at = max(_MIN_COMPACT, 2 * len(self.contacts))

    def best_contact(
        self, contacts: dict[ContactId, ContactRecord], agent_id: AgentId, now: datetime
    ) -> ContactEntry | None:
        """The waiting contact first in line (priority, then place) that the agent may take."""
        heap = self.contacts
        skipped: list[ContactEntry] = []
        found: ContactEntry | None = None
        while heap:
            entry = heap[0]
            if not _contact_valid(entry, contacts):
                heapq.heappop(heap)
            elif contacts[entry[4]].declined.get(agent_id, now) > now:
                skipped.append(heapq.heappop(heap))
            else:
                found = entry
                break
        for entry in skipped:
            heapq.heappush(heap, entry)
        return found


def _contact_valid(entry: ContactEntry, contacts: dict[ContactId, ContactRecord]) -> bool:
    contact = contacts.get(entry[4])
    return contact is not None and contact.version == entry[3] and contact.is_waiting
