"""Seeded exercises: templates with parameter ranges, answers and misconceptions from the core.

An exercise template names its parameters and their ranges; a seed picks the numbers. The same
``(seed, lesson, exercise id, variant)`` always gives the same numbers, on any machine and in
any process: the per-exercise seed is derived with SHA-256 (:func:`derive_seed`), never with
Python's salted ``hash()``, and fed to ``random.Random``.

The answer is computed by the calculator core (:mod:`riskcalc.calc`). So is every
misconception: the *same* function, called with the mistaken assumption (maintenance margin
set to zero, the other side, the leverage applied to the risk, the fee left out...). A wrong
answer that matches one within the tolerance is therefore an exact match, and the feedback can
name the mistake. Two generic checks follow the template's own: the right size with the wrong
sign, and (for percentages) a fraction typed where percent was asked.

Each exercise states its unit, tolerance and sign convention, gives a hint, and has a worked
solution with the student's own numbers substituted.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from types import MappingProxyType
from typing import Literal

from riskcalc.calc.adl import AdlMethod, AdlPosition, adl_exposure, adl_score
from riskcalc.calc.liquidation import LiquidationInput, LiquidationResult, liquidation_price
from riskcalc.calc.margin import initial_margin, notional
from riskcalc.calc.pnl import pnl_ratio, roe, unrealized_pnl
from riskcalc.calc.position_size import PositionSizeInput, position_size
from riskcalc.calc.rounding import CALC_CONTEXT
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, Side
from riskcalc.classroom.answers import AnswerError, Reading, Unit, format_value, read_answer

__all__ = [
    "TEMPLATES",
    "CalculatorLink",
    "Exercise",
    "ExerciseTemplate",
    "Misconception",
    "Verdict",
    "derive_seed",
    "make_exercise",
]

LINEAR = ContractType.LINEAR
HUNDRED = Decimal(100)
ONE = Decimal(1)


def derive_seed(seed: int, lesson: str, exercise: str, variant: int = 0) -> int:
    """A 64-bit seed for one exercise, stable across processes and Python versions.

    >>> derive_seed(7, "leverage-and-margin", "initial-margin")
    10593105523178749755
    """
    text = f"riskcalc-classroom:{seed}:{lesson}:{exercise}:{variant}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


# --- formatting helpers (display only; the maths stays exact) ---------------------------------


def num(value: Decimal) -> str:
    """A parameter as typed in a prompt: thousands commas, no trailing zeros."""
    return format_value(value, Unit.NUMBER)


def usdt(value: Decimal, places: int = 2) -> str:
    return format_value(value, Unit.USDT, places)


def btc(value: Decimal, places: int = 4) -> str:
    return format_value(value, Unit.BTC, places)


def pct(fraction: Decimal, places: int | None = None) -> str:
    """A fraction shown as percent: 0.005 -> '0.5%'."""
    return format_value(fraction * HUNDRED, Unit.PERCENT, places).replace(" %", "%")


def x(leverage: Decimal) -> str:
    return f"{num(leverage)}×"


def side_word(side: Side) -> str:
    return "long" if side is Side.LONG else "short"


def other(side: Side) -> Side:
    return Side.SHORT if side is Side.LONG else Side.LONG


def q(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- the data an exercise carries -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Misconception:
    """A named mistake and the exact answer it produces for these numbers."""

    code: str
    name: str
    explanation: str
    value: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class CalculatorLink:
    """A calculator page preset with this exercise's numbers (query-string field names)."""

    calculator: str
    params: Mapping[str, str]
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The result of checking one typed answer."""

    status: Literal["correct", "wrong", "unreadable"]
    reading: Reading | None
    error: str = ""
    misconception: Misconception | None = None

    @property
    def correct(self) -> bool:
        return self.status == "correct"


@dataclass(frozen=True, slots=True, kw_only=True)
class Exercise:
    """One generated exercise: numbers, question, exact answer and how it is judged.

    ``answer`` is exact; an answer ``a`` is correct when ``|a - answer| <= tolerance`` (both
    ends included), in ``unit``. ``places`` is how many decimals the question asks for.
    """

    template: str
    lesson: str
    seed: int
    variant: int
    title: str
    prompt: str
    unit: Unit
    places: int
    tolerance: Decimal
    sign_rule: str
    answer: Decimal
    hint: str
    solution: tuple[str, ...]
    misconceptions: tuple[Misconception, ...]
    calculator: CalculatorLink | None

    @property
    def answer_display(self) -> str:
        return format_value(self.answer, self.unit, self.places)

    @property
    def tolerance_display(self) -> str:
        return format_value(self.tolerance, self.unit)

    @property
    def instructions(self) -> str:
        """Unit, rounding, tolerance and sign rule, as one sentence for the student."""
        unit = {
            Unit.USDT: "in USDT",
            Unit.BTC: "in BTC",
            Unit.PERCENT: "in percent",
            Unit.NUMBER: "as a plain number",
        }[self.unit]
        text = (
            f"Answer {unit}, to {self.places} decimal place{'s' if self.places != 1 else ''}; "
            f"answers within ±{self.tolerance_display} of the exact value count as correct."
        )
        return f"{text} {self.sign_rule}".strip()

    def _close(self, value: Decimal, target: Decimal) -> bool:
        return abs(value - target) <= self.tolerance

    def check(self, text: str) -> Verdict:
        """Judge a typed answer: correct, wrong (naming a misconception if one matches), or
        unreadable (with a message saying what to change)."""
        try:
            reading = read_answer(text, self.unit)
        except AnswerError as error:
            return Verdict(status="unreadable", reading=None, error=error.message)
        value = reading.value
        if self._close(value, self.answer):
            return Verdict(status="correct", reading=reading)
        for misconception in self.misconceptions:
            if self._close(value, misconception.value):
                return Verdict(status="wrong", reading=reading, misconception=misconception)
        for misconception in self._generic_misconceptions():
            if self._close(value, misconception.value):
                return Verdict(status="wrong", reading=reading, misconception=misconception)
        return Verdict(status="wrong", reading=reading)

    def _generic_misconceptions(self) -> list[Misconception]:
        found = []
        if self.answer != 0:
            found.append(
                Misconception(
                    code="wrong_sign",
                    name="Right size, wrong sign",
                    explanation=(
                        "The amount is right but the sign is not. "
                        + (self.sign_rule or "This answer is positive.")
                    ),
                    value=-self.answer,
                )
            )
        if self.unit is Unit.PERCENT:
            found.append(
                Misconception(
                    code="fraction_for_percent",
                    name="A fraction typed where percent was asked",
                    explanation=(
                        f"You typed the fraction; the answer is asked in percent, so multiply "
                        f"by 100: {self.answer_display}."
                    ),
                    value=self.answer / HUNDRED,
                )
            )
        return found


# --- parameters ---------------------------------------------------------------------------------


def choice(*values: str) -> Callable[[random.Random], Decimal]:
    options = tuple(Decimal(v) for v in values)
    return lambda rng: rng.choice(options)


def steps(low: str, high: str, step: str) -> Callable[[random.Random], Decimal]:
    lo, hi, st = Decimal(low), Decimal(high), Decimal(step)
    count = int((hi - lo) / st)
    return lambda rng: lo + st * rng.randint(0, count)


def sides() -> Callable[[random.Random], Side]:
    return lambda rng: rng.choice((Side.LONG, Side.SHORT))


def long_only() -> Callable[[random.Random], Side]:
    return lambda rng: Side.LONG


@dataclass(frozen=True, slots=True, kw_only=True)
class Built:
    """What a template's ``build`` returns for one set of numbers."""

    prompt: str
    answer: Decimal
    hint: str
    solution: tuple[str, ...]
    misconceptions: tuple[Misconception, ...] = ()
    calculator: CalculatorLink | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExerciseTemplate:
    """An exercise with parameter ranges. ``valid`` rejects combinations that make no sense
    (e.g. a maintenance rate above 1/leverage); the seed's generator draws again."""

    id: str
    title: str
    unit: Unit
    places: int
    tolerance: Decimal
    params: Mapping[str, Callable[[random.Random], object]]
    build: Callable[[dict[str, object]], Built]
    sign_rule: str = ""
    valid: Callable[[dict[str, object]], bool] = field(default=lambda p: True)

    def numbers(self, rng: random.Random) -> dict[str, object]:
        for _ in range(1000):
            values = {name: pick(rng) for name, pick in self.params.items()}
            if self.valid(values):
                return values
        raise RuntimeError(f"{self.id}: parameter ranges admit no valid combination")


