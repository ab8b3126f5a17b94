"""The system check that validates every bundled tier snapshot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from riskcalc.calc import profiles
from riskcalc.checks import tier_snapshots_check


@pytest.fixture
def clear_table_caches() -> Iterator[None]:
    cached = (profiles._bundled_rows, profiles._bundled_table, profiles._sorted_symbols)
    yield
    for function in cached:
        function.cache_clear()


def test_every_bundled_snapshot_passes_the_check() -> None:
    assert tier_snapshots_check() == []


def test_a_broken_table_fails_the_check_naming_file_and_symbol(
    monkeypatch: pytest.MonkeyPatch, clear_table_caches: None
) -> None:
    good = dict(profiles._bundled_rows("bybit")["BTCUSDT"])
    tiers = [dict(t) for t in good["tiers"]]  # type: ignore[attr-defined]
    tiers[1]["maintenance_amount"] = "1201"
    rows = {"BTCUSDT": {**good, "tiers": tiers}}
    profiles._bundled_table.cache_clear()
    monkeypatch.setattr(
        profiles, "_bundled_rows", lambda exchange: rows if exchange == "bybit" else {}
    )
    errors = tier_snapshots_check()
    assert [e.id for e in errors] == ["riskcalc.E001"]
    assert "tiers/bybit.json" in errors[0].msg and "BTCUSDT" in errors[0].msg
    assert "1,201" in errors[0].msg
