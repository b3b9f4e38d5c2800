"""The access package is business core: standard library, the two cryptography libraries
(argon2 for password hashes, cryptography for sealed secrets) and headset.core only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import headset.access

PACKAGE = Path(headset.access.__file__).parent
ALLOWED = ("argon2", "cryptography", "headset.core", "headset.access")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_access_imports_only_the_standard_library_the_cryptography_and_the_core() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) > 1
    for path in modules:
        for name in _imports(path):
            if name.split(".")[0] in sys.stdlib_module_names or name == "__future__":
                continue
            assert any(name == a or name.startswith(a + ".") for a in ALLOWED), (
                f"{path.name} imports {name}"
            )


def test_access_never_reads_the_wall_clock() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for call in ("datetime.now", "datetime.utcnow", "time.time(", "date.today"):
            assert call not in source, f"{path.name} reads the wall clock ({call})"
