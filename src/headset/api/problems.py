"""Errors as RFC 9457 problem details (`application/problem+json`) a person can act on."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

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
        response = problem(status, title, str(error))
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(int(error.retry_after_seconds + 0.999))
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                "message": e.get("msg", "invalid"),
            }
            for e in error.errors()
        ]
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
        return problem(error.status_code, _title(error.status_code), detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error", "something went wrong on our side; try again")


def _title(status: int) -> str:
    return {404: "Not found", 405: "Method not allowed", 413: "Too large"}.get(status, "Error")
