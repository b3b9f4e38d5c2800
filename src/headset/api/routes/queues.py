"""Queues: routing strategy, service-level target, overflow rules, business hours."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Connection, select

from headset.access.permissions import Permission
from headset.api.deps import Caller, Name, Rt, Slug, check_time_zone, reading
from headset.api.directory_events import directory_event
from headset.core.errors import Conflict, NotFound
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
from headset.service.operations import Operation
from headset.storage import codec
from headset.storage.tables import queues
from headset.storage.upsert import save_row

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/queues", tags=["queues"])

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class OverflowIn(BaseModel):
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


def queue_body(row: Any) -> dict[str, Any]:
    return {
        "queue_id": row.queue_id,
        "name": row.name,
        "time_zone": row.time_zone,
        "business_hours": row.business_hours,
        "holidays": row.holidays,
        **row.settings["input"],
    }


@router.get("")
def list_queues(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        rows = conn.execute(
            select(queues).where(queues.c.tenant_id == tenant_id).order_by(queues.c.queue_id)
        )
        return [queue_body(r) for r in rows]


@router.get("/{queue_id}")
def get_queue(tenant_id: str, queue_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        row = conn.execute(
            select(queues).where(queues.c.tenant_id == tenant_id, queues.c.queue_id == queue_id)
        ).first()
    if row is None:
        raise NotFound(f"no queue {queue_id!r} in tenant {tenant_id!r}")
    return queue_body(row)


@router.put("/{queue_id}")
async def put_queue(
    tenant_id: str, queue_id: str, body: QueueIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Creates or replaces a queue; the engine applies the new settings at once."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    if body.queue_id != queue_id:
        raise Conflict(f"the body's queue_id {body.queue_id!r} differs from the URL's")
    check_time_zone(body.time_zone)
    owner = rt.host.tenancy.queues.get(queue_id)
    if owner is not None and owner != tenant_id:
        raise Conflict(
            f"queue id {queue_id!r} is taken; choose another",
            field="queue_id",
            code="taken",
            params={"value": queue_id},
        )
    for rule in body.overflow:
        if rule.queue_id and rt.host.tenancy.queues.get(rule.queue_id) != tenant_id:
            raise NotFound(f"overflow names queue {rule.queue_id!r}, not a queue of this tenant")
    config = body.config(tenant_id, rt.host.tenancy.time_zone_of(tenant_id))
    inputs = body.model_dump(
        mode="json", exclude={"queue_id", "name", "time_zone", "business_hours", "holidays"}
    )
    row = {
        "name": body.name,
        "settings": {"input": inputs, "config": codec.encode_value(config, QueueConfig)},
        "time_zone": body.time_zone,
        "business_hours": body.model_dump(mode="json")["business_hours"],
        "holidays": body.model_dump(mode="json")["holidays"],
    }

    def write(conn: Connection) -> Any:
        keys = {"tenant_id": tenant_id, "queue_id": queue_id}
        return queue_body(save_row(conn, queues, keys, row))

    event = directory_event(
        "queue_saved",
        tenant_id,
        f"queue-settings:{queue_id}",
        {"queue_id": queue_id, **row},
        rt.now(),
        who,
    )
    outcome = await rt.host.submit(
        Operation(
            commands=[ConfigureQueue(config)],
            write=write,
            events=[event],
            tenant_id=tenant_id,
            actor=who.actor,
        )
    )
    stored = outcome.written
    rt.host.tenancy.hours[queue_id] = BusinessHours(
        parse_hours(stored["business_hours"]),
        [date.fromisoformat(d) for d in stored["holidays"]],
        stored["time_zone"],
    )
    return dict(stored)
