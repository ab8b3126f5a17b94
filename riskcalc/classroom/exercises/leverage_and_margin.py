"""Exercise templates of the lesson "leverage and margin": their numbers, answers, hints and
misconceptions.
"""

from __future__ import annotations

from decimal import Decimal

from riskcalc.calc.margin import initial_margin, notional
from riskcalc.calc.pnl import pnl_ratio, roe
from riskcalc.calc.types import Side
from riskcalc.classroom.answers import Unit
from riskcalc.classroom.exercises.core import (
    HUNDRED,
    LINEAR,
    ONE,
    Built,
    CalculatorLink,
    ExerciseTemplate,
    Misconception,
    choice,
    sides,
)
from riskcalc.classroom.exercises.shortcuts import (
    ENTRY_PRICES,
    PRICE_TOLERANCE,
    num,
    num_plain,
    other,
    pct,
    side_word,
    usdt,
    x,
)


def _initial_margin(p: dict[str, object]) -> Built:
    side, qty, entry, lev = p["side"], p["quantity"], p["entry"], p["leverage"]
    assert isinstance(side, Side)
    assert isinstance(qty, Decimal) and isinstance(entry, Decimal) and isinstance(lev, Decimal)
    value = notional(contract=LINEAR, quantity=qty, price=entry)
    answer = initial_margin(contract=LINEAR, quantity=qty, price=entry, leverage=lev)
    times = value * lev
    whole = initial_margin(contract=LINEAR, quantity=qty, price=entry, leverage=ONE)
    return Built(
        prompt=(
            f"You open a {side_word(side)} of {num(qty)} BTC on a BTCUSDT perpetual at "
            f"{num(entry)} USDT with {x(lev)} leverage (isolated margin). How much initial "
            f"margin does the position need?"
        ),
        answer=answer,
        hint="First find the position value (quantity × price), then divide by the leverage.",
        solution=(
            f"Position value N = quantity × price = {num(qty)} × {num(entry)} = {usdt(value)}.",
            f"Initial margin = N ÷ leverage = {usdt(value)} ÷ {num(lev)} = {usdt(answer)}.",
            f"Gains and losses still follow the whole {usdt(value)}: a 1% move is "
            f"{usdt(value / HUNDRED)}, which is {pct(lev / HUNDRED)} of the margin.",
        ),
        misconceptions=(
            Misconception(
                code="leverage_multiplied",
                name="Leverage multiplied instead of divided",
                explanation=(
                    f"You multiplied the position value by {num(lev)}. Leverage says how many "
                    f"times the margin the position is worth, so the margin is the value "
                    f"divided by {num(lev)}."
                ),
                value=times,
            ),
            Misconception(
                code="leverage_ignored",
                name="Leverage ignored: the whole position value",
                explanation=(
                    f"{usdt(whole)} is the whole position value (the notional). With "
                    f"{x(lev)} leverage only 1/{num(lev)} of it is set aside as margin."
                ),
                value=whole,
            ),
        ),
        calculator=CalculatorLink(
            calculator="margin",
            params={
                "contract": "linear",
                "quantity": num_plain(qty),
                "price": num_plain(entry),
                "leverage": num_plain(lev),
            },
            label="Check it in the margin calculator",
        ),
    )


def _roe_move(p: dict[str, object]) -> Built:
    side, entry, lev, move, up = p["side"], p["entry"], p["leverage"], p["move"], p["up"]
    assert isinstance(side, Side) and isinstance(entry, Decimal) and isinstance(lev, Decimal)
    assert isinstance(move, Decimal) and isinstance(up, Decimal)
    direction = ONE if up > 0 else -ONE
    mark = entry * (ONE + direction * move)
    answer = roe(side=side, contract=LINEAR, entry_price=entry, mark_price=mark, leverage=lev)
    price_only = pnl_ratio(side=side, contract=LINEAR, entry_price=entry, mark_price=mark)
    flipped = roe(
        side=other(side), contract=LINEAR, entry_price=entry, mark_price=mark, leverage=lev
    )
    verb = "rises" if up > 0 else "falls"
    sign_move = pct(direction * move)
    return Built(
        prompt=(
            f"You are {side_word(side)} BTCUSDT at {num(entry)} USDT with {x(lev)} leverage. "
            f"The mark price {verb} by {pct(move)} to {num(mark)} USDT. What is your return on "
            f"margin (ROE), in percent?"
        ),
        answer=answer * HUNDRED,
        hint=(
            "First the price move as a percentage (with the sign that is good or bad for your "
            "side), then multiply by the leverage: the margin is only 1/leverage of the position."
        ),
        solution=(
            f"Price move = ({num(mark)} − {num(entry)}) ÷ {num(entry)} = {sign_move}.",
            f"For a {side_word(side)} that move is a "
            f"{'gain' if answer > 0 else 'loss'} of {pct(abs(price_only))} of the position value.",
            f"ROE = leverage × move = {num(lev)} × {pct(price_only)} = {pct(answer)}.",
        ),
        misconceptions=(
            Misconception(
                code="price_move_for_roe",
                name="Percent of price confused with percent of margin",
                explanation=(
                    f"{pct(price_only)} is the move in the price (the return on the whole "
                    f"position). Your margin is 1/{num(lev)} of the position, so the return on "
                    f"the margin is {num(lev)} times larger."
                ),
                value=price_only * HUNDRED,
            ),
            Misconception(
                code="side_flipped",
                name="Long and short swapped",
                explanation=(
                    f"That is the {side_word(other(side))}'s return. A long gains when the "
                    f"price rises; a short gains when it falls."
                ),
                value=flipped * HUNDRED,
            ),
        ),
        calculator=CalculatorLink(
            calculator="pnl",
            params={
                "side": str(side),
                "contract": "linear",
                "entry_price": num_plain(entry),
                "exit_price": num_plain(mark),
                "quantity": "1",
                "leverage": num_plain(lev),
            },
            label="Check it in the PnL calculator",
        ),
    )


TEMPLATES = (
    ExerciseTemplate(
        id="initial-margin",
        title="Initial margin from leverage",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        params={
            "side": sides(),
            "quantity": choice("0.05", "0.1", "0.2", "0.25", "0.5", "1", "2"),
            "entry": ENTRY_PRICES,
            "leverage": choice("5", "10", "20", "25", "50", "100"),
        },
        build=_initial_margin,
    ),
    ExerciseTemplate(
        id="roe-from-price-move",
        title="Return on margin (ROE) from a price move",
        unit=Unit.PERCENT,
        places=2,
        tolerance=Decimal("0.01"),
        sign_rule="Give a loss as a negative number.",
        params={
            "side": sides(),
            "entry": ENTRY_PRICES,
            "leverage": choice("2", "3", "5", "10", "20", "25", "50"),
            "move": choice("0.002", "0.004", "0.005", "0.01", "0.015", "0.02", "0.03"),
            "up": choice("1", "-1"),
        },
        build=_roe_move,
        valid=lambda p: p["move"] * p["leverage"] <= Decimal("0.8"),
    ),
)
