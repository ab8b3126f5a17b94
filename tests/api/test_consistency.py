"""Endpoints that compute the same thing agree: the position-size endpoint's liquidation check
and the liquidation endpoint solve one position with one solver, tiers included."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

# A Binance BTCUSDT long sized into tier 5 at entry whose liquidation price falls in tier 4
# (issue 12): solving with the entry tier put the liquidation price below the stop.
SIZED = {
    "exchange": "binance_usdm",
    "symbol": "BTCUSDT",
    "side": "long",
    "account_balance": "100000000",
    "risk_amount": "380142.295",
    "entry_price": "60000",
    "stop_price": "58115",
    "leverage": "25",
}


def liquidation_for(client: Client, sized: dict[str, str], quantity: str) -> dict[str, object]:
    """The liquidation endpoint's answer for the position the sizing produced."""
    shared = ("exchange", "symbol", "side", "entry_price", "leverage")
    response = client.get(
        "/api/v1/liquidation", {**{k: sized[k] for k in shared}, "quantity": quantity}
    )
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_position_size_and_liquidation_give_the_same_price_across_a_tier_change(
    client: Client,
) -> None:
    sized = client.get("/api/v1/position-size", SIZED).json()
    solved = liquidation_for(client, SIZED, sized["quantity"])
    assert sized["liquidation_price"] == solved["liquidation_price_exact"]
    assert round(Decimal(sized["liquidation_price"]), 2) == Decimal("58124.47")
    assert sized["inputs"]["maintenance_margin_rate"] == solved["maintenance_margin_rate"]


def test_position_size_warns_when_the_tiered_liquidation_comes_before_the_stop(
    client: Client,
) -> None:
    sized = client.get("/api/v1/position-size", SIZED).json()
    codes = [warning["code"] for warning in sized["warnings"]]
    assert "stop_beyond_liquidation" in codes
    assert "tier_changes_before_liquidation" in codes


@pytest.mark.parametrize(
    ("exchange", "symbol", "side", "entry", "stop", "leverage"),
    [
        ("binance_usdm", "BTCUSDT", "short", "60000", "61500", "20"),
        ("binance_usdm", "ETHUSDT", "long", "3000", "2900", "10"),
        ("bybit", "BTCUSDT", "long", "60000", "59000", "10"),
        ("hyperliquid", "BTC", "short", "60000", "60900", "10"),
    ],
)
def test_position_size_and_liquidation_agree_for_every_tiered_exchange(
    client: Client, exchange: str, symbol: str, side: str, entry: str, stop: str, leverage: str
) -> None:
    sized_query = {
        "exchange": exchange,
        "symbol": symbol,
        "side": side,
        "account_balance": "50000000",
        "risk_fraction": "0.01",
        "entry_price": entry,
        "stop_price": stop,
        "leverage": leverage,
    }
    response = client.get("/api/v1/position-size", sized_query)
    assert response.status_code == 200, response.json()
    sized = response.json()
    solved = liquidation_for(client, sized_query, sized["quantity"])
    assert sized["liquidation_price"] == solved["liquidation_price_exact"]
