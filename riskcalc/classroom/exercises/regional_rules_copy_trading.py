"""Exercise templates of the lesson "regional rules and copy trading": their numbers, answers, hints and
misconceptions.
"""

from __future__ import annotations

from decimal import Decimal

from riskcalc.calc.pnl import pnl_ratio, unrealized_pnl
from riskcalc.calc.types import Side
from riskcalc.classroom.answers import Unit, format_value
from riskcalc.classroom.exercises.core import (
    LINEAR,
    ONE,
    Built,
    ExerciseTemplate,
    Misconception,
    choice,
    sides,
)
from riskcalc.classroom.exercises.shortcuts import (
    ENTRY_PRICES,
    PRICE_TOLERANCE,
    isolated,
    lp,
    num,
    other,
    pct,
    side_word,
    usdt,
    x,
)


def _retail_cap(p: dict[str, object]) -> Built:
    margin, offshore = p["margin"], p["offshore"]
    assert isinstance(margin, Decimal) and isinstance(offshore, Decimal)
    cap = Decimal(2)
    answer = margin * cap
    return Built(
        prompt=(
            f"A retail client in the EU puts {num(margin)} EUR of margin into a crypto CFD. "
            f"The EU's retail rules (ESMA's 2018 measure, since replaced by national rules at "
            f"least as strict) cap leverage on crypto CFDs at 2:1. An offshore exchange "
            f"advertises {x(offshore)} on perpetuals. What is the largest position (in EUR) the "
            f"client can open under the 2:1 cap?"
        ),
        answer=answer,
        hint="2:1 means the position may be at most twice the margin.",
        solution=(
            f"Position ≤ margin × 2 = {num(margin)} × 2 = {num(answer)} EUR.",
            f"At {x(offshore)} the same margin would carry {num(margin * offshore)} EUR: a "
            f"{pct(ONE / offshore)} move would then wipe out the margin, against 50% at 2:1.",
        ),
        misconceptions=(
            Misconception(
                code="leverage_divided",
                name="Leverage divided instead of multiplied",
                explanation="2:1 means the position is twice the margin, not half of it.",
                value=margin / cap,
            ),
            Misconception(
                code="offshore_leverage",
                name="The offshore leverage used instead of the retail cap",
                explanation=(
                    f"{x(offshore)} is what the offshore exchange offers; under the EU retail "
                    "rules for CFDs the cap is 2:1."
                ),
                value=margin * offshore,
            ),
        ),
    )


def _close_out(p: dict[str, object]) -> Built:
    side, entry = p["side"], p["entry"]
    assert isinstance(side, Side) and isinstance(entry, Decimal)
    lev = Decimal(2)
    # ASIC: close out when equity falls below 50% of the initial margin; at 2:1 the initial
    # margin is 50% of the value, so the close-out level is a fixed 25% of the entry value.
    close_rate = Decimal("0.5") / lev
    result = isolated(side, entry, ONE, lev, close_rate)
    answer = lp(result)
    s = "−" if side is Side.LONG else "+"
    return Built(
        prompt=(
            f"In Australia, ASIC's order for retail crypto CFDs caps leverage at 2:1 and closes "
            f"a position out when the equity falls below 50% of the initial margin. A client "
            f"goes {side_word(side)} at {num(entry)} USD at 2:1. At what price is the position "
            f"closed out? Ignore fees and costs."
        ),
        answer=answer,
        hint="At 2:1 the margin is 50% of the value; half of that margin is 25% of the value.",
        solution=(
            "Initial margin = 50% of the position value (2:1). Close-out when half of it is "
            "lost: a loss of 25% of the value.",
            f"Close-out price = {num(entry)} × (1 {s} 0.25) = "
            f"{format_value(answer, Unit.NUMBER, 2)} USD.",
        ),
        misconceptions=(
            Misconception(
                code="margin_percent_as_price",
                name="50% of the margin read as 50% of the price",
                explanation=(
                    "The 50% is measured on the margin, not on the price. At 2:1 half the margin "
                    "is gone after a 25% move, and all of it after a 50% move."
                ),
                value=lp(isolated(side, entry, ONE, lev, Decimal(0))),
            ),
            Misconception(
                code="side_flipped",
                name="Long and short swapped",
                explanation=(
                    f"That is a {side_word(other(side))}'s close-out price. A {side_word(side)} "
                    f"loses when the price {'falls' if side is Side.LONG else 'rises'}."
                ),
                value=lp(isolated(other(side), entry, ONE, lev, close_rate)),
            ),
        ),
    )


def _copy_loss(p: dict[str, object]) -> Built:
    margin, lev, move, entry = p["margin"], p["leverage"], p["move"], p["entry"]
    assert isinstance(margin, Decimal) and isinstance(lev, Decimal)
    assert isinstance(move, Decimal) and isinstance(entry, Decimal)
    qty = margin * lev / entry
    mark = entry * (ONE - move)
    loss = -unrealized_pnl(
        side=Side.LONG, contract=LINEAR, quantity=qty, entry_price=entry, mark_price=mark
    )
    price_only = -pnl_ratio(side=Side.LONG, contract=LINEAR, entry_price=entry, mark_price=mark)
    return Built(
        prompt=(
            f"You copy a lead trader with {num(margin)} USDT of margin at a copy leverage of "
            f"{x(lev)}. The lead trader opens a long and the price falls {pct(move)} from the "
            f"entry. How much has your copy lost so far, in USDT (as a positive number)? "
            f"Ignore fees and the profit share."
        ),
        answer=loss,
        hint="Your copy is a position worth margin × leverage; it loses the price move on all of it.",
        solution=(
            f"Your position value = {num(margin)} × {num(lev)} = {usdt(margin * lev)}.",
            f"Loss = {usdt(margin * lev)} × {pct(move)} = {usdt(loss)}, which is "
            f"{pct(loss / margin)} of your margin.",
            "You copy losses exactly as you copy gains.",
        ),
        misconceptions=(
            Misconception(
                code="price_move_for_roe",
                name="Leverage left out: price move applied to the margin",
                explanation=(
                    f"{pct(move)} of your margin is {usdt(margin * price_only)}, but the copy "
                    f"position is {num(lev)} times the margin, so it loses {num(lev)} times as "
                    "much."
                ),
                value=margin * price_only,
            ),
        ),
    )


TEMPLATES = (
    ExerciseTemplate(
        id="retail-leverage-cap",
        title="Largest position under a 2:1 retail cap",
        unit=Unit.NUMBER,
        places=2,
        tolerance=Decimal("0.01"),
        params={
            "margin": choice("200", "500", "750", "1000", "2500", "5000"),
            "offshore": choice("50", "100", "125", "200"),
        },
        build=_retail_cap,
    ),
    ExerciseTemplate(
        id="asic-close-out",
        title="ASIC margin close-out price",
        unit=Unit.NUMBER,
        places=2,
        tolerance=Decimal("0.01"),
        params={"side": sides(), "entry": ENTRY_PRICES},
        build=_close_out,
    ),
    ExerciseTemplate(
        id="copy-trading-loss",
        title="What a copied trade loses",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        params={
            "margin": choice("100", "200", "250", "500", "1000"),
            "leverage": choice("5", "10", "20", "25", "50"),
            "move": choice("0.005", "0.01", "0.015", "0.02"),
            "entry": ENTRY_PRICES,
        },
        build=_copy_loss,
        valid=lambda p: p["leverage"] * p["move"] <= Decimal("0.5"),
    ),
)
