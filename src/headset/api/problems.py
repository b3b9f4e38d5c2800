"""Errors as RFC 9457 problem details (`application/problem+json`) a person can act on.

Each field error carries, beside its English `message`, a stable `type` and the `params` of
that type (pydantic's error type and context, or the code an error raised on purpose
carries), so a client such as the web forms can say it in the user's language and fall
back to `message` for a type it does not know. docs/service.md lists the types.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from starlette.routing import Match, Route

from headset.core.errors import (
    Conflict,
    Forbidden,
    HeadsetError,
    Invalid,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)

log = logging.getLogger("headset.api")

PROBLEM = "application/problem+json"

_STATUS: list[tuple[type[HeadsetError], int, str]] = [
    (Unauthenticated, 401, "Not signed in"),
    (Forbidden, 403, "Not allowed"),
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Conflict"),
    (TooManyAttempts, 429, "Too many attempts"),
    (Invalid, 422, "Invalid request"),
]


#: A field error's type when route code raised the error without a code of its own.
INVALID = "invalid"
#: Headset's type for an address EmailStr refused (pydantic calls it a plain value_error).
EMAIL = "email"
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="headset"'
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def status_of(error: HeadsetError) -> tuple[int, str]:
    """The HTTP status and title of an error Headset raised on purpose."""
    for kind, status, title in _STATUS:
        if isinstance(error, kind):
            return status, title
    return 503, "Service unavailable"


def install(app: FastAPI) -> None:
    """Registers the handlers that turn every error into problem+json."""

    @app.exception_handler(HeadsetError)
    async def _headset(request: Request, error: HeadsetError) -> JSONResponse:
        status, title = status_of(error)
        response = problem(status, title, str(error), **_coded(error))
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(int(error.retry_after_seconds + 0.999))
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [field_error(e) for e in error.errors()]
        fields = ", ".join(e["field"] or "body" for e in errors)
        detail = f"the request has invalid fields: {fields}" if errors else "invalid request"
        return problem(422, "Invalid request", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        detail = error.detail if isinstance(error.detail, str) else "request failed"
        if error.status_code == 404 and detail == "Not Found":
            detail = f"there is no {request.url.path}; see /docs for the API"
        if error.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        response = problem(error.status_code, _title(error.status_code), detail)
        response.headers.update(error.headers or {})
        if error.status_code == 405:  # Starlette names only the first matching route's
            response.headers["Allow"] = ", ".join(_allowed_methods(request))
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error", "something went wrong on our side; try again")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on the request's path."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.matches(request.scope)[0] is not Match.NONE:
            methods.update(route.methods or ())
    return sorted(methods)


def field_error(error: Any) -> dict[str, Any]:
    """One of pydantic's errors as `{field, message, type, params}`."""
    kind = str(error.get("type", INVALID))
    message = str(error.get("msg", "invalid"))
    context = error.get("ctx") or {}
    params: dict[str, Any] = {
        key: value for key, value in context.items() if isinstance(value, str | int | float | bool)
    }
    path = [p for p in error.get("loc", ()) if p != "body"]
    if kind == "json_invalid":
        # FastAPI puts the character position where the field would be: it is no field
        params["position"] = path[0] if path and isinstance(path[0], int) else 0
        path = []
    if kind == "value_error" and message.startswith("value is not a valid email address"):
        kind = EMAIL
    if kind in ("literal_error", "enum") and isinstance(params.get("expected"), str):
        params["choices"] = _QUOTED.findall(params["expected"])
    return {
        "field": ".".join(str(p) for p in path),
        "message": message,
        "type": kind,
        "params": params,
    }


def _coded(error: HeadsetError) -> dict[str, Any]:
    """The code, params and field of an error raised on purpose, for the problem body."""
    extra: dict[str, Any] = {}
    if error.code:
        extra["code"] = error.code
        extra["params"] = error.params
    if error.field is not None:
        extra["errors"] = [
            {
                "field": error.field,
                "message": str(error),
                "type": error.code or INVALID,
                "params": error.params,
            }
        ]
    return extra


def _title(status: int) -> str:
    return {404: "Not found", 405: "Method not allowed", 413: "Too large"}.get(status, "Error")
