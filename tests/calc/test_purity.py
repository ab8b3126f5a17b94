"""riskcalc.calc is pure: it imports nothing outside the standard library (and never Django)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "riskcalc" / "calc"


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_calc_source_imports_only_the_standard_library_and_itself() -> None:
    allowed = set(sys.stdlib_module_names) | {"riskcalc", "__future__"}
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(_top_level_imports(path) - allowed)
        for path in PACKAGE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_calc_loads_no_third_party_module() -> None:
    code = (
        "import sys, json; before = set(sys.modules); import riskcalc.calc; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parents[1],
    ).stdout
    loaded = {name.split(".")[0] for name in json.loads(output)}
    outside = loaded - set(sys.stdlib_module_names) - {"riskcalc"}
    assert outside == set()
    assert "django" not in loaded
