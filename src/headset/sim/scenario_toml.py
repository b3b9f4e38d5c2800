"""Reads a scenario from TOML (docs/simulator.md describes the format), strictly."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from headset.core.errors import Invalid
from headset.reporting.intervals import IntervalGrid
from headset.routing.model import (
    AddQueueTarget,
    AddTeamLeaders,
    Membership,
    OverflowAction,
    OverflowRule,
    QueueConfig,
    RaisePriority,
    RelaxSkill,
    ServiceLevelTarget,
    SkillRequirement,
    Strategy,
)
from headset.sim.scenario import AgentGroup, Distribution, QueueTraffic, Scenario, ScenarioError
from headset.sim.strict_toml import StrictTable

DISTRIBUTIONS = ("fixed", "exponential", "lognormal")


def load_scenario(path: Path) -> Scenario:
    """Reads and validates the scenario file at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(f"cannot read scenario {path}: {error.strerror}") from error
    return parse_scenario(text, source=str(path))


def parse_scenario(text: str, source: str = "scenario") -> Scenario:
    """Parses scenario TOML; any problem raises ScenarioError naming the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{source} is not valid TOML: {error}") from error
    root = StrictTable(data)
    name = root.text("name", "scenario")
    zone_name = root.text("time_zone", "UTC")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise root.fail("time_zone", f"unknown time zone {zone_name!r}") from error
    day = _date(root, "date")
    start = datetime.combine(day, _clock_time(root, "start", "08:00"), zone)
    grid = IntervalGrid(
        start_at=start.astimezone(UTC),
        length=timedelta(minutes=root.number("interval_minutes", 15, positive=True)),
        count=root.integer("intervals", minimum=1),
    )
    warm_up = root.integer("warm_up_intervals", 0)
    if warm_up >= grid.count:
        raise root.fail("warm_up_intervals", f"must be fewer than the {grid.count} intervals")
    queues = tuple(_queue(table, grid.count, zone_name) for table in root.tables("queues"))
    if not queues:
        raise root.fail("queues", "at least one queue is needed")
    ids = [queue.queue_id for queue in queues]
    if len(set(ids)) != len(ids):
        raise root.fail("queues", f"queue ids must be unique: {ids}")
    groups = tuple(
        _agent_group(table, start, set(ids)) for table in root.tables("agent_groups", [])
    )
    root.finish()
    return Scenario(name, grid, queues, groups, zone_name, warm_up)


def _date(table: StrictTable, key: str) -> date:
    value = table.raw(key)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise table.fail(key, f"expected a date like 2025-03-10, got {value!r}")


def _clock_time(table: StrictTable, key: str, default: str) -> time:
    value = table.text(key, default)
    try:
        return time.fromisoformat(value)
    except ValueError as error:
        raise table.fail(key, f"expected a time like 08:00, got {value!r}") from error


def _seconds(table: StrictTable, key: str, default: float) -> timedelta:
    return timedelta(seconds=table.number(key, default))


def _queue(table: StrictTable, intervals: int, time_zone: str) -> QueueTraffic:
    """A queue of the scenario's center, whose day is that of the scenario's time zone."""
    queue_id = table.text("id")
    try:
        strategy = Strategy(table.text("strategy", Strategy.LONGEST_IDLE.value))
    except ValueError as error:
        choices = ", ".join(s.value for s in Strategy)
        raise table.fail("strategy", f"must be one of {choices}") from error
    try:
        config = QueueConfig(
            queue_id=queue_id,
            strategy=strategy,
            priority=table.integer("priority", 0, minimum=-1_000_000),
            service_level=_service_level(table),
            ring_timeout=timedelta(seconds=table.number("ring_timeout", 20, positive=True)),
            wrap_up_duration=_seconds(table, "wrap_up", 30),
            max_no_answers=table.integer("max_no_answers", 3, minimum=1),
            tier_delays=tuple(timedelta(seconds=s) for s in table.numbers("tier_delays", [30])),
            overflow=tuple(_overflow(rule) for rule in table.tables("overflow", [])),
            tenant_time_zone=time_zone,
        )
    except Invalid as error:
        raise ScenarioError(f"{table.where('id')}: {error}") from error
    traffic = QueueTraffic(
        config=config,
        arrivals=_arrivals(_required_table(table, "arrivals"), intervals),
        handle_time=_distribution(_required_table(table, "handle_time")),
        patience=_optional_distribution(table, "patience"),
        wrap_up_time=_optional_distribution(table, "wrap_up_time"),
        short_abandon=_seconds(table, "short_abandon", 5),
        languages=_shares(table, "languages"),
        requirements=_requirements(table),
    )
    table.finish()
    return traffic


def _required_table(table: StrictTable, key: str) -> StrictTable:
    found = table.table(key)
    assert found is not None  # a required table is never None
    return found


def _service_level(table: StrictTable) -> ServiceLevelTarget:
    text = table.text("service_level", "80/20")
    percent, _, seconds = text.partition("/")
    try:
        target = ServiceLevelTarget(float(percent), timedelta(seconds=float(seconds)))
    except ValueError:
        raise table.fail("service_level", f"expected a target like '80/20', got {text!r}") from None
    if not 0 < target.percent <= 100 or target.threshold < timedelta(0):
        raise table.fail("service_level", f"percent must be 0-100 and seconds positive: {text!r}")
    return target


def _overflow(table: StrictTable) -> OverflowRule:
    after = _seconds(table, "after", 0)
    kind = table.text("action")
    action: OverflowAction
    if kind == "add_queue":
        action = AddQueueTarget(table.text("queue"))
    elif kind == "relax_skill":
        action = RelaxSkill(table.text("skill"), table.integer("minimum", 0))
    elif kind == "add_team_leaders":
        action = AddTeamLeaders(table.text("team", None) if table.has("team") else None)
    elif kind == "raise_priority":
        action = RaisePriority(table.integer("by", 1, minimum=-1_000_000))
    else:
        raise table.fail(
            "action", "must be add_queue, relax_skill, add_team_leaders or raise_priority"
        )
    table.finish()
    return OverflowRule(after, action)


def _arrivals(table: StrictTable, intervals: int) -> tuple[float, ...]:
    if table.has("per_interval") == table.has("volume"):
        raise table.fail("per_interval", "give either per_interval, or volume with shape")
    if table.has("per_interval"):
        value = table.raw("per_interval")
        if isinstance(value, list):
            counts = table.numbers("per_interval")
        else:
            counts = [table.check_number("per_interval", value)] * intervals
        if len(counts) != intervals:
            raise table.fail("per_interval", f"needs {intervals} values, one per interval")
    else:
        volume = table.number("volume")
        shape = table.numbers("shape")
        if len(shape) != intervals or sum(shape) <= 0:
            raise table.fail("shape", f"needs {intervals} weights, one per interval, not all 0")
        counts = [volume * weight / sum(shape) for weight in shape]
    table.finish()
    return tuple(counts)


def _distribution(table: StrictTable) -> Distribution:
    kind = table.text("distribution", "exponential")
    if kind not in DISTRIBUTIONS:
        raise table.fail("distribution", f"must be one of {', '.join(DISTRIBUTIONS)}")
    mean = table.number("mean", positive=kind != "fixed")
    sd = table.number("sd", positive=True) if kind == "lognormal" else 0.0
    table.finish()
    return Distribution(kind, mean, sd)


def _optional_distribution(table: StrictTable, key: str) -> Distribution | None:
    found = table.table(key, None)
    return None if found is None else _distribution(found)


def _shares(table: StrictTable, key: str) -> tuple[tuple[str, float], ...]:
    found = table.table(key, None)
    if found is None:
        return ()
    shares = tuple((name, found.number(name)) for name in found.names())
    if sum(share for _, share in shares) <= 0:
        raise table.fail(key, "shares must add up to more than 0")
    found.finish()
    return shares


def _requirements(table: StrictTable) -> tuple[SkillRequirement, ...]:
    found = table.table("requirements", None)
    if found is None:
        return ()
    try:
        result = tuple(SkillRequirement(skill, found.integer(skill)) for skill in found.names())
    except Invalid as error:
        raise table.fail("requirements", str(error)) from error
    found.finish()
    return result


def _agent_group(table: StrictTable, start: datetime, queue_ids: set[str]) -> AgentGroup:
    memberships = []
    for entry in table.tables("queues"):
        queue_id = entry.text("queue")
        if queue_id not in queue_ids:
            raise entry.fail("queue", f"no queue {queue_id!r} in this scenario")
        try:
            memberships.append(Membership(queue_id, entry.integer("tier", 1, minimum=1)))
        except Invalid as error:
            raise entry.fail("tier", str(error)) from error
        entry.finish()
    skills_table = table.table("skills", None)
    skills = {} if skills_table is None else _skills(skills_table)
    shift_start, shift_end = _shift(table, start)
    group = AgentGroup(
        prefix=table.text("prefix"),
        count=table.integer("count", minimum=1),
        memberships=tuple(memberships),
        skills=skills,
        languages=frozenset(table.texts("languages", [])),
        shift_start=shift_start,
        shift_end=shift_end,
        answer_delay=table.number("answer_delay", 0),
    )
    table.finish()
    return group


def _skills(table: StrictTable) -> dict[str, int]:
    skills = {}
    for skill in table.names():
        level = table.integer(skill, minimum=1)
        if level > 10:
            raise table.fail(skill, f"proficiency must be 1-10, not {level}")
        skills[skill] = level
    table.finish()
    return skills


def _shift(table: StrictTable, start: datetime) -> tuple[float | None, float | None]:
    if not table.has("shift"):
        return None, None
    text = table.text("shift")
    first, _, last = text.partition("-")
    try:
        begin, end = (
            datetime.combine(start.date(), time.fromisoformat(part.strip()), start.tzinfo)
            for part in (first, last)
        )
    except ValueError:
        raise table.fail("shift", f"expected a shift like '08:00-16:30', got {text!r}") from None
    if end <= begin:
        raise table.fail("shift", f"must end after it starts: {text!r}")
    return (begin - start).total_seconds(), (end - start).total_seconds()
