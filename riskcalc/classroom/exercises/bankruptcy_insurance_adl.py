"""Exercise templates of the lesson "bankruptcy price, insurance fund, ADL": their numbers, answers, hints and
misconceptions.
"""

from __future__ import annotations

from decimal import Decimal

from riskcalc.calc.adl import AdlMethod, AdlPosition, adl_exposure, adl_score
from riskcalc.calc.pnl import unrealized_pnl
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
    bp,
    isolated,
    liq_link,
    lp,
    num,
    num_plain,
    other,
    pct,
    q,
    side_word,
    usdt,
    x,
)


def _bankruptcy(p: dict[str, object]) -> Built:
    side, entry, qty, lev, mmr = p["side"], p["entry"], p["quantity"], p["leverage"], p["mmr"]
    assert isinstance(side, Side) and isinstance(entry, Decimal) and isinstance(qty, Decimal)
    assert isinstance(lev, Decimal) and isinstance(mmr, Decimal)
    result = isolated(side, entry, qty, lev, mmr)
    answer = bp(result)
    s = "−" if side is Side.LONG else "+"
    return Built(
        prompt=(
            f"An isolated {side_word(side)} of {num(qty)} BTC is opened at {num(entry)} USDT "
            f"with {x(lev)} leverage; the maintenance margin rate is {pct(mmr)}. At what price "
            f"is the position bankrupt, its margin completely used up? Ignore fees."
        ),
        answer=answer,
        hint="Bankruptcy is where the margin is zero: the maintenance margin plays no part.",
        solution=(
            f"Bankruptcy price = E × (1 {s} 1/L) = {num(entry)} × (1 {s} 1/{num(lev)}) = "
            f"{usdt(answer)}.",
            f"The liquidation price comes first, at {usdt(lp(result))}: the exchange takes over "
            f"there, while {usdt(result.maintenance_margin)} of margin is left, and closes the "
            "position at or near the bankruptcy price.",
        ),
        misconceptions=(
            Misconception(
                code="liquidation_for_bankruptcy",
                name="Liquidation price given for the bankruptcy price",
                explanation=(
                    f"{usdt(lp(result))} is the liquidation price, where the maintenance margin "
                    "is still left. Bankruptcy is further away: where the margin is zero."
                ),
                value=lp(result),
            ),
            Misconception(
                code="side_flipped",
                name="Long and short swapped",
                explanation=(
                    f"That is the bankruptcy price of a {side_word(other(side))}. A "
                    f"{side_word(side)} goes bankrupt when the price "
                    f"{'falls' if side is Side.LONG else 'rises'}."
                ),
                value=bp(isolated(other(side), entry, qty, lev, mmr)),
            ),
        ),
        calculator=liq_link(
            side, entry, qty, lev, mmr, "See both prices in the liquidation calculator"
        ),
    )


def _insurance(p: dict[str, object]) -> Built:
    side, entry, qty, lev, mmr, t = (
        p["side"],
        p["entry"],
        p["quantity"],
        p["leverage"],
        p["mmr"],
        p["through"],
    )
    assert isinstance(side, Side) and isinstance(entry, Decimal) and isinstance(qty, Decimal)
    assert isinstance(lev, Decimal) and isinstance(mmr, Decimal) and isinstance(t, Decimal)
    result = isolated(side, entry, qty, lev, mmr)
    liq, bank = lp(result), bp(result)
    fill = q(liq - side.sign * t * abs(liq - bank), 1)
    margin = result.maths.collateral
    pnl = unrealized_pnl(
        side=side, contract=LINEAR, quantity=qty, entry_price=entry, mark_price=fill
    )
    answer = margin + pnl
    from_liq = answer - result.maintenance_margin
    where = "better than" if answer > 0 else "worse than"
    return Built(
        prompt=(
            f"An isolated {side_word(side)} of {num(qty)} BTC, opened at {num(entry)} USDT with "
            f"{x(lev)} leverage and a {pct(mmr)} maintenance margin rate, is liquidated at "
            f"{num(q(liq, 2))} USDT. Its bankruptcy price is {num(q(bank, 2))} USDT. The "
            f"liquidation engine closes the whole position at {num(fill)} USDT. How much does "
            f"the insurance fund gain (positive) or pay (negative)? Ignore fees."
        ),
        answer=answer,
        hint=(
            "The trader's margin is gone either way. The fund keeps whatever is left of the "
            "margin at the fill price, or pays the shortfall when the fill is beyond the "
            "bankruptcy price: quantity × distance between fill and bankruptcy price."
        ),
        solution=(
            f"Margin = {num(qty)} × {num(entry)} ÷ {num(lev)} = {usdt(margin)}.",
            f"PnL at the fill = {'+' if side is Side.LONG else '−'}{num(qty)} × ({num(fill)} − "
            f"{num(entry)}) = {usdt(pnl)}.",
            f"Left over = {usdt(margin)} + ({usdt(pnl)}) = {usdt(answer)}, the same as "
            f"{num(qty)} × the distance from the bankruptcy price.",
            f"The fill is {where} the bankruptcy price, so the fund "
            f"{'gains' if answer > 0 else 'pays'} {usdt(abs(answer))}.",
        ),
        misconceptions=(
            Misconception(
                code="liquidation_for_bankruptcy",
                name="Measured from the liquidation price instead of the bankruptcy price",
                explanation=(
                    "You measured from the liquidation price. The trader's whole margin is lost "
                    "in a liquidation, so the fund's result is measured from the bankruptcy "
                    "price, where the margin is exactly used up."
                ),
                value=from_liq,
            ),
        ),
        calculator=liq_link(
            side, entry, qty, lev, mmr, "See both prices in the liquidation calculator"
        ),
    )


