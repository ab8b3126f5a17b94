"""Exercise templates of the lesson "position sizing with a stop-loss": their numbers, answers, hints and
misconceptions.
"""

from __future__ import annotations

from decimal import Decimal

from riskcalc.calc.position_size import PositionSizeInput, position_size
from riskcalc.calc.types import Side
from riskcalc.classroom.answers import Unit
from riskcalc.classroom.exercises.core import (
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
    btc,
    num,
    num_plain,
    pct,
    side_word,
    usdt,
    x,
)


def _sizing(p: dict[str, object], *, with_fees: bool) -> Built:
    side, balance, risk, entry, stop_pct, lev = (
        p["side"],
        p["balance"],
        p["risk"],
        p["entry"],
        p["stop"],
        p["leverage"],
    )
    fee = p.get("fee", Decimal(0))
    assert isinstance(side, Side) and isinstance(balance, Decimal) and isinstance(risk, Decimal)
    assert isinstance(entry, Decimal) and isinstance(stop_pct, Decimal)
    assert isinstance(lev, Decimal) and isinstance(fee, Decimal)
    stop = entry * (ONE - side.sign * stop_pct)

    def size(risk_amount: Decimal, fee_rate: Decimal) -> Decimal:
        return position_size(
            PositionSizeInput(
                side=side,
                account_balance=balance,
                risk_amount=risk_amount,
                entry_price=entry,
                stop_price=stop,
                fee_rate_entry=fee_rate,
                fee_rate_exit=fee_rate,
                leverage=lev,
            )
        ).quantity_for_risk

    amount = balance * risk
    answer = size(amount, fee)
    leveraged = size(amount * lev, fee) if amount * lev <= balance else answer * lev
    value = answer * entry
    distance = abs(entry - stop)
    mistakes = _sizing_mistakes(lev, amount, leveraged, value)
    lines = [
        f"Risk amount = {num(balance)} × {pct(risk)} = {usdt(amount)}.",
        f"Stop distance = |{num(entry)} − {num(stop)}| = {usdt(distance)} per BTC.",
    ]
    if with_fees:
        fees = fee * entry + fee * stop
        no_fee = size(amount, Decimal(0))
        mistakes.insert(
            0,
            Misconception(
                code="fee_ignored",
                name="Fees ignored",
                explanation=(
                    f"Without fees you get {btc(no_fee)}; but the entry and exit fees "
                    f"({usdt(fees)} per BTC) are lost at the stop too, so the loss would be "
                    f"more than {usdt(amount)}."
                ),
                value=no_fee,
            ),
        )
        lines += [
            f"Fees per BTC = {pct(fee)} × {num(entry)} + {pct(fee)} × {num(stop)} = {usdt(fees)}.",
            f"Quantity = {usdt(amount)} ÷ ({num(distance)} + {num(fees)}) = {btc(answer)}.",
        ]
        fee_text = (
            f" The exchange charges a taker fee of {pct(fee)} on entry and on the stop exit, "
            f"both on the fill price."
        )
    else:
        lines.append(f"Quantity = {usdt(amount)} ÷ {usdt(distance)} = {btc(answer)}.")
        fee_text = " Ignore fees."
    lines.append(
        f"The leverage ({x(lev)}) only decides the margin: {usdt(value)} ÷ {num(lev)} = "
        f"{usdt(value / lev)}."
    )
    return Built(
        prompt=(
            f"Your account holds {num(balance)} USDT and you risk {pct(risk)} of it per trade. "
            f"You go {side_word(side)} BTCUSDT at {num(entry)} USDT with a stop-loss at "
            f"{num(stop)} USDT, using {x(lev)} leverage.{fee_text} How many BTC should the "
            f"position be, so that the stop loses exactly the amount you risk?"
        ),
        answer=answer,
        hint="Risk amount ÷ loss per BTC at the stop. Leverage is not in this formula.",
        solution=tuple(lines),
        misconceptions=tuple(mistakes),
        calculator=_sizing_link(
            side, (balance, risk, entry, stop, lev), fee if with_fees else None
        ),
    )


def _sizing_mistakes(
    lev: Decimal, amount: Decimal, leveraged: Decimal, value: Decimal
) -> list[Misconception]:
    """The two mistakes of every sizing exercise: leverage applied to the risk amount, and the
    position value given instead of the quantity."""
    return [
        Misconception(
            code="leverage_on_risk",
            name="Leverage applied to the risk amount",
            explanation=(
                f"Leverage does not change how much you lose at the stop: each BTC still loses "
                f"the stop distance. Multiplying by {num(lev)} would risk {num(lev)} times "
                f"{usdt(amount)}."
            ),
            value=leveraged,
        ),
        Misconception(
            code="value_for_quantity",
            name="Position value given instead of quantity",
            explanation=(
                f"{usdt(value)} is the position value in USDT. The question asks for BTC: divide "
                f"the risk by the price distance per BTC, not by the percentage."
            ),
            value=value,
        ),
    ]


def _sizing_link(side: Side, numbers: tuple[Decimal, ...], fee: Decimal | None) -> CalculatorLink:
    """The position-size calculator with the exercise's numbers (balance, risk fraction, entry,
    stop, leverage), and its fee rates where the exercise has fees."""
    names = ("account_balance", "risk_fraction", "entry_price", "stop_price", "leverage")
    fees = (
        {} if fee is None else {"fee_rate_entry": num_plain(fee), "fee_rate_exit": num_plain(fee)}
    )
    return CalculatorLink(
        calculator="position-size",
        params={
            "side": str(side),
            **{name: num_plain(value) for name, value in zip(names, numbers, strict=True)},
            **fees,
        },
        label="Check it in the position-size calculator",
    )


def _sizing_ok(p: dict[str, object]) -> bool:
    balance, risk, entry, stop, lev = p["balance"], p["risk"], p["entry"], p["stop"], p["leverage"]
    assert isinstance(balance, Decimal) and isinstance(risk, Decimal)
    assert isinstance(entry, Decimal) and isinstance(stop, Decimal) and isinstance(lev, Decimal)
    # The risk-based position must fit within what the balance funds at this leverage.
    return balance * risk / stop <= balance * lev


TEMPLATES = (
    ExerciseTemplate(
        id="position-size-stop",
        title="Position size from a stop-loss",
        unit=Unit.BTC,
        places=4,
        tolerance=Decimal("0.0001"),
        params={
            "side": sides(),
            "balance": choice("2000", "5000", "10000", "20000", "50000"),
            "risk": choice("0.005", "0.01", "0.02"),
            "entry": ENTRY_PRICES,
            "stop": choice("0.01", "0.015", "0.02", "0.025", "0.03", "0.04", "0.05"),
            "leverage": choice("5", "10", "20"),
        },
        build=lambda p: _sizing(p, with_fees=False),
        valid=_sizing_ok,
    ),
    ExerciseTemplate(
        id="position-size-fees",
        title="Position size with fees",
        unit=Unit.BTC,
        places=4,
        tolerance=Decimal("0.0001"),
        params={
            "side": sides(),
            "balance": choice("5000", "10000", "20000", "50000"),
            "risk": choice("0.005", "0.01", "0.02"),
            "entry": ENTRY_PRICES,
            "stop": choice("0.01", "0.015", "0.02", "0.025", "0.03"),
            "leverage": choice("5", "10", "20"),
            "fee": choice("0.0004", "0.0005", "0.00055", "0.0006"),
        },
        build=lambda p: _sizing(p, with_fees=True),
        valid=_sizing_ok,
    ),
)
