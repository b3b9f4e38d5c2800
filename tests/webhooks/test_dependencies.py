"""The pure parts of webhooks import no web, database or bus library (the deliverer may)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEBHOOKS = Path(__file__).resolve().parents[2] / "src" / "headset" / "webhooks"
FORBIDDEN = {"starlette", "fastapi", "sqlalchemy", "alembic", "redis", "httpx", "websockets"}
PURE = ["__init__.py", "signing.py", "schedule.py", "model.py"]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE)
def test_pure_webhook_modules_import_no_web_database_or_bus_library(module: str) -> None:
    for name in imported_modules(WEBHOOKS / module):
        assert name.split(".")[0] not in FORBIDDEN, f"webhooks/{module} imports {name}"
        assert name != "headset.webhooks.deliverer", f"webhooks/{module} imports the deliverer"
