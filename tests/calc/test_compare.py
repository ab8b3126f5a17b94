"""One position on every exchange: each exchange's figure pinned to its own published formula.

The golden checks recompute each liquidation price here, by hand, from the formula the
exchange publishes (formulas.md §3, copied below with its source) and the tier of its dated
table that the position falls in, never by calling the engine a second time.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from riskcalc.calc import InputError, Side
from riskcalc.calc.compare import (
    ComparePosition,
    Comparison,
    ExchangeFigure,
    asset_symbol,
    compare_exchanges,
    compared_assets,
)

TODAY = date(2026, 12, 6)
# The trade every golden check uses: 0.5 BTC long at 60,000 with 20x, isolated.
E, Q, L = D(60000), D("0.5"), D(20)
IM = Q * E / L  # 1,500 of margin on every linear exchange
BTC_LONG = ComparePosition(asset="BTC", side=Side.LONG, entry_price=E, quantity=Q, leverage=L)
# The ETH trade for exchanges with an ETH table only: 100 ETH long at 3,000 with 20x (300,000
# of notional, past Bitget's first tier), and a 0.06% taker fee for those that count it.
ETH_E, ETH_Q, FEE = D(3000), D(100), D("0.0006")
ETH_LONG = ComparePosition(
    asset="ETH", side=Side.LONG, entry_price=ETH_E, quantity=ETH_Q, leverage=L, fee_rate=FEE
)


def _figures(position: ComparePosition = BTC_LONG) -> dict[str, ExchangeFigure]:
    return {f.exchange: f for f in compare_exchanges(position, today=TODAY).figures}


def _agrees(engine: D, by_hand: D) -> bool:
    """Equal to 20 significant digits (the engine works to 34, the test's context to 28)."""
    return abs(engine - by_hand) <= abs(by_hand) * D("1e-20")


def _exact(exchange: str, position: ComparePosition = BTC_LONG) -> D:
    price = _figures(position)[exchange].result.liquidation_price_exact
    assert price is not None
    return price


def test_binance_matches_its_usdm_isolated_formula() -> None:
    # Binance FAQ (USDⓈ-M, one-way, isolated: WB = isolated wallet, TMM1 = UPNL1 = 0):
    # LP = (WB + cum - Side x Pos x EP) / (Pos x MMR - Side x Pos). BTCUSDT 2024-10-24
    # tier 1 (notional 30,000 <= 50,000): MMR 0.4 %, cum 0.
    # https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    wb, cum, mmr = IM, D(0), D("0.004")
    expected = (wb + cum - Q * E) / (Q * mmr - Q)
    assert _agrees(_exact("binance_usdm"), expected)
    assert round(expected, 2) == D("57228.92")


def test_bybit_matches_its_uta_isolated_formula() -> None:
    # Bybit UTA isolated: LP_long = [E x Q - E x Q / L - Extra / (1 - taker) - MMded] /
    # [Q - Q x MMR]. BTCUSDT 2026-08-05 tier 1 (<= 2,000,000): MMR 0.5 %, deduction 0.
    # https://www.bybit.com/en/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account
    mmr, deduction, extra = D("0.005"), D(0), D(0)
    expected = (E * Q - E * Q / L - extra - deduction) / (Q - Q * mmr)
    assert _agrees(_exact("bybit"), expected)
    assert round(expected, 2) == D("57286.43")


def test_hyperliquid_matches_its_liquidation_page_formula() -> None:
    # Hyperliquid: liq = price - side x margin_available / position_size / (1 - l x side),
    # l = 1 / (2 x max leverage), margin_available = isolated margin - maintenance margin
    # required. BTC: 40x up to 150M, so l = 1.25 %.
    # https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
    side, rate = 1, 1 / D(2 * 40)
    margin_available = IM - Q * E * rate
    expected = E - side * margin_available / Q / (1 - rate * side)
    assert _agrees(_exact("hyperliquid"), expected)
    assert round(expected, 2) == D("57721.52")


def test_dydx_matches_its_isolated_liquidation_formula() -> None:
    # dYdX v4 isolated: p' = (e - s x p) / (|s| x MMF - s), with e the position's equity,
    # s the signed size, p the oracle (entry) price; BTC-USD MMF 1.2 % (2025-12-08).
    # https://docs.dydx.exchange/concepts-trading/margin (formulas.md §3.10)
    e, s, mmf = IM, Q, D("0.012")
    expected = (e - s * E) / (abs(s) * mmf - s)
    assert _agrees(_exact("dydx"), expected)
    assert round(expected, 2) == D("57692.31")


def test_bitmex_matches_the_inverse_entry_basis_formula() -> None:
    # BitMEX XBTUSD (inverse, 1 USD contracts): LP_long = E / (1 + IM% - MM%), with
    # IM% = 1 / L and MM% the base maintenance rate 0.5 % (fees not counted: the profile
    # leaves them out). Support-agent formula, formulas.md §3.6 (low authority).
    expected = E / (1 + 1 / L - D("0.005"))
    assert _agrees(_exact("bitmex"), expected)
    assert round(expected, 2) == D("57416.27")


def test_bitget_matches_its_margin_rate_trigger_with_tiered_maintenance() -> None:
    # Bitget publishes its liquidation-price formula only as an image; its trigger is
    # published: margin rate = (position margin + UPNL) / position value, liquidated when it
    # falls to the maintenance margin rate plus the taker fee rate
    # (https://www.bitget.com/support/articles/360052911052, formulas.md §2.5). Since
    # 2025-11-10 each slice of the notional pays its own rate (tiered MM,
    # https://www.bitget.cloud/support/articles/12560603841952): at the liquidation price
    # (~286,400 of notional) that is 200,000 x 0.4% + the rest x 0.5% = N x 0.5% - 200.
    # ETHUSDT tiers from Bitget's announcement effective 2025-09-26.
    # So PM + Q x (P - E) = Q x P x 0.5% - 200 + Q x P x fee, solved for P:
    pm, first_cap = ETH_Q * ETH_E / L, D(200000)
    mmr, deduction = D("0.005"), first_cap * (D("0.005") - D("0.004"))
    expected = (ETH_Q * ETH_E - pm - deduction) / (ETH_Q * (1 - mmr - FEE))
    assert first_cap < ETH_Q * expected  # the second tier applies at the liquidation price
    assert _agrees(_exact("bitget", ETH_LONG), expected)
    assert round(expected, 2) == D("2864.04")


def test_gate_matches_its_published_liquidation_price_formula() -> None:
    # Gate: estimated LP = (entry - margin / contract multiplier / position size)
    # / [1 - (maintenance margin rate + taker fee rate)] for a long
    # (http://gate.tv/blog/101350/gate-metal-futures-liquidation-price-manage-closing-risk-market-volatility,
    # Gate's blog, updated 2026-04-09; the USDT-M perpetual formula). Multiplier x size is the
    # position in ETH (100); the margin is position value / leverage. ETH_USDT's recorded
    # tiers (data/tiers/gate.json): 300,000 x 0.3% in tier 1, and the position stays there
    # (~286,000 at the liquidation price), so no deduction enters.
    margin, mmr = ETH_Q * ETH_E / L, D("0.003")
    expected = (ETH_E - margin / ETH_Q) / (1 - (mmr + FEE))
    assert ETH_Q * expected <= D(300000)
    assert _agrees(_exact("gate", ETH_LONG), expected)
    assert round(expected, 2) == D("2860.30")


def test_gate_matches_its_published_formula_for_a_short_on_btc() -> None:
    # The same formula with "+" for a short: (entry + margin / multiplier / size)
    # / [1 + (MMR + taker fee rate)]. BTC_USDT tier 1 (up to 500,000): 0.3%.
    short = ComparePosition(
        asset="BTC", side=Side.SHORT, entry_price=E, quantity=Q, leverage=L, fee_rate=FEE
    )
    expected = (E + IM / Q) / (1 + (D("0.003") + FEE))
    assert _agrees(_exact("gate", short), expected)
    assert round(expected, 2) == D("62774.01")


def test_gate_charges_each_slice_of_a_larger_position_at_its_own_tier_rate() -> None:
    # Since 2025-07-29 Gate's maintenance margin is "gradient": the first tier's rate on the
    # first 300,000 of ETH_USDT, the next tier's only on the part above it, and so on
    # (Gate's Leverage and Margin page,
    # https://www.gateweb.space/nl/futures-introduction/margin/perpetual-usdtm-SAND_USDT).
    # 200 ETH at 3,000 with 10x liquidates near 542,000 of value: 300,000 x 0.3% + 200,000 x
    # 0.35% + the rest x 0.4% = N x 0.4% - 400, in the published formula's place of N x MMR.
    big = ComparePosition(
        asset="ETH",
        side=Side.LONG,
        entry_price=ETH_E,
        quantity=D(200),
        leverage=D(10),
        fee_rate=FEE,
    )
    slices = D(300000) * D("0.003") + D(200000) * D("0.0035") - D(500000) * D("0.004")
    margin = D(200) * ETH_E / 10
    expected = (D(200) * ETH_E - margin + slices) / (D(200) * (1 - D("0.004") - FEE))
    assert D(500000) < D(200) * expected <= D(1000000)  # the third tier at that price
    assert _agrees(_exact("gate", big), expected)
    assert round(expected, 2) == D("2710.47")


def test_the_same_trade_is_the_same_usd_value_in_bitmex_contracts() -> None:
    figure = _figures()["bitmex"]

    assert figure.quantity == Q * E  # 30,000 contracts of 1 USD
    assert figure.quantity_unit == "contracts (1 USD each)"
    assert figure.margin_currency == "XBT"
    assert figure.result.initial_margin == Q / L  # 0.025 XBT
    assert figure.initial_margin_quote == IM  # the same 1,500 USD at the entry price


def test_a_fraction_of_a_contract_is_rounded_down_never_up() -> None:
    trade = ComparePosition(
        asset="BTC", side=Side.LONG, entry_price=D(60000), quantity=D("0.50001"), leverage=L
    )
    assert _figures(trade)["bitmex"].quantity == D(30000)


def test_figures_come_closest_liquidation_first() -> None:
    figures = compare_exchanges(BTC_LONG, today=TODAY).figures
    distances = [f.result.liquidation_distance for f in figures]

    assert [f.exchange for f in figures] == [
        "hyperliquid",
        "dydx",
        "bitmex",
        "bybit",
        "binance_usdm",
        "gate",
    ]
    assert distances == sorted(distances)  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("asset", "expected"),
    [
        ("BTC", {"binance_usdm", "bybit", "hyperliquid", "dydx", "bitmex", "gate"}),
        ("ETH", {"binance_usdm", "bitget", "hyperliquid", "dydx", "gate"}),
    ],
)
def test_btc_and_eth_are_compared_on_the_exchanges_with_their_tables(
    asset: str, expected: set[str]
) -> None:
    trade = ComparePosition(
        asset=asset,
        side=Side.SHORT,
        entry_price=D(3000),
        quantity=D(2),
        leverage=D(10),
        fee_rate=FEE,
    )
    figures = compare_exchanges(trade, today=TODAY).figures

    assert {f.exchange for f in figures} == expected
    for figure in figures:
        assert figure.result.liquidation_price is not None
        assert figure.result.liquidation_price > D(3000)  # a short liquidates above entry


