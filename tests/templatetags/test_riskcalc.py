"""Display filters: separators, signs, percentages and "--" for values that cannot be shown."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from riskcalc.templatetags import riskcalc as filters


def render(source: str, **context: object) -> str:
    return Template("{% load riskcalc %}" + source).render(Context(context))


def test_module_doctests_pass() -> None:
    result = doctest.testmod(filters)
    assert result.attempted > 0 and result.failed == 0


def test_num_adds_thousands_separators_in_a_template() -> None:
    assert render("{{ v|num:2 }}", v=Decimal("59648.2512")) == "59,648.25"


@pytest.mark.parametrize("bad", [None, "", "abc", Decimal("NaN"), Decimal("Infinity"), 1.5])
def test_num_shows_dashes_for_values_it_cannot_show(bad: object) -> None:
    assert filters.num(bad) == "--"


@pytest.mark.parametrize("bad", [Decimal(0), Decimal("-0.01"), None, Decimal("NaN")])
def test_price_never_shows_a_zero_negative_or_nan_price(bad: object) -> None:
    assert filters.price(bad) == "--"
    assert filters.price_against(bad, "long") == "--"


def test_price_against_rounds_away_from_the_trader() -> None:
    exact = Decimal("59648.2512")
    assert filters.price_against(exact, "long") == "59,648.26"
    assert filters.price_against(exact, "short") == "59,648.25"


def test_small_numbers_keep_significant_digits() -> None:
    assert filters.num(Decimal("0.0016")) == "0.0016"
    assert filters.num(Decimal("0.000012345678")) == "0.0000123457"


def test_signs_are_explicit_so_gain_and_loss_do_not_rest_on_colour() -> None:
    assert filters.signed(Decimal("100")) == "+100.00"
    assert filters.signed(Decimal("-100")) == "\u2212100.00"
    assert filters.signed_pct(Decimal("-0.0125")) == "\u22121.25%"


def test_percent_and_multiple() -> None:
    assert filters.pct(Decimal("0.005")) == "0.50%"
    assert filters.times(Decimal("125")) == "125×"
    assert render("{{ v|times }}", v=Decimal("20")) == "20×"


@pytest.mark.parametrize("value", ["1e30", "-1e30", "9" * 27 + ".999", "1e-30", "-1e-30"])
@pytest.mark.parametrize(
    "name", ["num", "signed", "pct", "signed_pct", "rate", "price", "price_against"]
)
def test_every_filter_shows_numbers_wider_than_the_decimal_context(name: str, value: str) -> None:
    # A 1e-18 entry price makes a PnL percentage of about 1e24 %: quantizing it to two places
    # needs more than the default context's 28 digits, which raised InvalidOperation (a 500).
    shown = getattr(filters, name)(Decimal(value), *(["long"] if name == "price_against" else []))
    assert shown == "--" or shown.strip("+−-").replace(",", "").replace("%", "")[0].isdigit()


# The one formatting rule (the module docstring), as properties over any figure.

FIGURES = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=8)
CASH = st.sampled_from(sorted(filters.CASH_UNITS))
NOT_CASH = st.sampled_from(["BTC", "XBT", "ETH", "contracts", "coins"])


def _digits(text: str) -> Decimal:
    """A formatted figure read back: signs, separators and units removed."""
    core = text.split(" ")[0].replace("\u2212", "-").replace(",", "").rstrip("%×")
    return Decimal(core)


@given(value=FIGURES, unit=CASH)
def test_an_amount_of_cash_has_two_places_and_its_unit(value: Decimal, unit: str) -> None:
    shown = filters.amount(value, unit)
    figure, _, named = shown.partition(" ")
    assert named == unit
    assert len(figure.split(".")[1]) == 2
    assert abs(_digits(shown) - value) <= Decimal("0.005")


@given(value=FIGURES, unit=NOT_CASH)
def test_an_amount_of_a_coin_or_contracts_keeps_its_digits_without_padding(
    value: Decimal, unit: str
) -> None:
    shown = filters.amount(value, unit)
    figure, _, named = shown.partition(" ")
    assert named == unit
    assert not ("." in figure and figure.endswith("0"))
    assert abs(_digits(shown) - value) <= max(abs(value) * Decimal("0.000005"), Decimal("0.005"))


@given(value=FIGURES, unit=st.one_of(CASH, NOT_CASH))
def test_a_signed_amount_is_the_amount_with_a_sign_that_says_gain_or_loss(
    value: Decimal, unit: str
) -> None:
    shown, plain = filters.signed_amount(value, unit), filters.amount(abs(value), unit)
    assert shown.lstrip("+\u2212") == plain
    if shown.startswith("+"):
        assert value > 0
    if shown.startswith("\u2212"):
        assert value < 0


@given(value=st.decimals(min_value=Decimal(-100), max_value=Decimal(100), places=10))
def test_a_worked_out_percentage_has_two_places(value: Decimal) -> None:
    for shown in (filters.pct(value), filters.signed_pct(value)):
        assert shown.endswith("%") and len(shown[:-1].split(".")[1]) == 2


@given(value=st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=8))
def test_a_rate_is_never_rounded_and_never_shown_to_fewer_than_two_places(value: Decimal) -> None:
    shown = filters.rate(value)
    places = len(shown[:-1].split(".")[1])
    assert _digits(shown) == value * 100
    assert places == 2 or not shown[:-1].endswith("0")


@given(value=st.decimals(min_value=Decimal(1), max_value=Decimal(1000), places=2))
def test_a_leverage_is_written_with_the_multiplication_sign(value: Decimal) -> None:
    shown = filters.times(value)
    assert shown.endswith("×") and _digits(shown) == value


@given(value=st.decimals(min_value=Decimal(1), max_value=Decimal("1e9"), places=2))
def test_chart_hover_formats_give_the_digits_the_filters_give(value: Decimal) -> None:
    """d3's ``,.2f`` is Python's ``,.2f``: a hover label has the grouping and places of the
    figure beside it. (Two places in: the filters round half up, Python's format half even.)"""
    assert format(value, filters.amount_hover_format("USDT")) == filters.num(value, 2)
    assert format(value, filters.price_hover_format()) == filters.price(value)
    assert format(value, filters.pct_hover_format()) + "%" == filters.pct(value / 100)


def test_an_amount_filter_escapes_a_unit_typed_by_someone() -> None:
    html = render("{{ v|amount:unit }}", v=Decimal(1), unit="<b>X</b>")
    assert html == "1 &lt;b&gt;X&lt;/b&gt;"