def _adl(p: dict[str, object]) -> Built:
    side, entry, qty, lev, gain = p["side"], p["entry"], p["quantity"], p["leverage"], p["gain"]
    assert isinstance(side, Side) and isinstance(entry, Decimal) and isinstance(qty, Decimal)
    assert isinstance(lev, Decimal) and isinstance(gain, Decimal)
    mark = entry * (ONE + side.sign * gain)
    exposure = adl_exposure(
        AdlPosition(side=side, quantity=qty, entry_price=entry, mark_price=mark, leverage=lev),
        method=AdlMethod.BITMEX,
    )
    answer = exposure.score * HUNDRED
    with_chosen = adl_score(
        method=AdlMethod.BITMEX, side=side, pnl_ratio=exposure.pnl_ratio, effective_leverage=lev
    )
    return Built(
        prompt=(
            f"On BitMEX you hold an isolated {side_word(side)} of {num(qty)} BTC opened at "
            f"{num(entry)} USDT with {x(lev)} leverage. The mark price is now {num(mark)} USDT. "
            f"BitMEX ranks profitable positions for auto-deleveraging by PnL% × effective "
            f"leverage. What is this position's ranking score, in percent?"
        ),
        answer=answer,
        hint=(
            "PnL% = unrealised PnL ÷ entry value. Effective leverage = position value at mark ÷ "
            "(margin + unrealised PnL): profit lowers it below the leverage you chose."
        ),
        solution=(
            f"Entry value = {num(qty)} × {num(entry)} = {usdt(exposure.entry_value)}; margin = "
            f"{usdt(exposure.collateral)}.",
            f"Unrealised PnL = {usdt(exposure.unrealized_pnl)}; PnL% = "
            f"{pct(exposure.pnl_ratio, 4)}.",
            f"Effective leverage = {usdt(exposure.notional)} ÷ ({usdt(exposure.collateral)} + "
            f"{usdt(exposure.unrealized_pnl)}) = {num(q(exposure.effective_leverage, 4))}×.",
            f"Score = {pct(exposure.pnl_ratio, 4)} × {num(q(exposure.effective_leverage, 4))} = "
            f"{pct(exposure.score, 4)}.",
        ),
        misconceptions=(
            Misconception(
                code="chosen_for_effective_leverage",
                name="Chosen leverage used instead of effective leverage",
                explanation=(
                    f"You used the {x(lev)} you chose. ADL ranks by effective leverage, which "
                    "counts the unrealised profit as extra margin, so it falls as the profit "
                    "grows."
                ),
                value=with_chosen * HUNDRED,
            ),
        ),
        calculator=CalculatorLink(
            calculator="adl",
            params={
                "side": str(side),
                "entry_price": num_plain(entry),
                "mark_price": num_plain(mark),
                "quantity": num_plain(qty),
                "contract": "linear",
                "leverage": num_plain(lev),
                "method": "bitmex",
            },
            label="Check it in the ADL calculator",
        ),
    )


TEMPLATES = (
    ExerciseTemplate(
        id="bankruptcy-price",
        title="Bankruptcy price",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        params={
            "side": sides(),
            "entry": ENTRY_PRICES,
            "quantity": choice("0.1", "0.25", "0.5", "1", "2"),
            "leverage": choice("10", "20", "25", "50", "100"),
            "mmr": choice("0.004", "0.005"),
        },
        build=_bankruptcy,
    ),
    ExerciseTemplate(
        id="insurance-fund",
        title="What the insurance fund gains or pays",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        sign_rule="Positive: the fund gains; negative: the fund pays.",
        params={
            "side": sides(),
            "entry": ENTRY_PRICES,
            "quantity": choice("0.5", "1", "2", "5"),
            "leverage": choice("20", "25", "50"),
            "mmr": choice("0.004", "0.005", "0.01"),
            "through": choice("0.2", "0.4", "0.6", "0.8", "1.25", "1.5", "2"),
        },
        build=_insurance,
    ),
    ExerciseTemplate(
        id="adl-ranking-score",
        title="ADL ranking score",
        unit=Unit.PERCENT,
        places=2,
        tolerance=Decimal("0.01"),
        params={
            "side": sides(),
            "entry": ENTRY_PRICES,
            "quantity": choice("0.5", "1", "2"),
            "leverage": choice("5", "10", "20", "25"),
            "gain": choice("0.01", "0.02", "0.03", "0.05", "0.08"),
        },
        build=_adl,
    ),
)
