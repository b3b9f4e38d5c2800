"""Administration pages: one generic list and form for every resource in `resources.py`.

Lists are read through the directory's queries after the API's own permission checks (so a
manager sees exactly what the API would show them); forms submit to the API from the browser
(`static/js/forms.js`).
"""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from headset.access.permissions import scope_of
from headset.access.roles import Role
from headset.api.problems import status_of
from headset.api.runtime import runtime_of
from headset.core.errors import HeadsetError
from headset.web.pages import forbidden, gate, refuse, renderer
from headset.web.resources import (
    LANGUAGE_OPTIONS,
    RESOURCES,
    ROLE_OPTIONS,
    STRATEGY_OPTIONS,
    TENANTS,
    Choices,
    Resource,
    read_choices,
)
from headset.web.resources.people import get_tenant, visible_tenants
from headset.web.visitor import Visitor

router = APIRouter(include_in_schema=False)

#: Labels of fixed choices shown in list columns, by column name.
_FIXED = {
    "role": dict(ROLE_OPTIONS),
    "language": dict(LANGUAGE_OPTIONS),
    "strategy": dict(STRATEGY_OPTIONS),
}
#: List columns that show a name read from the tenant instead of an id.
_SOURCED = {"leader_user_id": "users", "team_id": "teams"}


@cache
def _time_zones() -> list[str]:
    return sorted(available_timezones())


def _admin_visitor(request: Request) -> Visitor | Response:
    visitor = gate(request)
    if isinstance(visitor, Visitor) and not visitor.may_admin:
        return forbidden(request, visitor)
    return visitor


def managed(visitor: Visitor) -> dict[str, Resource]:
    """The tenant resources whose pages this visitor may open, in navigation order."""
    role = visitor.principal.role
    return {s: r for s, r in RESOURCES.items() if scope_of(role, r.permission) is not None}


def _tenant_choices(request: Request, visitor: Visitor) -> list[dict[str, Any]]:
    return visible_tenants(visitor.principal, runtime_of(request))


@router.get("/admin")
def admin_home(request: Request) -> Response:
    visitor = _admin_visitor(request)
    if not isinstance(visitor, Visitor):
        return visitor
    if visitor.principal.role is Role.ADMIN:
        return RedirectResponse("/admin/tenants", status_code=303)
    seen = _tenant_choices(request, visitor)
    if not seen:
        _ = renderer(request).translator(visitor.language)
        return refuse(
            request,
            visitor,
            404,
            _("No tenant yet"),
            _("You are not assigned to any tenant; ask the center's administrator."),
        )
    return RedirectResponse(f"/admin/t/{seen[0]['tenant_id']}/queues", status_code=303)


@router.get("/admin/switch")
def switch(request: Request, tenant: str = "", section: str = "queues") -> Response:
    slug = section if section in RESOURCES else "queues"
    return RedirectResponse(f"/admin/t/{tenant}/{slug}", status_code=303)


def _page(
    request: Request,
    tenant_id: str | None,
    slug: str,
    template: str,
    item_id: str | None = None,
    **extra: Any,
) -> Response:
    visitor = _admin_visitor(request)
    if not isinstance(visitor, Visitor):
        return visitor
    resource = TENANTS if tenant_id is None else RESOURCES.get(slug)
    _ = renderer(request).translator(visitor.language)
    if resource is None:
        return refuse(request, visitor, 404, _("Not found"), _("There is no such page."))
    if resource.is_center and visitor.principal.role is not Role.ADMIN:
        return forbidden(request, visitor)
    if not resource.is_center and slug not in managed(visitor):
        return forbidden(request, visitor)
    rt, who = runtime_of(request), visitor.principal
    base_url = "/admin/tenants" if tenant_id is None else f"/admin/t/{tenant_id}/{slug}"
    try:
        choices = _choices(resource, tenant_id, visitor, request, template)
        context: dict[str, Any] = {
            "resource": resource,
            "resources": managed(visitor),
            "tenant_id": tenant_id,
            "tenant_name": _tenant_name(request, visitor, tenant_id),
            "tenant_choices": _tenant_choices(request, visitor),
            "base_url": base_url,
            "rows_url": base_url + "/rows",
            "choices": choices,
            "label_of": lambda column, value: _label(_, choices, column, value),
            # where the service is reached, for texts to paste elsewhere (the widget's tag)
            "site_url": str(request.base_url).rstrip("/"),
        }
        if template in ("admin/list.html", "admin/rows.html"):
            context["items"] = resource.list_items(tenant_id or "", who, rt)
        else:
            context.update(_form(resource, tenant_id, item_id, visitor, request, _))
    except HeadsetError as error:
        status, title = status_of(error)
        return refuse(request, visitor, status, _(title), str(error))
    return renderer(request).render(
        request, template, visitor.language, visitor, **context, **extra
    )


