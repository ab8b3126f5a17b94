"""Every endpoint reproduces the exchanges' published worked examples over HTTP.

Vector ids refer to tests/calc/fixtures/vectors.json (the research notes' worked examples) and
tests/calc/fixtures/extra_vectors.json; the mapping from a vector's inputs to API field names
is written out per case. A published figure is matched to the precision it was published with.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

BITMEX_SIX_LONGS = [  # account: (quantity, pnl ranking); BitMEX's published example
    (1, "10", 3),
    (2, "10", 6),
    (3, "20", 1),
    (4, "30", 4),
    (5, "20", 5),
    (6, "10", 2),
]
BITMEX_PERCENTILES = {2: "0.2", 5: "0.4", 4: "0.6", 1: "0.8", 6: "0.8", 3: "1"}


def matches(actual: str | None, expected: str) -> bool:
    """``actual`` equals ``expected`` to the number of decimals ``expected`` is written with."""
    assert actual is not None
    published = Decimal(expected)
    return Decimal(actual).quantize(published) == published


CASES: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
    (
        "binance-usdm-cross-oneway-ethusdt-lp",
        "liquidation",
        {
            "side": "long",
            "margin_mode": "cross",
            "wallet_balance": "1535443.01",
            "other_maintenance_margin": "71200.81144",
            "other_unrealized_pnl": "-56354.57",
            "maintenance_amount": "135365.00",
            "quantity": "3683.979",
            "entry_price": "1456.84",
            "maintenance_margin_rate": "0.10",
        },
        {"liquidation_price": "1153.26"},
    ),
    (
        "binance-usdm-cross-oneway-btcusdt-lp",
        "liquidation",
        {
            "side": "long",
            "margin_mode": "cross",
            "wallet_balance": "1535443.01",
            "other_maintenance_margin": "356512.508",
            "other_unrealized_pnl": "-448192.89",
            "maintenance_amount": "16300",
            "quantity": "109.488",
            "entry_price": "32481.98",
            "maintenance_margin_rate": "0.025",
        },
        {"liquidation_price": "26316.89"},
    ),
    (
        "bybit-usdt-isolated-long-ex1",
        "liquidation",
        {
            "side": "long",
            "quantity": "1",
            "entry_price": "20000",
            "leverage": "50",
            "maintenance_margin_rate": "0.005",
            "mm_basis": "entry",
        },
        {
            "liquidation_price": "19700",
            "initial_margin": "400",
            "maintenance_margin": "100",
            "bankruptcy_price": "19600",
        },
    ),
    (
        "bybit-usdt-isolated-short-ex2-extra-margin",
        "liquidation",
        {
            "side": "short",
            "quantity": "1",
            "entry_price": "20000",
            "leverage": "50",
            "maintenance_margin_rate": "0.005",
            "extra_margin": "3000",
            "mm_basis": "entry",
        },
        {"liquidation_price": "23300", "initial_margin": "400", "maintenance_margin": "100"},
    ),
    (
        "bybit-usdt-isolated-long-ex3-funding-paid-from-margin",
        "liquidation",
        {
            "side": "long",
            "quantity": "1",
            "entry_price": "20000",
            "leverage": "50",
            "maintenance_margin_rate": "0.005",
            "funding_paid": "200",
            "mm_basis": "entry",
        },
        {"liquidation_price": "19900"},
    ),
    (
        "mexc-usdt-isolated-long",
        "liquidation",
        {
            "exchange": "mexc",
            "side": "long",
            "quantity": "0.1",
            "entry_price": "50000",
            "leverage": "25",
            "maintenance_margin_rate": "0.004",
        },
        {"liquidation_price": "48200", "maintenance_margin": "20", "initial_margin": "200"},
    ),
    (
        "bybit-uta-isolated-long-extra-margin-taker-fee",
        "liquidation",
        {
            "exchange": "bybit",
            "side": "long",
            "quantity": "1",
            "entry_price": "40000",
            "leverage": "50",
            "maintenance_margin_rate": "0.005",
            "fee_rate": "0.00055",
            "extra_margin": "3000",
        },
        {"liquidation_price": "36380.25"},
    ),
    (
        "bybit-uta-inverse-isolated-short-30000usd",
        "liquidation",
        {
            "exchange": "bybit",
            "contract": "inverse",
            "side": "short",
            "quantity": "30000",
            "contract_size": "1",
            "entry_price": "60000",
            "leverage": "10",
            "maintenance_margin_rate": "0.005",
        },
        {"liquidation_price": "66333.333"},
    ),
    (
        "bitmex-ethusdt-cross-karen-lp-and-bp",
        "liquidation",
        {
            "exchange": "bitmex",
            "margin_mode": "cross",
            "side": "long",
            "wallet_balance": "10000",
            "quantity": "20",
            "entry_price": "1000",
            "maintenance_margin_rate": "0.01",
        },
        {"liquidation_price": "510", "bankruptcy_price": "500", "maintenance_margin": "200"},
    ),
    (
        "dydx-v4-isolated-short-eth",
        "liquidation",
        {
            "exchange": "dydx",
            "side": "short",
            "position_margin": "1000",
            "quantity": "3",
            "entry_price": "3000",
            "maintenance_margin_rate": "0.05",
        },
        {"liquidation_price": "3174.60"},
    ),
    (
        "dydx-v4-cross-short-eth-with-strk",
        "liquidation",
        {
            "exchange": "dydx",
            "margin_mode": "cross",
            "side": "short",
            "wallet_balance": "1000",
            "other_maintenance_margin": "175",
            "quantity": "1.5",
            "entry_price": "3000",
            "maintenance_margin_rate": "0.05",
        },
        {"liquidation_price": "3380.95"},
    ),
    (
        "binance-usdm-maint-margin-btcusdt",
        "margin",
        {
            "quantity": "109.488",
            "price": "31967.27",
            "maintenance_margin_rate": "0.025",
            "maintenance_amount": "16300",
        },
        {"maintenance_margin": "71200.81144", "notional": "3500032.458"},
    ),
    (
        "binance-usdm-maint-margin-ethusdt",
        "margin",
        {
            "quantity": "3683.979",
            "price": "1335.18",
            "maintenance_margin_rate": "0.10",
            "maintenance_amount": "135365",
        },
        {"maintenance_margin": "356512.508", "notional": "4918775.081"},
    ),
    (
        "binance-coinm-maintenance-margin",
        "margin",
        {
            "contract": "inverse",
            "quantity": "100",
            "contract_size": "100",
            "price": "25000",
            "maintenance_margin_rate": "0.004",
        },
        {"notional": "0.4", "maintenance_margin": "0.0016"},
    ),
    (
        "bitget-mm-old-whole-position",
        "margin",
        {
            "exchange": "bitget",
            "quantity": "3",
            "price": "110000",
            "maintenance_margin_rate": "0.005",
            "fee_rate": "0.0006",
        },
        {"maintenance_margin": "1848"},
    ),
    (
        "bybit-inverse-initial-margin-12000",
        "margin",
        {
            "contract": "inverse",
            "quantity": "12000",
            "price": "8000",
            "leverage": "50",
            "maintenance_margin_rate": "0.005",
        },
        {"initial_margin": "0.03"},
    ),
    (
        "binance-usdm-btcusdt-brackets-cum-consistency-2024-10-24 (tier 3)",
        "margin",
        {"exchange": "binance_usdm", "symbol": "BTCUSDT", "quantity": "10", "price": "100000"},
        {"maintenance_amount": "950", "maintenance_margin_rate": "0.0065", "max_leverage": "75"},
    ),
    (
        "position-size-schwab-1pct",
        "position-size",
        {
            "side": "long",
            "account_balance": "78500",
            "risk_fraction": "0.01",
            "entry_price": "30",
            "stop_price": "29",
            "lot_step": "1",
        },
        {"quantity": "785", "risk_amount": "785"},
    ),
    (
        "position-size-crypto-btc-square",
        "position-size",
        {
            "side": "long",
            "account_balance": "1000",
            "risk_amount": "2",
            "entry_price": "66000",
            "stop_price": "65500",
        },
        {"quantity": "0.004", "loss_at_stop": "2"},
    ),
    (
        "adl-binance-leverage-pnl-pair (position A)",
        "adl",
        {
            "method": "binance",
            "side": "long",
            "quantity": "10",
            "entry_price": "9750",
            "mark_price": "10000",
            "wallet_balance": "10000",
            "maintenance_margin_rate": "0.004",
        },
        {
            "score": "0.008",
            "pnl_ratio": "0.25",
            "margin_ratio": "0.032",
            "maintenance_margin": "400",
        },
    ),
    (
        "adl-hyperliquid-index-derived (mark/entry 1.1 x notional/account value 5)",
        "adl",
        {
            "method": "hyperliquid",
            "side": "long",
            "quantity": "1",
            "entry_price": "100000",
            "mark_price": "110000",
            "wallet_balance": "12000",
        },
        {"score": "5.5", "effective_leverage": "5"},
    ),
    (
        "binance-usdm-upnl-btcusdt",
        "pnl",
        {
            "side": "long",
            "quantity": "109.488",
            "entry_price": "32481.98",
            "mark_price": "31967.27",
        },
        {"pnl": "-56354.57"},
    ),
    (
        "binance-usdm-upnl-ethusdt",
        "pnl",
        {
            "side": "long",
            "quantity": "3683.979",
            "entry_price": "1456.84",
            "exit_price": "1335.18",
        },
        {"pnl": "-448192.89"},
    ),
    (
        "bybit-usdt-isolated-long-ex1 (initial margin, 1% move at 50x)",
        "pnl",
        {
            "side": "long",
            "quantity": "1",
            "entry_price": "20000",
            "exit_price": "20200",
            "leverage": "50",
            "target_roe": "0.5",
        },
        {"initial_margin": "400", "roe": "0.5", "target_price": "20200", "pnl": "200"},
    ),
]


@pytest.mark.parametrize(
    ("vector", "endpoint", "inputs", "expected"), CASES, ids=[c[0] for c in CASES]
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_endpoint_reproduces_published_example(
    client: Client,
    method: str,
    vector: str,
    endpoint: str,
    inputs: dict[str, Any],
    expected: dict[str, str],
) -> None:
    url = f"/api/v1/{endpoint}"
    if method == "GET":
        response = client.get(url, inputs)
    else:
        response = client.post(url, json.dumps(inputs), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    for name, value in expected.items():
        assert matches(body[name], value), (name, body[name], value)


def test_post_accepts_json_numbers_for_the_bybit_example(client: Client) -> None:
    body = '{"side": "long", "quantity": 1, "entry_price": 20000, "leverage": 50, '
    body += '"maintenance_margin_rate": 0.005, "mm_basis": "entry"}'
    response = client.post("/api/v1/liquidation", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["liquidation_price"] == "19700"


def test_bybit_tiered_maintenance_margin_from_posted_tiers(client: Client) -> None:
    # bybit-maintenance-margin-tiered-3500: a 3,500 USDT position over five 1,000-wide tiers.
    tiers = [
        {"cap": cap, "maintenance_margin_rate": rate}
        for cap, rate in [
            ("1000", "0.02"),
            ("2000", "0.025"),
            ("3000", "0.03"),
            ("4000", "0.035"),
            ("5000", "0.04"),
        ]
    ]
    body = {"quantity": "3500", "price": "1", "tiers": tiers}
    response = client.post("/api/v1/margin", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["maintenance_margin"] == "92.5"
    assert result["maintenance_amount"] == "30"
    assert result["tier"]["number"] == 4
    assert result["max_leverage"] is None


@pytest.mark.parametrize(("account", "quantity", "ranking"), BITMEX_SIX_LONGS)
def test_adl_percentile_reproduces_bitmex_six_longs(
    client: Client, account: int, quantity: str, ranking: int
) -> None:
    """bitmex-adl-percentile-table-six-longs. Each account in turn is "you"; the others are
    the population, their published rankings scaled onto your computed score so that only
    the order matters, as in BitMEX's table."""
    inputs = {
        "method": "bitmex",
        "side": "long",
        "entry_price": "100",
        "mark_price": "110",
        "leverage": "10",
        "quantity": quantity,
    }
    own = client.get("/api/v1/adl", inputs).json()["score"]
    assert own == "0.55"
    population = [
        {"score": str(Decimal(own) * other_rank / ranking), "quantity": other_quantity}
        for other, other_quantity, other_rank in BITMEX_SIX_LONGS
        if other != account
    ]
    response = client.post(
        "/api/v1/adl",
        json.dumps({**inputs, "population": population}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["percentile"] == BITMEX_PERCENTILES[account]
    assert body["lights"] == 6 - int(Decimal(BITMEX_PERCENTILES[account]) * 5)
