"""IVR flows as data: the step model, its validation, and the interpreter (pure).

`parse_flow(data)` turns a flow's JSON into `Flow` or raises `Invalid` naming the field path
(`steps[2].options.1`). `Walker` is the interpreter: given the step a call is on and what
happened there (a key, a timeout, the business hours), it says which step comes next. The
service plays the prompts and waits for keys; the decisions are here. See docs/voice.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from headset.core.errors import Invalid

TYPES = ("play", "menu", "collect", "hours", "queue", "callback", "voicemail", "hangup")
ENDINGS = frozenset({"queue", "callback", "voicemail", "hangup"})
KEYS = frozenset("0123456789*#")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")
#: step type -> its fields that name other steps
_LINKS = {"play": ("next",), "collect": ("next",), "menu": ("on_timeout", "on_invalid"),
          "hours": ("open", "closed")}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Step:
    step_id: str
    type: str
    text: str = ""
    prompt_id: str | None = None
    next: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    timeout_s: int = 8
    retries: int = 2
    on_timeout: str | None = None
    on_invalid: str | None = None
    variable: str | None = None
    max_digits: int = 16
    finish_on: str = "#"
    queue_id: str | None = None
    skills: Mapping[str, int] = field(default_factory=dict)
    open: str | None = None
    closed: str | None = None
    max_s: int = 60
    #: queue: the key that asks for a callback while waiting (keeping the place in line)
    callback_key: str | None = None

    def targets(self) -> list[str]:
        found = [getattr(self, name) for name in _LINKS.get(self.type, ())]
        return [t for t in [*found, *self.options.values()] if t]


@dataclass(frozen=True, slots=True)
class Flow:
    name: str
    steps: Mapping[str, Step]
    start: str

    def queues(self) -> set[str]:
        return {s.queue_id for s in self.steps.values() if s.queue_id}


def _fail(path: str, message: str, code: str = "invalid") -> Invalid:
    return Invalid(f"{path}: {message}", field=path, code=code)


def _int(raw: Any, path: str, low: int, high: int, default: int) -> int:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise _fail(path, f"must be a whole number {low}-{high}", "range")
    return raw


def _text(raw: Mapping[str, Any], path: str, *, required: bool) -> tuple[str, str | None]:
    text, prompt = raw.get("text") or "", raw.get("prompt_id")
    if not isinstance(text, str) or len(text) > 1000:
        raise _fail(f"{path}.text", "must be text of at most 1000 characters")
    if prompt is not None and (not isinstance(prompt, str) or not _SLUG.match(prompt)):
        raise _fail(f"{path}.prompt_id", "must be a prompt id (a slug)")
    if required and not text and prompt is None:
        raise _fail(f"{path}.text", "give the text to speak or a prompt_id", "required")
    return text, prompt


def _parse_step(raw: Any, path: str) -> Step:
    if not isinstance(raw, Mapping):
        raise _fail(path, "must be an object")
    step_id, kind = raw.get("id"), raw.get("type")
    if not isinstance(step_id, str) or not _SLUG.match(step_id):
        raise _fail(f"{path}.id", "must be a slug (a-z, 0-9, _ . -)", "required")
    if kind not in TYPES:
        raise _fail(f"{path}.type", f"must be one of {list(TYPES)}", "choice")
    known = {"id", "type", "text", "prompt_id", "next", "options", "timeout_s", "retries",
             "on_timeout", "on_invalid", "variable", "max_digits", "finish_on", "queue_id",
             "skills", "open", "closed", "max_s", "callback_key"}  # fmt: skip
    for name in raw:
        if name not in known:
            raise _fail(f"{path}.{name}", "is not a field of a step", "unknown")
    text, prompt = _text(raw, path, required=kind in ("play", "menu", "collect"))
    values: dict[str, Any] = {"step_id": step_id, "type": kind, "text": text, "prompt_id": prompt}
    for name in ("next", "on_timeout", "on_invalid", "open", "closed", "queue_id", "variable"):
        value = raw.get(name)
        if value is not None and (not isinstance(value, str) or not _SLUG.match(value)):
            raise _fail(f"{path}.{name}", "must be an id (a slug)")
        values[name] = value
    required = {"play": ["next"], "collect": ["next", "variable"], "menu": ["on_timeout"],
                "hours": ["queue_id", "open", "closed"], "queue": ["queue_id"],
                "callback": ["queue_id"], "voicemail": ["queue_id"]}  # fmt: skip
    for name in required.get(str(kind), []):
        if values[name] is None:
            raise _fail(f"{path}.{name}", f"a {kind} step needs {name}", "required")
    options = raw.get("options") or {}
    if kind == "menu":
        if not isinstance(options, Mapping) or not options:
            raise _fail(f"{path}.options", "a menu needs options: {key: step id}", "required")
        for key, target in options.items():
            if key not in KEYS:
                raise _fail(f"{path}.options.{key}", "keys are one of 0-9, * or #")
            if not isinstance(target, str) or not _SLUG.match(target):
                raise _fail(f"{path}.options.{key}", "must be a step id")
        values["options"] = dict(options)
    skills = raw.get("skills") or {}
    if not isinstance(skills, Mapping) or any(
        not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 10 for v in skills.values()
    ):
        raise _fail(f"{path}.skills", "must map skills to a minimum 0-10")
    values["skills"] = dict(skills)
    values["timeout_s"] = _int(raw.get("timeout_s"), f"{path}.timeout_s", 1, 60, 8)
    values["retries"] = _int(raw.get("retries"), f"{path}.retries", 0, 5, 2)
    values["max_digits"] = _int(raw.get("max_digits"), f"{path}.max_digits", 1, 32, 16)
    values["max_s"] = _int(raw.get("max_s"), f"{path}.max_s", 5, 300, 60)
    finish = raw.get("finish_on", "#")
    if finish not in KEYS:
        raise _fail(f"{path}.finish_on", "must be one key: 0-9, * or #")
    values["finish_on"] = finish
    callback_key = raw.get("callback_key")
    if callback_key is not None and (kind != "queue" or callback_key not in KEYS):
        raise _fail(f"{path}.callback_key", "a queue step's key: one of 0-9, * or #")
    values["callback_key"] = callback_key
    if kind == "menu" and values["on_invalid"] is None:
        values["on_invalid"] = values["on_timeout"]
    return Step(**values)


def parse_flow(data: Any) -> Flow:
    """A validated flow; Invalid with the field path of the first problem."""
    if not isinstance(data, Mapping):
        raise _fail("body", "a flow is an object: {name, steps}")
    name = data.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 200:
        raise _fail("name", "give the flow a name (1-200 characters)", "required")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not 1 <= len(raw_steps) <= 200:
        raise _fail("steps", "a flow has 1-200 steps", "required")
    steps: dict[str, Step] = {}
    order: list[str] = []
    for index, raw in enumerate(raw_steps):
        step = _parse_step(raw, f"steps[{index}]")
        if step.step_id in steps:
            raise _fail(f"steps[{index}].id", f"{step.step_id!r} is used twice", "taken")
        steps[step.step_id] = step
        order.append(step.step_id)
    for index, step_id in enumerate(order):
        step = steps[step_id]
        for link in (*_LINKS.get(step.type, ()), "options"):
            targets = step.options if link == "options" else {"": getattr(step, link)}
            for key, target in targets.items():
                if target is not None and target not in steps:
                    where = f"steps[{index}].{link}" + (f".{key}" if key else "")
                    raise _fail(where, f"names no step of this flow: {target!r}", "unknown_step")
    _check_exits(steps, order)
    return Flow(name.strip(), steps, order[0])


def _check_exits(steps: Mapping[str, Step], order: list[str]) -> None:
    """Every step must be able to reach an ending step, or a call could loop forever."""
    can_end = {s for s, step in steps.items() if step.type in ENDINGS}
    changed = True
    while changed:
        changed = False
        for step_id, step in steps.items():
            if step_id not in can_end and any(t in can_end for t in step.targets()):
                can_end.add(step_id)
                changed = True
    for index, step_id in enumerate(order):
        if step_id not in can_end:
            raise _fail(
                f"steps[{index}]",
                f"step {step_id!r} never reaches a queue, callback, voicemail or hangup",
                "no_exit",
            )


@dataclass(frozen=True, slots=True)
class Key:
    key: str


@dataclass(frozen=True, slots=True)
class NoKey:
    pass


Outcome = Key | NoKey


class Walker:
    """Where a call goes next in its flow."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.attempts: dict[str, int] = {}

    def step(self, step_id: str) -> Step:
        return self.flow.steps[step_id]

    def after_menu(self, step_id: str, outcome: Outcome) -> str:
        """The next step of a menu: a chosen option, the same menu again, or its way out."""
        step = self.step(step_id)
        if isinstance(outcome, Key) and outcome.key in step.options:
            self.attempts.pop(step_id, None)
            return step.options[outcome.key]
        tries = self.attempts.get(step_id, 0) + 1
        self.attempts[step_id] = tries
        if tries <= step.retries:
            return step_id
        self.attempts.pop(step_id, None)
        exit_to = step.on_invalid if isinstance(outcome, Key) else step.on_timeout
        return str(exit_to)

    def after_hours(self, step_id: str, is_open: bool) -> str:
        step = self.step(step_id)
        return str(step.open if is_open else step.closed)