def test_an_exchange_whose_tier_caps_lower_is_left_out_with_its_limit() -> None:
    trade = ComparePosition(asset="BTC", side=Side.LONG, entry_price=E, quantity=Q, leverage=D(60))
    comparison = compare_exchanges(trade, today=TODAY)
    skipped = {s.exchange: str(s.reason) for s in comparison.skipped}

    assert {f.exchange for f in comparison.figures} == {"binance_usdm", "bybit", "bitmex", "gate"}
    assert "allows at most 40×" in skipped["hyperliquid"]
    assert "allows at most 50×" in skipped["dydx"]
    assert skipped["okx"] == "No dated tier table for BTC on OKX here yet."


@pytest.mark.parametrize(
    ("asset", "expected"),
    [
        ("BTC", {"binance_usdm", "bybit", "hyperliquid", "dydx", "bitmex", "gate"}),
        ("ETH", {"binance_usdm", "bitget", "hyperliquid", "dydx", "gate"}),
    ],
)
def test_without_a_fee_rate_btc_and_eth_are_still_compared_on_every_exchange(
    asset: str, expected: set[str]
) -> None:
    trade = ComparePosition(
        asset=asset, side=Side.LONG, entry_price=D(3000), quantity=D(2), leverage=D(10)
    )
    comparison = compare_exchanges(trade, today=TODAY)

    assert {f.exchange for f in comparison.figures} == expected
    assert all(s.symbol is None for s in comparison.skipped)  # only exchanges with no table


