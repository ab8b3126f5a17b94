"""The calculator core stays readable: no module over 800 lines, no function over 100."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "riskcalc" / "calc"
MODULES = sorted(CORE.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_core_module_is_over_800_lines(path: Path) -> None:
    assert len(path.read_text("utf-8").splitlines()) <= 800


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_core_function_is_over_100_lines(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    long = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 100
    ]
    assert long == []
