"""The IVR a call runs before it is queued: the widget's flow, or the built-in topic menu.

The flow's decisions are `headset.calls.ivr.Walker`'s (pure); this module plays the prompts,
waits for keys and takes the ending step (queue, callback, voicemail, hang-up).

Built-in, for widgets without a flow: with one topic (or a topic chosen on the call form) the
caller is greeted and queued at once; with several, key n picks the n-th topic. A wrong key
is said to be wrong and the menu comes again; after three rounds without a choice the call
goes to the first topic, so nobody is stuck in the menu.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from headset.calls.ivr import Flow, Key, NoKey, Step, Walker
from headset.calls.origins import Origin
from headset.routing.business_hours import is_open_at

if TYPE_CHECKING:
    from headset.voice.board import Switchboard
    from headset.voice.live_call import LiveCall

ROUNDS = 3
#: Steps a flow may take before the call is queued to its first queue (a safety net: the
#: validation already refuses loops without exits, but a caller could circle a menu).
MAX_STEPS = 100


def menu_text(display_name: str, topics: list[dict[str, Any]]) -> str:
    options = " ".join(f"For {t['label']}, press {n}." for n, t in enumerate(topics, start=1))
    return f"Welcome to {display_name}. {options}"


async def run_menu(board: Switchboard, call: LiveCall) -> dict[str, Any] | None:
    """The topic the caller chose (None when a flow ran instead, or the call ended)."""
    if call.flow is not None:
        await run_flow(board, call, call.flow)
        return None
    topics = call.topics
    if not topics:
        return None
    chosen = [t for t in topics if t["topic_id"] == call.topic_id]
    if chosen or len(topics) == 1:
        await board.speech.say(call, f"Thank you for calling {call.display_name}.")
        return chosen[0] if chosen else topics[0]
    for _ in range(ROUNDS):
        key = await board.speech.ask(call, menu_text(call.display_name, topics))
        if key is None:
            continue
        await board.steps.record_digits(call, key)
        if key.isdigit() and 1 <= int(key) <= len(topics):
            return topics[int(key) - 1]
        await board.speech.say(call, "Sorry, that is not one of the options.")
    return topics[0]


async def run_flow(board: Switchboard, call: LiveCall, flow: Flow) -> None:
    walker = Walker(flow)
    step_id: str | None = flow.start
    for _ in range(MAX_STEPS):
        if step_id is None or call.state.status.value != "ivr":
            return
        step = walker.step(step_id)
        step_id = await _run_step(board, call, walker, step)
    first = next(iter(flow.queues()), None)
    if first is not None:
        await board.line.queue(call, {"queue_id": first, "label": flow.name})


async def _run_step(board: Switchboard, call: LiveCall, walker: Walker, step: Step) -> str | None:
    """Carries out one step; the id of the next (None: the flow is over)."""
    match step.type:
        case "play":
            await board.speech.say_step(call, step)
            return step.next
        case "menu":
            key = await board.speech.ask_step(call, step)
            if key is not None:
                await board.steps.record_digits(call, key)
            return walker.after_menu(step.step_id, Key(key) if key is not None else NoKey())
        case "collect":
            digits = await _collect(board, call, step)
            await board.steps.record_digits(call, digits, variable=step.variable)
            return step.next
        case "hours":
            hours = board.host.tenancy.hours.get(step.queue_id or "")
            is_open = is_open_at(hours, board.host.clock.now())
            return walker.after_hours(step.step_id, is_open)
        case "queue":
            await board.speech.say_step(call, step)
            call.callback_key = step.callback_key
            await board.line.queue(call, _topic(step, walker.flow))
        case "callback":
            await board.line.callback(call, _topic(step, walker.flow), step)
        case "voicemail":
            await board.line.voicemail(call, _topic(step, walker.flow), step)
        case "hangup":
            await board.speech.say_step(call, step)
            await board.ending.hang_up(call, "system", Origin.IVR)
    return None


def _topic(step: Step, flow: Flow) -> dict[str, Any]:
    return {"queue_id": step.queue_id, "skills": dict(step.skills), "label": flow.name}


async def _collect(board: Switchboard, call: LiveCall, step: Step) -> str:
    """Keys until `finish_on`, `max_digits`, or `timeout_s` without a key."""
    first = await board.speech.ask_step(call, step)
    digits = ""
    key = first
    while key is not None and key != step.finish_on:
        digits += key
        if len(digits) >= step.max_digits:
            break
        key = None
        with contextlib.suppress(TimeoutError):
            key = await asyncio.wait_for(call.digits.get(), step.timeout_s)
    return digits
