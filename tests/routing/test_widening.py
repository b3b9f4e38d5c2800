"""Agent tiers and overflow rules widen a waiting contact's targets as it waits."""

from __future__ import annotations

from datetime import timedelta

from headset.routing import events as ev
from headset.routing.model import (
    AddQueueTarget,
    AddTeamLeaders,
    Membership,
    OverflowRule,
    RaisePriority,
    RelaxSkill,
    SkillRequirement,
)

from .conftest import Center

S = timedelta(seconds=1)


def test_secondary_agents_are_offered_only_after_the_tier_delay(center: Center) -> None:
    center.queue(tier_delays=(30 * S,))
    center.agent("backup", [Membership("q", tier=2)])
    center.contact("c1")
    assert center.offers() == []
    assert center.offers(center.tick(29)) == []
    fired = center.tick(1)
    assert any(isinstance(e, ev.ContactTierOpened) for e in fired)
    assert center.offers(fired) == [("c1", "backup")]


def test_primary_agents_win_over_secondary_ones(center: Center) -> None:
    center.queue(tier_delays=(0 * S,))
    center.agent("backup", [Membership("q", tier=2)])
    center.agent("primary", [Membership("q", tier=1)])
    assert center.offers(center.contact("c1")) == [("c1", "primary")]


def test_overflow_relaxes_a_skill_minimum(center: Center) -> None:
    rule = OverflowRule(60 * S, RelaxSkill("loans", 3))
    center.queue(overflow=(rule,))
    center.agent("junior", skills={"loans": 3})
    center.contact("c1", requirements=(SkillRequirement("loans", 7),))
    assert center.offers() == []
    fired = center.tick(60)
    assert any(isinstance(e, ev.ContactOverflowed) for e in fired)
    assert center.offers(fired) == [("c1", "junior")]


def test_overflow_adds_another_queue(center: Center) -> None:
    center.queue("sales", overflow=(OverflowRule(20 * S, AddQueueTarget("service")),))
    center.queue("service")
    center.agent("sam", ["service"])
    center.contact("c1", "sales")
    offers = [e for e in center.tick(20) if isinstance(e, ev.ContactOffered)]
    assert [(o.contact_id, o.agent_id, o.queue_id) for o in offers] == [("c1", "sam", "service")]


def test_overflow_adds_team_leaders(center: Center) -> None:
    center.queue(overflow=(OverflowRule(45 * S, AddTeamLeaders("blue")),))
    center.agent("lead-red", [], is_team_leader=True, team_id="red")
    center.agent("lead-blue", [], is_team_leader=True, team_id="blue")
    center.contact("c1")
    assert center.offers(center.tick(45)) == [("c1", "lead-blue")]


def test_overflow_raises_priority_past_newer_contacts(center: Center) -> None:
    center.queue("slow", overflow=(OverflowRule(60 * S, RaisePriority(10)),))
    center.queue("fast", priority=5)
    center.contact("old", "slow")
    center.tick(30)
    center.contact("new", "fast")
    center.tick(30)  # "old" now has priority 10 > 5
    center.agent("ann", ["slow", "fast"])
    assert center.offers() == [("old", "ann")]


def test_rules_already_due_apply_at_once_for_an_earlier_queued_time(center: Center) -> None:
    center.queue(overflow=(OverflowRule(10 * S, RaisePriority(3)),))
    center.tick(60)
    from headset.routing.commands import QueueContact

    center.do(QueueContact("cb", "q", queued_at=center.clock.now() - 30 * S))
    assert center.engine.state.contacts["cb"].priority == 3


def test_pending_timers_name_every_deadline(center: Center) -> None:
    center.queue(tier_delays=(30 * S,), overflow=(OverflowRule(90 * S, RaisePriority(1)),))
    center.agent("backup", [Membership("q", tier=2)], available=False)
    center.contact("c1")
    keys = {t.key for t in center.engine.pending_timers()}
    assert keys == {"tier:2:c1", "overflow:0:c1"}


def test_a_tier_added_while_contacts_wait_opens_for_them_too(center: Center) -> None:
    center.queue(tier_delays=(30 * S,))
    center.contact("c1")
    center.tick(40)
    # the first tier-2 agent arrives after c1 has waited past the tier delay
    center.agent("late-backup", [Membership("q", tier=2)])
    assert center.offers() == [("c1", "late-backup")]


def test_a_new_tier_waits_for_its_delay_for_contacts_that_just_came(center: Center) -> None:
    center.queue(tier_delays=(30 * S,))
    center.contact("c1")
    center.agent("backup", [Membership("q", tier=2)])
    assert center.offers() == []
    assert center.offers(center.tick(30)) == [("c1", "backup")]
