"""Tick and step rounding, named rounding modes, against-the-trader direction."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR
from decimal import Decimal as D

import pytest

from riskcalc.calc import (
    ContractType,
    InputError,
    LiquidationInput,
    MarginMode,
    Side,
    against_trader,
    liquidation_price,
    tidy,
    to_step,
    to_tick,
)


def test_long_liquidation_rounds_up_and_short_rounds_down() -> None:
    assert against_trader(Side.LONG) == ROUND_CEILING
    assert against_trader(Side.SHORT) == ROUND_FLOOR
    assert to_tick(D("7773.4778"), D("0.5"), rounding=against_trader(Side.LONG)) == D("7773.5")
    assert to_tick(D("66333.333"), D("0.5"), rounding=against_trader(Side.SHORT)) == D("66333.0")


def test_position_size_steps_round_down() -> None:
    assert to_step(D("0.0049"), D("0.001"), rounding=ROUND_DOWN) == D("0.004")


def test_zero_tick_is_refused() -> None:
    with pytest.raises(InputError) as error:
        to_tick(D(1), D(0), rounding=ROUND_DOWN)
    assert error.value.field == "tick_size"


def test_tidy_keeps_the_value_and_avoids_exponents() -> None:
    assert str(tidy(D("19700.000"))) == "19700"
    assert str(tidy(D("1153.25646470"))) == "1153.2564647"


def test_rounding_a_positive_price_never_gives_zero() -> None:
    # A short's prices round down: a tick above the price would have shown it at 0.
    with pytest.raises(InputError) as error:
        to_tick(D("0.4"), D("0.5"), rounding=against_trader(Side.SHORT))
    assert error.value.field == "tick_size"
    assert "down to 0" in error.value.message
    assert to_tick(D("0.4"), D("0.5"), rounding=against_trader(Side.LONG)) == D("0.5")
    assert to_tick(D("0.5"), D("0.5"), rounding=against_trader(Side.SHORT)) == D("0.5")


def test_a_tick_above_the_price_is_refused_by_the_liquidation_core() -> None:
    for side in Side:
        with pytest.raises(InputError) as error:
            liquidation_price(
                LiquidationInput(
                    side=side,
                    entry_price=D(20000),
                    quantity=D(1),
                    contract=ContractType.LINEAR,
                    margin_mode=MarginMode.ISOLATED,
                    leverage=D(50),
                    maintenance_margin_rate=D("0.005"),
                    tick_size=D(1000000),
                )
            )
        assert error.value.field == "tick_size"
