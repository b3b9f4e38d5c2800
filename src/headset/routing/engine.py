"""The routing engine (ACD): one handler per command, deciding events and timers.

Plain Python, no I/O: time comes from the injected clock, and every deadline is returned to
the caller as a `Timer`. State changes only through events (`RoutingState.apply`), so replaying
the events of a run rebuilds the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from headset.core.clock import Clock, require_aware
from headset.core.errors import Conflict, Invalid, NotFound
from headset.core.messages import Command, Event
from headset.routing import commands as cmd
from headset.routing import events as ev
from headset.routing.deadlines import next_reoffer, next_widenings, pending_timers
from headset.routing.model import (
    CHOSEN_STATES,
    NO_ANSWER_REASON,
    AgentState,
    Channel,
    Strategy,
)
from headset.routing.pools import Pool
from headset.routing.records import AgentRecord, ContactRecord, ContactStatus, OfferRecord
from headset.routing.snapshot import snapshot
from headset.routing.state import RoutingState
from headset.routing.timers import (
    Result,
    Timer,
    offer_timer,
    wrap_up_timer,
)

__all__ = ["Engine", "Result", "Timer"]

_AVAILABLE = AgentState.AVAILABLE
_KEEP: Any = object()


class Engine:
    """Matches contacts to agents; `handle` is the only way in."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._state = RoutingState()
        self._apply = self._state.appliers
        self._now: datetime = clock.now()
        self._out = Result()
        self._handlers: dict[type[Command], Callable[[Any], None]] = {
            cmd.RegisterAgent: self._register_agent,
            cmd.ConfigureQueue: self._configure_queue,
            cmd.SetAgentState: self._set_agent_state,
            cmd.QueueContact: self._queue_contact,
            cmd.AcceptOffer: self._accept_offer,
            cmd.RejectOffer: self._reject_offer,
            cmd.EndContact: self._end_contact,
            cmd.FinishWrapUp: self._finish_wrap_up,
            cmd.AbandonContact: self._abandon_contact,
            cmd.RequestCallback: self._request_callback,
            cmd.TransferContact: self._transfer_contact,
            cmd.EscalateContact: self._escalate_contact,
            cmd.FireTimer: self._fire_timer,
        }

    # the way in ------------------------------------------------------------------------
    def handle(self, command: Command) -> Result:
        """Runs one command; raises a `HeadsetError` (changing nothing) if it cannot be done."""
        handler = self._handlers.get(type(command))
        if handler is None:
            raise Invalid(f"the routing engine does not handle {type(command).__name__}")
        self._now = now = self._clock.now()
        self._state.advance_to(now)
        self._out = out = Result()
        handler(command)
        self._state.flush()
        return out

    @classmethod
    def replay(cls, events: Iterable[Event], clock: Clock) -> Engine:
        """Rebuilds an engine from stored events (crash recovery, audits, tests)."""
        engine = cls(clock)
        state = engine._state
        for event in events:
            state.advance_to(event.at)  # type: ignore[attr-defined]
            state.apply(event)
        state.flush()
        return engine

    # queries ---------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """The logical routing state as plain data (indexes left out)."""
        return snapshot(self._state)

    @property
    def state(self) -> RoutingState:
        """Read-only use: the live state (do not mutate it)."""
        return self._state

    def pending_timers(self) -> list[Timer]:
        """Every deadline the engine is waiting for: to reschedule after a restart."""
        return pending_timers(self._state, self._now)

    # plumbing --------------------------------------------------------------------------
    def _emit(self, event: Event) -> None:
        self._apply[type(event)](event)
        self._out.events.append(event)

    def _agent(self, agent_id: str) -> AgentRecord:
        agent = self._state.agents.get(agent_id)
        if agent is None:
            raise NotFound(f"no agent {agent_id!r}; register the agent first")
        return agent

    def _contact(self, contact_id: str) -> ContactRecord:
        contact = self._state.contacts.get(contact_id)
        if contact is None:
            raise NotFound(f"no live contact {contact_id!r}: it never queued or is already over")
        return contact

    def _offer(self, offer_id: str) -> OfferRecord:
        offer = self._state.offers.get(offer_id)
        if offer is None:
            raise Conflict(
                f"offer {offer_id!r} is no longer pending: it was answered, rejected, "
                "expired or withdrawn"
            )
        return offer

    def _sync(
        self, agent: AgentRecord, chosen: AgentState | None = None, reason: Any = _KEEP
    ) -> None:
        """Emits AgentStateChanged when the agent's visible or chosen state changed."""
        chosen = agent.chosen if chosen is None else chosen
        reason = agent.reason if reason is _KEEP else reason
        new = agent.derived_state(chosen)
        if new is not agent.state or chosen is not agent.chosen or reason != agent.reason:
            self._emit(
                ev.AgentStateChanged(agent.agent_id, agent.state, new, chosen, reason, self._now)
            )

    # configuration ---------------------------------------------------------------------
    def _register_agent(self, c: cmd.RegisterAgent) -> None:
        state = self._state
        queues = {m.queue_id for m in c.profile.memberships}
        tiers_before = {q: state.max_tier(q) for q in queues}
        self._emit(ev.AgentRegistered(c.profile, self._now))
        deeper = {q for q in queues if state.max_tier(q) > tiers_before[q]}
        if deeper:  # a queue has a new tier: its waiting contacts need the deadline for it
            for contact in list(state.contacts.values()):
                if contact.queue_id in deeper and contact.is_in_line:
                    self._widen_and_route(contact)
        self._route_agent(state.agents[c.profile.agent_id])

    def _configure_queue(self, c: cmd.ConfigureQueue) -> None:
        self._emit(ev.QueueConfigured(c.config, self._now))

    # agents ----------------------------------------------------------------------------
    def _set_agent_state(self, c: cmd.SetAgentState) -> None:
        agent = self._agent(c.agent_id)
        if c.state not in CHOSEN_STATES:
            raise Invalid(
                f"an agent may choose available, away or offline, not {c.state.value!r}: "
                "the other states follow from the agent's work"
            )
        reason = c.reason if c.state is AgentState.AWAY else None
        if c.state is agent.chosen and reason == agent.reason:
            return
        returned = []
        if c.state is not _AVAILABLE:
            returned = self._withdraw_offers(agent, "agent unavailable")
        self._sync(agent, c.state, reason)
        self._reroute(returned)
        self._route_agent(agent)

    def _withdraw_offers(self, agent: AgentRecord, reason: str) -> list[ContactRecord]:
        contacts = []
        for offer in list(agent.offers.values()):
            self._emit(
                ev.OfferRescinded(
                    offer.offer_id, offer.contact_id, agent.agent_id, reason, self._now
                )
            )
            self._out.cancelled.append(offer_timer(offer.offer_id))
            contacts.append(self._state.contacts[offer.contact_id])
        return contacts

    # contacts --------------------------------------------------------------------------
    def _queue_contact(self, c: cmd.QueueContact) -> None:
        queue = self._state.queues.get(c.queue_id)
        if queue is None:
            raise NotFound(f"no queue {c.queue_id!r}; configure the queue first")
        if c.contact_id in self._state.contacts:
            raise Conflict(f"contact {c.contact_id!r} is already in a queue")
        queued_at = c.queued_at
        if queued_at is None:
            queued_at = self._now
        else:
            require_aware(queued_at)
            if queued_at > self._now:
                raise Invalid(f"contact {c.contact_id!r} cannot be queued in the future")
        if not isinstance(c.channel, Channel):
            raise Invalid(f"unknown channel {c.channel!r}")
        priority = queue.priority if c.priority is None else c.priority
        self._emit(
            ev.ContactQueued(
                c.contact_id, c.queue_id, c.channel, c.direction, priority, c.requirements,
                c.language, c.tenant_id, queued_at, self._now,
            )
        )  # fmt: skip
        contact = self._state.contacts[c.contact_id]
        self._widen(contact)
        self._route_contact(contact)

    def _accept_offer(self, c: cmd.AcceptOffer) -> None:
        offer = self._offer(c.offer_id)
        self._out.cancelled.append(offer_timer(offer.offer_id))
        self._accept(
            offer.offer_id,
            self._state.contacts[offer.contact_id],
            self._state.agents[offer.agent_id],
        )

    def _accept(self, offer_id: str, contact: ContactRecord, agent: AgentRecord) -> None:
        self._emit(ev.OfferAccepted(offer_id, contact.contact_id, agent.agent_id, self._now))
        out = self._out.cancelled
        for other in list(contact.offers.values()) if contact.offers else ():  # ring-all
            self._emit(
                ev.OfferRescinded(
                    other.offer_id,
                    contact.contact_id,
                    other.agent_id,
                    "answered by another agent",
                    self._now,
                )
            )
            out.append(offer_timer(other.offer_id))
            loser = self._state.agents[other.agent_id]
            self._sync(loser)
            self._route_agent(loser)
        out.extend([t.key for t in next_widenings(self._state, contact)])
        self._sync(agent)

    def _reject_offer(self, c: cmd.RejectOffer) -> None:
        offer = self._offer(c.offer_id)
        self._emit(ev.OfferRejected(offer.offer_id, offer.contact_id, offer.agent_id, self._now))
        self._out.cancelled.append(offer_timer(offer.offer_id))
        self._after_declined(offer)

    def _after_declined(self, offer: OfferRecord) -> None:
        agent = self._state.agents[offer.agent_id]
        contact = self._state.contacts[offer.contact_id]
        returned = [contact]
        self._out.timers.extend(next_reoffer(contact, self._now))
        queue = self._state.queues[contact.queue_id]
        if agent.no_answers >= queue.max_no_answers and agent.chosen is _AVAILABLE:
            returned += self._withdraw_offers(agent, "agent unavailable")
            self._sync(agent, AgentState.AWAY, NO_ANSWER_REASON)
        else:
            self._sync(agent)
        self._reroute(returned)
        self._route_agent(agent)

    def _end_contact(self, c: cmd.EndContact) -> None:
        contact = self._contact(c.contact_id)
        if contact.status is not ContactStatus.CONNECTED or contact.agent_id is None:
            raise Conflict(f"contact {c.contact_id!r} is {contact.status.value}, not connected")
        wrap_up = self._state.queues[contact.queue_id].wrap_up_duration
        due_at = self._now + wrap_up if wrap_up else self._now
        self._emit(ev.ContactEnded(contact.contact_id, contact.agent_id, due_at, self._now))
        if not wrap_up:
            self._complete(contact, None)
        else:
            self._out.timers.append(Timer(wrap_up_timer(contact.contact_id), due_at))
            self._sync(self._state.agents[contact.agent_id])

    def _finish_wrap_up(self, c: cmd.FinishWrapUp) -> None:
        contact = self._contact(c.contact_id)
        if contact.status is not ContactStatus.WRAP_UP:
            raise Conflict(
                f"contact {c.contact_id!r} is {contact.status.value}; wrap-up starts when it ends"
            )
        self._out.cancelled.append(wrap_up_timer(contact.contact_id))
        self._complete(contact, c.disposition)

    def _complete(self, contact: ContactRecord, disposition: str | None) -> None:
        agent = self._state.agents[contact.agent_id or ""]
        self._emit(ev.ContactCompleted(contact.contact_id, agent.agent_id, disposition, self._now))
        # Offer the next contact first: an agent who goes straight on to it was never idle.
        self._route_agent(agent)
        self._sync(agent)

    def _abandon_contact(self, c: cmd.AbandonContact) -> None:
        contact = self._contact(c.contact_id)
        if not contact.is_in_line:
            raise Conflict(f"contact {c.contact_id!r} was answered; end it instead of abandoning")
        agents = []
        for offer in list(contact.offers.values()):
            self._emit(
                ev.OfferRescinded(
                    offer.offer_id, contact.contact_id, offer.agent_id, "abandoned", self._now
                )
            )
            self._out.cancelled.append(offer_timer(offer.offer_id))
            agents.append(self._state.agents[offer.agent_id])
        self._out.cancelled.extend([t.key for t in next_widenings(self._state, contact)])
        self._emit(ev.ContactAbandoned(contact.contact_id, self._now))
        for agent in agents:
            self._sync(agent)
            self._route_agent(agent)

    def _request_callback(self, c: cmd.RequestCallback) -> None:
        contact = self._contact(c.contact_id)
        if not contact.is_in_line:
            raise Conflict(f"contact {c.contact_id!r} was answered; no callback needed")
        if not contact.is_callback:
            self._emit(ev.CallbackRequested(contact.contact_id, self._now))

    def _transfer_contact(self, c: cmd.TransferContact) -> None:
        contact = self._contact(c.contact_id)
        if (c.queue_id is None) == (c.agent_id is None):
            raise Invalid("a transfer names exactly one target: a queue or an agent")
        if c.queue_id is not None:
            if c.queue_id not in self._state.queues:
                raise NotFound(f"no queue {c.queue_id!r} to transfer to")
            self._move(contact, c.queue_id, ("queue", c.queue_id))
        else:
            agent_id = c.agent_id or ""
            if agent_id not in self._state.agents:
                raise NotFound(f"no agent {agent_id!r} to transfer to")
            if agent_id == contact.agent_id:
                raise Conflict(f"contact {c.contact_id!r} is already with agent {agent_id!r}")
            self._move(contact, contact.queue_id, ("agent", agent_id))

    def _escalate_contact(self, c: cmd.EscalateContact) -> None:
        contact = self._contact(c.contact_id)
        team_id = c.team_id
        if team_id is None:
            handler = self._state.agents.get(contact.agent_id or "")
            team_id = (handler.profile.team_id if handler else None) or ""
        self._move(contact, contact.queue_id, ("leaders", team_id))

    def _move(self, contact: ContactRecord, queue_id: str, target: tuple[str, str]) -> None:
        """Sends a waiting or connected contact to a new target, where it waits anew."""
        if contact.status is ContactStatus.WRAP_UP:
            raise Conflict(
                f"contact {contact.contact_id!r} has ended and is in wrap-up; it cannot move"
            )
        freed = []
        for offer in list(contact.offers.values()):
            self._emit(
                ev.OfferRescinded(
                    offer.offer_id, contact.contact_id, offer.agent_id, "moved", self._now
                )
            )
            self._out.cancelled.append(offer_timer(offer.offer_id))
            freed.append(self._state.agents[offer.agent_id])
        self._out.cancelled.extend([t.key for t in next_widenings(self._state, contact)])
        if contact.agent_id is not None:
            freed.append(self._state.agents[contact.agent_id])
        self._emit(
            ev.ContactTransferred(
                contact.contact_id, contact.agent_id, queue_id, target[0], target[1], self._now
            )
        )
        for agent in freed:
            self._sync(agent)
        if target[0] == "queue":
            self._widen(contact)
        # freed agents first: what waited longer for them comes before the moved contact
        for agent in freed:
            self._route_agent(agent)
        self._route_contact(contact)
        self._out.timers.extend(next_reoffer(contact, self._now))

    # timers ----------------------------------------------------------------------------
    def _fire_timer(self, c: cmd.FireTimer) -> None:
        kind, _, rest = c.key.partition(":")
        if kind == "offer":
            offer = self._state.offers.get(rest)
            if offer is not None and offer.expires_at <= self._now:
                self._emit(
                    ev.OfferExpired(offer.offer_id, offer.contact_id, offer.agent_id, self._now)
                )
                self._after_declined(offer)
        elif kind == "wrap_up":
            contact = self._state.contacts.get(rest)
            due = contact.wrap_up_due_at if contact else None
            if contact and contact.status is ContactStatus.WRAP_UP and due and due <= self._now:
                self._complete(contact, None)
        elif kind == "reoffer":
            contact = self._state.contacts.get(rest)
            if contact is not None:
                self._route_contact(contact, agent_first=True)
                self._out.timers.extend(next_reoffer(contact, self._now))
        elif kind in ("tier", "overflow"):
            contact = self._state.contacts.get(rest.partition(":")[2])
            if contact is not None and contact.is_in_line:
                self._widen_and_route(contact)
        else:
            raise Invalid(f"unknown timer {c.key!r}")

    def _widen_and_route(self, contact: ContactRecord) -> None:
        """A deadline (or a new tier) may widen the contact's targets: route it again."""
        self._widen(contact)
        self._route_contact(contact, agent_first=True)

    def _widen(self, contact: ContactRecord) -> None:
        """Opens due tiers and applies due overflow rules, then asks for the next deadlines."""
        if contact.targets[0][0] != "queue":
            return
        queue = self._state.queues[contact.queue_id]
        max_tier = self._state.max_tier(contact.queue_id)
        if not queue.overflow and contact.tiers_open >= max_tier:
            return
        while contact.tiers_open < max_tier:
            tier = contact.tiers_open + 1
            if contact.queued_at + queue.tier_opens_after(tier) > self._now:
                break
            self._emit(ev.ContactTierOpened(contact.contact_id, tier, self._now))
        while contact.rules_applied < len(queue.overflow):
            rule = contact.rules_applied
            if contact.queued_at + queue.overflow[rule].after > self._now:
                break
            self._emit(ev.ContactOverflowed(contact.contact_id, rule, self._now))
        self._out.timers.extend(next_widenings(self._state, contact))

    # matching --------------------------------------------------------------------------
    def _reroute(self, contacts: list[ContactRecord]) -> None:
        for contact in contacts:
            if contact.contact_id in self._state.contacts:
                self._route_contact(contact)

    def _route_contact(self, contact: ContactRecord, agent_first: bool = False) -> None:
        """Offers a waiting contact to the best agent who can take it now, if any."""
        if contact.status is not ContactStatus.WAITING:
            return
        self._state.flush_agents()
        agents = self._state.agents
        declined = contact.declined
        now = self._now
        if contact.channel is Channel.VOICE and self._is_ring_all(contact):
            for pool in contact.pools:
                ringing = [
                    a for a in pool.candidates(agents) if declined.get(a.agent_id, now) <= now
                ]
                if ringing:
                    for agent in ringing:
                        if contact.agent_id is not None:
                            break  # an auto-answering agent took it
                        self._make_offer(contact, agent, pool)
                    return
            return
        if not agent_first:
            # A free agent has nothing better waiting for them (every change routes at once),
            # so a new or returned contact goes straight to the best agent.
            for pool in contact.pools:
                best = pool.best_agent(agents, declined, now)
                if best is not None:
                    self._make_offer(contact, best, pool)
                    return
            return
        # A deadline made this contact routable, maybe together with others at the same
        # instant: the agent found takes whatever is first in line for them.
        while contact.status is ContactStatus.WAITING:
            for pool in contact.pools:
                best = pool.best_agent(agents, declined, now)
                if best is not None:
                    break
            else:
                return
            held_before = best.total_held
            self._route_agent(best)
            if best.total_held == held_before:
                return  # defensive: the agent took nothing, so nothing will change

    def _route_agent(self, agent: AgentRecord) -> None:
        """Gives an agent with free capacity the waiting contacts first in line."""
        state = self._state
        contacts = state.contacts
        # Waiting contacts must be filed; the agent need not be, unless ring-all needs it.
        state.flush_contacts()
        now = self._now
        while agent.chosen is _AVAILABLE:
            best = None
            best_pool: Pool | None = None
            for channel, pools in agent.pools.items():
                if not agent.can_take(channel):
                    continue
                for pool in pools:
                    if pool.contacts:
                        entry = pool.best_contact(contacts, agent.agent_id, now)
                        if entry is not None and (best is None or entry < best):
                            best, best_pool = entry, pool
            if best is None or best_pool is None:
                return
            contact = contacts[best[4]]
            if contact.channel is Channel.VOICE and self._is_ring_all(contact):
                state.flush_agents()
                self._route_contact(contact)
            else:
                self._make_offer(contact, agent, best_pool)
            if contact.status is ContactStatus.WAITING:
                return

    def _is_ring_all(self, contact: ContactRecord) -> bool:
        return self._state.queues[contact.queue_id].strategy is Strategy.RING_ALL

    def _make_offer(self, contact: ContactRecord, agent: AgentRecord, pool: Pool) -> None:
        # "~" keeps offer ids safe in URLs
        offer_id = f"{contact.contact_id}~{contact.offer_count + 1}"
        auto_answer = agent.profile.auto_answer
        # an auto-answered offer never rings: it expires the moment it is made
        now = self._now
        expires_at = now if auto_answer else now + self._state.queues[contact.queue_id].ring_timeout
        self._emit(
            ev.ContactOffered(
                offer_id, contact.contact_id, agent.agent_id, pool.queue_id or contact.queue_id,
                expires_at, self._now,
            )
        )  # fmt: skip
        if auto_answer:
            self._accept(offer_id, contact, agent)
        else:
            self._out.timers.append(Timer(offer_timer(offer_id), expires_at))
            self._sync(agent)
