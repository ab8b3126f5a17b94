"""Exchange profiles, dated tier tables and leverage claims."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from decimal import Decimal as D
from importlib import resources

import pytest

from riskcalc.calc import (
    ClaimStatus,
    InputError,
    LiquidationInput,
    Side,
    leverage_cap,
    leverage_claims,
    liquidation_price,
    liquidation_switches,
    list_profiles,
    profile,
    symbols,
    tier_table,
)
from riskcalc.calc.profiles import (
    GENERIC_MAINTENANCE_MARGIN_RATE,
    GENERIC_MAINTENANCE_MARGIN_RATE_SOURCES,
    bundled_tables,
    close_symbols,
    parse_exchange_file,
    resolve_symbol,
    set_table_source,
    unknown_symbol_message,
)

EXPECTED = [
    "generic",
    "binance_usdm",
    "binance_coinm",
    "bybit",
    "okx",
    "bitmex",
    "mexc",
    "bitget",
    "hyperliquid",
    "dydx",
    "gate",
]


def test_every_required_exchange_has_a_profile() -> None:
    assert [p.name for p in list_profiles()] == EXPECTED


def test_no_profile_invents_a_default_fee() -> None:
    for p in list_profiles():
        assert p.taker_fee_rate is None and p.maker_fee_rate is None
        assert p.fee_note.startswith("Not sourced")


def test_unknown_exchange_names_the_exchange_field() -> None:
    with pytest.raises(InputError) as error:
        profile("ftx")
    assert error.value.field == "exchange"


def test_unknown_symbol_suggests_close_symbols_that_have_a_table() -> None:
    with pytest.raises(InputError) as error:
        tier_table("bybit", "BTCUSTD")
    assert error.value.field == "symbol"
    assert "Did you mean BTCUSDT?" in error.value.message


def test_symbol_errors_offer_only_symbols_with_a_table_on_that_exchange() -> None:
    for p in list_profiles():
        tables = set(symbols(p.name))
        offered = set(re.findall(r"[A-Za-z0-9_-]{2,}", str(unknown_symbol_message(p.name, "ZZZ"))))
        claims_only = {c.symbol for c in leverage_claims(p.name)} - tables
        assert not offered & claims_only, p.name


def test_exchange_without_tables_says_so_instead_of_offering_symbols() -> None:
    bare = [p.name for p in list_profiles() if not symbols(p.name)]
    for name in bare:
        message = str(unknown_symbol_message(name, "BTCUSDT"))
        assert "no dated tier tables" in message and "maintenance margin rate" in message


def test_symbols_are_matched_ignoring_case_and_close_matches_need_a_table() -> None:
    assert resolve_symbol("bybit", "btcusdt") == "BTCUSDT"
    assert resolve_symbol("bybit", "BTCUSD") is None
    assert close_symbols("bybit", "btc") == ("BTCUSDT",)
    assert close_symbols("bybit", "QQQQ") == ()


def test_every_tier_file_loads_validated_and_dated() -> None:
    folder = resources.files("riskcalc.calc").joinpath("data", "tiers")
    files = [entry.name for entry in folder.iterdir() if entry.name.endswith(".json")]
    assert files
    for p in list_profiles():
        for symbol in symbols(p.name):
            table = tier_table(p.name, symbol)
            assert table.snapshot.year >= 2024 and table.retrieved >= table.snapshot
            assert table.source_url.startswith("https://")
            assert table.tier_method is p.tier_method


def test_bundled_snapshots_cover_300_dated_presets_on_five_exchanges() -> None:
    counts = {p.name: len(symbols(p.name)) for p in list_profiles() if symbols(p.name)}
    assert sum(counts.values()) >= 300
    assert len(counts) >= 5, counts


def test_every_table_is_traceable_to_its_source_in_sources_md() -> None:
    text = resources.files("riskcalc.calc").joinpath("data", "SOURCES.md").read_text("utf-8")
    for p in list_profiles():
        for table in bundled_tables(p.name).values():
            assert table.source_url in text, (p.name, table.symbol)
            assert table.snapshot.isoformat() in text, (p.name, table.symbol)


def test_one_bad_table_refuses_the_whole_exchange_file_naming_it() -> None:
    good = json.loads(
        resources.files("riskcalc.calc").joinpath("data", "tiers", "bybit.json").read_text()
    )
    bad = json.loads(json.dumps(good))
    bad["tables"][0]["tiers"][1]["maintenance_amount"] = "1201"
    with pytest.raises(InputError, match=r"Bybit .*BTCUSDT: .*tier 2: maintenance amount 1,201"):
        parse_exchange_file(bad)
    twice = {**good, "tables": good["tables"] * 2}
    with pytest.raises(InputError, match="two tables"):
        parse_exchange_file(twice)


def test_a_registered_table_source_wins_over_the_bundled_snapshot() -> None:
    bundled = tier_table("bybit", "BTCUSDT")
    newer = dataclasses.replace(bundled, snapshot=date(2026, 12, 1), retrieved=date(2026, 12, 1))
    set_table_source(
        lambda exchange: {"BTCUSDT": newer, "NEWUSDT": newer} if exchange == "bybit" else {}
    )
    try:
        assert tier_table("bybit", "BTCUSDT") is newer
        assert "NEWUSDT" in symbols("bybit")
    finally:
        set_table_source(None)
    assert tier_table("bybit", "BTCUSDT") is bundled


def test_tier_tables_are_cached() -> None:
    assert tier_table("bybit", "BTCUSDT") is tier_table("bybit", "BTCUSDT")


def test_sources_document_lists_every_data_file() -> None:
    text = resources.files("riskcalc.calc").joinpath("data", "SOURCES.md").read_text("utf-8")
    folder = resources.files("riskcalc.calc").joinpath("data", "tiers")
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            assert f"tiers/{entry.name}" in text
    assert "max_leverage.json" in text


def test_mexc_500x_is_confirmed_and_bybit_200x_is_kept_only_as_a_contradicted_claim() -> None:
    assert leverage_cap("mexc", "ETHUSDT").max_leverage == D(500)
    assert leverage_cap("bybit", "BTCUSDT").max_leverage == D(100)
    bybit = {c.max_leverage: c.status for c in leverage_claims("bybit")}
    assert bybit[D(200)] is ClaimStatus.CONTRADICTED


def test_every_leverage_claim_has_a_source_and_a_status() -> None:
    raw = json.loads(
        resources.files("riskcalc.calc").joinpath("data", "max_leverage.json").read_text("utf-8")
    )
    assert len(raw["claims"]) == len(leverage_claims())
    for claim in leverage_claims():
        assert claim.source_url.startswith("http")
        assert claim.claimed_by


def test_profile_switches_drive_the_solver() -> None:
    result = liquidation_price(
        LiquidationInput(
            side=Side.LONG,
            entry_price=D(50000),
            quantity=D("0.1"),
            leverage=D(25),
            maintenance_margin_rate=D("0.004"),
            **liquidation_switches("mexc"),  # type: ignore[arg-type]
        )
    )
    assert result.liquidation_price == D(48200)


def test_generic_counts_a_given_fee_in_maintenance_with_default_zero() -> None:
    # The API spec: fee_rate is the "taker fee counted in maintenance; default from the
    # profile, 0 for generic".
    assert liquidation_switches("generic")["fee_in_maintenance"] is True
    assert profile("generic").default_fee_rate == D(0)
    assert profile("generic").taker_fee_rate is None  # not an invented exchange fee
    assert profile("okx").default_fee_rate is None  # counted, not sourced: the user gives it


def test_the_generic_maintenance_rate_is_bybits_btcusdt_tier_1_and_not_below_binances() -> None:
    bybit = tier_table("bybit", "BTCUSDT").tiers[0].maintenance_margin_rate
    binance = tier_table("binance_usdm", "BTCUSDT").tiers[0].maintenance_margin_rate
    assert GENERIC_MAINTENANCE_MARGIN_RATE == bybit == D("0.005")
    assert GENERIC_MAINTENANCE_MARGIN_RATE >= binance == D("0.004")
    assert tier_table("bybit", "BTCUSDT").source_url in GENERIC_MAINTENANCE_MARGIN_RATE_SOURCES
