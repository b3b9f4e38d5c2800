"""The error answers in the OpenAPI schema: every status a route can give, as problem+json.

Routes declare their success answers; their errors come from one place (api/problems.py),
so they are declared here too, by the kind of route rather than route by route:

- every operation: 401 and 403 (a signed-in user, an API token, or a chat's or call's own
  token: each route asks for one, and the widget's routes refuse origins it does not list),
  404, 409, 422 (the request's or the action's rules), 429 and 503 (the database refused a
  write; nothing was stored);
- a route that takes a body: 400 (a malformed body or upload) and 413 (too large).

Each is `application/problem+json` with the `Problem` schema. FastAPI's own 422
(`HTTPValidationError`, application/json) is replaced: Headset answers 422 as a problem too.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from headset.api.problems import PROBLEM

_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Too large",
    422: "Invalid request",
    429: "Too many attempts",
    503: "Not stored; try again",
}
EVERY = (401, 403, 404, 409, 422, 429, 503)
WITH_BODY = (400, 413)


class FieldError(BaseModel):
    """One field's error: `type` and `params` let a client say it in its own language."""

    field: str
    message: str
    type: str
    params: dict[str, Any] = {}


class Problem(BaseModel):
    """An error as RFC 9457 problem details (docs/service.md, "Errors")."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str | None = None
    params: dict[str, Any] | None = None
    errors: list[FieldError] | None = Field(default=None)


def install(app: FastAPI) -> None:
    """Adds the error answers to the schema the app builds (once, then cached by FastAPI)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_problems(build(), app)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def statuses_of(route: APIRoute) -> list[int]:
    """The error statuses `route` can answer with."""
    found = set(EVERY)
    if route.body_field is not None:
        found.update(WITH_BODY)
    return sorted(found)


def add_problems(schema: dict[str, Any], app: FastAPI) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    definitions = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(definitions.pop("$defs", {}))
    components["Problem"] = definitions
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        operations = schema["paths"].get(route.path_format, {})
        for method in route.methods or ():
            operation = operations.get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in statuses_of(route):
                responses[str(status)] = {
                    "description": _DESCRIPTIONS[status],
                    "content": content,
                }
