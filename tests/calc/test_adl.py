"""ADL ranking score, queue position and exposure: derived vectors, BitMEX's published queue
example, and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcalc.calc import InputError
from riskcalc.calc.adl import (
    AdlExposure,
    AdlMethod,
    AdlPeer,
    AdlPosition,
    adl_exposure,
    adl_ranking,
    adl_score,
)
from riskcalc.calc.types import ContractType, Side
from tests.calc.vectors import vector

D = Decimal


# BitMEX "Auto Deleveraging Examples", https://www.bitmex.com/app/autoDeleveragingExamples
# (retrieved 2026-11-21): six longs as (account, quantity, PnL ranking) and the published
# percentile of each after sorting by ranking.
BITMEX_ACCOUNTS = [(1, 10, 3), (2, 10, 6), (3, 20, 1), (4, 30, 4), (5, 20, 5), (6, 10, 2)]
BITMEX_PUBLISHED_PERCENTILE = {2: "0.2", 5: "0.4", 4: "0.6", 1: "0.8", 6: "0.8", 3: "1"}


def _bitmex_rank(account: int) -> tuple[Decimal, Decimal]:
    _, quantity, score = next(a for a in BITMEX_ACCOUNTS if a[0] == account)
    peers = [AdlPeer(score=D(s), quantity=D(q)) for n, q, s in BITMEX_ACCOUNTS if n != account]
    ranking = adl_ranking(score=D(score), quantity=D(quantity), population=peers)
    return ranking.by_quantity.bucket, ranking.by_count.bucket


@pytest.mark.parametrize("account", sorted(BITMEX_PUBLISHED_PERCENTILE))
def test_quantity_weighted_queue_matches_bitmex_published_percentiles(account: int) -> None:
    by_quantity, _ = _bitmex_rank(account)
    assert by_quantity == D(BITMEX_PUBLISHED_PERCENTILE[account])


def test_count_weighted_queue_does_not_reproduce_bitmex_example() -> None:
    # Account 6 is published at 80%; five of six positions at or ahead of it gives 100% by count.
    _, by_count = _bitmex_rank(6)
    assert by_count == D(1)
    assert by_count != D(BITMEX_PUBLISHED_PERCENTILE[6])


def test_top_of_bitmex_example_gets_five_lights() -> None:
    peers = [AdlPeer(score=D(s), quantity=D(q)) for n, q, s in BITMEX_ACCOUNTS if n != 2]
    ranking = adl_ranking(score=D(6), quantity=D(10), population=peers)
    assert ranking.by_quantity.lights == 5
    assert ranking.by_quantity.queue_fraction == D("0.1")
    assert ranking.by_quantity.percentile == D("0.9")


# Binance FAQ "What Is Auto-Deleveraging (ADL) and How Does It Work",
# https://www.binance.com/zh-CN/support/announcement/360033525471 (dated 2019-09-09, retrieved
# 2026-12-06): "The precise rank is known as "LeveragePnL", which is defined as unrealized
# PnL/collateral multiplied by the margin ratio. The exact formulation is at the end." Its
# formulation, as quoted in https://dev.binance.vision/t/how-to-caculating-leverage-pnl-quantile/17801:
# Pnl Percent = max(0, Unrealized Profit) / max(1, Wallet Balance); Margin Ratio = Maintenance
# Margin / (Wallet Balance + Unrealized Profit); Leverage Pnl = Pnl Percent x Margin Ratio.
BINANCE_PAIR = vector("adl-binance-leverage-pnl-pair")


def _binance(name: str) -> AdlExposure:
    inputs = BINANCE_PAIR["inputs"]
    held = inputs["positions"][name]
    return adl_exposure(
        AdlPosition(
            side=Side(held["side"]),
            quantity=D(held["quantity"]),
            entry_price=D(held["entry_price"]),
            mark_price=D(inputs["mark_price"]),
            wallet_balance=D(held["wallet_balance"]),
            maintenance_margin_rate=D(inputs["maintenance_margin_rate"]),
            maintenance_amount=D(inputs["maintenance_amount"]),
        ),
        method=AdlMethod.BINANCE,
    )


@pytest.mark.parametrize("name", ["A", "B"])
def test_binance_leverage_pnl_is_pnl_share_of_wallet_times_margin_ratio(name: str) -> None:
    expected = BINANCE_PAIR["expected"][name]
    exposure = _binance(name)
    tolerance = D(BINANCE_PAIR["tolerance"])
    assert exposure.unrealized_pnl == D(expected["unrealized_pnl"])
    assert abs(exposure.pnl_ratio - D(expected["pnl_percent"])) < tolerance
    assert exposure.maintenance_margin == D(expected["maintenance_margin"])
    assert exposure.margin_ratio == D(expected["margin_ratio"])
    assert abs(exposure.score - D(expected["leverage_pnl"])) < tolerance


def test_binance_ranks_the_larger_position_first_where_upnl_over_equity_did_not() -> None:
    scores = {name: _binance(name).score for name in ("A", "B", "C")}
    assert sorted(scores, key=scores.__getitem__, reverse=True) == BINANCE_PAIR["expected"]["order"]
    # The formula used before (UPnL / equity) put B ahead of A.
    old = BINANCE_PAIR["recomputed"]["old_formula_upnl_over_equity"]
    assert D(old["B"]) > D(old["A"])


def test_binance_scores_a_losing_position_zero_not_negative() -> None:
    exposure = _binance("C")
    assert exposure.unrealized_pnl == D(BINANCE_PAIR["expected"]["C"]["unrealized_pnl"])
    assert exposure.pnl_ratio == 0 and exposure.score == 0
    assert "Binance scores it 0, the bottom" in exposure.reading


def test_binance_needs_the_maintenance_margin_rate() -> None:
    position = AdlPosition(
        side=Side.LONG,
        quantity=D(1),
        entry_price=D(9500),
        mark_price=D(10000),
        wallet_balance=D(2000),
    )
    with pytest.raises(InputError) as error:
        adl_exposure(position, method=AdlMethod.BINANCE)
    assert error.value.field == "maintenance_margin_rate"
    assert "margin ratio" in error.value.message


def test_binance_deduction_larger_than_the_maintenance_margin_is_refused() -> None:
    position = AdlPosition(
        side=Side.LONG,
        quantity=D(1),
        entry_price=D(9500),
        mark_price=D(10000),
        wallet_balance=D(2000),
        maintenance_margin_rate=D("0.004"),
        maintenance_amount=D(50),
    )
    with pytest.raises(InputError) as error:
        adl_exposure(position, method=AdlMethod.BINANCE)
    assert error.value.field == "maintenance_amount"


def test_binance_isolated_margin_stands_in_for_the_wallet_and_says_so() -> None:
    exposure = adl_exposure(
        AdlPosition(
            side=Side.SHORT,
            quantity=D(2),
            entry_price=D(100),
            mark_price=D(90),
            leverage=D(10),
            maintenance_margin_rate=D("0.01"),
        ),
        method=AdlMethod.BINANCE,
    )
    # Margin 20, UPnL 20, max(1, 20) = 20: PnL% 1; MM 180 x 1% = 1.8 over equity 40.
    assert exposure.pnl_ratio == 1
    assert exposure.margin_ratio == D("0.045")
    assert exposure.score == D("0.045")
    assert any("isolated position" in a for a in exposure.assumptions)


def test_hyperliquid_index_matches_derived_vector() -> None:
    v = vector("adl-hyperliquid-index-derived")
    mark, entry = D(v["inputs"]["mark_price"]), D(v["inputs"]["entry_price"])
    notional, account_value = D(v["inputs"]["notional_position"]), D(v["inputs"]["account_value"])
    score = adl_score(
        method=AdlMethod.HYPERLIQUID,
        side=Side.LONG,
        pnl_ratio=(mark - entry) / entry,
        effective_leverage=notional / account_value,
    )
    assert score == D(v["recomputed"]["sorting_index"])


def test_hyperliquid_exposure_reproduces_index_from_a_position() -> None:
    # Same vector from a position: size = notional / mark, margin = account value - UPNL.
    size = D(50000) / D(110000)
    upnl = size * D(10000)
    exposure = adl_exposure(
        AdlPosition(
            side=Side.LONG,
            quantity=size,
            entry_price=D(100000),
            mark_price=D(110000),
            margin=D(10000) - upnl,
        ),
        method=AdlMethod.HYPERLIQUID,
    )
    assert abs(exposure.score - D("5.5")) < D("1e-20")
    assert exposure.close_price_rule.startswith("Hyperliquid closes")


def test_hyperliquid_short_uses_entry_over_mark_and_says_it_is_an_assumption() -> None:
    exposure = adl_exposure(
        AdlPosition(
            side=Side.SHORT,
            quantity=D(1),
            entry_price=D(100),
            mark_price=D(80),
            margin=D(30),
        ),
        method=AdlMethod.HYPERLIQUID,
    )
    # equity 30 + 20 = 50, notional 80: EL 1.6; entry/mark 1.25.
    assert exposure.score == D("1.25") * D("1.6")
    assert any("assumption" in a for a in exposure.assumptions)


def test_bitmex_effective_leverage_equals_mark_value_over_mark_minus_bankrupt_value() -> None:
    # Linear long, 2 coins at 1,000, 10x isolated, mark 1,100.
    exposure = adl_exposure(
        AdlPosition(
            side=Side.LONG,
            quantity=D(2),
            entry_price=D(1000),
            mark_price=D(1100),
            leverage=D(10),
        ),
        method=AdlMethod.BITMEX,
    )
    assert exposure.bankruptcy_price == D(900)  # E(1 - 1/L)
    mark_value, bankrupt_value = D(2) * D(1100), D(2) * D(900)
    assert exposure.effective_leverage == mark_value / (mark_value - bankrupt_value)
    assert exposure.pnl_ratio == D("0.1")
    assert exposure.score == D("0.1") * D("5.5")


def test_mexc_is_computed_like_bitmex() -> None:
    position = AdlPosition(
        side=Side.SHORT, quantity=D(3), entry_price=D(50), mark_price=D(45), margin=D(20)
    )
    bitmex = adl_exposure(position, method=AdlMethod.BITMEX)
    mexc = adl_exposure(position, method=AdlMethod.MEXC)
    assert (bitmex.score, bitmex.effective_leverage) == (mexc.score, mexc.effective_leverage)


@pytest.mark.parametrize(
    ("side", "leverage", "expected"),
    [
        (Side.LONG, D(10), D(50000) * D(10) / D(11)),  # E L/(L+1)
        (Side.SHORT, D(10), D(50000) * D(10) / D(9)),  # E L/(L-1)
    ],
)
def test_inverse_isolated_bankruptcy_price_closed_form(
    side: Side, leverage: Decimal, expected: Decimal
) -> None:
    exposure = adl_exposure(
        AdlPosition(
            side=side,
            quantity=D(1000),
            entry_price=D(50000),
            mark_price=D(50000),
            contract=ContractType.INVERSE,
            leverage=leverage,
        ),
        method=AdlMethod.BITMEX,
    )
    assert exposure.bankruptcy_price is not None
    assert abs(exposure.bankruptcy_price - expected) < D("1e-20")
    assert exposure.unrealized_pnl == 0
    assert abs(exposure.effective_leverage - leverage) < D("1e-20")


def test_inverse_short_at_one_x_has_no_bankruptcy_price_and_says_why() -> None:
    exposure = adl_exposure(
        AdlPosition(
            side=Side.SHORT,
            quantity=D(100),
            entry_price=D(20000),
            mark_price=D(19000),
            contract=ContractType.INVERSE,
            contract_size=D(100),
            leverage=D(1),
        ),
        method=AdlMethod.OKX,
    )
    assert exposure.bankruptcy_price is None
    assert "cannot lose all its margin" in exposure.bankruptcy_note
    assert any("OKX" in a for a in exposure.assumptions)


def test_fully_collateralised_linear_long_has_no_bankruptcy_price() -> None:
    exposure = adl_exposure(
        AdlPosition(
            side=Side.LONG, quantity=D(1), entry_price=D(100), mark_price=D(120), margin=D(100)
        ),
        method=AdlMethod.BITMEX,
    )
    assert exposure.bankruptcy_price is None
    assert exposure.bankruptcy_note.startswith("None:")


def test_reading_explains_rank_lights_and_close_price() -> None:
    peers = [AdlPeer(score=D("0.01") * i, quantity=D(1)) for i in range(1, 9)]
    exposure = adl_exposure(
        AdlPosition(
            side=Side.LONG,
            quantity=D(1),
            entry_price=D(9500),
            mark_price=D(10000),
            wallet_balance=D(2000),
            maintenance_margin_rate=D("0.5"),
        ),
        method=AdlMethod.BINANCE,
        population=peers,
    )
    # PnL% 500 / 2,000 = 0.25, margin ratio 5,000 / 2,500 = 2: score 0.5, ahead of all 8.
    assert exposure.lights == 5
    assert exposure.primary_weighting == "count"
    assert exposure.score == D("0.5")
    assert "ranks above 88% of the sample by quantity" in exposure.reading
    assert "5 of 5 lights (count-weighted): first in line if ADL happens" in exposure.reading
    assert "bankruptcy price of the liquidated order" in exposure.reading


def test_reading_without_population_asks_for_a_sample() -> None:
    exposure = adl_exposure(
        AdlPosition(
            side=Side.LONG, quantity=D(1), entry_price=D(100), mark_price=D(90), leverage=D(5)
        ),
        method=AdlMethod.OKX,
    )
    assert exposure.ranking is None and exposure.lights is None
    assert "Add a sample" in exposure.reading
    assert "at a loss" in exposure.reading
    assert "mark price" in exposure.reading


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": D(0)}, "quantity"),
        ({"entry_price": D(-1)}, "entry_price"),
        ({"mark_price": D(0)}, "mark_price"),
        ({"leverage": D("0.5")}, "leverage"),
        ({"leverage": None}, "__all__"),
        ({"margin": D(5)}, "__all__"),
        ({"mark_price": D(79)}, "mark_price"),  # past bankruptcy at 80 (5x long from 100)
    ],
)
def test_invalid_positions_name_the_field(changes: dict[str, object], field: str) -> None:
    fields: dict[str, object] = {
        "side": Side.LONG,
        "quantity": D(1),
        "entry_price": D(100),
        "mark_price": D(100),
        "leverage": D(5),
    }
    fields.update(changes)
    with pytest.raises(InputError) as error:
        adl_exposure(AdlPosition(**fields), method=AdlMethod.BITMEX)  # type: ignore[arg-type]
    assert error.value.field == field


def test_hyperliquid_rejects_inverse_contracts() -> None:
    position = AdlPosition(
        side=Side.LONG,
        quantity=D(1),
        entry_price=D(100),
        mark_price=D(100),
        contract=ContractType.INVERSE,
        leverage=D(2),
    )
    with pytest.raises(InputError) as error:
        adl_exposure(position, method=AdlMethod.HYPERLIQUID)
    assert error.value.field == "contract"


def test_empty_population_is_refused_by_ranking() -> None:
    with pytest.raises(InputError) as error:
        adl_ranking(score=D(1), quantity=D(1), population=[])
    assert error.value.field == "population"


# --- properties ----------------------------------------------------------------------------

ratios = st.decimals(min_value="-0.99", max_value="0.99", places=6)
leverages = st.decimals(min_value="0.01", max_value="200", places=4)


@settings(max_examples=1000, deadline=None)
@given(
    method=st.sampled_from(AdlMethod),
    side=st.sampled_from(Side),
    a=ratios,
    b=ratios,
    el=leverages,
)
def test_score_is_monotone_in_pnl_for_fixed_leverage(
    method: AdlMethod, side: Side, a: Decimal, b: Decimal, el: Decimal
) -> None:
    low, high = min(a, b), max(a, b)
    # Binance's second factor is the margin ratio; el stands in for it here.
    score_low = adl_score(
        method=method, side=side, pnl_ratio=low, effective_leverage=el, margin_ratio=el
    )
    score_high = adl_score(
        method=method, side=side, pnl_ratio=high, effective_leverage=el, margin_ratio=el
    )
    assert score_low <= score_high
    if low < high and (method is not AdlMethod.BINANCE or high > 0):
        assert score_low < score_high
    if method is AdlMethod.BINANCE:
        assert score_low >= 0  # a loss ranks at the bottom, never below it


peers = st.lists(
    st.builds(
        AdlPeer,
        score=st.decimals(min_value="-5", max_value="5", places=3),
        quantity=st.decimals(min_value="0.001", max_value="1000", places=3),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=1000, deadline=None)
@given(
    population=peers,
    score=st.decimals(min_value="-5", max_value="5", places=3),
    quantity=st.decimals(min_value="0.001", max_value="1000", places=3),
)
def test_lights_are_one_to_five_and_percentile_within_zero_one(
    population: list[AdlPeer], score: Decimal, quantity: Decimal
) -> None:
    ranking = adl_ranking(score=score, quantity=quantity, population=population)
    for rank in (ranking.by_count, ranking.by_quantity):
        assert 1 <= rank.lights <= 5
        assert 0 <= rank.percentile < 1
        assert 0 < rank.queue_fraction <= 1
        assert rank.bucket >= rank.queue_fraction
        assert rank.lights == 6 - int(rank.bucket * 5)
    # A higher score never moves you back in the queue.
    higher = adl_ranking(score=score + 1, quantity=quantity, population=population)
    assert higher.by_quantity.queue_fraction <= ranking.by_quantity.queue_fraction
    assert higher.by_count.lights >= ranking.by_count.lights


def test_choices_accept_their_string_values_and_floats_are_refused() -> None:
    position = AdlPosition(
        side="long",  # type: ignore[arg-type]
        quantity=D(1),
        entry_price=D(9500),
        mark_price=D(10000),
        wallet_balance=D(2000),
    )
    by_value = adl_exposure(position, method="bitmex")  # type: ignore[arg-type]
    assert by_value.score == adl_exposure(position, method=AdlMethod.BITMEX).score
    with pytest.raises(InputError) as error:
        adl_exposure(position, method="ftx")  # type: ignore[arg-type]
    assert error.value.field == "method"
    floaty = AdlPosition(
        side=Side.LONG,
        quantity=0.5,  # type: ignore[arg-type]
        entry_price=D(100),
        mark_price=D(100),
        leverage=D(2),
    )
    with pytest.raises(InputError) as error:
        adl_exposure(floaty, method=AdlMethod.BITMEX)
    assert (error.value.field, error.value.message) == (
        "quantity",
        "Enter a decimal number, not a float.",
    )
