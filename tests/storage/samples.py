"""One event of every routing event class, with non-trivial values in every field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from headset.core.messages import Event
from headset.routing import events as ev
from headset.routing.model import (
    AddQueueTarget,
    AddTeamLeaders,
    AgentProfile,
    Channel,
    Direction,
    Membership,
    OverflowRule,
    QueueConfig,
    RaisePriority,
    RelaxSkill,
    ServiceLevelTarget,
    SkillRequirement,
    Strategy,
)
from headset.routing.model import (
    AgentState as State,
)

AT = datetime(2026, 11, 23, 8, 0, 5, 123456, tzinfo=UTC)
LATER = AT + timedelta(seconds=20, microseconds=1)

PROFILE = AgentProfile(
    "ann",
    skills={"french": 7, "billing": 3},
    languages=frozenset({"fr", "en", "de"}),
    team_id="team-1",
    is_team_leader=True,
    capacity={Channel.VOICE: 1, Channel.CHAT: 4, Channel.EMAIL: 0},
    memberships=(Membership("sales", tier=2, position=3), Membership("support")),
    auto_answer=True,
)

CONFIG = QueueConfig(
    "sales",
    strategy=Strategy.SKILLS_WEIGHTED,
    priority=-2,
    service_level=ServiceLevelTarget(percent=92.5, threshold=timedelta(seconds=15, microseconds=7)),
    ring_timeout=timedelta(seconds=12, microseconds=500),
    wrap_up_duration=timedelta(0),
    max_no_answers=5,
    reoffer_delay=timedelta(minutes=2),
    tier_delays=(timedelta(seconds=10), timedelta(seconds=10), timedelta(minutes=1)),
    overflow=(
        OverflowRule(timedelta(seconds=15), RelaxSkill("french", 0)),
        OverflowRule(timedelta(seconds=30), AddQueueTarget("support")),
        OverflowRule(timedelta(seconds=45), AddTeamLeaders("team-1")),
        OverflowRule(timedelta(seconds=50), AddTeamLeaders()),
        OverflowRule(timedelta(seconds=60), RaisePriority(3)),
    ),
    tenant_id="acme",
)

EVENTS: list[Event] = [
    ev.AgentRegistered(PROFILE, AT),
    ev.QueueConfigured(CONFIG, AT),
    ev.AgentStateChanged("ann", State.AVAILABLE, State.AWAY, State.AWAY, "lunch", AT),
    ev.AgentStateChanged("bob", State.OFFLINE, State.RESERVED, State.AVAILABLE, None, AT),
    ev.ContactQueued(
        "c1", "sales", Channel.CHAT, Direction.OUTBOUND, 4,
        (SkillRequirement("french", 5), SkillRequirement("billing")), "fr", "acme",
        AT - timedelta(minutes=3), AT,
    ),
    ev.ContactQueued(
        "c2", "sales", Channel.VOICE, Direction.INBOUND, 0, (), None, None, AT, AT
    ),
    ev.ContactOffered("c1#1", "c1", "ann", "support", LATER, AT),
    ev.OfferAccepted("c1#1", "c1", "ann", LATER),
    ev.OfferRejected("c1#2", "c1", "bob", LATER),
    ev.OfferExpired("c1#3", "c1", "cas", LATER),
    ev.OfferRescinded("c1#4", "c1", "dee", "answered by another agent", LATER),
    ev.ContactTierOpened("c1", 3, LATER),
    ev.ContactOverflowed("c1", 2, LATER),
    ev.CallbackRequested("c1", LATER),
    ev.ContactAbandoned("c2", LATER),
    ev.ContactEnded("c1", "ann", LATER + timedelta(seconds=30), LATER),
    ev.ContactTransferred("c1", "ann", "support", "queue", "support", LATER),
    ev.ContactTransferred("c2", None, "sales", "leaders", "team-1", LATER),
    ev.ContactCompleted("c1", "ann", "sale", LATER),
    ev.ContactCompleted("c1", "ann", None, LATER),
]  # fmt: skip
