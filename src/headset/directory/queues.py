"""Queues: routing strategy, service-level target, overflow rules, business hours."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Connection, select

from headset.core.errors import Conflict, NotFound
from headset.directory.events import DirectoryEventType as E
from headset.directory.names import Name, Slug, check_time_zone
from headset.directory.registrar import Change, Kind, save
from headset.directory.rules import check_same_id
from headset.routing.business_hours import BusinessHours, parse_hours
from headset.routing.commands import ConfigureQueue
from headset.routing.model import (
    AddQueueTarget,
    AddTeamLeaders,
    OverflowAction,
    OverflowRule,
    QueueConfig,
    RaisePriority,
    RelaxSkill,
    ServiceLevelTarget,
    Strategy,
)
from headset.service.host import EngineHost
from headset.storage import codec
from headset.storage.tables import queues

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def queue_view(row: Any) -> dict[str, Any]:
    """A queue as the API shows it: the settings as they were sent."""
    return {
        "queue_id": row.queue_id,
        "name": row.name,
        "time_zone": row.time_zone,
        "business_hours": row.business_hours,
        "holidays": row.holidays,
        **row.settings["input"],
    }


QUEUES = Kind(
    queues, "queue_id", "queue", E.QUEUE_SAVED, None,
    stream=lambda _, queue_id: f"queue-settings:{queue_id}", view=queue_view,
)  # fmt: skip


class OverflowIn(BaseModel):
    """An overflow rule as clients send it."""

    model_config = ConfigDict(extra="forbid")
    after_seconds: float = Field(ge=0, le=86_400)
    action: Literal["relax_skill", "add_queue", "add_team_leaders", "raise_priority"]
    skill: str | None = None
    minimum: int | None = Field(default=None, ge=0, le=10)
    queue_id: str | None = None
    team_id: str | None = None
    by: int | None = Field(default=None, ge=-100, le=100)

    @model_validator(mode="after")
    def _fields_for_action(self) -> OverflowIn:
        needs = {
            "relax_skill": ("skill", "minimum"),
            "add_queue": ("queue_id",),
            "raise_priority": ("by",),
            "add_team_leaders": (),
        }[self.action]
        missing = [n for n in needs if getattr(self, n) is None]
        if missing:
            raise ValueError(f"overflow action {self.action} needs {', '.join(missing)}")
        return self

    def rule(self) -> OverflowRule:
        """The engine's rule."""
        action: OverflowAction
        if self.action == "relax_skill":
            action = RelaxSkill(self.skill or "", self.minimum or 0)
        elif self.action == "add_queue":
            action = AddQueueTarget(self.queue_id or "")
        elif self.action == "add_team_leaders":
            action = AddTeamLeaders(self.team_id)
        else:
            action = RaisePriority(self.by or 0)
        return OverflowRule(timedelta(seconds=self.after_seconds), action)


class QueueIn(BaseModel):
    """A queue as clients send it; durations in seconds."""

    model_config = ConfigDict(extra="forbid")
    queue_id: Slug
    name: Name
    strategy: Strategy = Strategy.LONGEST_IDLE
    priority: int = Field(default=0, ge=-100, le=100)
    service_level_percent: float = Field(default=80.0, gt=0, le=100)
    service_level_seconds: float = Field(default=20.0, gt=0, le=86_400)
    ring_timeout_seconds: float = Field(default=20.0, gt=0, le=600)
    wrap_up_seconds: float = Field(default=30.0, ge=0, le=7_200)
    max_no_answers: int = Field(default=3, ge=1, le=100)
    reoffer_delay_seconds: float = Field(default=30.0, ge=0, le=3_600)
    tier_delays_seconds: list[float] = Field(default=[30.0], max_length=10)
    overflow: list[OverflowIn] = Field(default=[], max_length=20)
    time_zone: str = Field(default="UTC", max_length=64)
    #: Opening hours per weekday as [["08:00", "17:00"], ...]; no entry for a day: closed.
    #: An empty mapping means always open.
    business_hours: dict[Weekday, list[tuple[time, time]]] = {}
    holidays: list[date] = Field(default=[], max_length=400)
    #: Calls of this queue: recorded always, never, when the agent starts it, or as the
    #: tenant's voice settings say (docs/voice.md, "Recording policy").
    recording: Literal["tenant", "all", "none", "on_demand"] = "tenant"
    #: Days a recording is kept, then deleted by the sweep (None: the tenant's default).
    recording_retention_days: int | None = Field(default=None, ge=1, le=3_650)
    #: How often a waiting caller hears their place in line and the expected wait.
    announce_every_s: float = Field(default=30.0, ge=5, le=600)

    @model_validator(mode="after")
    def _check(self) -> QueueIn:
        if self.tier_delays_seconds != sorted(self.tier_delays_seconds):
            raise ValueError("tier_delays_seconds must not decrease")
        for day, spans in self.business_hours.items():
            for start, end in spans:
                if end <= start:
                    raise ValueError(f"business hours of {day} must end after they start")
        return self

    def config(self, tenant_id: str, tenant_time_zone: str) -> QueueConfig:
        """The engine's settings of the queue."""
        return QueueConfig(
            queue_id=self.queue_id,
            strategy=self.strategy,
            priority=self.priority,
            service_level=ServiceLevelTarget(
                self.service_level_percent, timedelta(seconds=self.service_level_seconds)
            ),
            ring_timeout=timedelta(seconds=self.ring_timeout_seconds),
            wrap_up_duration=timedelta(seconds=self.wrap_up_seconds),
            max_no_answers=self.max_no_answers,
            reoffer_delay=timedelta(seconds=self.reoffer_delay_seconds),
            tier_delays=tuple(timedelta(seconds=s) for s in self.tier_delays_seconds),
            overflow=tuple(o.rule() for o in self.overflow),
            tenant_id=tenant_id,
            tenant_time_zone=tenant_time_zone,
        )


