"""Fixed-fractional position sizing: published examples, the TradingView caution vector,
liquidation checks and properties."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from riskcalc.calc import InputError
from riskcalc.calc.liquidation import LiquidationInput, liquidation_price
from riskcalc.calc.position_size import PositionSizeInput, position_size
from riskcalc.calc.profiles import tier_table
from riskcalc.calc.types import ContractType, Side
from tests.calc.vectors import vector

D = Decimal


def test_schwab_one_percent_rule_gives_785_shares() -> None:
    v = vector("position-size-schwab-1pct")
    result = position_size(
        PositionSizeInput(
            side=Side.LONG,
            account_balance=D(v["inputs"]["account_usd"]),
            risk_fraction=D(v["inputs"]["risk_pct"]),
            entry_price=D(v["inputs"]["entry"]),
            stop_price=D(v["inputs"]["stop"]),
            lot_step=D(1),  # "floor to whole share"
        )
    )
    assert result.risk_amount == D(v["expected"]["risk_amount_usd"])
    assert result.quantity == D(v["expected"]["units"])
    assert result.warnings[0].code == "no_maintenance_rate"


def test_schwab_rounds_fractional_shares_down_never_up() -> None:
    # Schwab's note: 785.6 shares become 785, never 786 (risk 785.6 over a 1.00 stop).
    result = position_size(
        PositionSizeInput(
            side=Side.LONG,
            account_balance=D(78560),
            risk_fraction=D("0.01"),
            entry_price=D(30),
            stop_price=D(29),
            lot_step=D(1),
        )
    )
    assert result.quantity_for_risk == D("785.60")
    assert result.quantity == D(785)


def test_crypto_square_example_gives_0_004_btc() -> None:
    v = vector("position-size-crypto-btc-square")
    result = position_size(
        PositionSizeInput(
            side=Side.LONG,
            # The post gives only the risk amount; any balance whose 1x cap does not bind works.
            account_balance=D(1000),
            risk_amount=D(v["inputs"]["risk_amount_usdt"]),
            entry_price=D(v["inputs"]["entry"]),
            stop_price=D(v["inputs"]["stop"]),
        )
    )
    assert result.quantity == D(v["expected"]["units_btc"])
    assert result.notional == D(v["recomputed"]["notional_usdt"])


def _tradingview(**fees: Decimal | bool) -> Decimal:
    v = vector("position-size-with-fees-tradingview")
    entry = D(10000)  # the post gives the stop distance (0.16%) only; notional does not depend on E
    result = position_size(
        PositionSizeInput(
            side=Side.LONG,
            account_balance=D(v["inputs"]["account_usd"]),
            risk_fraction=D(v["inputs"]["risk_pct"]),
            entry_price=entry,
            stop_price=entry * (1 - D(v["inputs"]["stop_distance_pct"])),
            leverage=D(20),
            **fees,  # type: ignore[arg-type]
        )
    )
    assert not result.warnings or result.warnings[0].code == "no_maintenance_rate"
    return result.notional


def test_tradingview_no_fee_notional_matches_the_post() -> None:
    v = vector("position-size-with-fees-tradingview")
    assert _tradingview() == D(v["expected"]["notional_no_fees_usd"])


def test_tradingview_with_fees_gives_37500_not_the_published_28125() -> None:
    # The post states 0.04% taker fees on entry and exit but publishes 28,125 = 90 / 0.0032,
    # which needs 0.08% per side. With the stated fees, both charged on the entry price as
    # the post's percentage form does, the loss per unit is 16 + 4 + 4 = 24 and the notional
    # 3.75 x 10,000 = 37,500. We must not reproduce the known error.
    v = vector("position-size-with-fees-tradingview")
    fee_in, fee_out = D(v["inputs"]["taker_fee_open"]), D(v["inputs"]["taker_fee_close"])
    notional = _tradingview(
        fee_rate_entry=fee_in, fee_rate_exit=fee_out, exit_fee_on_entry_price=True
    )
    assert notional == D(v["recomputed"]["notional_with_fees_usd"]) == D(37500)
    assert notional != D(v["expected"]["notional_with_fees_usd"])
    # The published figure is what 0.08% per side would give.
    doubled = _tradingview(
        fee_rate_entry=2 * fee_in, fee_rate_exit=2 * fee_out, exit_fee_on_entry_price=True
    )
    assert doubled == D(v["expected"]["notional_with_fees_usd"])


def test_tradingview_exit_fee_on_stop_price_gives_about_37510() -> None:
    v = vector("position-size-with-fees-tradingview")
    notional = _tradingview(fee_rate_entry=D("0.0004"), fee_rate_exit=D("0.0004"))
    assert notional.quantize(D(1)) == D(v["recomputed"]["notional_exit_fee_on_stop_price"])


def test_loss_at_stop_equals_risk_with_fees_and_slippage() -> None:
    result = position_size(
        PositionSizeInput(
            side=Side.SHORT,
            account_balance=D(10000),
            risk_fraction=D("0.01"),
            entry_price=D(2000),
            stop_price=D(2050),
            fee_rate_entry=D("0.0005"),
            fee_rate_exit=D("0.0005"),
            slippage=D("1.975"),
            leverage=D(10),
        )
    )
    # 50 + 1 + 1.025 + 1.975 = 54 per ETH; 100 / 54.
    assert result.loss_per_unit == D(54)
    assert abs(result.loss_at_stop - D(100)) < D("1e-30")
    assert abs(result.fees_at_stop - result.quantity * D("2.025")) < D("1e-25")


def test_inverse_loss_in_coin_includes_coin_fees() -> None:
    # 100 USD contracts, short from 40,000, stop 44,000, risk 0.02 BTC, 0.05% fees each side.
    result = position_size(
        PositionSizeInput(
            side=Side.SHORT,
            account_balance=D(1),
            risk_amount=D("0.02"),
            entry_price=D(40000),
            stop_price=D(44000),
            fee_rate_entry=D("0.0005"),
            fee_rate_exit=D("0.0005"),
            contract=ContractType.INVERSE,
            contract_size=D(100),
            leverage=D(3),
            lot_step=D(1),
        )
    )
    per_contract = D(100) * (1 / D(40000) - 1 / D(44000)) + D(100) * (
        D("0.0005") / D(40000) + D("0.0005") / D(44000)
    )
    assert abs(result.loss_per_unit - per_contract) < D("1e-30")
    assert result.quantity == (D("0.02") / per_contract).to_integral_value(rounding="ROUND_DOWN")
    assert result.loss_at_stop <= D("0.02")
    assert result.notional == result.quantity * 100 / D(40000)


def test_leverage_cap_warns_and_names_the_cap() -> None:
    result = position_size(
        PositionSizeInput(
            side=Side.LONG,
            account_balance=D(1000),
            risk_fraction=D("0.02"),
            entry_price=D(100),
            stop_price=D("99.9"),  # 0.1% stop: risk alone would allow 200 units = 20,000
            leverage=D(5),
        )
    )
    assert result.quantity == result.quantity_cap == D(50)
    assert result.notional == D(5000)
    assert result.loss_at_stop < result.risk_amount
    (cap,) = [w for w in result.warnings if w.code == "capped_by_leverage"]
    assert cap.message.startswith("Capped by leverage: at 5×")


def test_stop_beyond_liquidation_warns_that_the_stop_never_fills() -> None:
    result = position_size(
        PositionSizeInput(
            side=Side.LONG,
            account_balance=D(1000),
            risk_fraction=D("0.01"),
            entry_price=D(100),
            stop_price=D(90),
            leverage=D(20),
            maintenance_margin_rate=D("0.005"),
        )
    )
    assert result.liquidation_price is not None
    assert D(95) < result.liquidation_price < D(100)
    codes = [w.code for w in result.warnings]
    assert "stop_beyond_liquidation" in codes
    message = next(w.message for w in result.warnings if w.code == "stop_beyond_liquidation")
    assert "your stop would never fill: liquidation comes first" in message.lower()


def test_liquidation_price_uses_the_isolated_solver_with_the_given_rate() -> None:
    # Linear isolated, mark basis: LP = E (1 - 1/L) / (1 - m) for a long.
    result = position_size(
        PositionSizeInput(
            side=Side.LONG,
            account_balance=D(10000),
            risk_fraction=D("0.01"),
            entry_price=D(20000),
            stop_price=D(19800),
            leverage=D(10),
            maintenance_margin_rate=D("0.005"),
        )
    )
    expected = D(20000) * (1 - D("0.1")) / (1 - D("0.005"))
    assert result.liquidation_price is not None
    assert abs(result.liquidation_price - expected) < D("1e-20")
    assert not any(w.code == "stop_beyond_liquidation" for w in result.warnings)
    assert result.initial_margin == result.notional / 10


def _binance_btc_long(**changes: object) -> PositionSizeInput:
    # Sized into Binance's tier 5 at entry (notional 12,100,020); the liquidation price falls
    # in tier 4, whose 1% rate and 11,450 deduction give a price above the stop.
    fields: dict[str, object] = {
        "side": Side.LONG,
        "account_balance": D(100_000_000),
        "risk_amount": D("380142.295"),
        "entry_price": D(60000),
        "stop_price": D(58115),
        "leverage": D(25),
        "tiers": tier_table("binance_usdm", "BTCUSDT"),
    }
    fields.update(changes)
    return PositionSizeInput(**fields)  # type: ignore[arg-type]


def test_with_tiers_the_liquidation_check_solves_in_the_tier_at_the_liquidation_price() -> None:
    trade = _binance_btc_long()
    result = position_size(trade)
    solved = liquidation_price(
        LiquidationInput(
            side=Side.LONG,
            entry_price=trade.entry_price,
            quantity=result.quantity,
            leverage=trade.leverage,
            tiers=trade.tiers,
        )
    )
    assert result.liquidation_price == solved.liquidation_price_exact
    assert round(result.liquidation_price, 2) == D("58124.47")
    assert result.liquidation_tier is not None and result.liquidation_tier.number == 4
    assert (result.maintenance_margin_rate, result.maintenance_amount) == (D("0.01"), D(11450))
    codes = [w.code for w in result.warnings]
    assert "stop_beyond_liquidation" in codes
    assert "tier_changes_before_liquidation" in codes
    assert "tier 4 at the liquidation price" in result.liquidation_note


def test_the_entry_tier_alone_would_put_liquidation_below_the_stop() -> None:
    # What the sizing did before it re-solved: tier 5's 2% and 131,450 at entry.
    result = position_size(
        _binance_btc_long(
            tiers=None, maintenance_margin_rate=D("0.02"), maintenance_amount=D(131450)
        )
    )
    assert result.liquidation_price is not None
    assert round(result.liquidation_price, 2) == D("58110.39")
    assert not any(w.code == "stop_beyond_liquidation" for w in result.warnings)


def test_tiers_and_a_typed_rate_are_refused_together() -> None:
    with pytest.raises(InputError) as caught:
        _binance_btc_long(maintenance_margin_rate=D("0.01"))
    assert caught.value.field == "__all__"


def test_fully_funded_long_has_no_liquidation_price_and_says_why() -> None:
    result = position_size(
        PositionSizeInput(
            side=Side.LONG,
            account_balance=D(10000),
            risk_fraction=D("0.01"),
            entry_price=D(100),
            stop_price=D(95),
            maintenance_margin_rate=D("0.01"),
        )
    )
    assert result.liquidation_price is None
    assert result.liquidation_note
    assert any(w.code == "no_liquidation_price" for w in result.warnings)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stop_price": D(101)}, "stop_price"),
        ({"stop_price": D(100)}, "stop_price"),
        ({"side": Side.SHORT}, "stop_price"),
        ({"risk_amount": D(5)}, "__all__"),
        ({"risk_fraction": None}, "risk_fraction"),  # neither: a MissingInput
        ({"risk_fraction": D(0)}, "risk_fraction"),
        ({"risk_fraction": D(2)}, "risk_fraction"),
        ({"risk_fraction": None, "risk_amount": D(20000)}, "risk_amount"),
        ({"account_balance": D(0)}, "account_balance"),
        ({"entry_price": D(-1)}, "entry_price"),
        ({"leverage": D("0.5")}, "leverage"),
        ({"fee_rate_exit": D(-1)}, "fee_rate_exit"),
        ({"slippage": D(-1)}, "slippage"),
        ({"lot_step": D(0)}, "lot_step"),
        ({"lot_step": D(1000)}, "risk_fraction"),  # one lot loses more than the budget
        ({"entry_price": 100.0}, "entry_price"),  # floats are refused
    ],
)
def test_invalid_inputs_name_the_field(changes: dict[str, object], field: str) -> None:
    fields: dict[str, object] = {
        "side": Side.LONG,
        "account_balance": D(10000),
        "risk_fraction": D("0.01"),
        "entry_price": D(100),
        "stop_price": D(95),
    }
    fields.update(changes)
    with pytest.raises(InputError) as error:
        position_size(PositionSizeInput(**fields))  # type: ignore[arg-type]
    assert error.value.field == field


# --- properties ----------------------------------------------------------------------------

prices = st.decimals(min_value="0.01", max_value="100000", places=2)
fee_rates = st.decimals(min_value="0", max_value="0.002", places=5)
steps = st.sampled_from([None, D("0.001"), D("0.01"), D("0.1"), D(1), D(10)])


@settings(max_examples=1000, deadline=None)
@given(
    side=st.sampled_from(Side),
    contract=st.sampled_from(ContractType),
    balance=st.decimals(min_value="10", max_value="10000000", places=2),
    fraction=st.decimals(min_value="0.0001", max_value="0.2", places=4),
    entry=prices,
    stop_distance=st.decimals(min_value="0.001", max_value="0.5", places=4),
    fee_in=fee_rates,
    fee_out=fee_rates,
    slippage_fraction=st.decimals(min_value="0", max_value="0.01", places=4),
    leverage=st.decimals(min_value="1", max_value="125", places=1),
    lot_step=steps,
)
def test_size_never_risks_more_than_asked_and_never_exceeds_the_leverage_cap(
    side: Side,
    contract: ContractType,
    balance: Decimal,
    fraction: Decimal,
    entry: Decimal,
    stop_distance: Decimal,
    fee_in: Decimal,
    fee_out: Decimal,
    slippage_fraction: Decimal,
    leverage: Decimal,
    lot_step: Decimal | None,
) -> None:
    stop = entry * (1 - side.sign * stop_distance)
    assume(stop > 0 and stop != entry)
    if contract is ContractType.INVERSE:
        balance = balance / entry  # the balance is in coin
    try:
        result = position_size(
            PositionSizeInput(
                side=side,
                account_balance=balance,
                risk_fraction=fraction,
                entry_price=entry,
                stop_price=stop,
                fee_rate_entry=fee_in,
                fee_rate_exit=fee_out,
                slippage=entry * slippage_fraction,
                leverage=leverage,
                lot_step=lot_step,
                contract=contract,
                maintenance_margin_rate=D("0.005"),
            )
        )
    except InputError as error:
        # Only "not even one lot fits" may refuse an otherwise valid trade.
        assert lot_step is not None and error.field in {"risk_fraction", "leverage"}
        return
    # Fees and slippage included, the loss at the stop never exceeds the risk budget ...
    assert result.loss_at_stop <= result.risk_amount
    # ... lot rounding never rounds up, and leaves the quantity on the lot grid ...
    assert result.quantity <= min(result.quantity_for_risk, result.quantity_cap)
    if lot_step is not None:
        assert result.quantity % lot_step == 0
    # ... and, unless the leverage cap bit, the loss is within one lot's loss of the budget.
    capped = any(w.code == "capped_by_leverage" for w in result.warnings)
    if not capped:
        step = lot_step if lot_step is not None else D("1e-25") * result.quantity_for_risk
        assert result.risk_amount - result.loss_at_stop <= step * result.loss_per_unit
    # The notional never exceeds balance x leverage, so the margin never exceeds the balance.
    with localcontext() as exact:
        exact.prec = 80
        assert result.notional <= balance * leverage
    assert result.initial_margin <= balance