def make_exercise(template_id: str, *, seed: int, lesson: str, variant: int = 0) -> Exercise:
    """Build exercise ``template_id`` for ``seed`` in ``lesson`` (deterministic)."""
    template = TEMPLATES[template_id]
    rng = random.Random(derive_seed(seed, lesson, template_id, variant))
    with localcontext(CALC_CONTEXT):
        built = template.build(template.numbers(rng))
    # Keep only misconceptions that can be told apart from the answer and from each other.
    kept: list[Misconception] = []
    for m in built.misconceptions:
        distinct = abs(m.value - built.answer) > 2 * template.tolerance and all(
            abs(m.value - k.value) > 2 * template.tolerance for k in kept
        )
        if distinct:
            kept.append(m)
    return Exercise(
        template=template.id,
        lesson=lesson,
        seed=seed,
        variant=variant,
        title=template.title,
        prompt=built.prompt,
        unit=template.unit,
        places=template.places,
        tolerance=template.tolerance,
        sign_rule=template.sign_rule,
        answer=built.answer,
        hint=built.hint,
        solution=built.solution,
        misconceptions=tuple(kept),
        calculator=built.calculator,
    )


# --- calculator-core shortcuts -----------------------------------------------------------------


def isolated(
    side: Side,
    entry: Decimal,
    quantity: Decimal,
    leverage: Decimal,
    mmr: Decimal,
    basis: MarginBasis = MarginBasis.ENTRY,
) -> LiquidationResult:
    return liquidation_price(
        LiquidationInput(
            side=side,
            entry_price=entry,
            quantity=quantity,
            leverage=leverage,
            maintenance_margin_rate=mmr,
            mm_basis=basis,
        )
    )


