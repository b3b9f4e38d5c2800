"""Random identifiers for rows: a readable prefix and 64 random bits (`c_1f2e...`)."""

from __future__ import annotations

import secrets


def new_id(prefix: str) -> str:
    """A new identifier such as `m_9b1c2d3e4f506172`: the prefix names the kind of row."""
    return f"{prefix}_{secrets.token_hex(8)}"
