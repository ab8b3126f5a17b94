"""The exchange comparison's page, partials and API: one position, every exchange with a table."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BTC = {"asset": "BTC", "side": "long", "entry_price": "60000", "quantity": "0.5", "leverage": "20"}
ETH = {"asset": "eth", "side": "short", "entry_price": "3000", "quantity": "2", "leverage": "20"}
ISSUE_FIELDS = {
    "exchange",
    "symbol",
    "liquidation_price",
    "bankruptcy_price",
    "initial_margin",
    "maintenance_margin",
    "max_leverage",
    "snapshot",
}


def api(client: Client, **query: str) -> Any:
    return client.get("/api/v1/compare", query)


def test_api_answers_for_btc_on_five_exchanges_closest_liquidation_first(client: Client) -> None:
    response = api(client, **BTC)
    body = response.json()

    assert response.status_code == 200
    results = body["results"]
    assert [r["exchange"] for r in results] == [
        "hyperliquid",
        "dydx",
        "bitmex",
        "bybit",
        "binance_usdm",
        "gate",  # at Gate's standard taker fee, an assumption it states
    ]
    assert all(set(r) >= ISSUE_FIELDS for r in results)
    distances = [float(r["liquidation_distance"]) for r in results]
    assert distances == sorted(distances)
    assert body["closest_liquidation_exchange"] == "hyperliquid"
    binance = results[-2]
    assert binance["liquidation_price"].startswith("57228.915662")
    assert binance["snapshot"] == "2024-10-24" and binance["max_leverage"] == "125"


def test_api_converts_the_position_honestly_for_bitmex_inverse_contract(client: Client) -> None:
    bitmex = next(r for r in api(client, **BTC).json()["results"] if r["exchange"] == "bitmex")

    assert bitmex["contract"] == "inverse" and bitmex["symbol"] == "XBTUSD"
    assert bitmex["quantity"] == "30000" and bitmex["quantity_unit"] == "contracts (1 USD each)"
    assert bitmex["initial_margin"] == "0.025" and bitmex["margin_currency"] == "XBT"
    assert bitmex["initial_margin_quote"] == "1500"
    assert bitmex["mm_basis"] == "entry"
    assert any("Inverse contract" in note for note in bitmex["notes"])


def test_api_answers_for_eth_on_five_exchanges_without_a_fee_rate(client: Client) -> None:
    body = api(client, **ETH).json()

    assert {r["exchange"] for r in body["results"]} == {
        "binance_usdm",
        "bitget",
        "hyperliquid",
        "dydx",
        "gate",
    }
    skipped = {s["exchange"]: s["reason"] for s in body["skipped"]}
    assert (
        skipped["bybit"]
        == "No dated tier table for ETH on Bybit (Unified Trading Account) here yet."
    )
    assert body["inputs"]["asset"] == "ETH"
    assert any("Maintenance margin rates" in reason for reason in body["reasons"])


def test_api_states_each_assumed_standard_taker_fee(client: Client) -> None:
    body = api(client, **ETH).json()
    assumed = {a["value"]: a for a in body["assumptions"]}

    assert set(assumed) == {"0.0006", "0.0005"}  # Bitget's and Gate's standard rates
    assert all(a["field"] == "fee_rate" for a in assumed.values())
    assert "Bitget's standard taker rate is assumed" in assumed["0.0006"]["message"]
    assert "2025-01-16" in assumed["0.0006"]["message"]
    assert "Gate's standard taker rate is assumed" in assumed["0.0005"]["message"]
    assert "2026-03-25" in assumed["0.0005"]["message"]
    results = {r["exchange"]: r for r in body["results"]}
    assert any("standard taker rate is assumed" in n for n in results["gate"]["notes"])


def test_a_given_fee_rate_is_used_and_nothing_is_assumed(client: Client) -> None:
    body = api(client, **ETH, fee_rate="0.0006").json()

    assert body["assumptions"] == []
    gate = next(r for r in body["results"] if r["exchange"] == "gate")
    assert "Taker fee 0.0006 counted in maintenance margin." in gate["notes"]


def test_api_answers_for_eth_on_bitget_and_gate_too_when_given_the_taker_fee(
    client: Client,
) -> None:
    body = api(client, **ETH, fee_rate="0.0006").json()
    results = {r["exchange"]: r for r in body["results"]}

    assert set(results) == {"binance_usdm", "bitget", "hyperliquid", "dydx", "gate"}
    bitget, gate = results["bitget"], results["gate"]
    assert bitget["symbol"] == "ETHUSDT" and bitget["snapshot"] == "2025-09-26"
    assert bitget["max_leverage"] == "150"
    assert bitget["source_url"] == "https://www.bitgetapp.com/support/articles/12560603838666"
    assert gate["symbol"] == "ETH_USDT" and gate["snapshot"] == "2026-09-11"
    assert gate["max_leverage"] == "200"
    assert "belyjelli/ai-rates/blob/a2d49d4" in gate["source_url"]


def test_leverage_above_an_exchanges_cap_leaves_it_out_with_the_limit(client: Client) -> None:
    body = api(client, **{**BTC, "leverage": "60"}).json()
    skipped = {s["exchange"]: s["reason"] for s in body["skipped"]}

    assert "allows at most 40×" in skipped["hyperliquid"]
    assert {r["exchange"] for r in body["results"]} == {"binance_usdm", "bybit", "bitmex", "gate"}


def test_stale_tables_are_flagged_on_each_row_and_in_a_warning(client: Client) -> None:
    body = api(client, **BTC).json()

    assert all(isinstance(r["snapshot_age_days"], int) for r in body["results"])
    assert any(r["stale"] for r in body["results"])
    assert "tier_table_stale" in {w["code"] for w in body["warnings"]}


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({**BTC, "asset": "NOPE"}, "asset", "No exchange here has a dated tier table for NOPE"),
        ({**BTC, "asset": "BTC/USDT"}, "asset", "letters and digits"),
        ({**BTC, "leverage": "0.5"}, "leverage", "at least 1"),
        ({**BTC, "entry_price": "-1"}, "entry_price", "greater than 0"),
        ({k: v for k, v in BTC.items() if k != "quantity"}, "quantity", "required"),
        ({**BTC, "side": "up"}, "side", ""),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    client: Client, query: dict[str, str], field: str, words: str
) -> None:
    response = api(client, **query)

    assert response.status_code == 400
    messages = response.json()["errors"][field]
    assert words in " ".join(messages)


def test_page_shows_every_exchange_the_reasons_and_what_was_left_out(client: Client) -> None:
    html = client.get("/calculators/compare/", BTC).content.decode()

    assert "data-key-figure>57,721.52<" in html  # Hyperliquid, rounded against the long
    for label in ("Binance USDS-M", "Bybit", "Hyperliquid", "dYdX v4", "BitMEX"):
        assert label in html
    assert "Why the figures differ" in html and "Left out" in html
    assert "No dated tier table for BTC here yet: Binance COIN-M, OKX, MEXC, Bitget." in html
    assert 'id="chart-compare"' in html and "calc-maths" in html
    assert '<datalist id="asset-choices"><option value="BTC">' in html
    assert "older than 30 days" in html  # the snapshot of each table, with its age


def test_page_shows_the_assumed_standard_taker_fee_beside_the_figures(client: Client) -> None:
    html = client.get("/calculators/compare/", ETH).content.decode()

    assert 'data-assumption="fee_rate"' in html
    assert "Bitget&#x27;s standard taker rate is assumed" in html
    assert "Gate&#x27;s standard taker rate is assumed" in html
    assert 'href="#id_fee_rate"' in html


def test_htmx_update_is_the_result_partial_without_the_analysis(client: Client) -> None:
    html = client.get("/calculators/compare/", BTC, HTTP_HX_REQUEST="true").content.decode()

    assert html.lstrip().startswith('<section id="result"')
    assert "data-key-figure" in html and 'id="chart-compare"' not in html


def test_page_without_input_offers_the_example(client: Client) -> None:
    html = client.get("/calculators/compare/").content.decode()
    assert "asset=BTC&amp;side=long&amp;entry_price=60000" in html