def cross(
    side: Side, entry: Decimal, quantity: Decimal, wallet: Decimal, mmr: Decimal
) -> LiquidationResult:
    return liquidation_price(
        LiquidationInput(
            side=side,
            entry_price=entry,
            quantity=quantity,
            margin_mode=MarginMode.CROSS,
            wallet_balance=wallet,
            maintenance_margin_rate=mmr,
            mm_basis=MarginBasis.MARK,
        )
    )


def lp(result: LiquidationResult) -> Decimal:
    assert result.liquidation_price_exact is not None, result.no_liquidation_message
    return result.liquidation_price_exact


def bp(result: LiquidationResult) -> Decimal:
    assert result.bankruptcy_price_exact is not None, result.no_bankruptcy_message
    return result.bankruptcy_price_exact


def liq_link(
    side: Side, entry: Decimal, quantity: Decimal, leverage: Decimal, mmr: Decimal, label: str
) -> CalculatorLink:
    return CalculatorLink(
        calculator="liquidation",
        params={
            "side": str(side),
            "entry_price": num_plain(entry),
            "quantity": num_plain(quantity),
            "leverage": num_plain(leverage),
            "maintenance_margin_rate": num_plain(mmr),
            "mm_basis": "entry",
        },
        label=label,
    )


def num_plain(value: Decimal) -> str:
    """A query-string number: no exponent, no trailing zeros."""
    text = f"{value.normalize():f}"
    return text


# --- lesson: leverage and margin ---------------------------------------------------------------


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


# --- lesson: how close liquidation is -----------------------------------------------------------


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


# --- lesson: isolated vs cross -----------------------------------------------------------------


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


# --- lesson: position sizing with a stop-loss --------------------------------------------------


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
    mistakes = [
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
        calculator=CalculatorLink(
            calculator="position-size",
            params={
                "side": str(side),
                "account_balance": num_plain(balance),
                "risk_fraction": num_plain(risk),
                "entry_price": num_plain(entry),
                "stop_price": num_plain(stop),
                "leverage": num_plain(lev),
                **(
                    {"fee_rate_entry": num_plain(fee), "fee_rate_exit": num_plain(fee)}
                    if with_fees
                    else {}
                ),
            },
            label="Check it in the position-size calculator",
        ),
    )


def _sizing_ok(p: dict[str, object]) -> bool:
    balance, risk, entry, stop, lev = p["balance"], p["risk"], p["entry"], p["stop"], p["leverage"]
    assert isinstance(balance, Decimal) and isinstance(risk, Decimal)
    assert isinstance(entry, Decimal) and isinstance(stop, Decimal) and isinstance(lev, Decimal)
    # The risk-based position must fit within what the balance funds at this leverage.
    return balance * risk / stop <= balance * lev


# --- lesson: bankruptcy price, insurance fund, ADL -----------------------------------------


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


# --- lesson: funding and fees -----------------------------------------------------------------


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


# --- lesson: regional rules and copy trading ---------------------------------------------------


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


# --- the registry ------------------------------------------------------------------------------

_ENTRY = steps("18000", "72000", "50")
_PRICE_TOL = Decimal("0.01")

