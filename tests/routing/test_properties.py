"""Properties that hold under any interleaving of commands and clock advances (hypothesis)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from headset.core.clock import FakeClock
from headset.core.errors import HeadsetError
from headset.routing import Engine
from headset.routing import events as ev
from headset.routing.commands import (
    AbandonContact,
    AcceptOffer,
    EndContact,
    EscalateContact,
    FinishWrapUp,
    RegisterAgent,
    RejectOffer,
    RequestCallback,
    SetAgentState,
    TransferContact,
)
from headset.routing.model import (
    AddQueueTarget,
    AddTeamLeaders,
    AgentProfile,
    AgentState,
    Channel,
    Membership,
    OverflowRule,
    RaisePriority,
    RelaxSkill,
    SkillRequirement,
    Strategy,
)
from headset.routing.records import AgentRecord, ContactRecord

from .conftest import START, Center

S = timedelta(seconds=1)
QUEUES = ("billing", "support", "vip")
SKILLS = ("nl", "loans")


def _build(center: Center, strategies: list[Strategy], profiles: list[AgentProfile]) -> None:
    center.queue(
        "billing", strategy=strategies[0], ring_timeout=15 * S, wrap_up_duration=10 * S,
        tier_delays=(20 * S,), overflow=(OverflowRule(30 * S, RelaxSkill("loans", 2)),),
        max_no_answers=2, reoffer_delay=10 * S,
    )  # fmt: skip
    center.queue(
        "support", strategy=strategies[1], ring_timeout=10 * S, wrap_up_duration=0 * S,
        overflow=(OverflowRule(25 * S, AddQueueTarget("billing")),
                  OverflowRule(50 * S, AddTeamLeaders())),
    )  # fmt: skip
    center.queue(
        "vip", strategy=strategies[2], priority=5, ring_timeout=12 * S,
        overflow=(OverflowRule(15 * S, RaisePriority(3)),), reoffer_delay=5 * S,
    )  # fmt: skip
    for profile in profiles:
        center.do(RegisterAgent(profile))


profiles_strategy = st.lists(
    st.builds(
        lambda i, skills, memberships, caps, leader, auto: AgentProfile(
            f"a{i}",
            skills=skills,
            languages=frozenset({"nl", "en"}) if i % 2 else frozenset({"en"}),
            team_id="red" if i % 3 else "blue",
            is_team_leader=leader,
            auto_answer=auto,
            capacity={Channel.VOICE: caps[0], Channel.CHAT: caps[1], Channel.EMAIL: caps[2]},
            memberships=tuple(Membership(q, tier=t, position=i) for q, t in memberships.items()),
        ),
        st.just(0),
        st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 10)),
        st.dictionaries(st.sampled_from(QUEUES), st.integers(1, 2)),
        st.tuples(st.integers(0, 1), st.integers(0, 3), st.integers(0, 2)),
        st.booleans(),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


def _eligible(center: Center, agent: AgentRecord, contact: ContactRecord) -> bool:
    """Brute force: may this agent take this contact now (ignoring load)?"""
    profile = agent.profile
    if profile.capacity.get(contact.channel, 0) <= 0:
        return False
    if contact.language is not None and contact.language not in profile.languages:
        return False
    if any(profile.skills.get(s, 0) < m for s, m in contact.requirements.items() if m > 0):
        return False
    tiers = {m.queue_id: m.tier for m in profile.memberships}
    for kind, name in contact.targets:
        if kind == "agent" and name == agent.agent_id:
            return True
        if kind == "leaders" and profile.is_team_leader and name in ("", profile.team_id):
            return True
        if (
            kind == "queue"
            and name in tiers
            and (name != contact.queue_id or tiers[name] <= contact.tiers_open)
        ):
            return True
    return False


def _declined(contact: ContactRecord, agent_id: str, now: datetime) -> bool:
    return contact.declined.get(agent_id, now) > now


def _check(center: Center, new_events: list[ev.Event]) -> None:
    state = center.engine.state
    now = center.clock.now()
    for agent in state.agents.values():
        held = dict.fromkeys(Channel, 0)
        for offer in agent.offers.values():
            held[state.contacts[offer.contact_id].channel] += 1
        for cid in agent.connected | agent.wrapping:
            held[state.contacts[cid].channel] += 1
        assert held == agent.held
        for channel, n in held.items():
            assert n <= agent.profile.capacity.get(channel, 0), (agent.agent_id, held)
        if held[Channel.VOICE]:
            assert sum(held.values()) == held[Channel.VOICE] == 1
    for contact in state.contacts.values():
        ring_all = state.queues[contact.queue_id].strategy is Strategy.RING_ALL
        if not (ring_all and contact.channel is Channel.VOICE):
            assert len(contact.offers) <= 1, contact.contact_id
        assert len({o.agent_id for o in contact.offers.values()}) == len(contact.offers)
    waiting = [c for c in state.contacts.values() if c.is_waiting]
    # work-conserving: nobody free and eligible while a contact waits for them (checked once
    # every timer due at this instant has fired: two deadlines may share one moment)
    is_settled = all(at > now for at in center.timers.values())
    for contact in waiting if is_settled else ():
        for agent in state.agents.values():
            if agent.can_take(contact.channel) and _eligible(center, agent, contact):
                assert _declined(contact, agent.agent_id, now), (contact.contact_id, agent.agent_id)
    # order: an agent is never offered a contact behind a waiting one it could have taken
    for offered in (e for e in new_events if isinstance(e, ev.ContactOffered)):
        mine = state.contacts.get(offered.contact_id)
        agent = state.agents[offered.agent_id]
        if mine is None or state.queues[mine.queue_id].strategy is Strategy.RING_ALL:
            continue
        for other in waiting:
            if (
                other.channel is mine.channel
                and other.entry()[:3] < mine.entry()[:3]
                and _eligible(center, agent, other)
                and not _declined(other, agent.agent_id, now)
            ):
                raise AssertionError(f"{offered.contact_id} offered before {other.contact_id}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(list(Strategy)), min_size=3, max_size=3),
    profiles_strategy,
    st.data(),
)
def test_invariants_hold_for_any_sequence_of_commands(
    strategies: list[Strategy], profiles: list[AgentProfile], data: st.DataObject
) -> None:
    clock = FakeClock(START)
    center = Center(clock, Engine(clock))
    finished: list[str] = []

    def inspect(events: list[ev.Event]) -> None:
        finished.extend(
            e.contact_id for e in events if isinstance(e, ev.ContactCompleted | ev.ContactAbandoned)
        )
        _check(center, events)

    center.inspect = inspect
    profiles = [AgentProfile(**{**_fields(p), "agent_id": f"a{i}"}) for i, p in enumerate(profiles)]
    _build(center, strategies, profiles)
    created: set[str] = set()
    for step in range(data.draw(st.integers(5, 60), label="steps")):
        state = center.engine.state
        action = data.draw(st.integers(0, 9), label="action")
        before = len(center.log)
        try:
            if action <= 2:
                cid = f"c{step}"
                created.add(cid)
                center.contact(
                    cid,
                    data.draw(st.sampled_from(QUEUES)),
                    channel=data.draw(st.sampled_from(list(Channel))),
                    priority=data.draw(st.none() | st.integers(0, 3)),
                    language=data.draw(st.sampled_from([None, "nl", "en"])),
                    requirements=tuple(
                        SkillRequirement(s, m)
                        for s, m in data.draw(
                            st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 6), max_size=1)
                        ).items()
                    ),
                )
            elif action == 3 and state.offers:
                offer = data.draw(st.sampled_from(sorted(state.offers)))
                center.do(data.draw(st.sampled_from([AcceptOffer, RejectOffer]))(offer))
            elif action == 4 and state.contacts:
                contact = data.draw(st.sampled_from(sorted(state.contacts)))
                command = data.draw(
                    st.sampled_from([EndContact, FinishWrapUp, AbandonContact, RequestCallback])
                )
                center.do(command(contact))
            elif action == 5:
                agent = data.draw(st.sampled_from(sorted(state.agents)))
                chosen = data.draw(
                    st.sampled_from([AgentState.AVAILABLE, AgentState.AWAY, AgentState.OFFLINE])
                )
                center.do(
                    SetAgentState(agent, chosen, "break" if chosen is AgentState.AWAY else None)
                )
            elif action == 6 and state.contacts:
                contact = data.draw(st.sampled_from(sorted(state.contacts)))
                kind = data.draw(st.sampled_from(["queue", "agent", "leaders"]))
                if kind == "queue":
                    center.do(TransferContact(contact, queue_id=data.draw(st.sampled_from(QUEUES))))
                elif kind == "agent":
                    agent = data.draw(st.sampled_from(sorted(state.agents)))
                    center.do(TransferContact(contact, agent_id=agent))
                else:
                    team = data.draw(st.sampled_from([None, "red", "blue"]))
                    center.do(EscalateContact(contact, team))
            else:
                center.tick(data.draw(st.integers(1, 40)))
        except HeadsetError:
            assert len(center.log) == before  # a refused command changes nothing
    # nothing lost or duplicated: every contact is either live or finished exactly once
    assert len(finished) == len(set(finished))
    assert set(finished).isdisjoint(center.engine.state.contacts)
    assert set(finished) | set(center.engine.state.contacts) == created
    # replaying the log rebuilds the same state
    assert Engine.replay(center.log, clock).snapshot() == center.engine.snapshot()


def _fields(profile: AgentProfile) -> dict[str, object]:
    return {name: getattr(profile, name) for name in AgentProfile.__dataclass_fields__}
