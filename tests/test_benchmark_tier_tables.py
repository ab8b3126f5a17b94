"""benchmarks/tier_tables.py stays runnable: each step runs once (no timing assertions)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "tier_tables.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tier_tables", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cold_and_warm_steps_each_run_and_are_named() -> None:
    module = _load()
    assert set(module.cold(1)) == {"import", "first lookup", "one more symbol", "all tables"}
    assert set(module.warm(1)) == {"tier_table (cached)", "symbols (345)"}