_TEMPLATE_LIST = (
    ExerciseTemplate(
        id="initial-margin",
        title="Initial margin from leverage",
        unit=Unit.USDT,
        places=2,
        tolerance=_PRICE_TOL,
        params={
            "side": sides(),
            "quantity": choice("0.05", "0.1", "0.2", "0.25", "0.5", "1", "2"),
            "entry": _ENTRY,
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
            "entry": _ENTRY,
            "leverage": choice("2", "3", "5", "10", "20", "25", "50"),
            "move": choice("0.002", "0.004", "0.005", "0.01", "0.015", "0.02", "0.03"),
            "up": choice("1", "-1"),
        },
        build=_roe_move,
        valid=lambda p: p["move"] * p["leverage"] <= Decimal("0.8"),
    ),
    ExerciseTemplate(
        id="margin-wipe-move",
        title="The price move that wipes out the margin",
        unit=Unit.PERCENT,
        places=2,
        tolerance=Decimal("0.001"),
        params={
            "entry": _ENTRY,
            "leverage": choice("10", "20", "25", "50", "100", "125", "200", "250", "500"),
        },
        build=_wipe_move,
    ),
    ExerciseTemplate(
        id="liquidation-price-long",
        title="Liquidation price of an isolated long",
        unit=Unit.USDT,
        places=2,
        tolerance=_PRICE_TOL,
        params={
            "entry": _ENTRY,
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
            "entry": _ENTRY,
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
        tolerance=_PRICE_TOL,
        params={
            "entry": _ENTRY,
            "quantity": choice("0.1", "0.25", "0.5", "1", "2"),
            "leverage": choice("10", "20", "25", "50", "100"),
            "mmr": choice("0.004", "0.005", "0.01"),
        },
        build=_liquidation_short,
        valid=lambda p: ONE / p["leverage"] - p["mmr"] >= Decimal("0.004"),
    ),
    ExerciseTemplate(
        id="cross-liquidation-long",
        title="Liquidation price in cross margin",
        unit=Unit.USDT,
        places=2,
        tolerance=_PRICE_TOL,
        params={
            "entry": _ENTRY,
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
        tolerance=_PRICE_TOL,
        params={
            "side": sides(),
            "entry": _ENTRY,
            "quantity": choice("0.1", "0.2", "0.5", "1"),
            "leverage": choice("10", "20", "25", "50"),
            "wallet": choice("5000", "8000", "10000", "20000"),
        },
        build=_isolated_loss,
        valid=lambda p: p["quantity"] * p["entry"] / p["leverage"] < p["wallet"],
    ),
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
            "entry": _ENTRY,
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
            "entry": _ENTRY,
            "stop": choice("0.01", "0.015", "0.02", "0.025", "0.03"),
            "leverage": choice("5", "10", "20"),
            "fee": choice("0.0004", "0.0005", "0.00055", "0.0006"),
        },
        build=lambda p: _sizing(p, with_fees=True),
        valid=_sizing_ok,
    ),
    ExerciseTemplate(
        id="bankruptcy-price",
        title="Bankruptcy price",
        unit=Unit.USDT,
        places=2,
        tolerance=_PRICE_TOL,
        params={
            "side": sides(),
            "entry": _ENTRY,
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
        tolerance=_PRICE_TOL,
        sign_rule="Positive: the fund gains; negative: the fund pays.",
        params={
            "side": sides(),
            "entry": _ENTRY,
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
            "entry": _ENTRY,
            "quantity": choice("0.5", "1", "2"),
            "leverage": choice("5", "10", "20", "25"),
            "gain": choice("0.01", "0.02", "0.03", "0.05", "0.08"),
        },
        build=_adl,
    ),
    ExerciseTemplate(
        id="funding-payment",
        title="One funding payment",
        unit=Unit.USDT,
        places=2,
        tolerance=_PRICE_TOL,
        sign_rule="Positive: you receive; negative: you pay.",
        params={
            "side": sides(),
            "quantity": choice("0.5", "1", "2", "5", "10"),
            "mark": _ENTRY,
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
            "entry": _ENTRY,
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
        tolerance=_PRICE_TOL,
        sign_rule="Give a loss as a negative number.",
        params={
            "side": sides(),
            "quantity": choice("0.1", "0.25", "0.5", "1", "2"),
            "entry": _ENTRY,
            "move": choice("0.01", "0.02", "0.03", "-0.01", "-0.02", "-0.03", "0.005", "-0.005"),
            "fee": choice("0.0004", "0.0005", "0.0006"),
        },
        build=_pnl_fees,
    ),
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
        params={"side": sides(), "entry": _ENTRY},
        build=_close_out,
    ),
    ExerciseTemplate(
        id="copy-trading-loss",
        title="What a copied trade loses",
        unit=Unit.USDT,
        places=2,
        tolerance=_PRICE_TOL,
        params={
            "margin": choice("100", "200", "250", "500", "1000"),
            "leverage": choice("5", "10", "20", "25", "50"),
            "move": choice("0.005", "0.01", "0.015", "0.02"),
            "entry": _ENTRY,
        },
        build=_copy_loss,
        valid=lambda p: p["leverage"] * p["move"] <= Decimal("0.5"),
    ),
)

TEMPLATES: Mapping[str, ExerciseTemplate] = MappingProxyType({t.id: t for t in _TEMPLATE_LIST})
"""Every exercise template by id; lesson files refer to these ids."""
