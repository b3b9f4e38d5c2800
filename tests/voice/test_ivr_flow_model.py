"""IVR flows as data: validation with field paths, and the interpreter's decisions."""

from __future__ import annotations

from typing import Any

import pytest

from headset.calls.ivr import Key, NoKey, Walker, parse_flow
from headset.core.errors import Invalid


def flow(*steps: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Main", "steps": list(steps)}


MENU = {"id": "menu", "type": "menu", "text": "Press 1 or 2.", "options": {"1": "a", "2": "b"},
        "on_timeout": "a", "retries": 1}  # fmt: skip
A = {"id": "a", "type": "queue", "queue_id": "sales"}
B = {"id": "b", "type": "hangup", "text": "Bye."}


def test_a_valid_flow_starts_at_its_first_step() -> None:
    parsed = parse_flow(
        flow({"id": "hi", "type": "play", "text": "Hi.", "next": "menu"}, MENU, A, B)
    )
    assert parsed.start == "hi"
    assert parsed.queues() == {"sales"}
    assert parsed.steps["menu"].on_invalid == "a"  # defaults to on_timeout


@pytest.mark.parametrize(
    ("steps", "path"),
    [
        ([{**MENU, "options": {"1": "nowhere", "2": "b"}}, A, B], "steps[0].options.1"),
        ([{"id": "x", "type": "play", "text": "x", "next": "gone"}, A], "steps[0].next"),
        ([MENU, A, {**B, "id": "a"}], "steps[2].id"),
        ([{"id": "x", "type": "dance"}], "steps[0].type"),
        ([{"id": "x", "type": "queue"}], "steps[0].queue_id"),
        ([{**MENU, "options": {"x": "a"}}, A], "steps[0].options.x"),
        ([{**MENU, "timeout_s": 0}, A, B], "steps[0].timeout_s"),
        ([{"id": "x", "type": "play", "next": "a"}, A], "steps[0].text"),
    ],
)
def test_a_bad_flow_is_refused_naming_the_field(steps: list[Any], path: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_flow(flow(*steps))
    assert refused.value.field == path


def test_a_loop_without_an_exit_is_refused() -> None:
    ping = {"id": "ping", "type": "play", "text": "ping", "next": "pong"}
    pong = {"id": "pong", "type": "play", "text": "pong", "next": "ping"}
    with pytest.raises(Invalid, match="never reaches") as refused:
        parse_flow(flow(A, ping, pong))
    assert refused.value.field == "steps[1]"


def test_a_loop_with_an_exit_is_fine() -> None:
    again = {**MENU, "options": {"1": "a", "2": "menu"}}
    assert parse_flow(flow(again, A)).start == "menu"


def test_the_menu_replays_then_takes_its_way_out() -> None:
    walker = Walker(parse_flow(flow(MENU, A, B)))
    assert walker.after_menu("menu", Key("2")) == "b"
    assert walker.after_menu("menu", Key("9")) == "menu"  # retries: 1
    assert walker.after_menu("menu", Key("9")) == "a"  # then on_invalid
    assert walker.after_menu("menu", NoKey()) == "menu"
    assert walker.after_menu("menu", NoKey()) == "a"


def test_hours_branch_on_open_or_closed() -> None:
    hours = {"id": "h", "type": "hours", "queue_id": "sales", "open": "a", "closed": "b"}
    walker = Walker(parse_flow(flow(hours, A, B)))
    assert walker.after_hours("h", True) == "a"
    assert walker.after_hours("h", False) == "b"
