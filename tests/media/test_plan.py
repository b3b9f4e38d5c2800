"""Mix plans: who hears whom in each call state."""

from __future__ import annotations

import pytest

from headset.core.errors import Invalid
from headset.media import plan
from headset.media.plan import HOLD_MUSIC, MixPlan


def _hears(mix: MixPlan) -> dict[str, set[str]]:
    return {party: set(sources) for party, sources in mix.hears.items()}


def test_connected_customer_and_agent_hear_each_other() -> None:
    assert _hears(plan.connected("c", "a")) == {"c": {"a"}, "a": {"c"}}


def test_hold_gives_the_customer_music_and_the_agent_nothing() -> None:
    assert _hears(plan.hold("c", "a")) == {"c": {HOLD_MUSIC}, "a": set()}


def test_a_queued_caller_hears_music() -> None:
    assert _hears(plan.queued("c")) == {"c": {HOLD_MUSIC}}


def test_listen_nobody_hears_the_supervisor() -> None:
    mix = plan.listen("c", "a", "s")
    assert _hears(mix) == {"c": {"a"}, "a": {"c"}, "s": {"c", "a"}}
    assert not any(mix.is_heard("s", p) for p in ("c", "a"))


def test_whisper_only_the_agent_hears_the_supervisor() -> None:
    mix = plan.whisper("c", "a", "s")
    assert mix.is_heard("s", "a")
    assert not mix.is_heard("s", "c")
    assert mix.is_heard("a", "c")
    assert mix.is_heard("c", "a")


def test_barge_everyone_hears_everyone_but_themselves() -> None:
    assert _hears(plan.barge("c", "a", "s")) == {"c": {"a", "s"}, "a": {"c", "s"}, "s": {"c", "a"}}


def test_a_conference_is_mix_minus_for_every_party() -> None:
    mix = plan.conference(["p1", "p2", "p3", "p4"])
    for party, sources in mix.hears.items():
        assert party not in sources
        assert len(sources) == 3


def test_a_party_never_hears_their_own_voice() -> None:
    with pytest.raises(Invalid, match="own voice"):
        MixPlan({"a": frozenset({"a"})})


def test_a_plan_cannot_name_parties_it_does_not_list() -> None:
    with pytest.raises(Invalid, match="unknown parties"):
        MixPlan({"a": frozenset({"ghost"})})


def test_parties_of_a_plan_are_distinct_and_conferences_have_two() -> None:
    with pytest.raises(Invalid):
        plan.listen("c", "c", "s")
    with pytest.raises(Invalid):
        plan.conference(["alone"])


def test_a_plan_survives_its_wire_form() -> None:
    mix = plan.whisper("c", "a", "s")
    assert mix.to_wire() == {"a": ["c", "s"], "c": ["a"], "s": ["a", "c"]}
    assert MixPlan.from_wire(mix.to_wire()) == mix
