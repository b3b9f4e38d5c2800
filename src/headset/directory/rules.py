"""The directory's rules that need no database: plain functions over what a client sent."""

from __future__ import annotations

from collections.abc import Iterable

from headset.core.errors import Conflict, Invalid


def check_same_id(key: str, in_body: str | None, in_url: str) -> None:
    """A body may repeat the item's id (PUT of a whole item), but not name another."""
    if in_body is not None and in_body != in_url:
        raise Conflict(f"the body's {key} {in_body!r} differs from the URL's")


def check_proficiencies(levels: Iterable[int]) -> None:
    """An agent's skill levels are 1-10."""
    if any(not 1 <= level <= 10 for level in levels):
        raise Invalid(
            "skill proficiencies are 1-10",
            field="skills",
            code="proficiency_range",
            params={"min": 1, "max": 10},
        )
