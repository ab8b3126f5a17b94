"""Golden tests: the liquidation and bankruptcy prices the exchanges publish, reproduced.

Every vector of a ``liquidation_price_*`` or ``bankruptcy_price_*`` kind in
``fixtures/vectors.json`` and ``fixtures/extra_vectors.json`` must have a check below; a new
vector without one fails :func:`test_every_liquidation_vector_has_a_golden_check`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D

import pytest

from riskcalc.calc import (
    ContractType,
    LiquidationInput,
    LiquidationResult,
    MarginBasis,
    MarginMode,
    Side,
    liquidation_price,
    maintenance_margin,
    tier_table,
)
from tests.calc.vectors import Vector, assert_published, ids, vectors

LINEAR, INVERSE = ContractType.LINEAR, ContractType.INVERSE
LONG, SHORT = Side.LONG, Side.SHORT
CROSS = MarginMode.CROSS
ENTRY = MarginBasis.ENTRY


def _equity_minus_mm_at_lp(position: LiquidationInput, result: LiquidationResult) -> D:
    """Margin balance minus MM at the computed LP, recomputed independently (linear, 1 leg)."""
    assert result.liquidation_price_exact is not None
    lp = result.liquidation_price_exact
    s = position.side.sign
    equity = result.maths.collateral + s * position.quantity * position.contract_size * (
        lp - position.entry_price
    )
    return equity - result.maintenance_margin


def binance_cross_eth(v: Vector) -> None:
    i = v["inputs"]
    result = liquidation_price(
        LiquidationInput(
            side=LONG,
            entry_price=D(i["entry_price_usdt"]),
            quantity=D(i["position_qty_eth"]),
            margin_mode=CROSS,
            wallet_balance=D(i["WB_wallet_balance_usdt"]),
            other_maintenance_margin=D(i["TMM1_other_positions_maint_margin_usdt"]),
            other_unrealized_pnl=D(i["UPNL1_other_positions_upnl_usdt"]),
            maintenance_margin_rate=D(i["mmr"]),
            maintenance_amount=D(i["cumB_maintenance_amount_usdt"]),
        )
    )
    assert result.liquidation_price is not None
    assert_published(
        result.liquidation_price, v["expected"]["liquidation_price_usdt"], v["tolerance"]
    )


def binance_cross_btc(v: Vector) -> None:
    i = v["inputs"]
    result = liquidation_price(
        LiquidationInput(
            side=LONG,
            entry_price=D(i["entry_price_usdt"]),
            quantity=D(i["position_qty_btc"]),
            margin_mode=CROSS,
            wallet_balance=D(i["WB_wallet_balance_usdt"]),
            other_maintenance_margin=D(i["TMM1_other_positions_maint_margin_usdt"]),
            other_unrealized_pnl=D(i["UPNL1_other_positions_upnl_usdt"]),
            maintenance_margin_rate=D(i["mmr"]),
            maintenance_amount=D(i["cumB_maintenance_amount_usdt"]),
        )
    )
    assert result.liquidation_price is not None
    assert_published(
        result.liquidation_price, v["expected"]["liquidation_price_usdt"], v["tolerance"]
    )


def binance_isolated_freqtrade(v: Vector) -> None:
    i = v["inputs"]
    result = liquidation_price(
        LiquidationInput(
            side=LONG,
            entry_price=D(i["entry_price_usdt"]),
            quantity=D(i["position_qty"]),
            position_margin=D(i["isolated_wallet_usdt"]),
            maintenance_margin_rate=D(i["mmr"]),
            maintenance_amount=D(i["cum_usdt"]),
        )
    )
    assert result.liquidation_price is not None
    assert_published(
        result.liquidation_price, v["expected"]["liquidation_price_usdt"], v["tolerance"]
    )


def _bybit_classic(v: Vector, side: Side, **extra: D) -> LiquidationResult:
    i = v["inputs"]
    return liquidation_price(
        LiquidationInput(
            side=side,
            entry_price=D(i["entry_price_usdt"]),
            quantity=D(i["qty_btc"]),
            leverage=D(i["leverage"]),
            maintenance_margin_rate=D(i["mmr"]),
            maintenance_amount=D(i["mm_deduction_usdt"]),
            mm_basis=ENTRY,
            **extra,
        )
    )


def bybit_classic_ex1(v: Vector) -> None:
    result = _bybit_classic(v, LONG)
    expected = v["expected"]
    assert result.initial_margin is not None and result.liquidation_price is not None
    assert_published(result.initial_margin, expected["initial_margin_usdt"])
    assert_published(result.maintenance_margin, expected["maintenance_margin_usdt"])
    assert_published(result.liquidation_price, expected["liquidation_price_usdt"])


def bybit_classic_ex2_short_with_added_margin(v: Vector) -> None:
    result = _bybit_classic(v, SHORT, extra_margin=D(v["inputs"]["extra_margin_usdt"]))
    expected = v["expected"]
    assert result.initial_margin is not None and result.liquidation_price is not None
    assert_published(result.initial_margin, expected["initial_margin_usdt"])
    assert_published(result.maintenance_margin, expected["maintenance_margin_usdt"])
    assert_published(result.liquidation_price, expected["liquidation_price_usdt"])


def bybit_classic_ex3_funding_paid(v: Vector) -> None:
    before = _bybit_classic(v, LONG)
    after = _bybit_classic(
        v, LONG, funding_paid=D(v["inputs"]["funding_paid_from_position_margin_usdt"])
    )
    expected = v["expected"]
    assert before.liquidation_price is not None and after.liquidation_price is not None
    assert_published(before.liquidation_price, expected["initial_liquidation_price_usdt"])
    assert_published(after.liquidation_price, expected["liquidation_price_usdt"])
    assert_published(after.maintenance_margin, expected["maintenance_margin_usdt"])


def bybit_mark_basis_variant(v: Vector) -> None:
    i = v["inputs"]
    position = LiquidationInput(
        side=LONG,
        entry_price=D(i["entry_price_usdt"]),
        quantity=D(i["qty_btc"]),
        leverage=D(i["leverage"]),
        maintenance_margin_rate=D(i["mmr"]),
    )
    result = liquidation_price(position)
    assert result.liquidation_price is not None
    assert abs(_equity_minus_mm_at_lp(position, result)) < D("1e-20")
    assert_published(
        result.liquidation_price,
        v["recomputed"]["liquidation_price_usdt_mark_basis"],
        "abs 0.00005",
    )


def _bankruptcy_isolated(v: Vector) -> None:
    i = v["inputs"]
    result = liquidation_price(
        LiquidationInput(
            side=Side(i["side"]),
            entry_price=D(i["entry_price_usdt"]),
            quantity=D(1),
            leverage=D(i["leverage"]),
            maintenance_margin_rate=D("0.005"),  # irrelevant to the bankruptcy price
        )
    )
    assert result.bankruptcy_price is not None
    assert_published(result.bankruptcy_price, v["expected"]["bankruptcy_price_usdt"])


def bybit_adl_cross_bankruptcy(v: Vector) -> None:
    i = v["inputs"]
    result = liquidation_price(
        LiquidationInput(
            side=LONG,
            entry_price=D(i["entry_price"]),
            quantity=D(i["position_size"]),
            margin_mode=CROSS,
            wallet_balance=D(i["position_margin"]) + D(i["wallet_balance_other"]),
            maintenance_margin_rate=D(0),
            mark_price=D(i["mark_price"]),
        )
    )
    assert result.bankruptcy_price is not None
    assert_published(result.bankruptcy_price, v["expected"]["bankruptcy_price"])


def mexc_isolated_long(v: Vector) -> None:
    i = v["inputs"]
    result = liquidation_price(
        LiquidationInput(
            side=LONG,
            entry_price=D(i["entry_price_usdt"]),
            quantity=D(i["qty_btc"]),
            leverage=D(i["leverage"]),
            maintenance_margin_rate=D(i["mmr"]),
            mm_basis=ENTRY,
        )
    )
    expected = v["expected"]
    assert result.initial_margin is not None and result.liquidation_price is not None
    assert_published(result.maintenance_margin, expected["maintenance_margin_usdt"])
    assert_published(result.initial_margin, expected["position_margin_usdt"])
    assert_published(result.liquidation_price, expected["liquidation_price_usdt"])


def hyperliquid_isolated_long(v: Vector) -> None:
    i = v["inputs"]
    position = LiquidationInput(
        side=LONG,
        entry_price=D(i["entry_price"]),
        quantity=D(i["size_btc"]),
        leverage=D(i["leverage"]),
        tiers=tier_table("hyperliquid", "BTC"),
    )
    result = liquidation_price(position)
    assert result.liquidation_price is not None
    assert abs(_equity_minus_mm_at_lp(position, result)) < D("1e-20")
    assert result.maintenance_margin_rate == D(1) / (2 * D(i["asset_max_leverage"]))
    assert_published(result.liquidation_price, v["recomputed"]["liquidation_price"], "abs 0.005")


def okx_isolated_long(v: Vector) -> None:
    i = v["inputs"]
    position = LiquidationInput(
        side=LONG,
        entry_price=D(i["entry_price_usdt"]),
        quantity=D(i["contracts"]),
        contract_size=D(i["ctVal_btc"]),
        position_margin=D(i["isolated_margin_usdt"]),
        maintenance_margin_rate=D(i["mmr"]),
        fee_rate=D(i["taker_fee"]),
        fee_in_maintenance=True,
    )
    result = liquidation_price(position)
    assert result.liquidation_price is not None
    assert abs(_equity_minus_mm_at_lp(position, result)) < D("1e-20")
    assert_published(
        result.liquidation_price, v["recomputed"]["liquidation_price_usdt"], "abs 0.05"
    )


def bybit_uta_linear_fee_on_added_margin(v: Vector) -> None:
    i = v["inputs"]
    common = {
        "side": LONG,
        "entry_price": D(i["entry_price_usdt"]),
        "quantity": D(i["qty_btc"]),
        "leverage": D(i["leverage"]),
        "maintenance_margin_rate": D(i["mmr"]),
        "maintenance_amount": D(i["mm_deduction_usdt"]),
        "fee_rate": D(i["taker_fee_rate"]),
    }
    result = liquidation_price(
        LiquidationInput(**common, extra_margin=D(i["extra_margin_usdt"]), fee_on_extra_margin=True)
    )
    expected = v["expected"]
    assert result.liquidation_price is not None
    assert_published(result.liquidation_price, expected["liquidation_price_usdt"], v["tolerance"])
    # The page's "fee to close" is taker x Q x BP(leverage alone) = Q x E x (1 - 1/L) x taker; its
    # displayed MM is the MM at entry plus that fee (which cancels out of the liquidation price).
    no_extra = liquidation_price(LiquidationInput(**common))
    assert no_extra.bankruptcy_price is not None
    fee_to_close = common["fee_rate"] * common["quantity"] * no_extra.bankruptcy_price
    assert_published(fee_to_close, expected["estimated_fee_to_close_usdt"])
    mm_at_entry = maintenance_margin(
        contract=LINEAR,
        quantity=common["quantity"],
        price=common["entry_price"],
        maintenance_margin_rate=common["maintenance_margin_rate"],
    ).maintenance_margin
    assert_published(mm_at_entry + fee_to_close, expected["maintenance_margin_usdt"])


def bybit_uta_inverse_short(v: Vector) -> None:
    i = v["inputs"]
    common = {
        "side": SHORT,
        "contract": INVERSE,
        "entry_price": D(i["entry_price_usd"]),
        "quantity": D(i["qty_usd_contracts"]),
        "contract_size": D(i["contract_size_usd"]),
        "leverage": D(i["leverage"]),
        "maintenance_margin_rate": D(i["mmr"]),
        "maintenance_amount": D(i["mm_deduction_btc"]),
        "fee_rate": D(i["taker_fee_rate"]),
        "fee_on_extra_margin": True,
    }
    result = liquidation_price(LiquidationInput(**common))
    expected = v["expected"]
    assert result.liquidation_price is not None and result.bankruptcy_price is not None
    assert result.initial_margin is not None
    assert_published(result.liquidation_price, expected["liquidation_price_usd"], v["tolerance"])
    position_value = result.initial_margin * common["leverage"]
    assert_published(position_value, expected["position_value_btc"])
    fee_to_close = common["fee_rate"] * common["quantity"] / result.bankruptcy_price
    assert_published(fee_to_close, expected["estimated_fee_to_close_btc"])
    assert_published(result.initial_margin + fee_to_close, expected["initial_margin_btc"])
    mm_at_entry = position_value * common["maintenance_margin_rate"]
    assert_published(mm_at_entry + fee_to_close, expected["maintenance_margin_btc"])


def _bybit_legacy_inverse_isolated(v: Vector) -> LiquidationResult:
    i = v["inputs"]
    return liquidation_price(
        LiquidationInput(
            side=Side(i["side"]),
            contract=INVERSE,
            entry_price=D(i["entry_price_usd"]),
            quantity=D(i.get("qty_usd_contracts", "5000")),  # BP does not depend on size
            leverage=D(i["leverage"]),
            maintenance_margin_rate=D("0.005"),  # BTC base rate of the legacy inverse page
            mm_basis=ENTRY,
            tick_size=D(i["tick_size_usd"]),
        )
    )


def bybit_legacy_inverse_isolated_long(v: Vector) -> None:
    result = _bybit_legacy_inverse_isolated(v)
    expected = v["expected"]
    assert result.liquidation_price is not None and result.bankruptcy_price is not None
    assert result.bankruptcy_price_exact is not None
    assert_published(result.liquidation_price, expected["liquidation_price_usd"])
    assert_published(result.bankruptcy_price, expected["bankruptcy_price_usd"])
    assert_published(
        result.bankruptcy_price_exact, expected["bankruptcy_price_unrounded_usd"], "abs 0.0000005"
    )


def bybit_legacy_inverse_bankruptcy(v: Vector) -> None:
    result = _bybit_legacy_inverse_isolated(v)
    expected = v["expected"]
    assert result.bankruptcy_price is not None and result.bankruptcy_price_exact is not None
    assert_published(result.bankruptcy_price, expected["bankruptcy_price_usd"])
    assert_published(
        result.bankruptcy_price_exact, expected["bankruptcy_price_unrounded_usd"], "abs 0.0000005"
    )


def bybit_legacy_inverse_cross_fee_reserve(v: Vector) -> None:
    i = v["inputs"]
    result = liquidation_price(
        LiquidationInput(
            side=LONG,
            contract=INVERSE,
            entry_price=D(i["entry_price_usd"]),
            quantity=D(i["qty_usd_contracts"]),
            contract_size=D(i["contract_size_usd"]),
            margin_mode=CROSS,
            wallet_balance=D(i["account_balance_btc"]) - D(i["order_margin_btc"]),
            maintenance_margin_rate=D(i["mmr"]),
            mm_basis=ENTRY,
            fee_rate=D(i["fee_reserve_rate"]),
            fee_in_bankruptcy=True,
            fee_at_bankruptcy_in_maintenance=True,
            tick_size=D(i["tick_size_usd"]),
        )
    )
    expected = v["expected"]
    assert result.liquidation_price is not None and result.bankruptcy_price_exact is not None
    assert_published(result.bankruptcy_price_exact, expected["bankruptcy_price_usd"], "abs 0.005")
    assert_published(result.liquidation_price, expected["liquidation_price_usd"])


def _bitmex_karen(v: Vector) -> LiquidationResult:
    i = v["inputs"]
    return liquidation_price(
        LiquidationInput(
            side=LONG,
            entry_price=D(i["entry_price_usdt"]),
            quantity=D(i["contracts"]),  # multiplier 1 ETH per contract, implied by the page
            margin_mode=CROSS,
            wallet_balance=D(i["wallet_balance_usdt"]),
            leverage=D(i["leverage"].split()[0]),
            maintenance_margin_rate=D(i["mmr"]),
            mm_basis=ENTRY,
        )
    )


def bitmex_karen_lp(v: Vector) -> None:
    result = _bitmex_karen(v)
    expected = v["expected"]
    assert result.liquidation_price is not None and result.initial_margin is not None
    assert_published(result.initial_margin, expected["initial_margin_usdt"])
    assert_published(result.maintenance_margin, expected["maintenance_margin_usdt"])
    wallet = D(v["inputs"]["wallet_balance_usdt"])
    assert_published(wallet - result.initial_margin, expected["available_balance_usdt"])
    assert_published(result.liquidation_price, expected["liquidation_price_usdt"])


def bitmex_karen_bp(v: Vector) -> None:
    result = _bitmex_karen(v)
    assert result.bankruptcy_price is not None
    assert_published(result.bankruptcy_price, v["expected"]["bankruptcy_price_usdt"])


def dydx_isolated_short(v: Vector) -> None:
    i = v["inputs"]
    position = LiquidationInput(
        side=SHORT,
        entry_price=D(i["entry_price_usdc"]),
        quantity=abs(D(i["size_eth"])),
        position_margin=D(i["equity_usdc"]),
        maintenance_margin_rate=D(i["mmf"]),
    )
    result = liquidation_price(position)
    assert result.liquidation_price is not None
    assert_published(
        result.liquidation_price, v["expected"]["liquidation_price_usdc"], v["tolerance"]
    )
    assert abs(_equity_minus_mm_at_lp(position, result)) < D("1e-20")
    assert_published(
        result.maintenance_margin, v["expected"]["equity_at_liquidation_usdc"], "abs 0.05"
    )


def dydx_cross_short(v: Vector) -> None:
    i = v["inputs"]
    other = i["other_positions"][0]
    other_mm = maintenance_margin(
        contract=LINEAR,
        quantity=D(other["size"]),
        price=D(other["price_usdc"]),
        maintenance_margin_rate=D(other["mmf"]),
    ).maintenance_margin
    assert_published(other_mm, v["expected"]["other_positions_mm_usdc"])
    result = liquidation_price(
        LiquidationInput(
            side=SHORT,
            entry_price=D(i["entry_price_usdc"]),
            quantity=abs(D(i["size_eth"])),
            margin_mode=CROSS,
            wallet_balance=D(i["equity_usdc"]),
            other_maintenance_margin=other_mm,
            maintenance_margin_rate=D(i["mmf_eth"].split()[0]),
        )
    )
    assert result.liquidation_price is not None
    assert_published(
        result.liquidation_price, v["expected"]["liquidation_price_usdc"], v["tolerance"]
    )


CHECKS: dict[str, Callable[[Vector], None]] = {
    "binance-usdm-cross-oneway-ethusdt-lp": binance_cross_eth,
    "binance-usdm-cross-oneway-btcusdt-lp": binance_cross_btc,
    "binance-usdm-isolated-ethusdt-lp-freqtrade": binance_isolated_freqtrade,
    "binance-usdm-isolated-btcusdt-lp-freqtrade": binance_isolated_freqtrade,
    "bybit-usdt-isolated-long-ex1": bybit_classic_ex1,
    "bybit-usdt-isolated-long-mark-basis-variant": bybit_mark_basis_variant,
    "bybit-usdt-bankruptcy-long-10000": _bankruptcy_isolated,
    "bybit-uta-bankruptcy-long-60000": _bankruptcy_isolated,
    "bybit-adl-cross-bankruptcy-thirdparty": bybit_adl_cross_bankruptcy,
    "mexc-usdt-isolated-long": mexc_isolated_long,
    "hyperliquid-isolated-long-derived": hyperliquid_isolated_long,
    "okx-usdt-isolated-long-derived": okx_isolated_long,
    "bybit-usdt-isolated-short-ex2-extra-margin": bybit_classic_ex2_short_with_added_margin,
    "bybit-usdt-isolated-long-ex3-funding-paid-from-margin": bybit_classic_ex3_funding_paid,
    "bybit-uta-isolated-long-extra-margin-taker-fee": bybit_uta_linear_fee_on_added_margin,
    "bybit-uta-inverse-isolated-short-30000usd": bybit_uta_inverse_short,
    "bybit-inverse-legacy-isolated-long-adl-page": bybit_legacy_inverse_isolated_long,
    "bybit-inverse-legacy-bankruptcy-long-adl-page": bybit_legacy_inverse_bankruptcy,
    "bybit-inverse-legacy-cross-long-fee-reserve": bybit_legacy_inverse_cross_fee_reserve,
    "bitmex-ethusdt-cross-karen-lp": bitmex_karen_lp,
    "bitmex-ethusdt-cross-karen-bp": bitmex_karen_bp,
    "dydx-v4-isolated-short-eth": dydx_isolated_short,
    "dydx-v4-cross-short-eth-with-strk": dydx_cross_short,
}

PRICE_VECTORS = vectors(prefix="liquidation_price_") + vectors(prefix="bankruptcy_price_")


def test_every_liquidation_vector_has_a_golden_check() -> None:
    missing = [v["id"] for v in PRICE_VECTORS if v["id"] not in CHECKS]
    assert not missing, f"vectors without a golden check: {missing}"


@pytest.mark.parametrize("v", PRICE_VECTORS, ids=ids(PRICE_VECTORS))
def test_published_liquidation_and_bankruptcy_figures_are_reproduced(v: Vector) -> None:
    CHECKS[v["id"]](v)