@pytest.mark.parametrize(
    ("exchange", "rate", "published"),
    [("bitget", D("0.0006"), "2025-01-16"), ("gate", D("0.0005"), "2026-03-25")],
)
def test_an_exchange_that_counts_the_fee_assumes_its_sourced_standard_rate_and_says_so(
    exchange: str, rate: D, published: str
) -> None:
    without_fee = ComparePosition(
        asset="ETH", side=Side.LONG, entry_price=ETH_E, quantity=ETH_Q, leverage=L
    )
    figure = _figures(without_fee)[exchange]
    notes = " ".join(map(str, figure.notes))

    assert figure.assumed_fee is not None and figure.assumed_fee.rate == rate
    assert figure.result.fee_rate_in_maintenance == rate
    assert f"Taker fee {rate} counted in maintenance margin: no fee rate given" in notes
    assert "standard taker rate is assumed" in notes
    assert figure.assumed_fee.source_url in notes and published in notes


def test_a_given_fee_rate_wins_over_the_standard_rate() -> None:
    given = D("0.0002")
    figures = _figures(
        ComparePosition(
            asset="ETH",
            side=Side.LONG,
            entry_price=ETH_E,
            quantity=ETH_Q,
            leverage=L,
            fee_rate=given,
        )
    )
    for exchange in ("bitget", "gate"):
        assert figures[exchange].assumed_fee is None
        assert figures[exchange].result.fee_rate_in_maintenance == given
        assert "assumed" not in " ".join(map(str, figures[exchange].notes))


