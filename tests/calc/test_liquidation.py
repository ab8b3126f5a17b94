"""Liquidation solver behaviour: bad input, no-solution cases, tiers, hedge mode, properties."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from decimal import localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from riskcalc.calc import (
    LIMITS,
    ContractType,
    HedgeLeg,
    InputError,
    LiquidationInput,
    MarginBasis,
    MarginMode,
    NoPriceReason,
    Side,
    TierMethod,
    TierTable,
    liquidation_price,
    maintenance_margin,
    tier_table,
    tiers_from_rows,
    unrealized_pnl,
    with_leverage,
)
from riskcalc.calc.rounding import CALC_CONTEXT
from riskcalc.calc.tiers import TierBoundary, TierRow

LINEAR, INVERSE = ContractType.LINEAR, ContractType.INVERSE
LONG, SHORT = Side.LONG, Side.SHORT
CROSS, ISOLATED = MarginMode.CROSS, MarginMode.ISOLATED
MARK, ENTRY = MarginBasis.MARK, MarginBasis.ENTRY


def isolated(**changes: object) -> LiquidationInput:
    values: dict[str, object] = {
        "side": LONG,
        "entry_price": D(20000),
        "quantity": D(1),
        "leverage": D(50),
        "maintenance_margin_rate": D("0.005"),
    }
    values.update(changes)
    return LiquidationInput(**values)  # type: ignore[arg-type]


class TestBadInput:
    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"quantity": D(0)}, "quantity"),
            ({"entry_price": D(-5)}, "entry_price"),
            ({"entry_price": D("NaN")}, "entry_price"),
            ({"leverage": D("Infinity")}, "leverage"),
            ({"leverage": D(2000)}, "leverage"),
            ({"quantity": D("1e13")}, "quantity"),
            ({"maintenance_margin_rate": D(1)}, "maintenance_margin_rate"),
            ({"side": "up"}, "side"),
            ({"contract": "perpetual"}, "contract"),
            ({"mm_basis": "last"}, "mm_basis"),
            ({"tick_size": D(0)}, "tick_size"),
            ({"fee_rate": D("0.5")}, "fee_rate"),
            ({"quantity": 1.5}, "quantity"),
            ({"wallet_balance": D(100)}, "wallet_balance"),
            ({"other_unrealized_pnl": D(5)}, "other_unrealized_pnl"),
        ],
    )
    def test_invalid_value_names_its_field(self, changes: dict[str, object], field: str) -> None:
        with pytest.raises(InputError) as error:
            isolated(**changes)
        assert error.value.field == field
        assert error.value.message

    def test_cross_mode_without_a_wallet_balance_is_explained(self) -> None:
        with pytest.raises(InputError) as error:
            isolated(margin_mode=CROSS)
        assert error.value.field == "wallet_balance"
        assert "Cross margin needs the wallet balance" in error.value.message

    def test_added_margin_in_cross_mode_is_refused(self) -> None:
        with pytest.raises(InputError) as error:
            isolated(margin_mode=CROSS, wallet_balance=D(1000), extra_margin=D(10))
        assert error.value.field == "extra_margin"

    def test_leverage_and_position_margin_together_are_refused(self) -> None:
        with pytest.raises(InputError) as error:
            isolated(position_margin=D(100))
        assert error.value.field == "__all__"

    def test_leverage_above_the_tier_maximum_says_what_the_exchange_allows(self) -> None:
        with pytest.raises(InputError) as error:
            isolated(
                quantity=D(3),
                leverage=D(125),
                maintenance_margin_rate=None,
                tiers=tier_table("binance_usdm", "BTCUSDT"),
            )
        assert error.value.field == "leverage"
        assert error.value.message.startswith(
            "Binance USDS-M BTCUSDT allows at most 100× for a position of this size"
        )

    def test_hedge_leg_needs_cross_margin(self) -> None:
        with pytest.raises(InputError) as error:
            isolated(hedge_leg=HedgeLeg(quantity=D(1), entry_price=D(20000)))
        assert error.value.field == "hedge_leg"

    def test_limits_are_exported_for_the_forms(self) -> None:
        assert LIMITS["leverage"].maximum == D(1000)
        assert LIMITS["entry_price"].maximum == D("1e12")


class TestNoSolution:
    def test_over_collateralised_long_has_no_liquidation_price(self) -> None:
        result = liquidation_price(isolated(leverage=D(1), maintenance_margin_rate=D(0)))
        assert result.liquidation_price is None
        assert result.no_liquidation_reason is NoPriceReason.AT_OR_BELOW_ZERO
        assert "--" in result.no_liquidation_message
        assert result.bankruptcy_price is None
        assert result.no_bankruptcy_reason is NoPriceReason.AT_OR_BELOW_ZERO

    def test_cross_long_with_a_large_wallet_has_no_liquidation_price(self) -> None:
        result = liquidation_price(
            isolated(leverage=None, margin_mode=CROSS, wallet_balance=D(1000000))
        )
        assert result.liquidation_price is None
        assert result.no_liquidation_reason is NoPriceReason.AT_OR_BELOW_ZERO

    def test_one_x_inverse_short_cannot_be_liquidated(self) -> None:
        result = liquidation_price(
            isolated(side=SHORT, contract=INVERSE, quantity=D(10000), leverage=D(1))
        )
        assert result.liquidation_price is None
        assert result.no_liquidation_reason is NoPriceReason.UNREACHABLE_ABOVE
        assert result.bankruptcy_price is None
        assert result.no_bankruptcy_reason is NoPriceReason.UNREACHABLE_ABOVE

    def test_inverse_long_always_has_a_positive_liquidation_price(self) -> None:
        result = liquidation_price(isolated(contract=INVERSE, quantity=D(10000), leverage=D(1)))
        assert result.liquidation_price is not None and result.liquidation_price > 0

    def test_perfectly_hedged_legs_without_maintenance_have_no_price_exposure(self) -> None:
        result = liquidation_price(
            isolated(
                leverage=None,
                margin_mode=CROSS,
                wallet_balance=D(100),
                maintenance_margin_rate=D(0),
                hedge_leg=HedgeLeg(quantity=D(1), entry_price=D(20000)),
            )
        )
        assert result.liquidation_price is None
        assert result.no_liquidation_reason is NoPriceReason.NO_PRICE_EXPOSURE


class TestConventions:
    def test_mark_basis_differs_from_entry_basis_by_about_mmr_times_distance(self) -> None:
        entry = liquidation_price(isolated(mm_basis=ENTRY))
        mark = liquidation_price(isolated())
        assert entry.liquidation_price == D(19700)
        assert mark.liquidation_price is not None
        assert round(mark.liquidation_price, 2) == D("19698.49")

    def test_tick_rounding_is_against_the_trader(self) -> None:
        long = liquidation_price(isolated(tick_size=D("0.5")))
        short = liquidation_price(isolated(side=SHORT, tick_size=D("0.5")))
        assert long.liquidation_price == D("19698.5")
        assert short.liquidation_price_exact is not None
        assert short.liquidation_price is not None
        assert short.liquidation_price <= short.liquidation_price_exact
        assert short.liquidation_price % D("0.5") == 0

    def test_funding_received_moves_the_long_liquidation_price_down(self) -> None:
        paid = liquidation_price(isolated(mm_basis=ENTRY, funding_paid=D(200)))
        received = liquidation_price(isolated(mm_basis=ENTRY, funding_paid=D(-200)))
        assert paid.liquidation_price == D(19900)
        assert received.liquidation_price == D(19500)

    def test_liquidation_distance_is_measured_from_the_mark(self) -> None:
        result = liquidation_price(isolated(mm_basis=ENTRY, mark_price=D(20200)))
        assert result.liquidation_distance is not None
        assert abs(result.liquidation_distance - D(500) / D(20200)) < D("1e-28")
        assert result.distance_reference == D(20200)

    def test_result_carries_the_maths_for_a_step_by_step_display(self) -> None:
        result = liquidation_price(isolated())
        maths = result.maths
        assert maths.collateral == D(400)
        assert maths.numerator is not None and maths.denominator is not None
        with localcontext(CALC_CONTEXT):
            assert maths.numerator / maths.denominator == result.liquidation_price_exact
        assert maths.formula.startswith("LP = ")

    def test_leverage_beyond_the_maintenance_rate_warns_of_immediate_liquidation(self) -> None:
        result = liquidation_price(isolated(leverage=D(250)))
        assert "leverage_too_high_for_maintenance" in {w.code for w in result.warnings}

    def test_cross_with_other_positions_warns_they_are_held_fixed(self) -> None:
        result = liquidation_price(
            isolated(
                leverage=None,
                margin_mode=CROSS,
                wallet_balance=D(1000),
                other_maintenance_margin=D(50),
            )
        )
        assert "other_positions_held_fixed" in {w.code for w in result.warnings}

    def test_margin_unit_is_the_coin_for_inverse_contracts(self) -> None:
        result = liquidation_price(isolated(contract=INVERSE, quantity=D(1000), leverage=D(10)))
        assert result.margin_unit.value == "base"


class TestTiers:
    def test_liquidation_price_in_a_lower_tier_is_re_solved_with_that_tier(self) -> None:
        # 70 BTC at 100,000 = 7M (tier 4 at entry); at 20x isolated the LP notional is below
        # 3M? No: ~6.6M, still tier 4. Make it cross with a big wallet so LP falls far.
        table = tier_table("binance_usdm", "BTCUSDT")
        result = liquidation_price(
            LiquidationInput(
                side=LONG,
                entry_price=D(100000),
                quantity=D(70),
                margin_mode=CROSS,
                wallet_balance=D(5000000),
                tiers=table,
            )
        )
        assert result.tier is not None and result.liquidation_price_exact is not None
        lp = result.liquidation_price_exact
        assert table.tier_for_notional(D(70) * lp).number == result.tier.number
        assert result.tier.number < 4
        assert "tier_changes_before_liquidation" in {w.code for w in result.warnings}
        mm = maintenance_margin(contract=LINEAR, quantity=D(70), price=lp, tiers=table)
        equity = D(5000000) + D(70) * (lp - D(100000))
        assert abs(equity - mm.maintenance_margin) < D("1e-20")

    def test_short_walking_up_into_higher_tiers_stays_consistent(self) -> None:
        table = tier_table("bybit", "BTCUSDT")
        result = liquidation_price(
            LiquidationInput(
                side=SHORT,
                entry_price=D(100000),
                quantity=D(19),
                margin_mode=CROSS,
                wallet_balance=D(1500000),
                tiers=table,
            )
        )
        assert result.liquidation_price_exact is not None and result.tier is not None
        lp = result.liquidation_price_exact
        assert table.tier_for_notional(D(19) * lp) == result.tier
        assert len(result.maths.tiers_tried) > 1

    def test_already_under_margined_position_is_solved_in_the_tier_at_its_price(self) -> None:
        # Found by the equity = MM property: a cross long already below maintenance has its
        # equity = MM price above entry, where the notional (600,000.03) is in the next tier.
        table = tier_table("binance_usdm", "BTCUSDT")
        result = liquidation_price(
            LiquidationInput(
                side=Side.LONG,
                entry_price=D("2431.18"),
                quantity=D("246.678"),
                margin_mode=CROSS,
                wallet_balance=D("11994.37240080"),
                other_maintenance_margin=D("2998.59310020"),
                other_unrealized_pnl=D("-5997.1862004"),
                tiers=table,
                fee_rate=D("0.00055"),
                fee_in_maintenance=True,
            )
        )

        lp = result.liquidation_price_exact
        assert lp is not None and lp > D("2431.18")
        assert table.tier_for_notional(D("246.678") * lp) == result.tier
        assert result.maths.tiers_tried == (2, 3)
        assert "already_below_maintenance" in [w.code for w in result.warnings]

    def test_whole_position_jump_liquidates_at_the_tier_edge(self) -> None:
        rows = [
            TierRow(cap=D(100000), maintenance_margin_rate=D("0.01"), max_leverage=D(50)),
            TierRow(cap=D(1000000), maintenance_margin_rate=D("0.2"), max_leverage=D(4)),
        ]
        table = TierTable(
            exchange="generic",
            exchange_name="Example",
            symbol="TEST",
            contract=LINEAR,
            notional_unit="USDT",
            tier_method=TierMethod.WHOLE_POSITION,
            boundary=TierBoundary.CAP_INCLUSIVE,
            source_url="https://example.org",
            snapshot=tier_table("bybit", "BTCUSDT").snapshot,
            retrieved=tier_table("bybit", "BTCUSDT").retrieved,
            tiers=tiers_from_rows(rows, method=TierMethod.WHOLE_POSITION),
        )
        # Short 1 at 90,000 with 20,000 margin: in tier 1 the LP would be ~108,900, but above
        # 100,000 the whole position jumps to 20% and the margin no longer covers it.
        result = liquidation_price(
            LiquidationInput(
                side=SHORT,
                entry_price=D(90000),
                quantity=D(1),
                position_margin=D(20000),
                tiers=table,
            )
        )
        assert result.liquidation_price == D(100000)
        assert result.tier is not None and result.tier.number == 2


class TestHedgeMode:
    def test_hedge_legs_share_one_price_where_total_equity_meets_total_mm(self) -> None:
        position = LiquidationInput(
            side=LONG,
            entry_price=D(30000),
            quantity=D(3),
            margin_mode=CROSS,
            wallet_balance=D(10000),
            maintenance_margin_rate=D("0.01"),
            hedge_leg=HedgeLeg(quantity=D(1), entry_price=D(31000)),
        )
        result = liquidation_price(position)
        lp = result.liquidation_price_exact
        assert lp is not None
        equity = D(10000) + 3 * (lp - 30000) - 1 * (lp - 31000)
        mm = (3 + 1) * lp * D("0.01")
        assert abs(equity - mm) < D("1e-20")
        assert result.maintenance_margin == mm

    def test_binance_faq_layout_with_a_hedge_short_leg(self) -> None:
        # Numerator/denominator of the FAQ with L and S legs (no B leg).
        wb, cum_l, cum_s = D(50000), D(50), D(50)
        pos_l, ep_l, mmr_l = D(2), D(60000), D("0.005")
        pos_s, ep_s, mmr_s = D(1), D(61000), D("0.005")
        numerator = wb + cum_l + cum_s - pos_l * ep_l + pos_s * ep_s
        denominator = pos_l * mmr_l + pos_s * mmr_s - pos_l + pos_s
        result = liquidation_price(
            LiquidationInput(
                side=LONG,
                entry_price=ep_l,
                quantity=pos_l,
                margin_mode=CROSS,
                wallet_balance=wb,
                maintenance_margin_rate=mmr_l,
                maintenance_amount=cum_l,
                hedge_leg=HedgeLeg(
                    quantity=pos_s,
                    entry_price=ep_s,
                    maintenance_margin_rate=mmr_s,
                    maintenance_amount=cum_s,
                ),
            )
        )
        assert result.liquidation_price_exact is not None
        assert abs(result.liquidation_price_exact - numerator / denominator) < D("1e-20")


# ------------------------------------------------------------------------------------------
# Properties

tables = [None, "binance_usdm/BTCUSDT", "binance_usdm/ETHUSDT", "bybit/BTCUSDT", "hyperliquid/BTC"]


@st.composite
def positions(draw: st.DrawFn) -> LiquidationInput:
    contract = draw(st.sampled_from(ContractType))
    mode = draw(st.sampled_from(MarginMode))
    basis = draw(st.sampled_from(MarginBasis))
    side = draw(st.sampled_from(Side))
    entry = draw(st.decimals(min_value=D(100), max_value=D(100000), places=2))
    table = None if contract is INVERSE else draw(st.sampled_from(tables))
    tiers = tier_table(*table.split("/")) if table else None
    if contract is LINEAR:
        quantity = draw(st.decimals(min_value=D("0.001"), max_value=D(500), places=3))
        size = D(1)
    else:
        quantity = D(draw(st.integers(min_value=1, max_value=10**6)))
        size = draw(st.sampled_from([D(1), D(100)]))
    fee = draw(st.sampled_from([D(0), D("0.0005"), D("0.00055")]))
    values: dict[str, object] = {
        "side": side,
        "contract": contract,
        "margin_mode": mode,
        "mm_basis": basis,
        "entry_price": entry,
        "quantity": quantity,
        "contract_size": size,
        "fee_rate": fee,
        "fee_in_maintenance": draw(st.booleans()),
        "funding_paid": draw(st.sampled_from([D(0), D(1), D(-1)])),
    }
    if tiers is None:
        values["maintenance_margin_rate"] = draw(
            st.decimals(min_value=D(0), max_value=D("0.1"), places=4)
        )
        values["maintenance_amount"] = D(0)
    else:
        values["tiers"] = tiers
    notional = quantity * size * entry if contract is LINEAR else quantity * size / entry
    if mode is ISOLATED:
        cap = D(20)
        if tiers is not None:
            largest = tiers.largest_notional
            assume(largest is None or notional < largest)
            cap = min(cap, tiers.tier_for_notional(notional).max_leverage)
        values["leverage"] = D(draw(st.integers(min_value=1, max_value=int(cap))))
        values["extra_margin"] = notional * draw(st.sampled_from([D(0), D("0.01")]))
        values["fee_on_extra_margin"] = draw(st.booleans())
    else:
        if tiers is not None:
            largest = tiers.largest_notional
            assume(largest is None or notional < largest)
        values["wallet_balance"] = notional * draw(
            st.decimals(min_value=D("0.02"), max_value=D(2), places=3)
        )
        values["other_maintenance_margin"] = notional * draw(st.sampled_from([D(0), D("0.005")]))
        values["other_unrealized_pnl"] = notional * draw(st.sampled_from([D(0), D("-0.01")]))
    return LiquidationInput(**values)  # type: ignore[arg-type]


def _collateral(p: LiquidationInput) -> D:
    """Collateral recomputed from the inputs, independently of the solver."""
    linear = p.contract is LINEAR
    if p.margin_mode is CROSS:
        assert p.wallet_balance is not None
        return (
            p.wallet_balance - p.other_maintenance_margin + p.other_unrealized_pnl - p.funding_paid
        )
    value = (
        p.quantity * p.contract_size * p.entry_price
        if linear
        else p.quantity * p.contract_size / p.entry_price
    )
    assert p.leverage is not None
    extra = p.extra_margin
    if p.fee_on_extra_margin:
        extra = extra / (1 - p.side.sign * p.fee_rate if linear else 1 + p.side.sign * p.fee_rate)
    return value / p.leverage + extra - p.funding_paid


@settings(max_examples=1000, deadline=None)
@given(position=positions())
def test_margin_balance_equals_maintenance_margin_at_the_liquidation_price(
    position: LiquidationInput,
) -> None:
    result = liquidation_price(position)
    if result.liquidation_price_exact is None:
        assert result.no_liquidation_reason is not None and result.no_liquidation_message
        return
    lp = result.liquidation_price_exact
    assert lp > 0
    assume(lp <= LIMITS["price"].maximum)
    fee = position.fee_rate if position.fee_in_maintenance else D(0)
    mm_price = position.entry_price if position.mm_basis is ENTRY else lp
    mm_kwargs: dict[str, object] = (
        {"tiers": position.tiers}
        if position.tiers is not None
        else {
            "maintenance_margin_rate": position.maintenance_margin_rate,
            "maintenance_amount": position.maintenance_amount,
        }
    )
    if position.tiers is not None and position.tiers.largest_notional is not None:
        n = position.quantity * mm_price
        assume(n <= position.tiers.largest_notional)
    mm = maintenance_margin(
        contract=position.contract,
        quantity=position.quantity,
        price=mm_price,
        contract_size=position.contract_size,
        fee_rate=fee,
        **mm_kwargs,  # type: ignore[arg-type]
    ).maintenance_margin
    equity = _collateral(position) + unrealized_pnl(
        side=position.side,
        contract=position.contract,
        quantity=position.quantity,
        entry_price=position.entry_price,
        mark_price=lp,
        contract_size=position.contract_size,
    )
    scale = max(abs(mm), abs(equity), D("1e-12"))
    assert abs(equity - mm) / scale < D("1e-9")
    assert mm == result.maintenance_margin


@settings(max_examples=1000, deadline=None)
@given(
    side=st.sampled_from(Side),
    contract=st.sampled_from(ContractType),
    basis=st.sampled_from(MarginBasis),
    entry=st.decimals(min_value=D(1), max_value=D(100000), places=2),
    rate=st.decimals(min_value=D(0), max_value=D("0.004"), places=4),
    low=st.integers(min_value=1, max_value=99),
    step=st.integers(min_value=1, max_value=100),
)
def test_liquidation_moves_toward_entry_as_leverage_rises(
    side: Side, contract: ContractType, basis: MarginBasis, entry: D, rate: D, low: int, step: int
) -> None:
    def lp(leverage: int) -> D | None:
        return liquidation_price(
            LiquidationInput(
                side=side,
                contract=contract,
                mm_basis=basis,
                entry_price=entry,
                quantity=D(1000),
                leverage=D(leverage),
                maintenance_margin_rate=rate,
            )
        ).liquidation_price_exact

    lower, higher = lp(low), lp(low + step)
    if higher is None:
        assert lower is None  # no price at the higher leverage -> none at the lower either
        return
    if lower is None:
        return  # the lower leverage is too safe to liquidate at all
    assert abs(higher - entry) < abs(lower - entry)


@settings(max_examples=1000, deadline=None)
@given(
    entry=st.decimals(min_value=D(1), max_value=D(100000), places=2),
    quantity=st.decimals(min_value=D("0.001"), max_value=D(1000), places=3),
    rate=st.decimals(min_value=D(0), max_value=D("0.05"), places=4),
    leverage=st.integers(min_value=2, max_value=100).map(D),
)
def test_linear_long_and_short_mirror_each_other(
    entry: D, quantity: D, rate: D, leverage: D
) -> None:
    common = {
        "entry_price": entry,
        "quantity": quantity,
        "leverage": leverage,
        "maintenance_margin_rate": rate,
    }
    long_entry = liquidation_price(LiquidationInput(side=LONG, mm_basis=ENTRY, **common))  # type: ignore[arg-type]
    short_entry = liquidation_price(LiquidationInput(side=SHORT, mm_basis=ENTRY, **common))  # type: ignore[arg-type]
    assert long_entry.liquidation_price_exact is not None
    assert short_entry.liquidation_price_exact is not None
    # Entry basis: equal distances either side of entry.
    assert entry - long_entry.liquidation_price_exact == short_entry.liquidation_price_exact - entry
    # Bankruptcy: E(1 - 1/L) and E(1 + 1/L).
    assert long_entry.bankruptcy_price_exact is not None
    assert short_entry.bankruptcy_price_exact is not None
    assert long_entry.bankruptcy_price_exact + short_entry.bankruptcy_price_exact == 2 * entry
    # Mark basis: (1 - m) LP_long + (1 + m) LP_short = 2E.
    long_mark = liquidation_price(LiquidationInput(side=LONG, **common))  # type: ignore[arg-type]
    short_mark = liquidation_price(LiquidationInput(side=SHORT, **common))  # type: ignore[arg-type]
    assert long_mark.liquidation_price_exact is not None
    assert short_mark.liquidation_price_exact is not None
    total = (1 - rate) * long_mark.liquidation_price_exact + (
        1 + rate
    ) * short_mark.liquidation_price_exact
    assert abs(total - 2 * entry) < D("1e-25") * entry


@settings(max_examples=1000, deadline=None)
@given(position=positions())
def test_bankruptcy_lies_beyond_liquidation(position: LiquidationInput) -> None:
    result = liquidation_price(position)
    lp, bp = result.liquidation_price_exact, result.bankruptcy_price_exact
    if lp is None or bp is None:
        return
    assume(result.maintenance_margin > 0)
    assume("already_below_maintenance" not in {w.code for w in result.warnings})
    if position.side is LONG:
        assert bp < lp
    else:
        assert bp > lp


@pytest.mark.parametrize("leverage", [D(1), D("7.5"), D(20), D(125), D(150), D(0), D(5000)])
@pytest.mark.parametrize(
    "position",
    [
        LiquidationInput(
            side=Side.LONG,
            entry_price=D(20000),
            quantity=D(1),
            leverage=D(50),
            maintenance_margin_rate=D("0.005"),
            mm_basis=MarginBasis.ENTRY,
        ),
        LiquidationInput(
            side=Side.SHORT,
            entry_price=D(30000),
            quantity=D(40),
            leverage=D(20),
            tiers=tier_table("binance_usdm", "BTCUSDT"),
            mark_price=D(31000),
            tick_size=D("0.1"),
        ),
        LiquidationInput(
            side=Side.LONG,
            contract=ContractType.INVERSE,
            entry_price=D(30000),
            quantity=D(1000),
            contract_size=D(100),
            leverage=D(3),
            maintenance_margin_rate=D("0.01"),
            fee_rate=D("0.0005"),
            fee_in_maintenance=True,
        ),
    ],
    ids=["entry-basis", "tiers-short", "inverse-fee"],
)
def test_with_leverage_equals_replace_and_raises_alike(
    position: LiquidationInput, leverage: D
) -> None:
    try:
        expected = replace(position, leverage=leverage)
    except InputError as error:
        with pytest.raises(InputError) as raised:
            with_leverage(position, leverage)
        assert (raised.value.field, raised.value.message) == (error.field, error.message)
        return
    copy = with_leverage(position, leverage)
    assert copy == expected
    assert liquidation_price(copy) == liquidation_price(expected)
