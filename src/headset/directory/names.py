"""The shapes of names a client chooses for directory items: ids, display names, time zones."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import StringConstraints

from headset.core.errors import Invalid

#: Identifiers chosen by clients: short, readable, safe in URLs.
Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,62}$", strip_whitespace=True)
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


def check_time_zone(name: str) -> None:
    """Refuses a time zone name the IANA database does not know."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(
            f"unknown time zone {name!r}; use a name like Europe/Riga",
            field="time_zone",
            code="unknown_time_zone",
            params={"value": name},
        ) from None
