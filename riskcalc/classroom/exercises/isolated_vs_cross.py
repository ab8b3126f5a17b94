"""Exercise templates of the lesson "isolated vs cross": their numbers, answers, hints and
misconceptions.
"""

from __future__ import annotations

from decimal import Decimal

from riskcalc.calc.margin import notional
from riskcalc.calc.types import MarginBasis, Side
from riskcalc.classroom.answers import Unit
from riskcalc.classroom.exercises.core import (
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
    cross,
    isolated,
    liq_link,
    lp,
    num,
    num_plain,
    pct,
    side_word,
    usdt,
    x,
)


def _cross_liquidation(p: dict[str, object]) -> Built:
    entry, qty, lev, mmr, share = p["entry"], p["quantity"], p["leverage"], p["mmr"], p["share"]
    assert isinstance(entry, Decimal) and isinstance(qty, Decimal) and isinstance(lev, Decimal)
    assert isinstance(mmr, Decimal) and isinstance(share, Decimal)
    value = qty * entry
    wallet = (value * share).to_integral_value()
    result = cross(Side.LONG, entry, qty, wallet, mmr)
    answer = lp(result)
    as_isolated = lp(isolated(Side.LONG, entry, qty, lev, mmr, MarginBasis.MARK))
    no_mm = lp(cross(Side.LONG, entry, qty, wallet, Decimal(0)))
    return Built(
        prompt=(
            f"Your futures wallet holds {num(wallet)} USDT. In cross margin you open a long of "
            f"{num(qty)} BTC at {num(entry)} USDT using {x(lev)} leverage; it is your only "
            f"position. The maintenance margin rate is {pct(mmr)} of the position value at the "
            f"mark price (Binance's convention). Ignoring fees, at what mark price is it "
            f"liquidated?"
        ),
        answer=answer,
        hint=(
            "In cross margin the whole wallet backs the position, whatever leverage you picked. "
            "Solve wallet + quantity × (P − entry) = MMR × quantity × P for P."
        ),
        solution=(
            "Cross margin: the collateral is the whole wallet balance, "
            f"{usdt(wallet)}; the {x(lev)} leverage only sets the initial margin.",
            f"Liquidation when {num(wallet)} + {num(qty)} × (P − {num(entry)}) = "
            f"{num(mmr)} × {num(qty)} × P.",
            f"P = ({num(qty)} × {num(entry)} − {num(wallet)}) ÷ ({num(qty)} × (1 − {num(mmr)}))"
            f" = {usdt(value - wallet)} ÷ {num(qty * (ONE - mmr))} = {usdt(answer)}.",
        ),
        misconceptions=(
            Misconception(
                code="isolated_for_cross",
                name="Isolated and cross confused",
                explanation=(
                    f"{usdt(as_isolated)} is where an isolated position at {x(lev)} would be "
                    f"liquidated, backed only by its {usdt(value / lev)} margin. In cross the "
                    f"whole {usdt(wallet)} stands behind it, so liquidation is further away (and "
                    f"costs the whole wallet)."
                ),
                value=as_isolated,
            ),
            Misconception(
                code="mm_ignored",
                name="Maintenance margin ignored (that is the bankruptcy price)",
                explanation=(
                    f"{usdt(no_mm)} is where the wallet would reach zero. Liquidation comes "
                    f"earlier, while {pct(mmr)} of the position value is still left."
                ),
                value=no_mm,
            ),
        ),
        calculator=CalculatorLink(
            calculator="liquidation",
            params={
                "side": "long",
                "margin_mode": "cross",
                "entry_price": num_plain(entry),
                "quantity": num_plain(qty),
                "wallet_balance": num_plain(wallet),
                "maintenance_margin_rate": num_plain(mmr),
                "mm_basis": "mark",
            },
            label="Check it in the liquidation calculator",
        ),
    )


def _isolated_loss(p: dict[str, object]) -> Built:
    side, entry, qty, lev, wallet = p["side"], p["entry"], p["quantity"], p["leverage"], p["wallet"]
    assert isinstance(side, Side) and isinstance(entry, Decimal) and isinstance(qty, Decimal)
    assert isinstance(lev, Decimal) and isinstance(wallet, Decimal)
    iso = isolated(side, entry, qty, lev, Decimal("0.005"))
    crs = cross(side, entry, qty, wallet, Decimal("0.005"))
    answer = iso.maths.collateral
    return Built(
        prompt=(
            f"Your futures wallet holds {num(wallet)} USDT. You open an isolated "
            f"{side_word(side)} of {num(qty)} BTC at {num(entry)} USDT with {x(lev)} leverage. "
            f"The price jumps against you and the position is liquidated. Ignoring fees, what is "
            f"the most you can lose from the wallet?"
        ),
        answer=answer,
        hint="In isolated margin only the margin put into this position is at stake.",
        solution=(
            f"Isolated margin = position value ÷ leverage = {num(qty)} × {num(entry)} ÷ "
            f"{num(lev)} = {usdt(answer)}.",
            "Liquidation takes this position's margin and nothing else: the rest of the wallet, "
            f"{usdt(wallet - answer)}, is untouched.",
            f"In cross margin the same position would be backed by all {usdt(wallet)}, and a "
            "liquidation could take all of it.",
        ),
        misconceptions=(
            Misconception(
                code="cross_for_isolated",
                name="Isolated and cross confused",
                explanation=(
                    f"Losing the whole {usdt(wallet)} is what cross margin risks. In isolated "
                    f"margin only the position's own margin, {usdt(answer)}, can be lost."
                ),
                value=crs.maths.collateral,
            ),
            Misconception(
                code="leverage_ignored",
                name="Leverage ignored: the whole position value",
                explanation=(
                    f"{usdt(qty * entry)} is the position value. The margin backing it is "
                    f"1/{num(lev)} of that."
                ),
                value=notional(contract=LINEAR, quantity=qty, price=entry),
            ),
        ),
        calculator=liq_link(
            side, entry, qty, lev, Decimal("0.005"), "See the margin and liquidation price"
        ),
    )


TEMPLATES = (
    ExerciseTemplate(
        id="cross-liquidation-long",
        title="Liquidation price in cross margin",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        params={
            "entry": ENTRY_PRICES,
            "quantity": choice("0.1", "0.2", "0.5", "1"),
            "leverage": choice("10", "20", "25", "50"),
            "mmr": choice("0.004", "0.005"),
            "share": choice("0.15", "0.2", "0.25", "0.3", "0.4", "0.5"),
        },
        build=_cross_liquidation,
        valid=lambda p: ONE / p["leverage"] <= p["share"] - Decimal("0.05"),
    ),
    ExerciseTemplate(
        id="isolated-max-loss",
        title="What an isolated liquidation can cost",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        params={
            "side": sides(),
            "entry": ENTRY_PRICES,
            "quantity": choice("0.1", "0.2", "0.5", "1"),
            "leverage": choice("10", "20", "25", "50"),
            "wallet": choice("5000", "8000", "10000", "20000"),
        },
        build=_isolated_loss,
        valid=lambda p: p["quantity"] * p["entry"] / p["leverage"] < p["wallet"],
    ),
)
