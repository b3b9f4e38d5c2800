"""The live package stays framework-free: no web, database or bus library in `live/`."""

from __future__ import annotations

import ast
from pathlib import Path

LIVE = Path(__file__).resolve().parents[2] / "src" / "headset" / "live"
FORBIDDEN = {"starlette", "fastapi", "sqlalchemy", "alembic", "redis", "httpx", "websockets"}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_live_imports_no_web_database_or_bus_library() -> None:
    modules = sorted(LIVE.glob("*.py"))
    assert modules
    for path in modules:
        for name in imported_modules(path):
            assert name.split(".")[0] not in FORBIDDEN, f"live/{path.name} imports {name}"


def test_live_imports_only_the_core_and_itself_from_headset() -> None:
    for path in sorted(LIVE.glob("*.py")):
        for name in imported_modules(path):
            if name.startswith("headset."):
                assert name.startswith(("headset.core", "headset.live")), f"{path.name}: {name}"
