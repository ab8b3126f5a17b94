"""Exercise templates of the lesson "funding and fees": their numbers, answers, hints and
misconceptions.
"""

from __future__ import annotations

from decimal import Decimal

from riskcalc.calc.margin import initial_margin, notional
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
    num,
    num_plain,
    other,
    pct,
    side_word,
    usdt,
    x,
)


def _funding(p: dict[str, object]) -> Built:
    side, qty, mark, rate, lev = p["side"], p["quantity"], p["mark"], p["rate"], p["leverage"]
    assert isinstance(side, Side) and isinstance(qty, Decimal) and isinstance(mark, Decimal)
    assert isinstance(rate, Decimal) and isinstance(lev, Decimal)
    value = notional(contract=LINEAR, quantity=qty, price=mark)
    margin = initial_margin(contract=LINEAR, quantity=qty, price=mark, leverage=lev)
    answer = -side.sign * value * rate
    payer = "longs pay shorts" if rate > 0 else "shorts pay longs"
    return Built(
        prompt=(
            f"You hold a {side_word(side)} of {num(qty)} BTC on a BTCUSDT perpetual, with "
            f"{x(lev)} leverage. At the funding time the mark price is {num(mark)} USDT and the "
            f"funding rate is {pct(rate)}. How much funding do you receive (positive) or pay "
            f"(negative)?"
        ),
        answer=answer,
        hint=(
            "Funding = position value at the mark price × funding rate. A positive rate means "
            "longs pay shorts; a negative rate, shorts pay longs."
        ),
        solution=(
            f"Position value = {num(qty)} × {num(mark)} = {usdt(value)}.",
            f"Funding = {usdt(value)} × {pct(rate)} = {usdt(abs(value * rate), 4)}.",
            f"The rate is {'positive' if rate > 0 else 'negative'}, so {payer}: as a "
            f"{side_word(side)} you {'receive' if answer > 0 else 'pay'} it.",
            f"It is charged on the whole position, not on your {usdt(margin)} margin: "
            f"{pct(abs(answer) / margin, 3)} of the margin each time.",
        ),
        misconceptions=(
            Misconception(
                code="side_flipped",
                name="Who pays whom swapped",
                explanation=f"The amount is right but the direction is not: {payer}.",
                value=-answer,
            ),
            Misconception(
                code="funding_on_margin",
                name="Funding charged on the margin instead of the position value",
                explanation=(
                    f"Funding is on the whole position value ({usdt(value)}), not on the "
                    f"{usdt(margin)} margin; leverage makes it {num(lev)} times larger relative "
                    "to your margin."
                ),
                value=-side.sign * margin * rate,
            ),
        ),
    )


def _fee_roe(p: dict[str, object]) -> Built:
    entry, fee, lev = p["entry"], p["fee"], p["leverage"]
    assert isinstance(entry, Decimal) and isinstance(fee, Decimal) and isinstance(lev, Decimal)
    qty = ONE
    value = notional(contract=LINEAR, quantity=qty, price=entry)
    margin = initial_margin(contract=LINEAR, quantity=qty, price=entry, leverage=lev)
    fees = fee * value * 2
    answer = fees / margin * HUNDRED
    return Built(
        prompt=(
            f"You open a BTCUSDT position at {num(entry)} USDT with {x(lev)} leverage and close "
            f"it at the same price. The taker fee is {pct(fee)} on entry and again on exit. What "
            f"share of your initial margin do the fees cost, in percent?"
        ),
        answer=answer,
        hint="Fees are charged on the position value, twice; the margin is value ÷ leverage.",
        solution=(
            f"Per BTC: position value {usdt(value)}, margin {usdt(margin)}.",
            f"Fees = 2 × {pct(fee)} × {num(value)} = {usdt(fees)}.",
            f"Share of margin = {num(fees)} ÷ {num(margin)} = 2 × {pct(fee)} × {num(lev)} = "
            f"{pct(answer / HUNDRED)}.",
        ),
        misconceptions=(
            Misconception(
                code="fee_percent_of_price",
                name="Percent of price confused with percent of margin",
                explanation=(
                    f"{pct(2 * fee)} is the fee share of the position value. Your margin is "
                    f"1/{num(lev)} of the value, so the same fees are {num(lev)} times larger "
                    "as a share of the margin."
                ),
                value=fees / value * HUNDRED,
            ),
            Misconception(
                code="one_side_fee",
                name="Only one fee counted",
                explanation="Closing costs a fee too: count entry and exit.",
                value=fee * value / margin * HUNDRED,
            ),
        ),
    )


