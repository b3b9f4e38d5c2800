"""A tenant's simple lists: teams, skills, dispositions and away reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from headset.directory.events import DirectoryEventType as E
from headset.directory.names import Name, Slug
from headset.directory.registrar import Change, Kind, columns_view, listing, load, remove, save
from headset.directory.rules import check_same_id
from headset.service.host import EngineHost
from headset.storage.tables import away_reasons, dispositions, skills, teams


class TeamIn(BaseModel):
    """A team as clients send it."""

    model_config = ConfigDict(extra="forbid")
    team_id: Slug
    name: Name
    leader_user_id: str | None = None
    #: Contacts per hour each agent of the team aims for; shown on their desktops.
    contacts_per_hour_target: float | None = Field(default=None, gt=0, le=1000)


class SkillIn(BaseModel):
    """A skill as clients send it."""

    model_config = ConfigDict(extra="forbid")
    skill_id: Slug
    name: Name


class CodeIn(BaseModel):
    """A disposition or away reason as clients send it."""

    model_config = ConfigDict(extra="forbid")
    code: Slug
    label: Name


class TeamOut(BaseModel):
    """A stored team."""

    team_id: str
    name: str
    leader_user_id: str | None
    contacts_per_hour_target: float | None


class SkillOut(BaseModel):
    """A stored skill."""

    skill_id: str
    name: str


class DispositionOut(BaseModel):
    """A stored disposition."""

    code: str
    label: str
    is_active: bool


class AwayReasonOut(BaseModel):
    """A stored away reason."""

    code: str
    label: str


@dataclass(frozen=True, slots=True)
class SimpleList:
    """One simple list: its path in the API, its registrar kind, body and answer models."""

    path: str
    kind: Kind
    body: type[BaseModel]
    out: type[BaseModel]


def _list(
    path: str, table: Any, key: str, models: tuple[type[BaseModel], type[BaseModel]],
    saved: E, removed: E, **more: Any,
) -> SimpleList:  # fmt: skip
    kind = Kind(
        table, key, path.rstrip("s").replace("-", " "), saved, removed,
        stream=lambda tenant_id, item_id: f"{path}:{tenant_id}:{item_id}",
        view=columns_view(table), **more,
    )  # fmt: skip
    return SimpleList(path, kind, *models)


LISTS = (
    # the engine knows teams by id alone: a team id is unique across the center
    _list("teams", teams, "team_id", (TeamIn, TeamOut), E.TEAM_SAVED, E.TEAM_REMOVED,
          is_global_key=True),
    _list("skills", skills, "skill_id", (SkillIn, SkillOut), E.SKILL_SAVED, E.SKILL_REMOVED),
    _list("dispositions", dispositions, "code", (CodeIn, DispositionOut), E.DISPOSITION_SAVED,
          E.DISPOSITION_REMOVED),
    _list("away-reasons", away_reasons, "code", (CodeIn, AwayReasonOut), E.AWAY_REASON_SAVED,
          E.AWAY_REASON_REMOVED),
)  # fmt: skip
LIST_BY_PATH = {item.path: item for item in LISTS}


def list_items(conn: Connection, kind: Kind, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's items of the list, by id."""
    return listing(conn, kind, tenant_id)


def get_item(conn: Connection, kind: Kind, tenant_id: str, item_id: str) -> dict[str, Any]:
    """One item of the list, or NotFound."""
    return kind.view(load(conn, kind, tenant_id, item_id))


async def save_item(
    host: EngineHost, kind: Kind, tenant_id: str, item_id: str, body: BaseModel, *, actor: str
) -> dict[str, Any]:
    """Creates or replaces an item; the body's id must be the URL's."""
    values = body.model_dump()
    check_same_id(kind.key, values[kind.key], item_id)
    rest = {k: v for k, v in values.items() if k != kind.key}
    change = Change(tenant_id, item_id, rest, actor, host.clock.now(), data=values)
    return await save(host, kind, change)


async def remove_item(
    host: EngineHost, kind: Kind, tenant_id: str, item_id: str, *, actor: str
) -> None:
    """Deletes an item of the list."""
    await remove(host, kind, tenant_id, item_id, actor=actor, at=host.clock.now())
