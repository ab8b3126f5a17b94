"""Primary inputs first (issue 14): each calculator's page and embed show the inputs its
registry entry declares (``primary_fields``) and keep every other one under "More inputs",
which opens by itself when the query sets one of them or one of them has an error or is
still needed."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlencode

import pytest
from django.test import Client

from riskcalc.calculators import CALCULATORS, Calculator
from riskcalc.calculators.spec import MAX_PRIMARY_INPUTS, primary_input_count

pytestmark = pytest.mark.django_db

MORE = re.compile(r"<details class=\"calc-more[^>]*>(.*?)</details>", re.S)


def form_html(client: Client, path: str, query: dict[str, str] | None = None) -> str:
    response = client.get(f"{path}?{urlencode(query or {})}")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<form id="form"') : html.index("</form>")]


def named_inputs(html: str) -> list[str]:
    """The names of the form controls in ``html``, in order."""
    return re.findall(r"<(?:input|select|textarea)[^>]*\bname=\"([a-z_]+)\"", html)


def more_fields(calculator: Calculator) -> list[str]:
    """The page form's fields that are not primary, in the form's order."""
    return [name for name in calculator.form().fields if name not in calculator.primary_fields]


def more_inputs(html: str) -> tuple[str, bool]:
    """The "More inputs" disclosure's inner HTML and whether it is open."""
    opening = re.search(r"<details class=\"calc-more[^>]*>", html)
    assert opening, "no More inputs disclosure"
    match = MORE.search(html)
    assert match
    return match.group(1), " open" in opening.group(0)


@pytest.mark.parametrize("calculator", CALCULATORS.values(), ids=CALCULATORS)
def test_every_calculator_declares_at_most_six_primary_inputs_of_its_form(
    calculator: Calculator,
) -> None:
    assert 3 <= primary_input_count(calculator.primary_fields) <= MAX_PRIMARY_INPUTS
    assert set(calculator.primary_fields) <= set(calculator.form.base_fields)
    assert "leverage" in calculator.primary_fields


def test_an_exchange_and_its_symbol_count_as_one_input() -> None:
    liquidation = CALCULATORS["liquidation"]
    assert len(liquidation.primary_fields) == 7
    assert primary_input_count(liquidation.primary_fields) == 6


def test_a_calculator_with_a_seventh_primary_input_or_an_unknown_field_is_refused() -> None:
    pnl = CALCULATORS["pnl"]
    with pytest.raises(ValueError, match="more than 6"):
        dataclasses.replace(pnl, primary_fields=(*pnl.primary_fields, "mark_price", "contract"))
    with pytest.raises(ValueError, match="not form fields"):
        dataclasses.replace(pnl, primary_fields=("side", "size_in_lots"))


@pytest.mark.parametrize("route", ["page_path", "embed_path"])
@pytest.mark.parametrize("calculator", CALCULATORS.values(), ids=CALCULATORS)
def test_the_primary_inputs_come_first_and_every_other_waits_under_more_inputs(
    client: Client, calculator: Calculator, route: str
) -> None:
    path = calculator.page_path if route == "page_path" else f"/embed/{calculator.slug}/"
    html = form_html(client, path)
    inside, is_open = more_inputs(html)
    before = html[: html.index('<details class="calc-more')]
    assert named_inputs(before) == list(calculator.primary_fields)
    assert named_inputs(inside) == more_fields(calculator)
    assert not is_open


BINANCE_BTC = {"exchange": "binance_usdm", "symbol": "BTCUSDT"}
TRADE = {"side": "long", "entry_price": "60000", "quantity": "0.5", "leverage": "20"}
PRIMARY_ONLY = {
    "liquidation": {**BINANCE_BTC, **TRADE},
    "position-size": {
        "side": "long",
        "entry_price": "60000",
        "leverage": "20",
        "account_balance": "10000",
        "risk_fraction": "0.01",
        "stop_price": "59000",
    },
    "margin": {**BINANCE_BTC, "price": "60000", "quantity": "0.5", "leverage": "20"},
    "pnl": {**TRADE, "exit_price": "61000"},
    "adl": {**TRADE, "method": "bitmex", "mark_price": "61000"},
    "compare": {**TRADE, "asset": "BTC"},
}
"""A query of primary inputs only that each calculator answers."""


@pytest.mark.parametrize("calculator", CALCULATORS.values(), ids=CALCULATORS)
def test_more_inputs_stays_closed_for_the_primary_inputs_and_opens_for_another(
    client: Client, calculator: Calculator
) -> None:
    primary = dict(PRIMARY_ONLY[calculator.slug])
    assert set(primary) <= set(calculator.primary_fields)
    answered = client.get(f"{calculator.page_path}?{urlencode(primary)}")
    assert b"data-key-figure" in answered.content
    assert not more_inputs(form_html(client, calculator.page_path, primary))[1]
    other = more_fields(calculator)[-1]
    with_other = form_html(client, calculator.page_path, {**primary, other: "1"})
    assert more_inputs(with_other)[1]


def test_an_embed_keeps_more_inputs_closed_for_its_publishers_values_but_not_for_errors(
    client: Client,
) -> None:
    preset = {**PRIMARY_ONLY["liquidation"], "mark_price": "60100"}
    assert not more_inputs(form_html(client, "/embed/liquidation/", preset))[1]
    wrong = {**preset, "mark_price": "-1"}
    assert more_inputs(form_html(client, "/embed/liquidation/", wrong))[1]


def test_more_inputs_opens_when_one_of_its_fields_has_an_error(client: Client) -> None:
    liquidation = CALCULATORS["liquidation"]
    query = {**liquidation.example, "wallet_balance": "1000"}  # isolated: no wallet balance
    html = form_html(client, liquidation.page_path, query)
    inside, is_open = more_inputs(html)
    assert "wallet_balance" in named_inputs(inside)
    assert is_open
    assert re.search(
        r'id="error_\d+_id_wallet_balance"|is-invalid[^>]*name="wallet_balance"', inside
    )


def test_more_inputs_opens_when_one_of_its_fields_is_still_needed(client: Client) -> None:
    liquidation = CALCULATORS["liquidation"]
    query = {**liquidation.example, "margin_mode": "cross"}  # cross needs the wallet balance
    del query["maintenance_margin_rate"], query["mm_basis"]
    html = form_html(client, liquidation.page_path, query)
    inside, is_open = more_inputs(html)
    assert is_open
    field = re.search(r'<input[^>]*name="wallet_balance"[^>]*>', inside)
    assert field and 'aria-required="true"' in field.group(0) and "is-needed" in field.group(0)
    assert "is-invalid" not in field.group(0)
