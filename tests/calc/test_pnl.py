"""Unrealised PnL, PnL ratio, ROE, target price and average entry."""

from __future__ import annotations

from decimal import Decimal as D
from decimal import localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcalc.calc import (
    ContractType,
    Fill,
    InputError,
    Side,
    average_entry_price,
    net_pnl,
    notional,
    pnl_ratio,
    roe,
    roe_curve,
    target_price_for_roe,
    unrealized_pnl,
    unrealized_pnl_curve,
)
from tests.calc.vectors import Vector, assert_published, ids, vectors

LINEAR, INVERSE = ContractType.LINEAR, ContractType.INVERSE
PNL_VECTORS = vectors(prefix="unrealized_pnl_")


@pytest.mark.parametrize("v", PNL_VECTORS, ids=ids(PNL_VECTORS))
def test_binance_faq_unrealised_pnl_is_reproduced(v: Vector) -> None:
    i = v["inputs"]
    upnl = unrealized_pnl(
        side=Side.LONG if i["side"] == 1 else Side.SHORT,
        contract=LINEAR,
        quantity=D(i["position_qty"]),
        entry_price=D(i["entry_price_usdt"]),
        mark_price=D(i["mark_price_usdt"]),
    )
    assert_published(upnl, v["expected"]["upnl_usdt"], v["tolerance"])


def test_inverse_pnl_is_in_coin() -> None:
    upnl = unrealized_pnl(
        side=Side.LONG,
        contract=INVERSE,
        quantity=D(10000),
        entry_price=D(50000),
        mark_price=D(40000),
        contract_size=D(1),
    )
    assert upnl == D("-0.05")


def test_short_pnl_ratio_is_positive_when_price_falls() -> None:
    assert pnl_ratio(side=Side.SHORT, contract=LINEAR, entry_price=D(200), mark_price=D(180)) == D(
        "0.1"
    )


def test_roe_is_leverage_times_pnl_ratio() -> None:
    value = roe(
        side=Side.LONG, contract=INVERSE, entry_price=D(50000), mark_price=D(55000), leverage=D(5)
    )
    assert abs(value - D(5) * (D(1) - D(50000) / D(55000))) < D("1e-25")


def test_unreachable_target_return_is_explained() -> None:
    with pytest.raises(InputError) as error:
        target_price_for_roe(
            side=Side.LONG, contract=LINEAR, entry_price=D(100), leverage=D(2), roe=D(-3)
        )
    assert error.value.field == "roe"


def test_inverse_average_entry_is_harmonic() -> None:
    fills = [Fill(quantity=D(100), price=D(10000)), Fill(quantity=D(300), price=D(20000))]
    average = average_entry_price(contract=INVERSE, fills=fills)
    assert average == D(400) / (D(100) / D(10000) + D(300) / D(20000))


def test_average_entry_needs_fills() -> None:
    with pytest.raises(InputError) as error:
        average_entry_price(contract=LINEAR, fills=[])
    assert error.value.field == "fills"


prices = st.decimals(min_value=D("0.01"), max_value=D(1000000), places=2)
leverages = st.integers(min_value=1, max_value=125).map(D)
returns = st.decimals(min_value=D(-0.9), max_value=D(5), places=3)


@settings(max_examples=1000, deadline=None)
@given(
    side=st.sampled_from(Side),
    contract=st.sampled_from(ContractType),
    entry=prices,
    leverage=leverages,
    target=returns,
)
def test_target_price_round_trips_through_roe(
    side: Side, contract: ContractType, entry: D, leverage: D, target: D
) -> None:
    try:
        price = target_price_for_roe(
            side=side, contract=contract, entry_price=entry, leverage=leverage, roe=target
        )
    except InputError:
        return  # out of reach, explained
    if price > D("1e12"):
        return
    back = roe(side=side, contract=contract, entry_price=entry, mark_price=price, leverage=leverage)
    assert abs(back - target) <= D("1e-25")


@settings(max_examples=60, deadline=None)
@given(
    side=st.sampled_from(Side),
    contract=st.sampled_from(ContractType),
    quantity=st.decimals(min_value="0.001", max_value="10000", places=3),
    entry=st.decimals(min_value="1", max_value="100000", places=2),
    exit_=st.decimals(min_value="1", max_value="100000", places=2),
    fee_in=st.decimals(min_value="0", max_value="0.002", places=5),
    fee_out=st.decimals(min_value="0", max_value="0.002", places=5),
)
def test_net_pnl_is_pnl_minus_value_times_rate(
    side: Side,
    contract: ContractType,
    quantity: D,
    entry: D,
    exit_: D,
    fee_in: D,
    fee_out: D,
) -> None:
    result = net_pnl(
        side=side,
        contract=contract,
        quantity=quantity,
        entry_price=entry,
        exit_price=exit_,
        fee_rate_entry=fee_in,
        fee_rate_exit=fee_out,
    )
    size = {"contract": contract, "quantity": quantity}
    with localcontext() as exact:
        exact.prec = 60
        fees = notional(**size, price=entry) * fee_in + notional(**size, price=exit_) * fee_out
        assert abs(result.fees - fees) <= D("1e-25") * (1 + fees)
    assert result.pnl == unrealized_pnl(
        side=side, contract=contract, quantity=quantity, entry_price=entry, mark_price=exit_
    )
    with localcontext() as exact:
        exact.prec = 60
        tolerance = D("1e-30") * (1 + abs(result.pnl) + result.fees)  # 34-digit rounding
        assert abs(result.net_pnl - (result.pnl - result.fees)) <= tolerance
        assert abs(result.fees - (result.entry_fee + result.exit_fee)) <= tolerance
    assert result.fees >= 0


def test_net_pnl_names_the_exit_price() -> None:
    with pytest.raises(InputError) as error:
        net_pnl(
            side=Side.LONG,
            contract=ContractType.LINEAR,
            quantity=D(1),
            entry_price=D(100),
            exit_price=D(0),
        )
    assert error.value.field == "exit_price"


@pytest.mark.parametrize("contract", [LINEAR, INVERSE])
@pytest.mark.parametrize("side", [Side.LONG, Side.SHORT])
def test_curves_match_one_call_per_price(side: Side, contract: ContractType) -> None:
    prices = [D("19567.1234"), D(20000), D("20433.3"), D("1e-6"), D(3) / D(7)]
    position = {
        "side": side,
        "contract": contract,
        "quantity": D("1.5"),
        "entry_price": D(20000),
        "contract_size": D("0.01"),
    }
    curve = unrealized_pnl_curve(**position, mark_prices=prices)
    roes = roe_curve(
        side=side, contract=contract, entry_price=D(20000), mark_prices=prices, leverage=D(25)
    )
    for price, pnl, ratio in zip(prices, curve, roes, strict=True):
        one = unrealized_pnl(**position, mark_price=price)
        assert (pnl, str(pnl)) == (one, str(one))
        one_roe = roe(
            side=side, contract=contract, entry_price=D(20000), mark_price=price, leverage=D(25)
        )
        assert (ratio, str(ratio)) == (one_roe, str(one_roe))


def test_curves_check_every_price() -> None:
    with pytest.raises(InputError) as error:
        unrealized_pnl_curve(
            side=Side.LONG,
            contract=LINEAR,
            quantity=D(1),
            entry_price=D(100),
            mark_prices=[D(90), D(-1)],
        )
    assert error.value.field == "mark_price"
    with pytest.raises(InputError) as error:
        roe_curve(
            side=Side.LONG,
            contract=LINEAR,
            entry_price=D(100),
            mark_prices=[D(90)],
            leverage=D(0),
        )
    assert error.value.field == "leverage"
