"""Exercise templates of the lesson "how close liquidation is": their numbers, answers, hints and
misconceptions.
"""

from __future__ import annotations

from decimal import Decimal

from riskcalc.calc.pnl import roe
from riskcalc.calc.types import Side
from riskcalc.classroom.answers import Unit
from riskcalc.classroom.exercises.core import (
    HUNDRED,
    LINEAR,
    ONE,
    Built,
    ExerciseTemplate,
    Misconception,
    choice,
)
from riskcalc.classroom.exercises.shortcuts import (
    ENTRY_PRICES,
    PRICE_TOLERANCE,
    bp,
    isolated,
    liq_link,
    lp,
    num,
    other,
    pct,
    side_word,
    usdt,
    x,
)


def _wipe_move(p: dict[str, object]) -> Built:
    entry, lev = p["entry"], p["leverage"]
    assert isinstance(entry, Decimal) and isinstance(lev, Decimal)
    result = isolated(Side.LONG, entry, ONE, lev, Decimal(0))
    bankrupt = bp(result)
    answer = (entry - bankrupt) / entry * HUNDRED
    margin_loss = -roe(
        side=Side.LONG, contract=LINEAR, entry_price=entry, mark_price=bankrupt, leverage=lev
    )
    return Built(
        prompt=(
            f"A long BTCUSDT position is opened at {num(entry)} USDT with {x(lev)} leverage. "
            f"Ignoring maintenance margin and fees, by how many percent must the price fall "
            f"to wipe out the whole initial margin?"
        ),
        answer=answer,
        hint="The margin is 1/leverage of the position value; the position loses that share "
        "of its value when the price falls by the same share.",
        solution=(
            f"Margin = position value ÷ {num(lev)}, so it is {pct(ONE / lev)} of the value.",
            f"The margin is gone when the position has lost {pct(ONE / lev)} of its value: at "
            f"{num(entry)} × (1 − 1/{num(lev)}) = {usdt(bankrupt)} (the bankruptcy price).",
            f"Price fall = 100% ÷ {num(lev)} = {pct(ONE / lev)}.",
        ),
        misconceptions=(
            Misconception(
                code="roe_for_price_move",
                name="Percent of margin confused with percent of price",
                explanation=(
                    "100% is the loss measured on the margin. The price itself only has to move "
                    f"1/{num(lev)} of that."
                ),
                value=margin_loss * HUNDRED,
            ),
        ),
        calculator=liq_link(
            Side.LONG, entry, ONE, lev, Decimal(0), "See the bankruptcy price in the calculator"
        ),
    )


def _liquidation_long(p: dict[str, object]) -> Built:
    return _liquidation_side(p, Side.LONG)


def _liquidation_short(p: dict[str, object]) -> Built:
    return _liquidation_side(p, Side.SHORT)


def _liquidation_side(p: dict[str, object], side: Side) -> Built:
    entry, qty, lev, mmr = p["entry"], p["quantity"], p["leverage"], p["mmr"]
    assert isinstance(entry, Decimal) and isinstance(qty, Decimal)
    assert isinstance(lev, Decimal) and isinstance(mmr, Decimal)
    result = isolated(side, entry, qty, lev, mmr)
    answer = lp(result)
    no_mm = lp(isolated(side, entry, qty, lev, Decimal(0)))
    flipped = lp(isolated(other(side), entry, qty, lev, mmr))
    s = "−" if side is Side.LONG else "+"
    t = "+" if side is Side.LONG else "−"
    factor = ONE - side.sign * (ONE / lev - mmr)
    return Built(
        prompt=(
            f"An isolated {side_word(side)} of {num(qty)} BTC is opened at {num(entry)} USDT "
            f"with {x(lev)} leverage. The maintenance margin rate is {pct(mmr)}, counted on the "
            f"entry value (as in Bybit's classic example). Ignoring fees, at what price is it "
            f"liquidated?"
        ),
        answer=answer,
        hint=(
            "Liquidation comes when the margin left equals the maintenance margin, not when it "
            "reaches zero: move 1/leverage against the position, then come back by the "
            "maintenance rate."
        ),
        solution=(
            f"Liquidation price = E × (1 {s} 1/L {t} MMR) for a {side_word(side)} (entry basis).",
            f"= {num(entry)} × (1 {s} 1/{num(lev)} {t} {num(mmr)})",
            f"= {num(entry)} × {num(factor)} = {usdt(answer)}.",
            f"Without the maintenance margin you would get {usdt(no_mm)}, the bankruptcy price, "
            f"where the margin is completely gone; the exchange steps in earlier.",
        ),
        misconceptions=(
            Misconception(
                code="mm_ignored",
                name="Maintenance margin ignored (that is the bankruptcy price)",
                explanation=(
                    f"{usdt(no_mm)} is where the margin reaches zero: the bankruptcy price. The "
                    f"exchange liquidates earlier, when only the maintenance margin "
                    f"({pct(mmr)} of the entry value) is left."
                ),
                value=no_mm,
            ),
            Misconception(
                code="side_flipped",
                name="Long and short swapped",
                explanation=(
                    f"That is the liquidation price of a {side_word(other(side))}. A "
                    f"{side_word(side)} loses when the price "
                    f"{'falls' if side is Side.LONG else 'rises'}, so its liquidation price is "
                    f"{'below' if side is Side.LONG else 'above'} the entry."
                ),
                value=flipped,
            ),
        ),
        calculator=liq_link(side, entry, qty, lev, mmr, "Check it in the liquidation calculator"),
    )