def _tenant_name(request: Request, visitor: Visitor, tenant_id: str | None) -> str:
    if tenant_id is None:
        return ""
    found = get_tenant(tenant_id, visitor.principal, runtime_of(request))
    return str(found["name"])


def _choices(
    resource: Resource, tenant_id: str | None, visitor: Visitor, request: Request, template: str
) -> Choices:
    if tenant_id is None:
        return Choices()
    if template == "admin/form.html":
        sources = {f.source for f in resource.fields if f.source}
        sources |= {s.source for f in resource.fields for s in f.fields if s.source}
    else:
        sources = {_SOURCED[c.name] for c in resource.columns if c.name in _SOURCED}
    return read_choices(
        tenant_id, visitor.principal, runtime_of(request), {s for s in sources if s}
    )


def _label(gettext: Any, choices: Choices, column: str, value: Any) -> str:
    if column in _FIXED:
        label = _FIXED[column].get(value)
        return str(gettext(label)) if label else str(value)
    if column in _SOURCED:
        return choices.label(_SOURCED[column], value)
    return str(value)


def _form(
    resource: Resource,
    tenant_id: str | None,
    item_id: str | None,
    visitor: Visitor,
    request: Request,
    gettext: Any,
) -> dict[str, Any]:
    is_edit = item_id is not None
    item: dict[str, Any] = {}
    method: str
    if is_edit:
        item = resource.get_item(
            tenant_id or "", item_id or "", visitor.principal, runtime_of(request)
        )
        name = item.get(resource.name_field, item_id)
        heading = gettext("Edit %(name)s") % {"name": name}
        method, action = resource.update_method, resource.item_url(tenant_id, item_id or "")
    else:
        heading = gettext("New %(kind)s") % {"kind": gettext(resource.singular)}
        method, action = resource.create_method, resource.create_url(tenant_id)
    fields = [f for f in resource.fields if (f.on_edit if is_edit else f.on_create)]
    return {
        "item": item,
        "is_edit": is_edit,
        "heading": heading,
        "method": method,
        "action": action,
        "fields": fields,
        "uses_time_zones": any(f.kind == "timezone" for f in fields),
        "time_zones": _time_zones(),
    }


@router.get("/admin/tenants")
def tenant_list(request: Request, saved: str | None = None) -> Response:
    return _page(request, None, "tenants", "admin/list.html", saved=saved)


@router.get("/admin/tenants/rows")
def tenant_rows(request: Request) -> Response:
    return _page(request, None, "tenants", "admin/rows.html", saved=None)


@router.get("/admin/tenants/new")
def tenant_new(request: Request) -> Response:
    return _page(request, None, "tenants", "admin/form.html")


@router.get("/admin/tenants/{item_id}/edit")
def tenant_edit(request: Request, item_id: str) -> Response:
    return _page(request, None, "tenants", "admin/form.html", item_id)


@router.get("/admin/t/{tenant_id}/{slug}")
def resource_list(
    request: Request, tenant_id: str, slug: str, saved: str | None = None
) -> Response:
    return _page(request, tenant_id, slug, "admin/list.html", saved=saved)


@router.get("/admin/t/{tenant_id}/{slug}/rows")
def resource_rows(request: Request, tenant_id: str, slug: str) -> Response:
    return _page(request, tenant_id, slug, "admin/rows.html", saved=None)


@router.get("/admin/t/{tenant_id}/{slug}/new")
def resource_new(request: Request, tenant_id: str, slug: str) -> Response:
    return _page(request, tenant_id, slug, "admin/form.html")


@router.get("/admin/t/{tenant_id}/{slug}/{item_id}/edit")
def resource_edit(request: Request, tenant_id: str, slug: str, item_id: str) -> Response:
    return _page(request, tenant_id, slug, "admin/form.html", item_id)
