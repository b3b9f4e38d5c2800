"""Errors the business core raises; each message tells a person what to do about it.

An error may also name the input `field` it is about (a dotted path into the request body,
such as "time_zone" or "overflow.0.queue_id"), a stable `code` saying what kind of mistake
it is, and the `params` of that code. The API passes them on, so a form can show the error
next to the field and say it in the user's language; the English message stays the
fallback. Plain values only: the core knows nothing of HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping

#: A parameter of an error code: what a translated message fills in.
Param = str | int | float | bool


class HeadsetError(Exception):
    """Base of every error Headset raises on purpose."""

    def __init__(
        self,
        message: str = "",
        *,
        field: str | None = None,
        code: str | None = None,
        params: Mapping[str, Param] | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.params: dict[str, Param] = dict(params or {})


class NotFound(HeadsetError):
    """A named thing (agent, queue, contact, offer) does not exist."""


class Conflict(HeadsetError):
    """The command does not fit the current state (e.g. accepting an expired offer)."""


class Invalid(HeadsetError):
    """The command itself is malformed (e.g. a proficiency outside 1-10)."""


class Unauthenticated(HeadsetError):
    """Nobody is signed in, or the credentials presented are not valid."""


class Forbidden(HeadsetError):
    """The signed-in user or token may not do this."""


class TooManyAttempts(HeadsetError):
    """Too many attempts in a short time (failed sign-ins); try again after `retry_after`."""

    def __init__(
        self,
        message: str,
        retry_after_seconds: float,
        *,
        code: str | None = None,
        params: Mapping[str, Param] | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
        self.retry_after_seconds = retry_after_seconds