class QueueOut(QueueIn):
    """A stored queue: the settings as they were sent."""

    # what was stored is shown as stored, even a field a later release no longer takes
    model_config = ConfigDict(extra="allow")

    queue_id: str
    name: str


def list_queues(conn: Connection, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's queues, by id."""
    query = select(queues).where(queues.c.tenant_id == tenant_id).order_by(queues.c.queue_id)
    return [queue_view(r) for r in conn.execute(query)]


def get_queue(conn: Connection, tenant_id: str, queue_id: str) -> dict[str, Any]:
    """One queue, or NotFound."""
    row = conn.execute(
        select(queues).where(queues.c.tenant_id == tenant_id, queues.c.queue_id == queue_id)
    ).first()
    if row is None:
        raise NotFound(f"no queue {queue_id!r} in tenant {tenant_id!r}")
    return queue_view(row)


def _check(host: EngineHost, tenant_id: str, queue_id: str, body: QueueIn) -> None:
    check_same_id("queue_id", body.queue_id, queue_id)
    check_time_zone(body.time_zone)
    owner = host.tenancy.queues.get(queue_id)
    if owner is not None and owner != tenant_id:
        raise Conflict(
            f"queue id {queue_id!r} is taken; choose another",
            field="queue_id",
            code="taken",
            params={"value": queue_id},
        )
    for rule in body.overflow:
        if rule.queue_id and host.tenancy.queues.get(rule.queue_id) != tenant_id:
            raise NotFound(f"overflow names queue {rule.queue_id!r}, not a queue of this tenant")


async def save_queue(
    host: EngineHost, tenant_id: str, queue_id: str, body: QueueIn, *, actor: str
) -> dict[str, Any]:
    """Creates or replaces a queue; the engine applies the new settings at once."""
    _check(host, tenant_id, queue_id, body)
    config = body.config(tenant_id, host.tenancy.time_zone_of(tenant_id))
    shown = body.model_dump(mode="json")
    values = {
        "name": body.name,
        "settings": {
            "input": {k: v for k, v in shown.items() if k not in _COLUMNS},
            "config": codec.encode_value(config, QueueConfig),
        },
        "time_zone": body.time_zone,
        "business_hours": shown["business_hours"],
        "holidays": shown["holidays"],
    }
    change = Change(
        tenant_id, queue_id, values, actor, host.clock.now(),
        data={"queue_id": queue_id, **values}, commands=[ConfigureQueue(config)],
    )  # fmt: skip
    stored = await save(host, QUEUES, change)
    host.tenancy.hours[queue_id] = BusinessHours(
        parse_hours(stored["business_hours"]),
        [date.fromisoformat(d) for d in stored["holidays"]],
        stored["time_zone"],
    )
    return stored


#: Settings stored in columns of their own rather than in `settings["input"]`.
_COLUMNS = frozenset({"queue_id", "name", "time_zone", "business_hours", "holidays"})
