"""The routing state and how each event changes it: replaying the events rebuilds it exactly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from headset.core.days import day_of
from headset.core.messages import Event
from headset.routing import events as ev
from headset.routing.model import (
    AddQueueTarget,
    AddTeamLeaders,
    AgentId,
    AgentState,
    ContactId,
    OfferId,
    QueueConfig,
    QueueId,
    RaisePriority,
    RelaxSkill,
    Strategy,
)
from headset.routing.pools import Pool, PoolKey, Target
from headset.routing.records import AgentRecord, ContactRecord, ContactStatus, OfferRecord
from headset.routing.strategies import DAILY_STRATEGIES

_AVAILABLE = AgentState.AVAILABLE
_NEVER = datetime.max.replace(tzinfo=UTC)


class RoutingState:
    """Agents, queues, live contacts and offers, with the pools that index them."""

    def __init__(self) -> None:
        self.agents: dict[AgentId, AgentRecord] = {}
        self.queues: dict[QueueId, QueueConfig] = {}
        self.contacts: dict[ContactId, ContactRecord] = {}
        self.offers: dict[OfferId, OfferRecord] = {}
        self.pools: dict[PoolKey, Pool] = {}
        self.target_pools: dict[Target, list[Pool]] = {}
        #: queue -> tier -> agents; team ("" = every team) -> team leaders.
        self.members: dict[QueueId, dict[int, set[AgentId]]] = {}
        self.leaders: dict[str, set[AgentId]] = {"": set()}
        self.agent_seq = 0
        self.contact_seq = 0
        self.offer_seq = 0
        self.idle_seq = 0
        self.max_tiers: dict[QueueId, int] = {}
        #: The engine's time (the moment of the command or event at hand), each tenant
        #: zone's current local day, and the first of their next midnights.
        self.now: datetime | None = None
        self.days: dict[str, date] = {}
        self._next_midnight = _NEVER
        # Agents and contacts whose pool entries went stale, re-filed in one go by `flush`.
        self._unfiled_agents: list[AgentRecord] = []
        self._unfiled_contacts: list[ContactRecord] = []
        #: The function that applies each type of event.
        self.appliers: dict[type[Event], Callable[[Any], None]] = {
            ev.AgentRegistered: self._agent_registered,
            ev.QueueConfigured: self._queue_configured,
            ev.AgentStateChanged: self._agent_state_changed,
            ev.ContactQueued: self._contact_queued,
            ev.ContactOffered: self._contact_offered,
            ev.OfferAccepted: self._offer_accepted,
            ev.OfferRejected: self._offer_declined,
            ev.OfferExpired: self._offer_declined,
            ev.OfferRescinded: self._offer_rescinded,
            ev.ContactTierOpened: self._contact_tier_opened,
            ev.ContactOverflowed: self._contact_overflowed,
            ev.CallbackRequested: self._callback_requested,
            ev.ContactAbandoned: self._contact_abandoned,
            ev.ContactEnded: self._contact_ended,
            ev.ContactCompleted: self._contact_completed,
            ev.ContactTransferred: self._contact_transferred,
        }

    def apply(self, event: Event) -> None:
        self.appliers[type(event)](event)

    def advance_to(self, now: datetime) -> None:
        """Moves the state's time to `now`: at a tenant's midnight (in its time zone) the
        fewest-contacts-today order of its queues starts again from zero."""
        self.now = now
        if now >= self._next_midnight:
            self._next_midnight = _NEVER
            for zone in list(self.days):
                self._roll(zone, now)

    def today_in(self, zone: str) -> date:
        """The current local day of `zone` (date.min before the state has a time)."""
        day = self.days.get(zone)
        if day is None:
            day = date.min if self.now is None else self._roll(zone, self.now)
        return day

    def _roll(self, zone: str, now: datetime) -> date:
        local = day_of(now, zone)
        if local.ends_at < self._next_midnight:
            self._next_midnight = local.ends_at
        if self.days.get(zone) != local.date:
            self.days[zone] = local.date
            for pool in self.pools.values():
                if pool.strategy in DAILY_STRATEGIES and pool.time_zone == zone:
                    pool.reorder(local.date, self.agents)
        return local.date

    def max_tier(self, queue_id: QueueId) -> int:
        return self.max_tiers.get(queue_id, 1)

    def flush_agents(self) -> None:
        """Files re-touched agents in the pools where they can take a contact now."""
        unfiled = self._unfiled_agents
        if not unfiled:
            return
        agents = self.agents
        for agent in unfiled:
            agent.is_filed = True
            if agent.chosen is _AVAILABLE:
                for channel, pools in agent.pools.items():
                    if agent.can_take(channel):
                        for pool in pools:
                            pool.push_agent(agent, agents)
        unfiled.clear()

    def flush(self) -> None:
        """Brings every pool up to date: before matching, and after each command."""
        if self._unfiled_agents:
            self.flush_agents()
        if self._unfiled_contacts:
            self.flush_contacts()

    def flush_contacts(self) -> None:
        """Files re-touched contacts that wait in every pool of theirs."""
        unfiled = self._unfiled_contacts
        contacts = self.contacts
        for contact in unfiled:
            contact.is_filed = True
            if contact.status is ContactStatus.WAITING and contact.contact_id in contacts:
                for pool in contact.pools:
                    pool.push_contact(contact, contacts)
        unfiled.clear()

    # agents and queues -----------------------------------------------------------------
    def _agent_registered(self, e: ev.AgentRegistered) -> None:
        profile = e.profile
        agent = self.agents.get(profile.agent_id)
        if agent is None:
            agent = AgentRecord(profile, self.agent_seq, e.at)
            self.agent_seq += 1
            self.agents[agent.agent_id] = agent
        else:
            self._unindex_agent(agent)
            agent.set_profile(profile)
        for membership in profile.memberships:
            tiers = self.members.setdefault(membership.queue_id, {})
            tiers.setdefault(membership.tier, set()).add(agent.agent_id)
            top = max(membership.tier, self.max_tiers.get(membership.queue_id, 1))
            self.max_tiers[membership.queue_id] = top
            for pool in self.target_pools.get(("queue", membership.queue_id), ()):
                if pool.tier == membership.tier:
                    self._join(agent, pool)
        if profile.is_team_leader:
            for team in {"", profile.team_id or ""}:
                self.leaders.setdefault(team, set()).add(agent.agent_id)
                for pool in self.target_pools.get(("leaders", team), ()):
                    self._join(agent, pool)
        for pool in self.target_pools.get(("agent", agent.agent_id), ()):
            self._join(agent, pool)
        self._touch(agent)

    def _unindex_agent(self, agent: AgentRecord) -> None:
        for membership in agent.profile.memberships:
            self.members[membership.queue_id][membership.tier].discard(agent.agent_id)
        for leaders in self.leaders.values():
            leaders.discard(agent.agent_id)
        for pools in agent.pools.values():
            for pool in pools:
                pool.members.pop(agent.agent_id, None)
        agent.pools = {}

    def _join(self, agent: AgentRecord, pool: Pool) -> None:
        if pool.admits(agent):
            pool.members[agent.agent_id] = pool.skill_score(agent)
            agent.pools.setdefault(pool.channel, []).append(pool)

    def _queue_configured(self, e: ev.QueueConfigured) -> None:
        config = e.config
        old = self.queues.get(config.queue_id)
        self.queues[config.queue_id] = config
        if (
            old is not None
            and old.strategy is config.strategy
            and old.tenant_time_zone == config.tenant_time_zone
        ):
            return
        today = self.today_in(config.tenant_time_zone)
        for pool in self.target_pools.get(("queue", config.queue_id), ()):
            pool.strategy = config.strategy
            pool.time_zone = config.tenant_time_zone
            pool.reorder(today, self.agents)

    def _agent_state_changed(self, e: ev.AgentStateChanged) -> None:
        agent = self.agents[e.agent_id]
        became_idle = e.new is _AVAILABLE and e.old is not _AVAILABLE
        chosen_changed = e.chosen is not agent.chosen
        if chosen_changed and e.chosen is _AVAILABLE:
            agent.no_answers = 0
        agent.state = e.new
        agent.chosen = e.chosen
        agent.reason = e.reason
        if became_idle:
            agent.idle_since = e.at
            agent.idle_order = self.idle_seq
            self.idle_seq += 1
        if became_idle or chosen_changed:
            self._touch(agent)

    def _touch(self, agent: AgentRecord) -> None:
        """Marks the agent's pool entries stale; `flush` files it again."""
        agent.version += 1
        if agent.is_filed:
            agent.is_filed = False
            self._unfiled_agents.append(agent)

    # contacts --------------------------------------------------------------------------
    def _contact_queued(self, e: ev.ContactQueued) -> None:
        contact = ContactRecord(
            e.contact_id,
            e.queue_id,
            e.channel,
            e.direction,
            e.priority,
            {r.skill: r.minimum for r in e.requirements},
            e.language,
            e.tenant_id,
            e.queued_at,
            self.contact_seq,
        )
        self.contact_seq += 1
        self.contacts[contact.contact_id] = contact
        self._file_contact(contact)

    def _file_contact(self, contact: ContactRecord) -> None:
        """Recomputes the contact's pools and files it as waiting in each of them."""
        signature = contact.signature()
        pools = []
        for target in contact.targets:
            if target[0] != "queue":
                tiers = 1
            elif target[1] == contact.queue_id:
                tiers = contact.tiers_open
            else:
                tiers = self.max_tier(target[1])
            for tier in range(1, tiers + 1):
                key = (target, tier, signature)
                pool = self.pools.get(key) or self._new_pool(key)
                pools.append(pool)
        contact.pools = pools
        self._refile(contact)

    def _refile(self, contact: ContactRecord) -> None:
        contact.version += 1
        if contact.is_filed:
            contact.is_filed = False
            self._unfiled_contacts.append(contact)

    def _new_pool(self, key: PoolKey) -> Pool:
        target = key[0]
        zone = "UTC"
        if target[0] == "queue":
            config = self.queues.get(target[1])
            strategy = config.strategy if config else Strategy.LONGEST_IDLE
            zone = config.tenant_time_zone if config else zone
            candidates = self.members.get(target[1], {}).get(key[1], set())
        elif target[0] == "agent":
            strategy = Strategy.LONGEST_IDLE
            candidates = {target[1]} if target[1] in self.agents else set()
        else:
            strategy = Strategy.LONGEST_IDLE
            candidates = self.leaders.get(target[1], set())
        pool = Pool(key, strategy)
        pool.time_zone = zone
        self.pools[key] = pool
        self.target_pools.setdefault(target, []).append(pool)
        for agent_id in sorted(candidates):
            self._join(self.agents[agent_id], pool)
        pool.reorder(self.today_in(zone), self.agents)
        return pool

    def _contact_offered(self, e: ev.ContactOffered) -> None:
        contact = self.contacts[e.contact_id]
        agent = self.agents[e.agent_id]
        offer = OfferRecord(e.offer_id, e.contact_id, e.agent_id, e.queue_id, e.at, e.expires_at)
        self.offers[e.offer_id] = offer
        contact.offers[e.offer_id] = offer
        contact.offer_count += 1
        contact.status = ContactStatus.OFFERED
        contact.version += 1
        agent.offers[e.offer_id] = offer
        agent.held[contact.channel] += 1
        agent.total_held += 1
        agent.last_offer[e.queue_id] = self.offer_seq
        self.offer_seq += 1
        self._touch(agent)

    def _offer_accepted(self, e: ev.OfferAccepted) -> None:
        offer = self.offers.pop(e.offer_id)
        contact = self.contacts[offer.contact_id]
        agent = self.agents[offer.agent_id]
        del contact.offers[e.offer_id]
        del agent.offers[e.offer_id]
        contact.status = ContactStatus.CONNECTED
        contact.agent_id = agent.agent_id
        contact.answered_at = e.at
        agent.connected.add(contact.contact_id)
        agent.no_answers = 0
        # counted on the tenant's day of the queue whose offer it was
        config = self.queues.get(offer.queue_id)
        day = self.today_in(config.tenant_time_zone if config else "UTC")
        if agent.count_day != day:
            agent.count_day, agent.contacts_today = day, 0
        agent.contacts_today += 1
        self._touch(agent)

    def _drop_offer(self, offer_id: OfferId) -> tuple[ContactRecord, AgentRecord]:
        offer = self.offers.pop(offer_id)
        contact = self.contacts[offer.contact_id]
        agent = self.agents[offer.agent_id]
        del contact.offers[offer_id]
        del agent.offers[offer_id]
        agent.held[contact.channel] -= 1
        agent.total_held -= 1
        if contact.status is ContactStatus.OFFERED and not contact.offers:
            contact.status = ContactStatus.WAITING
            self._refile(contact)
        self._touch(agent)
        return contact, agent

    def _offer_declined(self, e: ev.OfferRejected | ev.OfferExpired) -> None:
        contact, agent = self._drop_offer(e.offer_id)
        delay = self.queues[contact.queue_id].reoffer_delay
        contact.declined[agent.agent_id] = e.at + delay
        if isinstance(e, ev.OfferExpired):
            agent.no_answers += 1

    def _offer_rescinded(self, e: ev.OfferRescinded) -> None:
        self._drop_offer(e.offer_id)

    def _contact_tier_opened(self, e: ev.ContactTierOpened) -> None:
        contact = self.contacts[e.contact_id]
        contact.tiers_open = e.tier
        self._file_contact(contact)

    def _contact_overflowed(self, e: ev.ContactOverflowed) -> None:
        contact = self.contacts[e.contact_id]
        action = self.queues[contact.queue_id].overflow[e.rule].action
        contact.rules_applied = e.rule + 1
        if isinstance(action, RelaxSkill):
            if action.skill in contact.requirements:
                current = contact.requirements[action.skill]
                contact.requirements[action.skill] = min(current, action.minimum)
        elif isinstance(action, RaisePriority):
            contact.priority += action.by
        elif isinstance(action, AddQueueTarget | AddTeamLeaders):
            target: Target = (
                ("queue", action.queue_id)
                if isinstance(action, AddQueueTarget)
                else ("leaders", action.team_id or "")
            )
            if target not in contact.targets:
                contact.targets.append(target)
        self._file_contact(contact)

    def _callback_requested(self, e: ev.CallbackRequested) -> None:
        self.contacts[e.contact_id].is_callback = True

    def _contact_abandoned(self, e: ev.ContactAbandoned) -> None:
        del self.contacts[e.contact_id]

    def _contact_ended(self, e: ev.ContactEnded) -> None:
        contact = self.contacts[e.contact_id]
        agent = self.agents[e.agent_id]
        contact.status = ContactStatus.WRAP_UP
        contact.ended_at = e.at
        contact.wrap_up_due_at = e.wrap_up_due_at
        agent.connected.discard(contact.contact_id)
        agent.wrapping.add(contact.contact_id)

    def _contact_completed(self, e: ev.ContactCompleted) -> None:
        contact = self.contacts.pop(e.contact_id)
        agent = self.agents[e.agent_id]
        agent.wrapping.discard(contact.contact_id)
        agent.held[contact.channel] -= 1
        agent.total_held -= 1
        self._touch(agent)

    def _contact_transferred(self, e: ev.ContactTransferred) -> None:
        contact = self.contacts[e.contact_id]
        if contact.agent_id is not None:  # it leaves the agent who had it
            agent = self.agents[contact.agent_id]
            agent.connected.discard(contact.contact_id)
            agent.held[contact.channel] -= 1
            agent.total_held -= 1
            self._touch(agent)
        contact.agent_id = None
        contact.answered_at = None
        contact.status = ContactStatus.WAITING
        contact.queue_id = e.queue_id
        contact.queued_at = e.at
        contact.seq = self.contact_seq
        self.contact_seq += 1
        contact.tiers_open = 1
        contact.rules_applied = 0
        contact.declined = {}
        if e.from_agent_id is not None:  # not straight back to the agent who passed it on
            contact.declined[e.from_agent_id] = e.at + self.queues[e.queue_id].reoffer_delay
        if e.target_kind == "agent":  # the agent was chosen by name: no skill or language test
            contact.requirements = {}
            contact.language = None
        contact.targets = [(e.target_kind, e.target_id)]
        self._file_contact(contact)
