"""LiveEvent and the spelling of audience keys."""

from __future__ import annotations

import dataclasses

import pytest

from headset.live import LiveEvent, agent_audience, team_audience, tenant_audience


def test_audience_keys_name_their_kind_and_owner() -> None:
    assert agent_audience("a1") == "agent:a1"
    assert tenant_audience("t1") == "tenant:t1"
    assert team_audience("t1", "blue") == "team:t1:blue"


def test_a_live_event_cannot_be_changed_after_it_is_made() -> None:
    event = LiveEvent(seq=1, type="routing.contact_queued", payload={}, audiences=frozenset())
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.seq = 2  # type: ignore[misc]  # the point of the test is that this is refused
