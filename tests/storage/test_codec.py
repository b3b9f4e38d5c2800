"""The codec: every routing event to JSON and back, exactly, and replays of a recorded run."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from headset.core.clock import FakeClock
from headset.core.errors import Invalid
from headset.core.messages import Command, Event
from headset.routing import Engine
from headset.routing import commands as cmd
from headset.routing import events as ev
from headset.routing.model import (
    AddQueueTarget,
    AgentProfile,
    AgentState,
    Channel,
    Membership,
    OverflowRule,
    QueueConfig,
    SkillRequirement,
    Strategy,
)
from headset.storage.codec import EVENT_TYPES, decode, decode_value, encode, encode_value

from .samples import AT, CONFIG, EVENTS, PROFILE


def _through_json(event: Event) -> Event:
    text = json.dumps({"type": event.name, "payload": encode(event)})
    stored = json.loads(text)
    return decode(stored["type"], stored["payload"])


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__name__)
def test_every_event_comes_back_equal_through_json_text(event: Event) -> None:
    assert _through_json(event) == event


def test_any_mapping_decodes_as_a_payload() -> None:
    payload = MappingProxyType(encode(EVENTS[0]))
    assert decode(EVENTS[0].name, payload) == EVENTS[0]


def test_the_encoding_is_plain_readable_json() -> None:
    payload = encode(ev.QueueConfigured(CONFIG, AT))
    config = payload["config"]

    assert payload["at"] == "2026-11-23T08:00:05.123456+00:00"
    assert config["strategy"] == "skills_weighted"
    assert config["ring_timeout"] == 12.0005
    assert config["service_level"] == {"percent": 92.5, "threshold": 15.000007}
    assert config["tier_delays"] == [10.0, 10.0, 60.0]
    relax = {"kind": "relax_skill", "skill": "french", "minimum": 0}
    assert config["overflow"][0] == {"after": 15.0, "action": relax}
    assert [rule["action"]["kind"] for rule in config["overflow"]] == [
        "relax_skill", "add_queue", "add_team_leaders", "add_team_leaders", "raise_priority",
    ]  # fmt: skip
    assert config["overflow"][3]["action"] == {"kind": "add_team_leaders", "team_id": None}


def test_profiles_encode_sets_sorted_and_capacity_by_channel_value() -> None:
    profile = encode_value(PROFILE, AgentProfile)

    assert profile["languages"] == ["de", "en", "fr"]
    assert profile["capacity"] == {"voice": 1, "chat": 4, "email": 0}
    assert profile["memberships"] == [
        {"queue_id": "sales", "tier": 2, "position": 3},
        {"queue_id": "support", "tier": 1, "position": 0},
    ]
    assert decode_value(json.loads(json.dumps(profile)), AgentProfile) == PROFILE


def test_settings_round_trip_for_the_queue_and_agent_tables() -> None:
    assert decode_value(encode_value(CONFIG, QueueConfig), QueueConfig) == CONFIG
    assert decode_value(encode_value(QueueConfig("q"), QueueConfig), QueueConfig) == QueueConfig(
        "q"
    )


def test_fields_left_out_take_their_defaults() -> None:
    assert decode_value({"queue_id": "q"}, QueueConfig) == QueueConfig("q")
    assert decode_value({"agent_id": "a"}, AgentProfile) == AgentProfile("a")


def test_datetimes_are_stored_in_utc_whatever_their_offset() -> None:
    moment = datetime(2026, 11, 23, 9, 0, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    encoded = encode_value(moment, datetime)

    assert encoded == "2026-11-23T08:00:00.000005+00:00"
    assert decode_value(encoded, datetime) == moment
    assert decode_value(encoded, datetime).tzinfo is UTC


@given(st.timedeltas(min_value=-timedelta(days=36500), max_value=timedelta(days=36500)))
def test_durations_round_trip_to_the_microsecond(duration: timedelta) -> None:
    encoded = json.loads(json.dumps(encode_value(duration, timedelta)))
    assert decode_value(encoded, timedelta) == duration


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.timezones()
    )
)
def test_datetimes_round_trip_to_the_same_instant_in_utc(moment: datetime) -> None:
    # compared in UTC: Python never calls a time in a DST fold equal across zones
    assert decode_value(encode_value(moment, datetime), datetime) == moment.astimezone(UTC)


def test_a_duration_too_long_for_exact_seconds_is_refused() -> None:
    with pytest.raises(ValueError, match="too long to encode exactly"):
        encode_value(timedelta(days=60000), timedelta)


def test_naive_datetimes_and_unknown_events_are_not_encoded() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        encode(ev.ContactAbandoned("c1", datetime(2026, 11, 23, 8, 0)))
    with pytest.raises(Invalid, match="not an event the codec knows"):
        encode(Event())


def test_an_unknown_event_type_is_invalid() -> None:
    with pytest.raises(Invalid, match=r"unknown event type 'routing\.contact_vanished'"):
        decode("routing.contact_vanished", {})


ABANDONED = {"contact_id": "c1", "at": "2026-11-23T08:00:00+00:00"}


@pytest.mark.parametrize(
    ("type_name", "payload", "message"),
    [
        ("routing.contact_abandoned", [], "the top level: expected an object, got a list"),
        ("routing.contact_abandoned", {"contact_id": "c1"}, "missing field 'at'"),
        ("routing.contact_abandoned", {**ABANDONED, "why": "x"}, "unknown field.* why"),
        ("routing.contact_abandoned", {**ABANDONED, "contact_id": 7}, "contact_id: expected text"),
        ("routing.contact_abandoned", {**ABANDONED, "at": "2026-11-23T08:00:00"}, "no UTC offset"),
        ("routing.contact_abandoned", {**ABANDONED, "at": "yesterday"}, "not an ISO 8601"),
        ("routing.contact_tier_opened", {**ABANDONED, "tier": True}, "tier: expected an integer"),
        ("routing.contact_tier_opened", {**ABANDONED, "tier": "2"}, "tier: expected an integer"),
        (
            "routing.agent_state_changed",
            {"agent_id": "a", "old": "away", "new": "asleep", "chosen": "away", "reason": None,
             "at": ABANDONED["at"]},
            "new: 'asleep' is not a AgentState",
        ),
    ],
)  # fmt: skip
def test_malformed_payloads_are_invalid_and_say_where(
    type_name: str, payload: Any, message: str
) -> None:
    with pytest.raises(Invalid, match=f"malformed {type_name} payload: .*{message}"):
        decode(type_name, payload)


def test_values_the_domain_refuses_are_invalid_too() -> None:
    profile = encode_value(PROFILE, AgentProfile)
    profile["memberships"][1]["tier"] = 0
    with pytest.raises(Invalid, match=r"memberships\[1\]: tier of queue 'support' must be 1"):
        decode_value(profile, AgentProfile)


def test_an_overflow_action_of_unknown_kind_is_invalid() -> None:
    rule = {"after": 5, "action": {"kind": "page_the_ceo"}}
    with pytest.raises(Invalid, match=r"action: 'kind' must be one of 'relax_skill', "):
        decode_value(rule, OverflowRule)
    rule = {"after": 5, "action": {"kind": "raise_priority", "by": 1, "to": 3}}
    with pytest.raises(Invalid, match=r"action: unknown field\(s\) to for RaisePriority"):
        decode_value(rule, OverflowRule)


# a recorded run -----------------------------------------------------------------------------
class Run:
    """Drives the engine like the service does: commands, and timers fired when due."""

    def __init__(self) -> None:
        self.clock = FakeClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
        self.engine = Engine(self.clock)
        self.log: list[Event] = []
        self.timers: dict[str, datetime] = {}

    def do(self, command: Command) -> None:
        result = self.engine.handle(command)
        self.log += result.events
        for key in result.cancelled:
            self.timers.pop(key, None)
        self.timers.update({timer.key: timer.due_at for timer in result.timers})

    def wait(self, seconds: float) -> None:
        target = self.clock.now() + timedelta(seconds=seconds, microseconds=137)
        while due := sorted((at, key) for key, at in self.timers.items() if at <= target):
            at, key = due[0]
            del self.timers[key]
            self.clock.set(max(at, self.clock.now()))
            self.do(cmd.FireTimer(key))
        self.clock.set(target)

    def offer_of(self, contact_id: str) -> str:
        offers = self.engine.state.offers.values()
        return next(o.offer_id for o in offers if o.contact_id == contact_id)


def _recorded_run() -> Run:
    run = Run()
    run.do(cmd.ConfigureQueue(CONFIG))
    run.do(
        cmd.ConfigureQueue(
            QueueConfig(
                "support", strategy=Strategy.ROUND_ROBIN, ring_timeout=timedelta(seconds=8),
                wrap_up_duration=timedelta(seconds=5), max_no_answers=1, tenant_id="acme",
                overflow=(OverflowRule(timedelta(seconds=20), AddQueueTarget("sales")),),
            )
        )
    )  # fmt: skip
    run.do(cmd.ConfigureQueue(QueueConfig("vip", strategy=Strategy.RING_ALL, priority=5)))
    for profile in (
        AgentProfile("ann", skills={"french": 8}, languages=frozenset({"fr"}),
                     memberships=(Membership("sales"), Membership("vip"))),
        AgentProfile("bob", skills={"french": 2}, team_id="team-1",
                     capacity={Channel.VOICE: 1, Channel.CHAT: 2},
                     memberships=(Membership("sales", tier=2), Membership("support"))),
        AgentProfile("cas", team_id="team-1", is_team_leader=True,
                     memberships=(Membership("support"), Membership("vip"))),
        AgentProfile("dee", auto_answer=True, memberships=(Membership("support", position=1),)),
    ):  # fmt: skip
        run.do(cmd.RegisterAgent(profile))
        run.do(cmd.SetAgentState(profile.agent_id, AgentState.AVAILABLE))
        run.wait(1)
    needs_french = (SkillRequirement("french", 5),)
    run.do(cmd.QueueContact("c1", "sales", Channel.CHAT, requirements=needs_french, language="fr"))
    run.do(cmd.AcceptOffer(run.offer_of("c1")))
    run.do(cmd.QueueContact("c2", "sales", requirements=needs_french, tenant_id="acme"))
    run.wait(16)  # nobody with French is free: tier 2 opens, then the skill is relaxed
    run.do(cmd.RejectOffer(run.offer_of("c2")))
    run.do(cmd.QueueContact("c3", "vip", priority=9))  # rings cas and ann... one answers
    run.do(cmd.AcceptOffer(run.offer_of("c3")))
    run.do(cmd.SetAgentState("cas", AgentState.AWAY, "training"))
    run.do(cmd.QueueContact("c4", "support", Channel.EMAIL))
    run.do(cmd.QueueContact("c5", "support", Channel.VOICE))
    run.do(cmd.RequestCallback("c5"))
    run.wait(30)  # offers expire, overflow rules apply
    run.do(cmd.EndContact("c1"))  # no wrap-up in sales: ann is free, and c5 rings her
    run.do(cmd.AbandonContact("c5"))
    run.do(cmd.EndContact("c3"))
    run.do(cmd.FinishWrapUp("c3", "sale"))
    run.do(cmd.QueueContact("c6", "sales", Channel.CHAT))
    run.do(cmd.TransferContact("c6", queue_id="support"))
    run.wait(90)
    return run


def test_a_recorded_run_replays_to_the_same_state_from_json_text() -> None:
    run = _recorded_run()
    text = json.dumps([{"type": e.name, "payload": encode(e)} for e in run.log])

    decoded = [decode(item["type"], item["payload"]) for item in json.loads(text)]

    assert decoded == run.log
    replayed = Engine.replay(decoded, run.clock)
    assert replayed.snapshot() == run.engine.snapshot()
    assert replayed.pending_timers() == run.engine.pending_timers()


def test_the_recorded_run_exercises_every_event_type() -> None:
    names = {event.name for event in _recorded_run().log}
    assert names == set(EVENT_TYPES)
