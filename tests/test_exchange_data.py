"""refresh_exchange_data: each exchange's recorded response is fetched (no network), validated,
stored as versions, and used by the next request without a restart."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import Client

from riskcalc import exchange_data
from riskcalc.exchange_data import ENDPOINTS, refresh
from riskcalc.models import TierTableVersion

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tier_sources"
RECORDED = {
    "binance_usdm": "binance_leverage_bracket.json",
    "bybit": "bybit_risk_limit.json",
    "dydx": "dydx_perpetual_markets.json",
    "hyperliquid": "hyperliquid_meta.json",
    "bitmex": "bitmex_instrument_active.json",
    "bitget": "bitget_query_position_lever.json",
    "gate": "gate_risk_limit_tiers.json",
}
TODAY = date(2026, 12, 5)


def recorded(name: str, seen: list[urllib.request.Request] | None = None) -> Callable[..., bytes]:
    def opener(request: urllib.request.Request) -> bytes:
        if seen is not None:
            seen.append(request)
        return (FIXTURES / name).read_bytes()

    return opener


@pytest.fixture
def binance_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BINANCE_API_KEY", "key")
    monkeypatch.setenv("BINANCE_API_SECRET", "secret")


EXPECTED = {  # exchange -> (symbols stored, one symbol's tiers as (cap, MMR, deduction, max lev))
    "binance_usdm": ({"BTCUSDT", "ETHUSDT"}, "BTCUSDT", ("3000000", "0.0065", "950", "75")),
    "bybit": ({"BTCUSDT", "ETHUSDT"}, "BTCUSDT", ("2600000", "0.0056", "1200", "90")),
    "dydx": ({"BTC-USD", "ETH-USD", "SOL-USD"}, "SOL-USD", (None, "0.03", "0", "20")),
    "hyperliquid": ({"BTC", "ETH"}, "BTC", (None, "0.025", "1875000", "20")),
    "bitmex": ({"XBTUSD"}, "XBTUSD", ("200", "0.005", "0", "100")),
    "bitget": ({"ETHUSDT"}, "ETHUSDT", ("3000000", "0.01", "5200", "75")),
    "gate": ({"BTC_USDT", "ETH_USDT"}, "ETH_USDT", ("1500000000", "0.5", "366860400", "1.05")),
}


@pytest.mark.usefixtures("binance_key")
@pytest.mark.parametrize("exchange", list(ENDPOINTS))
def test_each_exchange_is_refreshed_from_its_recorded_response(exchange: str) -> None:
    report = refresh(exchange, opener=recorded(RECORDED[exchange]), today=TODAY)
    symbols, symbol, last_tier = EXPECTED[exchange]
    assert report.refused == [] and report.stored == report.fetched == len(symbols)
    stored = {v.symbol: v.table for v in TierTableVersion.objects.filter(exchange=exchange)}
    assert set(stored) == symbols
    table = stored[symbol]
    assert (table["snapshot"], table["retrieved"]) == ("2026-12-05", "2026-12-05")
    assert table["source_url"] == ENDPOINTS[exchange].url
    tier = table["tiers"][-1]
    keys = ("cap", "maintenance_margin_rate", "maintenance_amount", "max_leverage")
    assert tuple(tier[k] for k in keys) == last_tier


@pytest.mark.usefixtures("binance_key")
def test_an_unchanged_table_is_not_stored_again() -> None:
    refresh("bybit", opener=recorded(RECORDED["bybit"]), today=TODAY)
    again = refresh("bybit", opener=recorded(RECORDED["bybit"]), today=date(2026, 12, 6))
    assert again.fetched == 2 and again.stored == 0
    assert TierTableVersion.objects.count() == 2


def test_a_changed_table_keeps_its_previous_version(tmp_path: Path) -> None:
    refresh("bybit", opener=recorded(RECORDED["bybit"]), today=TODAY)
    document = json.loads((FIXTURES / RECORDED["bybit"]).read_text())
    document["result"]["list"][2]["maintenanceMargin"] = "0.006"  # ETHUSDT
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document))
    report = refresh("bybit", opener=lambda _: changed.read_bytes(), today=date(2026, 12, 6))
    assert report.stored == 1
    versions = TierTableVersion.objects.filter(symbol="ETHUSDT")
    assert [v.table["tiers"][0]["maintenance_margin_rate"] for v in versions] == ["0.006", "0.005"]


def test_binance_without_a_key_keeps_the_snapshot_and_fetches_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BINANCE_API_KEY", raising=False)
    seen: list[urllib.request.Request] = []
    report = refresh("binance_usdm", opener=recorded(RECORDED["binance_usdm"], seen))
    assert "snapshot stays" in report.skipped
    assert seen == [] and not TierTableVersion.objects.exists()


@pytest.mark.usefixtures("binance_key")
def test_binance_is_asked_with_a_signed_request() -> None:
    seen: list[urllib.request.Request] = []
    refresh("binance_usdm", opener=recorded(RECORDED["binance_usdm"], seen), today=TODAY)
    (request,) = seen
    assert request.get_header("X-mbx-apikey") == "key"
    assert "timestamp=" in request.full_url and "&signature=" in request.full_url


def test_a_table_that_fails_validation_is_refused_and_not_stored(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / RECORDED["bybit"]).read_text())
    document["result"]["list"][1]["mmDeduction"] = "1300"  # the recursion gives 1200
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    report = refresh("bybit", opener=lambda _: broken.read_bytes(), today=TODAY)
    assert len(report.refused) == 1 and "BTCUSDT" in report.refused[0]
    assert list(TierTableVersion.objects.values_list("symbol", flat=True)) == ["ETHUSDT"]


def test_a_refreshed_table_is_used_by_the_next_request_without_a_restart(
    client: Client,
) -> None:
    query = {
        "side": "long",
        "entry_price": "60000",
        "quantity": "1",
        "leverage": "10",
        "exchange": "bybit",
        "symbol": "BTCUSDT",
    }
    before = client.get("/api/v1/liquidation", query).json()
    assert before["data_date"] == "2026-08-05"
    refresh("bybit", opener=recorded(RECORDED["bybit"]), today=TODAY)
    after = client.get("/api/v1/liquidation", query).json()
    assert after["data_date"] == "2026-12-05"
    page = client.get("/calculators/liquidation/", query).content.decode()
    assert "snapshot 2026-12-05" in page


def test_the_command_reports_each_exchange_and_fails_loudly_on_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BINANCE_API_KEY", raising=False)
    monkeypatch.setattr(exchange_data, "_open", recorded(RECORDED["dydx"]))
    out = StringIO()
    call_command("refresh_exchange_data", "dydx", "binance_usdm", stdout=out)
    assert "dydx: 3 tables fetched, 3 changed and stored." in out.getvalue()
    assert "binance_usdm: BINANCE_API_KEY" in out.getvalue()
    err = StringIO()
    with pytest.raises(CommandError, match="1 exchange"):
        call_command("refresh_exchange_data", "bybit", stdout=StringIO(), stderr=err)
    assert "bybit: not refreshed" in err.getvalue()
    with pytest.raises(CommandError, match="No endpoint for ftx"):
        call_command("refresh_exchange_data", "ftx")


def test_calculators_keep_the_bundled_snapshot_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(TierTableVersion.objects, "aggregate", unreachable)
    query = "side=long&entry_price=60000&quantity=1&leverage=10&exchange=bybit&symbol=BTCUSDT"
    response = client.get(f"/api/v1/liquidation?{query}")
    assert response.status_code == 200
    assert response.json()["data_date"] == "2026-08-05"
