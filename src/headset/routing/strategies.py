"""Strategy keys: how a pool orders the agents who could take a contact (smallest first).

Each returns the agent's whole heap entry: the strategy's key, then the agent's version and
id (one flat tuple: cheaper to build and to compare than a key nested in an entry).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from headset.routing.model import Strategy

if TYPE_CHECKING:
    from headset.routing.pools import Pool
    from headset.routing.records import AgentRecord

StrategyKey = Callable[["AgentRecord", "Pool", date], tuple[Any, ...]]


def _longest_idle(agent: AgentRecord, pool: Pool, today: date) -> tuple[Any, ...]:
    # Agents with no work at all come first, longest idle first; loaded agents after them.
    return (agent.total_held, agent.idle_order, agent.version, agent.agent_id)


def _round_robin(agent: AgentRecord, pool: Pool, today: date) -> tuple[Any, ...]:
    # Least recently offered a contact of this queue first, then the queue's order.
    last = agent.last_offer.get(pool.queue_id, -1)
    return (last, pool.position_of(agent), agent.seq, agent.version, agent.agent_id)


def _fewest_contacts(agent: AgentRecord, pool: Pool, today: date) -> tuple[Any, ...]:
    held = agent.total_held
    return (agent.contacts_on(today), held, agent.idle_order, agent.version, agent.agent_id)


def _least_occupied(agent: AgentRecord, pool: Pool, today: date) -> tuple[Any, ...]:
    return (agent.load, agent.idle_order, agent.version, agent.agent_id)


def _skills_weighted(agent: AgentRecord, pool: Pool, today: date) -> tuple[Any, ...]:
    score = -pool.members[agent.agent_id]
    return (score, agent.total_held, agent.idle_order, agent.version, agent.agent_id)


def _top_down(agent: AgentRecord, pool: Pool, today: date) -> tuple[Any, ...]:
    return (pool.position_of(agent), agent.seq, agent.version, agent.agent_id)


STRATEGY_KEYS: dict[Strategy, StrategyKey] = {
    Strategy.LONGEST_IDLE: _longest_idle,
    Strategy.ROUND_ROBIN: _round_robin,
    Strategy.FEWEST_CONTACTS: _fewest_contacts,
    Strategy.LEAST_OCCUPIED: _least_occupied,
    Strategy.SKILLS_WEIGHTED: _skills_weighted,
    Strategy.TOP_DOWN: _top_down,
    # Ring-all offers to every candidate at once; the order only decides who is listed first.
    Strategy.RING_ALL: _longest_idle,
}

#: Strategies whose order changes at the tenant's midnight without any event.
DAILY_STRATEGIES = frozenset({Strategy.FEWEST_CONTACTS})
