"""The direction of dependencies: the core and the engine use the standard library only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "headset"

#: package -> the first-party packages it may import (besides the standard library).
PURE = {
    "core": {"headset.core"},
    "routing": {"headset.core", "headset.routing"},
    "chat": {"headset.core", "headset.chat"},
    "mail": {"headset.core", "headset.mail"},
    "calls": {"headset.core", "headset.calls"},
    "customers": {"headset.core", "headset.customers"},
}
#: business areas may use numeric libraries but never web, database or bus libraries.
BUSINESS = (
    "core", "routing", "staffing", "reporting", "sim", "access", "live", "chat", "mail", "calls",
    "customers",
)  # fmt: skip
FORBIDDEN = {"sqlalchemy", "starlette", "fastapi", "redis", "jinja2", "alembic", "httpx", "aiortc"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(PURE))
def test_core_and_engine_import_only_the_standard_library(package: str) -> None:
    allowed = PURE[package]
    assert _modules(package), f"no modules found in {package}"
    for path in _modules(package):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top == "__future__":
                continue
            assert any(name == a or name.startswith(a + ".") for a in allowed), (
                f"{path.relative_to(SRC)} imports {name}"
            )


@pytest.mark.parametrize("package", BUSINESS)
def test_business_areas_never_import_web_database_or_bus_libraries(package: str) -> None:
    for path in _modules(package):
        for name in _imports(path):
            assert name.split(".")[0] not in FORBIDDEN, f"{path.relative_to(SRC)} imports {name}"


def test_the_check_would_notice_a_third_party_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import numpy\nfrom headset.sim import runner\n")
    assert _imports(module) == ["numpy", "headset.sim"]