def test_reasons_name_what_differs_between_the_exchanges() -> None:
    reasons = " ".join(map(str, compare_exchanges(BTC_LONG, today=TODAY).reasons))

    assert "0.3% (Gate BTC_USDT) to 1.25% (Hyperliquid BTC)" in reasons
    assert "BitMEX" in reasons and "entry basis" in reasons
    assert "inverse contract" in reasons
    assert "2024-10-24" in reasons  # the oldest snapshot and its age


def test_a_single_exchange_has_no_reasons_to_compare_but_its_assumptions() -> None:
    comparison: Comparison = compare_exchanges(
        ComparePosition(asset="BTC", side=Side.LONG, entry_price=E, quantity=Q, leverage=D(150)),
        today=TODAY,
    )
    assert [f.exchange for f in comparison.figures] == ["gate"]  # 200x; Binance stops at 125x
    assert len(comparison.reasons) == 1 and "isolated margin" in str(comparison.reasons[0])


def test_symbols_follow_each_exchanges_own_spelling() -> None:
    assert asset_symbol("bitmex", "btc") == "XBTUSD"
    assert asset_symbol("dydx", "ETH") == "ETH-USD"
    assert asset_symbol("binance_usdm", "ETH") == "ETHUSDT"  # USDT before USDC
    assert asset_symbol("bitget", "ETH") == "ETHUSDT"
    assert asset_symbol("bitget", "BTC") is None
    assert asset_symbol("gate", "eth") == "ETH_USDT"


def test_coins_on_several_exchanges_are_suggested_most_listed_first() -> None:
    assets = compared_assets()
    assert assets[:2] == ("BTC", "ETH")
    assert "SOL" in assets and "BTCUSDT" not in assets


def test_a_ticker_must_be_letters_and_digits() -> None:
    with pytest.raises(InputError) as raised:
        ComparePosition(asset="BTC/USDT", side=Side.LONG, entry_price=E, quantity=Q, leverage=L)
    assert raised.value.field == "asset"