def _pnl_fees(p: dict[str, object]) -> Built:
    side, qty, entry, move, fee = p["side"], p["quantity"], p["entry"], p["move"], p["fee"]
    assert isinstance(side, Side) and isinstance(qty, Decimal) and isinstance(entry, Decimal)
    assert isinstance(move, Decimal) and isinstance(fee, Decimal)
    exit_price = entry * (ONE + move)
    gross = unrealized_pnl(
        side=side, contract=LINEAR, quantity=qty, entry_price=entry, mark_price=exit_price
    )
    fee_in = fee * notional(contract=LINEAR, quantity=qty, price=entry)
    fee_out = fee * notional(contract=LINEAR, quantity=qty, price=exit_price)
    answer = gross - fee_in - fee_out
    flipped = (
        unrealized_pnl(
            side=other(side),
            contract=LINEAR,
            quantity=qty,
            entry_price=entry,
            mark_price=exit_price,
        )
        - fee_in
        - fee_out
    )
    return Built(
        prompt=(
            f"You go {side_word(side)} {num(qty)} BTC at {num(entry)} USDT and close at "
            f"{num(exit_price)} USDT. The taker fee is {pct(fee)} of the position value on "
            f"entry and on exit. What is your profit (positive) or loss (negative) after fees?"
        ),
        answer=answer,
        hint="Price PnL = ± quantity × (exit − entry); then subtract both fees, each on its own "
        "fill price.",
        solution=(
            f"Price PnL = {'+' if side is Side.LONG else '−'}{num(qty)} × ({num(exit_price)} − "
            f"{num(entry)}) = {usdt(gross)}.",
            f"Entry fee = {pct(fee)} × {num(qty)} × {num(entry)} = {usdt(fee_in, 4)}; exit fee = "
            f"{pct(fee)} × {num(qty)} × {num(exit_price)} = {usdt(fee_out, 4)}.",
            f"After fees = {usdt(gross)} − {usdt(fee_in, 4)} − {usdt(fee_out, 4)} = {usdt(answer)}.",
        ),
        misconceptions=(
            Misconception(
                code="fee_ignored",
                name="Fees ignored",
                explanation=(
                    f"{usdt(gross)} is the price PnL before fees. Both fills cost "
                    f"{pct(fee)} of the position value, {usdt(fee_in + fee_out)} in all."
                ),
                value=gross,
            ),
            Misconception(
                code="side_flipped",
                name="Long and short swapped",
                explanation=(
                    f"That is the result for a {side_word(other(side))}. A long gains when the "
                    "price rises; a short gains when it falls."
                ),
                value=flipped,
            ),
        ),
        calculator=CalculatorLink(
            calculator="pnl",
            params={
                "side": str(side),
                "contract": "linear",
                "entry_price": num_plain(entry),
                "exit_price": num_plain(exit_price),
                "quantity": num_plain(qty),
            },
            label="See the price PnL in the PnL calculator",
        ),
    )


TEMPLATES = (
    ExerciseTemplate(
        id="funding-payment",
        title="One funding payment",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        sign_rule="Positive: you receive; negative: you pay.",
        params={
            "side": sides(),
            "quantity": choice("0.5", "1", "2", "5", "10"),
            "mark": ENTRY_PRICES,
            "rate": choice(
                "0.0001", "0.00005", "0.0002", "0.0003", "-0.0001", "-0.00005", "-0.0002"
            ),
            "leverage": choice("5", "10", "20", "50"),
        },
        build=_funding,
    ),
    ExerciseTemplate(
        id="round-trip-fees",
        title="Fees as a share of the margin",
        unit=Unit.PERCENT,
        places=2,
        tolerance=Decimal("0.01"),
        params={
            "entry": ENTRY_PRICES,
            "fee": choice("0.0004", "0.0005", "0.00055", "0.0006"),
            "leverage": choice("10", "20", "25", "50", "100"),
        },
        build=_fee_roe,
    ),
    ExerciseTemplate(
        id="pnl-after-fees",
        title="Profit or loss after fees",
        unit=Unit.USDT,
        places=2,
        tolerance=PRICE_TOLERANCE,
        sign_rule="Give a loss as a negative number.",
        params={
            "side": sides(),
            "quantity": choice("0.1", "0.25", "0.5", "1", "2"),
            "entry": ENTRY_PRICES,
            "move": choice("0.01", "0.02", "0.03", "-0.01", "-0.02", "-0.03", "0.005", "-0.005"),
            "fee": choice("0.0004", "0.0005", "0.0006"),
        },
        build=_pnl_fees,
    ),
)
