"""The model of the administration's resources: a `Resource` with its list `Column`s and
form `Field`s, and the readers that fill its pages.

One generic list page and one generic form page serve every resource; adding one is one
`Resource(...)` in the module of its group and an entry in `RESOURCES`. Labels are English
message ids, marked with `N_` so Babel extracts them, and translated when the page is
rendered. Validation is the API's alone: the form sends what was typed and shows the API's
field errors. Pages read through the directory's queries, after the same permission check
the API makes, so a manager sees exactly what the API would show them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection

from headset.access.permissions import Permission
from headset.api.principal import Principal
from headset.api.runtime import Runtime


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name for "translate later")
    """Marks a message id for extraction; the template translates it."""
    return message


FieldKind = Literal[
    "text",
    "email",
    "password",
    "number",
    "select",
    "checkbox",
    "numbers",
    "lines",
    "levels",
    "hours",
    "rows",
    "timezone",
    "paragraph",
    "json",
    "wav",
]


@dataclass(frozen=True)
class Field:
    """One control of a form, named by its key in the API's JSON body."""

    name: str
    label: str
    kind: FieldKind = "text"
    help: str = ""
    #: Fixed choices as (value, label); `source` names choices read from the tenant instead.
    options: tuple[tuple[str, str], ...] = ()
    source: str | None = None
    #: Sent as "" when empty (the API then says it is missing); optional fields send null.
    is_required: bool = False
    #: The resource's id: typed when creating, fixed afterwards.
    is_key: bool = False
    on_create: bool = True
    on_edit: bool = True
    #: The controls of one row, for kind "rows".
    fields: tuple[Field, ...] = ()
    default: Any = None
    #: Sent as "" when empty, for optional texts the API keeps as strings (a greeting).
    sends_blank: bool = False


ColumnFormat = Literal["text", "number", "percent", "seconds", "bool", "dates", "choice", "count"]


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    format: ColumnFormat = "text"


Reader = Callable[[str, Principal, Runtime], list[dict[str, Any]]]
Getter = Callable[[str, str, Principal, Runtime], dict[str, Any]]


@dataclass(frozen=True)
class Resource:
    """A kind of thing the administration lists and edits."""

    slug: str
    title: str
    singular: str
    key: str
    #: The API collection, with "{tenant_id}" for tenant resources.
    api: str
    list_items: Reader
    get_item: Getter
    columns: tuple[Column, ...]
    fields: tuple[Field, ...]
    create_method: Literal["POST", "PUT"] = "PUT"
    update_method: Literal["PUT", "PATCH"] = "PUT"
    can_delete: bool = False
    #: Only the center's admin (tenants); otherwise anyone with config.manage in the tenant.
    is_center: bool = False
    #: A column that shows the item's name in messages and titles.
    name_field: str = "name"
    intro: str = ""
    #: Who may open its pages (the API checks again on every call).
    permission: Permission = Permission.CONFIG_MANAGE
    #: A template shown with a saved item (the widget's script tag), or None.
    panel: str | None = None
    #: A template shown under the list (the users page's "add an existing user"), or None.
    list_panel: str | None = None

    def create_url(self, tenant_id: str | None) -> str:
        base = self.api.format(tenant_id=tenant_id)
        return base if self.create_method == "POST" else base + "/{" + self.key + "}"

    def item_url(self, tenant_id: str | None, item_id: str) -> str:
        return self.api.format(tenant_id=tenant_id) + "/" + item_id


def tenant_list(
    permission: Permission, query: Callable[[Connection, str], list[dict[str, Any]]]
) -> Reader:
    """A page's list: the directory's `query` of the tenant, for a caller with `permission`."""

    def read(tenant_id: str, who: Principal, rt: Runtime) -> list[dict[str, Any]]:
        who.check(tenant_id, permission)
        with rt.reader.connect() as conn:
            return query(conn, tenant_id)

    return read


def tenant_item(
    permission: Permission, query: Callable[[Connection, str, str], dict[str, Any]]
) -> Getter:
    """A form's item: the directory's `query` of one item, for a caller with `permission`."""

    def read(tenant_id: str, item_id: str, who: Principal, rt: Runtime) -> dict[str, Any]:
        who.check(tenant_id, permission)
        with rt.reader.connect() as conn:
            return query(conn, tenant_id, item_id)

    return read
