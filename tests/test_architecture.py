"""The direction of dependencies: the core and the engine use the standard library only, and
only the outer layers (HTTP, pages, command line) import the API and the web pages."""

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
    "contacts": {"headset.core", "headset.routing", "headset.customers", "headset.contacts"},
}
#: business areas may use numeric libraries but never web, database or bus libraries.
BUSINESS = (
    "core", "routing", "staffing", "reporting", "sim", "access", "live", "chat", "mail", "calls",
    "customers", "contacts", "vault",
)  # fmt: skip
FORBIDDEN = {"sqlalchemy", "starlette", "fastapi", "redis", "jinja2", "alembic", "httpx", "aiortc"}
#: The outer layers: only they may import `headset.api` and `headset.web`.
OUTER = {"api", "web", "cli"}
#: Everything else: every package of src/headset and the top-level modules (bootstrap, config).
_TOP = {p.parent.name for p in SRC.glob("*/__init__.py")} | {p.stem for p in SRC.glob("*.py")}
INNER = sorted(_TOP - OUTER - {"__init__"})


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
    if (SRC / f"{package}.py").exists():
        return [SRC / f"{package}.py"]
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


def test_the_inner_layers_are_the_packages_and_modules_outside_api_web_and_cli() -> None:
    assert {"bootstrap", "config", "core", "service", "voice", "mailroom"} <= set(INNER)
    assert OUTER.isdisjoint(INNER)


@pytest.mark.parametrize("package", INNER)
def test_only_api_web_and_cli_import_the_api_or_the_web_pages(package: str) -> None:
    """Services (voice, mailroom, service...) are built by bootstrap.py and handed to the API,
    never the other way round: an inner package importing `headset.api` made a cycle."""
    for path in _modules(package):
        for name in _imports(path):
            top = ".".join(name.split(".")[:2])
            assert top not in {"headset.api", "headset.web"}, (
                f"{path.relative_to(SRC)} imports {name}"
            )


def _module_level_registries(path: Path) -> list[int]:
    """Lines of module-level assignments of a WeakKeyDictionary (a registry keyed by object)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.lineno
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign) and "WeakKeyDictionary" in ast.unparse(node)
    ]


def test_no_module_keeps_a_registry_of_services() -> None:
    """A process's services are fields of `bootstrap.Services`, not module-level dictionaries
    keyed by the engine host (docs/decisions/0009-composition-root.md)."""
    found = [
        f"{path.relative_to(SRC)}:{line}"
        for path in sorted(SRC.rglob("*.py"))
        for line in _module_level_registries(path)
    ]
    assert found == []


def test_the_registry_check_would_notice_one(tmp_path: Path) -> None:
    module = tmp_path / "room.py"
    module.write_text("import weakref\n\n_ROOMS: dict = weakref.WeakKeyDictionary()\n")
    assert _module_level_registries(module) == [3]


#: What a route may not import: it parses, authorises, calls one action or query and answers a
#: typed model (docs/decisions/0010-routes-actions-core.md); SQL and tables live below it.
ROUTES_MAY_NOT_IMPORT = ("sqlalchemy", "headset.storage")
#: The API package as a whole stays small: the work is in the service packages.
API_LINE_LIMIT = 4_000


def _route_modules() -> list[Path]:
    return sorted((SRC / "api" / "routes").rglob("*.py"))


def _forbidden_in_routes(path: Path) -> list[str]:
    return [
        name
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in ROUTES_MAY_NOT_IMPORT)
    ]


def test_routes_write_no_sql_and_touch_no_tables() -> None:
    found = {
        str(path.relative_to(SRC)): names
        for path in _route_modules()
        if (names := _forbidden_in_routes(path))
    }
    assert found == {}


def test_the_route_check_would_notice_sql(tmp_path: Path) -> None:
    module = tmp_path / "queues.py"
    module.write_text(
        "from sqlalchemy import insert\nfrom headset.storage.tables import queues\n"
        "from headset.directory import registrar\n"
    )
    assert _forbidden_in_routes(module) == ["sqlalchemy", "headset.storage.tables"]


def test_the_api_package_stays_under_its_line_limit() -> None:
    lines = sum(len(path.read_text().splitlines()) for path in (SRC / "api").rglob("*.py"))
    assert lines < API_LINE_LIMIT, f"api/ has {lines} lines; move work into service packages"
