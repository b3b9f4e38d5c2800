"""A simulation scenario: the day's intervals, queues with their traffic, and agent groups."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from headset.core.errors import HeadsetError
from headset.reporting.intervals import IntervalGrid
from headset.routing.model import AgentProfile, Membership, QueueConfig, SkillRequirement


class ScenarioError(HeadsetError):
    """A scenario file is malformed; the message names the offending field."""


@dataclass(frozen=True, slots=True)
class Distribution:
    """A positive random duration in seconds: fixed, exponential or lognormal."""

    kind: str
    mean: float
    sd: float = 0.0


@dataclass(frozen=True, slots=True)
class QueueTraffic:
    """A queue's settings for the engine, and the contacts the simulator sends to it."""

    config: QueueConfig
    #: Expected contacts per interval (Poisson arrivals at a constant rate within each).
    arrivals: tuple[float, ...]
    handle_time: Distribution
    #: None: customers never give up.
    patience: Distribution | None = None
    #: None: agents use the queue's whole wrap-up duration (the engine's timer ends it).
    wrap_up_time: Distribution | None = None
    short_abandon: timedelta = timedelta(seconds=5)
    #: Languages of the contacts with their shares; empty: contacts have no language.
    languages: tuple[tuple[str, float], ...] = ()
    requirements: tuple[SkillRequirement, ...] = ()

    @property
    def queue_id(self) -> str:
        return self.config.queue_id


@dataclass(frozen=True, slots=True)
class AgentGroup:
    """`count` alike agents named `prefix` + number, working one shift."""

    prefix: str
    count: int
    memberships: tuple[Membership, ...]
    skills: Mapping[str, int] = field(default_factory=dict)
    languages: frozenset[str] = frozenset()
    #: Shift as seconds from the scenario start; None: from the start, until the run ends.
    shift_start: float | None = None
    shift_end: float | None = None
    #: Seconds an agent takes to accept an offer.
    answer_delay: float = 0.0

    def agent_ids(self) -> list[str]:
        """The ids of the group's agents."""
        width = len(str(self.count))
        return [f"{self.prefix}{n:0{width}d}" for n in range(1, self.count + 1)]

    def profiles(self) -> list[AgentProfile]:
        """The routing profile of each agent of the group."""
        return [
            AgentProfile(
                agent_id=agent_id,
                skills=dict(self.skills),
                languages=self.languages,
                memberships=self.memberships,
                # Agents who answer at once are on auto-answer: the engine connects directly.
                auto_answer=self.answer_delay <= 0,
            )
            for agent_id in self.agent_ids()
        ]


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything one simulated day needs."""

    name: str
    grid: IntervalGrid
    queues: tuple[QueueTraffic, ...]
    agent_groups: tuple[AgentGroup, ...]
    time_zone: str = "UTC"
    #: Intervals at the start left out of the day's figures (the center filling up).
    warm_up_intervals: int = 0
