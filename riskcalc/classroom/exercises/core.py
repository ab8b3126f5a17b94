"""The shared machinery of every exercise: the seed, what an exercise carries, how an
answer is checked, parameter ranges and the template type.

Lesson modules (one per lesson, beside this one) declare templates with these types;
:mod:`.registry` builds an exercise from a template and a seed.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext

from riskcalc.calc.types import ContractType, Side
from riskcalc.classroom.answers import (
    AnswerError,
    Reading,
    Unit,
    format_value,
    isolate_figures,
    read_answer,
    rounding_words,
)

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
            Unit.USDT: gettext("in USDT"),
            Unit.BTC: gettext("in BTC"),
            Unit.PERCENT: gettext("in percent"),
            Unit.NUMBER: gettext("as a plain number"),
        }[self.unit]
        text = gettext(
            "Answer %(unit)s, %(rounding)s; answers within ±%(tolerance)s of the exact value "
            "count as correct."
        ) % {
            "unit": unit,
            "rounding": rounding_words(self.unit, self.places),
            "tolerance": self.tolerance_display,
        }
        return isolate_figures(f"{text} {self.sign_rule}".strip())

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
                    name=gettext("Right size, wrong sign"),
                    explanation=gettext("The amount is right but the sign is not.")
                    + " "
                    + (str(self.sign_rule) or gettext("This answer is positive.")),
                    value=-self.answer,
                )
            )
        if self.unit is Unit.PERCENT:
            found.append(
                Misconception(
                    code="fraction_for_percent",
                    name=gettext("A fraction typed where percent was asked"),
                    explanation=gettext(
                        "You typed the fraction; the answer is asked in percent, so multiply "
                        "by 100: %(answer)s."
                    )
                    % {"answer": self.answer_display},
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
    title: str | Promise
    unit: Unit
    places: int
    tolerance: Decimal
    params: Mapping[str, Callable[[random.Random], object]]
    build: Callable[[dict[str, object]], Built]
    sign_rule: str | Promise = ""
    valid: Callable[[dict[str, object]], bool] = field(default=lambda p: True)

    def numbers(self, rng: random.Random) -> dict[str, object]:
        for _ in range(1000):
            values = {name: pick(rng) for name, pick in self.params.items()}
            if self.valid(values):
                return values
        raise RuntimeError(f"{self.id}: parameter ranges admit no valid combination")
