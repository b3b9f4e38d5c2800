"""Who hears whom on a live call (docs/voice.md, "Mix plans"), from the call's state."""

from __future__ import annotations

from headset.calls.call import CallStatus
from headset.media import plan as mix
from headset.media.plan import HOLD_MUSIC, MixPlan
from headset.voice.live_call import CUSTOMER, LiveCall


def plan_of(call: LiveCall) -> MixPlan:
    """The mix plan the call's state asks for now."""
    s, c, a, sup = call.state, CUSTOMER, call.agent_leg, call.supervisor_leg
    if s.status is CallStatus.IVR:
        return MixPlan({c: frozenset()})
    if a is None or s.status in (CallStatus.QUEUED, CallStatus.RINGING, CallStatus.ENDED):
        hears: dict[str, set[str]] = {c: {HOLD_MUSIC}}
        if a is not None:
            hears[a] = set()
        return _frozen(hears)
    mode = s.supervisor_mode if sup else None
    t = call.consult_leg
    if t is not None and call.is_conference:
        hears = {k: set(v) for k, v in mix.conference([c, a, t]).hears.items()}
        if s.is_muted:
            hears[c].discard(a)
            hears[t].discard(a)
        return _frozen(hears)
    if t is not None:  # consulting: the customer holds, the two agents talk
        return MixPlan({c: frozenset({HOLD_MUSIC}), a: frozenset({t}), t: frozenset({a})})
    if s.status is CallStatus.HELD:
        hears = {c: {HOLD_MUSIC}, a: set()}
        if sup:
            hears[sup] = {a}
            if mode in ("whisper", "barge"):
                hears[a] = {sup}
    else:
        if sup and mode == "listen":
            base = mix.listen(c, a, sup)
        elif sup and mode == "whisper":
            base = mix.whisper(c, a, sup)
        elif sup and mode == "barge":
            base = mix.barge(c, a, sup)
        else:
            base = mix.connected(c, a)
        hears = {k: set(v) for k, v in base.hears.items()}
    if s.is_muted:
        hears[c].discard(a)
    return _frozen(hears)


def _frozen(hears: dict[str, set[str]]) -> MixPlan:
    return MixPlan({k: frozenset(v) for k, v in hears.items()})
