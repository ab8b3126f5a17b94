"""The benchmark script stays runnable: every case runs once (no timing assertions)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "calc_speed.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calc_speed", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_benchmark_case_runs_and_the_table_lists_it() -> None:
    module = _load()
    results = module.measure(number=1, repeat=1)
    assert set(results) == set(module.CASES)
    rendered = module.table(results)
    for name in module.CASES:
        assert name in rendered
