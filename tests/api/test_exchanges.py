"""GET /api/v1/exchanges: every exchange with its symbols, snapshot dates and sources."""

from __future__ import annotations

import pytest
from django.test import Client

from riskcalc.api import openapi_document
from riskcalc.calc.profiles import symbols
from tests.api.schema import problems


def test_every_exchange_lists_the_symbols_it_has_a_table_for(client: Client) -> None:
    response = client.get("/api/v1/exchanges")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    exchanges = {e["name"]: e for e in response.json()["exchanges"]}
    assert "generic" not in exchanges and "okx" in exchanges
    for name, exchange in exchanges.items():
        assert [s["symbol"] for s in exchange["symbols"]] == list(symbols(name))
    listed = [s for e in exchanges.values() for s in e["symbols"]]
    assert len(listed) >= 300
    assert sum(1 for e in exchanges.values() if e["symbols"]) >= 5
    btc = next(s for s in exchanges["binance_usdm"]["symbols"] if s["symbol"] == "BTCUSDT")
    assert btc == {
        "symbol": "BTCUSDT",
        "contract": "linear",
        "settle": "USDT",
        "max_leverage": "125",
        "snapshot": "2024-10-24",
        "source": btc["source"],
    }
    assert btc["source"].startswith("https://github.com/freqtrade/freqtrade/blob/")


def test_the_answer_conforms_to_the_published_schema(client: Client) -> None:
    document = openapi_document()
    operation = document["paths"]["/api/v1/exchanges"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert problems(client.get("/api/v1/exchanges").json(), schema, document) == []


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_are_refused_with_json(client: Client, method: str) -> None:
    response = getattr(client, method)("/api/v1/exchanges")
    assert response.status_code == 405
    assert "errors" in response.json()


def test_the_docs_page_describes_the_exchanges_endpoint(client: Client) -> None:
    page = client.get("/api/").content.decode()

    assert '<a href="#exchanges">/api/v1/exchanges</a>' in page
    assert 'id="exchanges"' in page
    for field in ("symbol", "contract", "settle", "max_leverage", "snapshot", "source"):
        assert f"<code>{field}</code>" in page
    assert "curl 'http://testserver/api/v1/exchanges'" in page