def _liquidation_distance(p: dict[str, object]) -> Built:
    entry, lev, mmr = p["entry"], p["leverage"], p["mmr"]
    assert isinstance(entry, Decimal) and isinstance(lev, Decimal) and isinstance(mmr, Decimal)
    price = lp(isolated(Side.LONG, entry, ONE, lev, mmr))
    answer = (entry - price) / entry * HUNDRED
    no_mm = (entry - lp(isolated(Side.LONG, entry, ONE, lev, Decimal(0)))) / entry * HUNDRED
    on_margin = -roe(
        side=Side.LONG, contract=LINEAR, entry_price=entry, mark_price=price, leverage=lev
    )
    return Built(
        prompt=(
            f"At {x(lev)} leverage with a maintenance margin rate of {pct(mmr)} (entry basis), "
            f"how far below the entry price of {num(entry)} USDT is an isolated long "
            f"liquidated, in percent of the entry price? Ignore fees."
        ),
        answer=answer,
        hint="The margin covers a move of 1/leverage; the maintenance margin is taken off that.",
        solution=(
            f"The margin covers a fall of 1/L = 1/{num(lev)} = {pct(ONE / lev)}.",
            f"Liquidation comes when the maintenance margin ({pct(mmr)}) is all that is left.",
            f"Distance = 1/L − MMR = {pct(ONE / lev)} − {pct(mmr)} = {pct(answer / HUNDRED)}.",
            f"In price: {num(entry)} × (1 − {num(answer / HUNDRED)}) = {usdt(price)}.",
        ),
        misconceptions=(
            Misconception(
                code="mm_ignored",
                name="Maintenance margin ignored",
                explanation=(
                    f"{pct(no_mm / HUNDRED)} is the rule of thumb 1/leverage: where the margin "
                    f"is completely gone. Liquidation comes {pct(mmr)} earlier, while the "
                    f"maintenance margin is still there."
                ),
                value=no_mm,
            ),
            Misconception(
                code="roe_for_price_move",
                name="Percent of margin confused with percent of price",
                explanation=(
                    f"{pct(on_margin)} is the loss measured on the margin at liquidation. The "
                    f"question asks for the price move, which is {num(lev)} times smaller."
                ),
                value=on_margin * HUNDRED,
            ),
        ),
        calculator=liq_link(
            Side.LONG, entry, ONE, lev, mmr, "Check it in the liquidation calculator"
        ),
    )


TEMPLATES = (
    ExerciseTemplate(
        id="margin-wipe-move",
        title="The price move that wipes out the margin",
        unit=Unit.PERCENT,
        places=2,
        tolerance=Decimal("0.001"),
        params={
            "entry": ENTRY_PRICES,
            "leverage": choice("10", "20", "25", "50", "100", "125", "200", "250", "500"),
        },
        build=_wipe_move,
    ),
    ExerciseTemplate(
        id="liquidation-price-long",
        title="Liquidation price of an isolated long",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        params={
            "entry": ENTRY_PRICES,
            "quantity": choice("0.1", "0.25", "0.5", "1", "2"),
            "leverage": choice("10", "20", "25", "50", "100"),
            "mmr": choice("0.004", "0.005", "0.01"),
        },
        build=_liquidation_long,
        valid=lambda p: ONE / p["leverage"] - p["mmr"] >= Decimal("0.004"),
    ),
    ExerciseTemplate(
        id="liquidation-distance",
        title="How far away liquidation is",
        unit=Unit.PERCENT,
        places=2,
        tolerance=Decimal("0.001"),
        params={
            "entry": ENTRY_PRICES,
            "leverage": choice("20", "50", "100", "125", "200", "500"),
            "mmr": choice("0.0005", "0.001", "0.004", "0.005"),
        },
        build=_liquidation_distance,
        valid=lambda p: ONE / p["leverage"] - p["mmr"] >= Decimal("0.001"),
    ),
    ExerciseTemplate(
        id="liquidation-price-short",
        title="Liquidation price of an isolated short",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        params={
            "entry": ENTRY_PRICES,
            "quantity": choice("0.1", "0.25", "0.5", "1", "2"),
            "leverage": choice("10", "20", "25", "50", "100"),
            "mmr": choice("0.004", "0.005", "0.01"),
        },
        build=_liquidation_short,
        valid=lambda p: ONE / p["leverage"] - p["mmr"] >= Decimal("0.004"),
    ),
)
