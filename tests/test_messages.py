"""The core's sentences in the reader's language (riskcalc/messages.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from riskcalc.calc.limits import LIMITS, checked, range_message
from riskcalc.calc.text import N_, Text
from riskcalc.messages import translated


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Leverage must be at least 1 and at most 1,000."),
        ("es", "«Apalancamiento» debe ser como mínimo 1 y como máximo 1000."),
        ("zh-hans", "“杠杆”必须不小于 1 且不大于 1,000。"),
        ("ar", "يجب ألا تقل قيمة «الرافعة المالية» عن 1 وألا تتجاوز 1,000."),
    ],
)
def test_a_range_is_said_in_the_language_with_its_figures(language: str, expected: str) -> None:
    with translation.override(language):
        assert translated(range_message(LIMITS["leverage"])) == expected


def test_spanish_groups_thousands_from_five_digits_on() -> None:
    with translation.override("es"):
        shown = translated(range_message(LIMITS["entry_price"]))

    assert shown.endswith("como máximo 1.000.000.000.000.")


def test_a_core_error_is_translated_from_its_text_not_its_english_message() -> None:
    with pytest.raises(Exception) as caught:
        checked("entry_price", Decimal("NaN"))

    with translation.override("es"):
        assert translated(caught.value.text) == "«Precio de entrada» debe ser un número finito."


@pytest.mark.parametrize(
    ("language", "joined"), [("zh-hans", "long、short"), ("ar", "long، short")]
)
def test_lists_are_joined_the_languages_way(language: str, joined: str) -> None:
    text = Text(N_("Choose one of: {options}."), {"options": ("long", "short")})

    with translation.override(language):
        assert joined in translated(text)


def test_a_sentence_missing_from_the_catalogue_is_shown_in_english() -> None:
    with translation.override("es"):
        assert translated(Text("Not in any catalogue: {n}.", {"n": 25000})) == (
            "Not in any catalogue: 25.000."
        )
