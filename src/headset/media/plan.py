"""Mix plans: who hears whom in each call state — pure data, no media library.

A mix plan maps every party of a call to the sources it hears. A source is another party's
voice or hold music (prompts are played on top of the plan, to one party, for a while). The
hub builds each party's outgoing audio from exactly these sources, so connecting, hold,
listen, whisper, barge and conference are one mechanism with different plans. Nobody ever
hears their own voice (mix-minus).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from headset.core.errors import Invalid

#: The source name of the call's hold music; party ids may not take it.
HOLD_MUSIC = "@music"


@dataclass(frozen=True, slots=True)
class MixPlan:
    """What each party of a call hears: party id -> the sources mixed into its audio."""

    hears: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for listener, sources in self.hears.items():
            if listener == HOLD_MUSIC:
                raise Invalid(f"{HOLD_MUSIC!r} is a source, not a party")
            if listener in sources:
                raise Invalid(f"party {listener!r} would hear their own voice")
            unknown = {s for s in sources if s != HOLD_MUSIC and s not in self.hears}
            if unknown:
                raise Invalid(f"party {listener!r} hears unknown parties {sorted(unknown)}")

    def sources_for(self, party_id: str) -> frozenset[str]:
        """The sources `party_id` hears; a party the plan does not name hears nothing."""
        return self.hears.get(party_id, frozenset())

    def is_heard(self, speaker: str, listener: str) -> bool:
        return speaker in self.sources_for(listener)

    def to_wire(self) -> dict[str, list[str]]:
        """A JSON-friendly form (sorted lists), for the worker protocol and events."""
        return {party: sorted(sources) for party, sources in sorted(self.hears.items())}

    @classmethod
    def from_wire(cls, data: Mapping[str, Iterable[str]]) -> MixPlan:
        return cls({party: frozenset(sources) for party, sources in data.items()})


def _plan(hears: Mapping[str, Iterable[str]]) -> MixPlan:
    return MixPlan({party: frozenset(sources) for party, sources in hears.items()})


def _distinct(*parties: str) -> None:
    if len(set(parties)) != len(parties):
        raise Invalid(f"parties must be distinct, got {list(parties)}")


def connected(customer: str, agent: str) -> MixPlan:
    """A normal conversation: customer and agent hear each other."""
    _distinct(customer, agent)
    return _plan({customer: [agent], agent: [customer]})


def hold(customer: str, agent: str) -> MixPlan:
    """On hold: the customer hears music, the agent hears nothing (and is not heard)."""
    _distinct(customer, agent)
    return _plan({customer: [HOLD_MUSIC], agent: []})


def queued(customer: str) -> MixPlan:
    """Waiting in a queue (or in the IVR): the customer hears music; prompts play on top."""
    return _plan({customer: [HOLD_MUSIC]})


def listen(customer: str, agent: str, supervisor: str) -> MixPlan:
    """Silent monitoring: the supervisor hears both; nobody hears the supervisor."""
    _distinct(customer, agent, supervisor)
    return _plan({customer: [agent], agent: [customer], supervisor: [customer, agent]})


def whisper(customer: str, agent: str, supervisor: str) -> MixPlan:
    """Coaching: the agent hears the customer and the supervisor; the customer never hears
    the supervisor."""
    _distinct(customer, agent, supervisor)
    return _plan({customer: [agent], agent: [customer, supervisor], supervisor: [customer, agent]})


def barge(customer: str, agent: str, supervisor: str) -> MixPlan:
    """The supervisor joins the conversation: everyone hears everyone but themselves."""
    return conference([customer, agent, supervisor])


def conference(parties: Iterable[str]) -> MixPlan:
    """n parties, each hearing all the others (mix-minus)."""
    members = list(parties)
    _distinct(*members)
    if len(members) < 2:
        raise Invalid("a conference needs at least two parties")
    return _plan({p: [o for o in members if o != p] for p in members})
