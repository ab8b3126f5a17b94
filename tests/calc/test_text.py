"""The core's translatable sentences (riskcalc/calc/text.py): English by default, every part
of them open to another language's catalogue and number convention."""

from __future__ import annotations

from decimal import Decimal

from riskcalc.calc.errors import InputError
from riskcalc.calc.text import N_, Text, figure, render

SPANISH = {
    "{label} must be at most {maximum}.": "«{label}» debe ser como máximo {maximum}.",
    "Leverage": "Apalancamiento",
}


def test_a_text_reads_as_its_english_sentence() -> None:
    text = Text(N_("{label} must be at most {maximum}."), {"label": Text(N_("Leverage"))})

    assert str(Text(text.template, {**text.params, "maximum": Decimal(1000)})) == (
        "Leverage must be at most 1,000."
    )


def test_render_translates_the_template_and_its_terms_and_formats_its_figures() -> None:
    text = Text(
        N_("{label} must be at most {maximum}."),
        {"label": Text(N_("Leverage")), "maximum": Decimal("1000000.50")},
    )

    shown = render(text, lambda t: SPANISH.get(t, t), lambda n: figure(n, ".", ","))

    assert shown == "«Apalancamiento» debe ser como máximo 1.000.000,5."


def test_names_and_lists_are_shown_as_they_are_joined_by_the_separator() -> None:
    text = Text(N_("Choose one of: {options}."), {"options": ("long", "short")})

    assert render(text, str, figure, "、") == "Choose one of: long、short."


def test_an_input_error_keeps_its_text_and_says_its_english_sentence() -> None:
    error = InputError("symbol", N_("No table for {symbol}."), symbol="XYZUSDT")

    assert error.message == "No table for XYZUSDT."
    assert error.text == Text("No table for {symbol}.", {"symbol": "XYZUSDT"})
    assert str(error) == "symbol: No table for XYZUSDT."
