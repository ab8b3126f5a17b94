"""Notional, initial and maintenance margin, margin ratio, leverage caps, maximum size."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D

import pytest

from riskcalc.calc import (
    ContractType,
    InputError,
    MaxOpenLimit,
    check_leverage,
    initial_margin,
    maintenance_margin,
    margin_ratio,
    max_leverage,
    max_open_quantity,
    notional,
    tier_table,
    tiers_from_rows,
)
from riskcalc.calc.tiers import TierBoundary, TierRow, TierTable
from riskcalc.calc.types import TierMethod
from tests.calc.vectors import Vector, assert_published, ids, vectors

LINEAR, INVERSE = ContractType.LINEAR, ContractType.INVERSE


def binance_mm(v: Vector) -> None:
    i = v["inputs"]
    qty = D(i.get("position_qty_btc") or i["position_qty_eth"])
    result = maintenance_margin(
        contract=LINEAR,
        quantity=qty,
        price=D(i["mark_price_usdt"]),
        maintenance_margin_rate=D(i["mmr"]),
        maintenance_amount=D(i["cum_usdt"]),
    )
    assert_published(
        result.maintenance_margin, v["expected"]["maintenance_margin_usdt"], v["tolerance"]
    )
    # Binance prints the notional to 3 dp.
    assert_published(result.notional, v["expected"]["notional_usdt_as_printed"], "abs 0.0005")


def bitget_whole_position_with_fee(v: Vector) -> None:
    i = v["inputs"]
    result = maintenance_margin(
        contract=LINEAR,
        quantity=D(i["qty_btc"]),
        price=D(i["mark_price_usdt"]),
        maintenance_margin_rate=D(i["tier_mmr"]),
        fee_rate=D(i["taker_fee_rate_added"]),
    )
    assert_published(result.maintenance_margin, v["expected"]["maintenance_margin_usdt"])


def bybit_tiered_3500(v: Vector) -> None:
    i = v["inputs"]
    rows = [
        TierRow(cap=D(cap), maintenance_margin_rate=D(rate), max_leverage=D(1))
        for cap, rate in zip(i["tier_caps_usdt"], i["tier_mmr"], strict=True)
    ]
    table = TierTable(
        exchange="bybit",
        exchange_name="Bybit help-page example",
        symbol="EXAMPLE",
        contract=LINEAR,
        notional_unit="USDT",
        tier_method=TierMethod.DEDUCTION,
        boundary=TierBoundary.CAP_INCLUSIVE,
        source_url=v["source_url"],
        snapshot=tier_table("bybit", "BTCUSDT").snapshot,
        retrieved=tier_table("bybit", "BTCUSDT").retrieved,
        tiers=tiers_from_rows(rows, method=TierMethod.DEDUCTION),
    )
    result = maintenance_margin(
        contract=LINEAR, quantity=D(i["position_value_usdt"]), price=D(1), tiers=table
    )
    assert_published(result.maintenance_margin, v["expected"]["maintenance_margin_usdt"])
    assert result.tier is not None and result.tier.number == 4
    assert_published(result.maintenance_amount, v["expected"]["mm_deduction_tier4_usdt"])


def coinm_mm(v: Vector) -> None:
    i = v["inputs"]
    result = maintenance_margin(
        contract=INVERSE,
        quantity=D(i["contracts"]),
        contract_size=D(i["contract_size_usd"]),
        price=D(i["mark_price_usd"]),
        maintenance_margin_rate=D(i["mmr"]),
        maintenance_amount=D(i["cum_btc"]),
    )
    assert_published(result.notional, v["expected"]["notional_btc"])
    assert_published(result.maintenance_margin, v["expected"]["maintenance_margin_btc"])


def bybit_inverse_initial_margin_fragment(v: Vector) -> None:
    i = v["inputs"]
    value = notional(
        contract=INVERSE, quantity=D(i["qty_usd_contracts"]), price=D(i["entry_price_usd"])
    )
    im = initial_margin(
        contract=INVERSE,
        quantity=D(i["qty_usd_contracts"]),
        price=D(i["entry_price_usd"]),
        leverage=D(i["leverage"]),
    )
    assert_published(value, v["expected"]["position_value_btc"])
    assert_published(im, v["expected"]["initial_margin_btc"])


def bybit_inverse_initial_margin(v: Vector) -> None:
    i = v["inputs"]
    im = initial_margin(
        contract=INVERSE,
        quantity=D(i["qty_usd_contracts"]),
        price=D(i["order_price_usd"]),
        leverage=D(i["leverage"]),
    )
    assert_published(im, v["expected"]["initial_margin_btc"])


CHECKS: dict[str, Callable[[Vector], None]] = {
    "binance-usdm-maint-margin-btcusdt": binance_mm,
    "binance-usdm-maint-margin-ethusdt": binance_mm,
    "bitget-mm-old-whole-position": bitget_whole_position_with_fee,
    "bybit-maintenance-margin-tiered-3500": bybit_tiered_3500,
    "binance-coinm-maintenance-margin": coinm_mm,
    "bybit-uta-inverse-older-page-fragment-60000usd": bybit_inverse_initial_margin_fragment,
    "bybit-inverse-initial-margin-12000": bybit_inverse_initial_margin,
}
MARGIN_VECTORS = vectors(prefix="maintenance_margin_l") + vectors(prefix="maintenance_margin_i")
MARGIN_VECTORS += vectors(prefix="initial_margin_")


def test_every_margin_vector_has_a_golden_check() -> None:
    missing = [v["id"] for v in MARGIN_VECTORS if v["id"] not in CHECKS]
    assert not missing, f"vectors without a golden check: {missing}"


@pytest.mark.parametrize("v", MARGIN_VECTORS, ids=ids(MARGIN_VECTORS))
def test_published_margin_figures_are_reproduced(v: Vector) -> None:
    CHECKS[v["id"]](v)


class TestMaintenanceMargin:
    def test_tier_is_looked_up_by_notional_not_by_balance(self) -> None:
        table = tier_table("binance_usdm", "BTCUSDT")
        result = maintenance_margin(contract=LINEAR, quantity=D(10), price=D(100000), tiers=table)
        assert result.notional == D(1000000)
        assert result.tier is not None and result.tier.number == 3
        assert result.maintenance_margin == D(1000000) * D("0.0065") - D(950)

    def test_tier_table_and_explicit_rate_together_are_refused(self) -> None:
        with pytest.raises(InputError) as error:
            maintenance_margin(
                contract=LINEAR,
                quantity=D(1),
                price=D(100),
                maintenance_margin_rate=D("0.01"),
                tiers=tier_table("binance_usdm", "BTCUSDT"),
            )
        assert error.value.field == "__all__"

    def test_inverse_tiers_are_refused_for_a_linear_position(self) -> None:
        with pytest.raises(InputError) as error:
            maintenance_margin(
                contract=INVERSE, quantity=D(1), price=D(100), tiers=tier_table("bybit", "BTCUSDT")
            )
        assert error.value.field == "tiers"

    def test_missing_rate_names_the_rate_field(self) -> None:
        with pytest.raises(InputError) as error:
            maintenance_margin(contract=LINEAR, quantity=D(1), price=D(100))
        assert error.value.field == "maintenance_margin_rate"


class TestMarginRatio:
    def test_margin_ratio_is_maintenance_over_balance(self) -> None:
        assert margin_ratio(maintenance_margin=D(50), margin_balance=D(200)) == D("0.25")

    def test_non_positive_balance_is_explained(self) -> None:
        with pytest.raises(InputError, match="past bankruptcy"):
            margin_ratio(maintenance_margin=D(50), margin_balance=D(0))


class TestLeverage:
    def test_binance_btcusdt_allows_125x_only_in_the_first_tier(self) -> None:
        table = tier_table("binance_usdm", "BTCUSDT")
        assert max_leverage(tiers=table, notional=D(49999)) == D(125)
        assert max_leverage(tiers=table, notional=D(50000)) == D(100)

    def test_leverage_above_the_tier_maximum_names_the_exchange_and_limit(self) -> None:
        with pytest.raises(InputError) as error:
            check_leverage(
                tiers=tier_table("binance_usdm", "BTCUSDT"), notional=D(1000000), leverage=D(100)
            )
        assert error.value.field == "leverage"
        assert "Binance USDS-M BTCUSDT allows at most 75×" in error.value.message

    def test_max_open_quantity_is_limited_by_balance_when_small(self) -> None:
        result = max_open_quantity(
            contract=LINEAR,
            balance=D(100),
            leverage=D(10),
            price=D(50000),
            tiers=tier_table("binance_usdm", "BTCUSDT"),
        )
        assert result.limited_by is MaxOpenLimit.BALANCE
        assert result.quantity == D("0.02")

    def test_max_open_quantity_reserves_the_opening_fee_and_rounds_down(self) -> None:
        result = max_open_quantity(
            contract=LINEAR,
            balance=D(1000),
            leverage=D(10),
            price=D(30000),
            fee_rate=D("0.0005"),
            quantity_step=D("0.001"),
        )
        assert result.quantity == D("0.331")
        assert result.notional / D(10) + result.notional * D("0.0005") <= D(1000)

    def test_max_open_quantity_for_an_inverse_contract_counts_contracts(self) -> None:
        result = max_open_quantity(
            contract=INVERSE,
            balance=D(1),
            leverage=D(2),
            price=D(50000),
            contract_size=D(100),
        )
        assert result.quantity == D(1000)

    def test_leverage_above_every_tier_is_refused(self) -> None:
        with pytest.raises(InputError, match="at most 40×"):
            max_open_quantity(
                contract=LINEAR,
                balance=D(100),
                leverage=D(50),
                price=D(50000),
                tiers=tier_table("hyperliquid", "BTC"),
            )


def test_float_input_is_rejected_with_a_field_error() -> None:
    with pytest.raises(InputError) as error:
        notional(contract=LINEAR, quantity=0.1, price=D(100))  # type: ignore[arg-type]
    assert error.value.field == "quantity"
    assert "float" in error.value.message


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity"), D("-1"), D("1e13")])
def test_nan_infinite_negative_and_absurd_prices_are_rejected(bad: D) -> None:
    with pytest.raises(InputError) as error:
        initial_margin(contract=LINEAR, quantity=D(1), price=bad, leverage=D(10))
    assert error.value.field == "price"
