"""Each strategy chooses the agent its name promises."""

from __future__ import annotations

from datetime import date

from headset.routing import Engine
from headset.routing.commands import AcceptOffer, EndContact, FinishWrapUp, SetAgentState
from headset.routing.model import AgentState, Channel, Membership, SkillRequirement, Strategy

from .conftest import Center


def _serve(center: Center, contact_id: str, channel: Channel = Channel.VOICE) -> str:
    """Queues a contact, lets the chosen agent handle it completely, returns who it was."""
    events = center.contact(contact_id, channel=channel)
    (_, agent_id), *_ = center.offers(events)
    center.do(AcceptOffer(center.offer_id(contact_id)))
    center.do(EndContact(contact_id))
    center.do(FinishWrapUp(contact_id))
    center.tick(1)
    return agent_id


def test_longest_idle_picks_the_agent_idle_longest(center: Center) -> None:
    center.queue(strategy=Strategy.LONGEST_IDLE)
    for name in ("ann", "bob", "cas"):
        center.agent(name)
    assert [_serve(center, f"c{n}") for n in range(4)] == ["ann", "bob", "cas", "ann"]


def test_round_robin_takes_turns_in_queue_order(center: Center) -> None:
    center.queue(strategy=Strategy.ROUND_ROBIN)
    for position, name in enumerate(("cas", "ann", "bob")):
        center.agent(name, [Membership("q", position=position)])
    assert [_serve(center, f"c{n}") for n in range(4)] == ["cas", "ann", "bob", "cas"]


def test_fewest_contacts_today_prefers_the_least_used_agent(center: Center) -> None:
    center.queue(strategy=Strategy.FEWEST_CONTACTS)
    center.agent("ann")
    assert _serve(center, "c0") == "ann"
    assert _serve(center, "c1") == "ann"
    center.agent("bob")  # idle for less time than ann, but has handled nothing today
    assert _serve(center, "c2") == "bob"


def test_fewest_contacts_counts_start_again_each_day(center: Center) -> None:
    center.queue(strategy=Strategy.FEWEST_CONTACTS)
    center.agent("ann")
    _serve(center, "c0")
    center.agent("bob")
    assert _serve(center, "c1") == "bob"
    state = center.engine.state.agents
    assert (state["ann"].contacts_today, state["bob"].contacts_today) == (1, 1)
    center.tick(24 * 3600)
    # A new day: both at zero, so the longest idle agent wins again.
    first_idle = min(("ann", "bob"), key=lambda a: state[a].idle_order)
    assert _serve(center, "c3") == first_idle


def _late_evening(center: Center, zone: str) -> Center:
    """Until 21:50 UTC (23:50 in Riga) ann takes three contacts; bob signs in at 22:05 UTC."""
    center.queue(strategy=Strategy.FEWEST_CONTACTS, tenant_time_zone=zone)
    center.agent("ann")
    center.agent("bob", available=False)
    center.tick((center.clock.now().replace(hour=21, minute=50) - center.clock.now()).seconds)
    assert [_serve(center, f"c{n}") for n in range(3)] == ["ann", "ann", "ann"]
    center.tick(15 * 60)
    center.do(SetAgentState("bob", AgentState.AVAILABLE))
    return center


def test_fewest_contacts_counts_restart_at_the_tenants_midnight(center: Center) -> None:
    state = _late_evening(center, "Europe/Riga").engine.state.agents
    # 22:05 UTC is 00:05 on the 24th in Riga: ann's three were yesterday's, so both have
    # none and the agent idle longest (ann) is chosen; her contact counts on the 24th
    assert state["ann"].contacts_on(date(2026, 11, 24)) == 0
    assert _serve(center, "c3") == "ann"
    assert (state["ann"].count_day, state["ann"].contacts_today) == (date(2026, 11, 24), 1)
    assert _serve(center, "c4") == "bob"
    assert Engine.replay(center.log, center.clock).snapshot() == center.engine.snapshot()


def test_a_utc_tenants_counts_run_until_utc_midnight(center: Center) -> None:
    state = _late_evening(center, "UTC").engine.state.agents
    assert _serve(center, "c3") == "bob"  # still the 23rd: ann has three today, bob none
    assert (state["ann"].count_day, state["ann"].contacts_today) == (date(2026, 11, 23), 3)


def test_least_occupied_spreads_chats_by_load(center: Center) -> None:
    center.queue(strategy=Strategy.LEAST_OCCUPIED)
    center.agent("ann")
    center.agent("bob")
    for n in range(4):
        center.contact(f"c{n}", channel=Channel.CHAT)
    assert [a for _, a in center.offers()] == ["ann", "bob", "ann", "bob"]


def test_longest_idle_does_not_pile_chats_on_one_agent(center: Center) -> None:
    center.queue(strategy=Strategy.LONGEST_IDLE)
    center.agent("ann")
    center.agent("bob")
    for n in range(2):
        center.contact(f"c{n}", channel=Channel.CHAT)
    assert [a for _, a in center.offers()] == ["ann", "bob"]


def test_skills_weighted_prefers_the_best_proficiency_then_longest_idle(center: Center) -> None:
    center.queue(strategy=Strategy.SKILLS_WEIGHTED)
    center.agent("ann", skills={"loans": 4})
    center.agent("bob", skills={"loans": 9})
    center.agent("cas", skills={"loans": 9})
    need = (SkillRequirement("loans", 3),)
    center.contact("c0", requirements=need)
    center.contact("c1", requirements=need)
    center.contact("c2", requirements=need)
    assert [a for _, a in center.offers()] == ["bob", "cas", "ann"]


def test_top_down_always_starts_at_the_top(center: Center) -> None:
    center.queue(strategy=Strategy.TOP_DOWN)
    for position, name in ((2, "ann"), (0, "bob"), (1, "cas")):
        center.agent(name, [Membership("q", position=position)])
    assert [_serve(center, f"c{n}") for n in range(3)] == ["bob", "bob", "bob"]


def test_strategy_change_applies_to_the_next_decision(center: Center) -> None:
    center.queue(strategy=Strategy.TOP_DOWN)
    center.agent("ann", [Membership("q", position=1)])
    center.agent("bob", [Membership("q", position=0)])
    assert _serve(center, "c0") == "bob"
    center.queue(strategy=Strategy.LONGEST_IDLE)
    assert _serve(center, "c1") == "ann"
