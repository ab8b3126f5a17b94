"""Reading typed answers: the accepted forms, the refused ones, and what the student is told."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest

from riskcalc.classroom import answers
from riskcalc.classroom.answers import AnswerError, Unit, read_answer
from riskcalc.classroom.exercises import core as exercise_core


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("19,700", Unit.USDT, "19700"),
        ("19700.00", Unit.USDT, "19700.00"),
        ("19 700.5", Unit.USDT, "19700.5"),
        ("$19,700", Unit.USDT, "19700"),
        ("-$12.5", Unit.USDT, "-12.5"),
        ("19700 USDT", Unit.USDT, "19700"),
        ("19,700.25 usd", Unit.USDT, "19700.25"),
        ("\u221223.95", Unit.USDT, "-23.95"),
        ("+4", Unit.USDT, "4"),
        (".5", Unit.BTC, "0.5"),
        ("0.1072 BTC", Unit.BTC, "0.1072"),
        ("1.5%", Unit.PERCENT, "1.5"),
        ("1.5 %", Unit.PERCENT, "1.5"),
        ("1.5", Unit.PERCENT, "1.5"),
        ("-20%", Unit.PERCENT, "-20"),
        ("1,500", Unit.NUMBER, "1500"),
    ],
)
def test_accepted_forms(text: str, unit: Unit, value: str) -> None:
    assert read_answer(text, unit).value == Decimal(value)


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("19,7", Unit.USDT, "point for decimals"),
        ("1.234,5", Unit.USDT, "point for decimals"),
        ("19,70,0", Unit.USDT, "point for decimals"),
        ("1.5%", Unit.USDT, "not a percentage"),
        ("5 BTC", Unit.USDT, "leave out"),
        ("5 USDT", Unit.BTC, "leave out"),
        ("about 5", Unit.USDT, "only a number"),
        ("1e5", Unit.USDT, "only a number"),
        ("", Unit.USDT, "Type a number"),
        ("9" * 41, Unit.USDT, "too long"),
    ],
)
def test_refused_forms_say_why(text: str, unit: Unit, message: str) -> None:
    with pytest.raises(AnswerError) as caught:
        read_answer(text, unit)
    assert message in caught.value.message


def test_the_student_is_told_how_the_answer_was_read() -> None:
    assert read_answer("19,700", Unit.USDT).note == "Read as 19,700 USDT."
    assert read_answer("-1.5", Unit.PERCENT).note.startswith("Read as −1.5 % (this answer is in")
    assert read_answer("1.5%", Unit.PERCENT).note == "Read as 1.5 %."


@pytest.mark.parametrize("module", [answers, exercise_core])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.failed == 0
    assert result.attempted > 0
