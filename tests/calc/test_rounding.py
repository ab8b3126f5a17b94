"""Tick and step rounding, named rounding modes, against-the-trader direction."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR
from decimal import Decimal as D

import pytest

from riskcalc.calc import InputError, Side, against_trader, tidy, to_step, to_tick


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
