"""What every calculator form shares (riskcalc/calculators/form.py): the generic profile, its
stated default maintenance rate as an assumption, and one way of saying "no exchange"."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.test import Client

from riskcalc.calculators import CALCULATORS

FOUR_NUMBERS = {"side": "long", "entry_price": "60000", "quantity": "1", "leverage": "100"}
"""What a beginner knows: no exchange, no maintenance rate."""

RATE_NEEDED = {
    "liquidation": FOUR_NUMBERS,
    "margin": {"quantity": "1", "price": "60000", "leverage": "10"},
    "position-size": {
        "side": "long",
        "account_balance": "1000",
        "risk_fraction": "0.01",
        "entry_price": "60000",
        "stop_price": "59000",
        "leverage": "10",
    },
    "adl": {
        "side": "long",
        "entry_price": "9750",
        "mark_price": "10000",
        "quantity": "10",
        "wallet_balance": "10000",
        "method": "binance",
    },
}
"""Each calculator that needs a maintenance rate, asked without one and without an exchange."""


@pytest.fixture
def client() -> Client:
    return Client()


def _api(client: Client, slug: str, params: dict[str, str]) -> dict:
    response = client.get(f"/api/v1/{slug}?{urlencode(params)}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_four_numbers_everyone_knows_get_a_liquidation_price_and_the_assumed_rate(
    client: Client,
) -> None:
    body = _api(client, "liquidation", FOUR_NUMBERS)
    # Isolated long, mark basis: (60,000 - 600) / (1 - 0.005) = 59,698.49...
    assert body["liquidation_price"].startswith("59698.49")
    assert body["maintenance_margin_rate"] == "0.005"
    [assumed] = body["assumptions"]
    assert assumed["field"] == "maintenance_margin_rate" and assumed["value"] == "0.005"
    assert "Bybit" in assumed["message"] and "Binance" in assumed["message"]


@pytest.mark.parametrize("slug", sorted(RATE_NEEDED))
def test_every_calculator_that_needs_a_maintenance_rate_answers_with_the_stated_default(
    client: Client, slug: str
) -> None:
    body = _api(client, slug, RATE_NEEDED[slug])
    assert [a["value"] for a in body["assumptions"]] == ["0.005"]
    assert body["inputs"]["maintenance_margin_rate"] == "0.005"


def test_position_size_checks_liquidation_at_the_default_rate_not_at_zero(client: Client) -> None:
    body = _api(client, "position-size", RATE_NEEDED["position-size"])
    assert "no_maintenance_rate" not in [w["code"] for w in body["warnings"]]
    assert body["liquidation_note"].endswith("rate of 0.5%.")


@pytest.mark.parametrize(
    "extra",
    [
        {"maintenance_margin_rate": "0.004"},
        {"exchange": "bybit", "symbol": "BTCUSDT"},
    ],
    ids=["own rate", "exchange table"],
)
def test_a_given_rate_or_an_exchange_table_leaves_nothing_assumed(
    client: Client, extra: dict[str, str]
) -> None:
    assert _api(client, "liquidation", {**FOUR_NUMBERS, **extra})["assumptions"] == []


def test_a_calculator_without_a_maintenance_rate_assumes_nothing(client: Client) -> None:
    body = _api(
        client, "pnl", {"side": "long", "entry_price": "100", "exit_price": "110", "quantity": "1"}
    )
    assert body["assumptions"] == []


def test_generic_named_in_the_api_is_the_same_as_no_exchange(client: Client) -> None:
    named = _api(client, "liquidation", {**FOUR_NUMBERS, "exchange": "generic"})
    assert named == _api(client, "liquidation", FOUR_NUMBERS)
    assert named["exchange_profile"] is None


@pytest.mark.parametrize("route", ["calculators", "embed"])
def test_the_page_and_the_embed_show_the_answer_the_assumption_and_a_way_to_change_it(
    client: Client, route: str
) -> None:
    html = client.get(f"/{route}/liquidation/?{urlencode(FOUR_NUMBERS)}").content.decode()
    assert re.search(r"data-key-figure>59,698\.\d+<", html)
    note = re.search(r'data-assumption="maintenance_margin_rate">(.*?)</p>', html, re.S)
    assert note and "rate of 0.5% is assumed" in note.group(1)
    assert 'href="#id_maintenance_margin_rate"' in note.group(1)
    assert 'id="id_maintenance_margin_rate"' in html  # the link has a field to go to


@pytest.mark.parametrize("slug", ["liquidation", "margin", "position-size"])
def test_the_exchange_choice_offers_the_generic_formula_once(client: Client, slug: str) -> None:
    html = client.get(f"/calculators/{slug}/").content.decode()
    select = re.search(r'<select name="exchange".*?</select>', html, re.S)
    assert select
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))
    generic = [(value, text) for value, text in options if "generic" in (value + text).lower()]
    assert generic == [("", "None (generic)")]


def test_the_openapi_document_describes_the_assumptions(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["Assumption"]["required"] == ["field", "value", "message"]
    for calculator in CALCULATORS.values():
        name = calculator.form.__name__.removesuffix("Form") + "Result"
        assert "assumptions" in schemas[name]["required"]


SIZED = {
    "side": "long",
    "entry_price": "60000",
    "leverage": "10",
    "maintenance_margin_rate": "0.005",
}


@pytest.mark.parametrize(
    "size",
    [{"position_value": "6000"}, {"position_margin": "600"}],
    ids=["as a position value", "as a margin with the leverage"],
)
def test_the_size_can_be_given_as_a_position_value_or_a_margin(
    client: Client, size: dict[str, str]
) -> None:
    by_quantity = _api(client, "liquidation", {**SIZED, "quantity": "0.1"})
    body = _api(client, "liquidation", {**SIZED, **size})
    assert Decimal(body["inputs"]["quantity"]) == Decimal("0.1")
    assert body["liquidation_price"] == by_quantity["liquidation_price"]
    assert body["initial_margin"] == by_quantity["initial_margin"] == "600"


def test_an_inverse_position_value_is_in_the_coin(client: Client) -> None:
    body = _api(
        client,
        "liquidation",
        {**SIZED, "contract": "inverse", "contract_size": "100", "position_value": "0.5"},
    )
    assert Decimal(body["inputs"]["quantity"]) == 300  # 0.5 BTC x 60,000 / 100 USD


@pytest.mark.parametrize(
    ("size", "field", "words"),
    [
        ({"quantity": "0.1", "position_value": "6000"}, "position_value", "not both"),
        ({}, "quantity", "Give the size"),
    ],
    ids=["two sizes", "no size"],
)
def test_two_sizes_or_none_are_a_clear_400_on_the_field(
    client: Client, size: dict[str, str], field: str, words: str
) -> None:
    response = client.get(f"/api/v1/liquidation?{urlencode({**SIZED, **size})}")
    assert response.status_code == 400
    assert words in response.json()["errors"][field][0]


def test_the_page_and_the_embed_answer_for_a_size_given_as_a_value(client: Client) -> None:
    for route in ("calculators", "embed"):
        html = client.get(
            f"/{route}/liquidation/?{urlencode({**SIZED, 'position_value': '6000'})}"
        ).content.decode()
        assert re.search(r"data-key-figure>\d", html), route


@pytest.mark.parametrize(
    ("slug", "params", "figure"),
    [
        ("margin", {"price": "60000", "leverage": "10"}, "initial_margin"),
        ("pnl", {"side": "long", "entry_price": "60000", "exit_price": "61000"}, "pnl"),
    ],
)
def test_margin_and_pnl_also_take_the_size_as_a_position_value(
    client: Client, slug: str, params: dict[str, str], figure: str
) -> None:
    by_quantity = _api(client, slug, {**params, "quantity": "0.1"})
    by_value = _api(client, slug, {**params, "position_value": "6000"})
    assert Decimal(by_value["inputs"]["quantity"]) == Decimal("0.1")
    assert by_value[figure] == by_quantity[figure]


def test_a_missing_input_has_the_required_code_and_a_wrong_one_does_not() -> None:
    pnl = CALCULATORS["pnl"].form
    form = pnl(FOUR_NUMBERS)  # no exit price: a MissingInput
    assert not form.is_valid()
    assert form.has_error("exit_price", code="required")
    wrong = pnl({**FOUR_NUMBERS, "exit_price": "60000", "mark_price": "60000"})
    assert not wrong.is_valid() and not wrong.has_error("__all__", code="required")


def test_hold_missing_moves_only_what_is_missing_to_needed_in_the_forms_order() -> None:
    position_size = CALCULATORS["position-size"].form
    form = position_size({"side": "long", "entry_price": "abc", "stop_price": ""})
    assert not form.is_valid()
    form.hold_missing()
    assert form.needed == ["account_balance", "stop_price"]
    assert list(form.errors) == ["entry_price"]
