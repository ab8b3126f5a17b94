"""``manage.py import_tier_snapshot``: a source file becomes a validated, dated exchange file.

The fixture ``tests/fixtures/tier_sources/freqtrade_binance_excerpt.json`` holds three entries
of freqtrade's ``binance_leverage_tiers.json`` at commit 3d9514d (2024-10-24), the bundled
Binance snapshot's source: BTCUSDT, ETHBTC and a dated BTCUSDT future.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from riskcalc.calc.profiles import tier_table
from riskcalc.tier_sources import FORMATS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tier_sources"
EXCERPT = FIXTURES / "freqtrade_binance_excerpt.json"
SOURCE = "https://github.com/freqtrade/freqtrade/blob/3d9514d/binance_leverage_tiers.json"


def run_import(source: Path, data_dir: Path, *extra: str) -> str:
    out = StringIO()
    call_command(
        "import_tier_snapshot",
        "freqtrade_binance",
        str(source),
        "--source-url",
        SOURCE,
        "--snapshot",
        "2024-10-24",
        "--retrieved",
        "2026-12-05",
        "--data-dir",
        str(data_dir),
        *extra,
        stdout=out,
        stderr=out,
    )
    return out.getvalue()


def imported(data_dir: Path) -> dict[str, dict[str, object]]:
    data = json.loads((data_dir / "binance_usdm.json").read_text("utf-8"))
    return {table["symbol"]: table for table in data["tables"]}


def test_import_writes_the_bundled_binance_table_with_its_dates(tmp_path: Path) -> None:
    message = run_import(EXCERPT, tmp_path)
    tables = imported(tmp_path)
    assert "2 tables imported" in message
    assert set(tables) == {"BTCUSDT", "ETHBTC"}  # the dated future is left out
    btc = tables["BTCUSDT"]
    assert (btc["snapshot"], btc["retrieved"], btc["source_url"]) == (
        "2024-10-24",
        "2026-12-05",
        SOURCE,
    )
    bundled = tier_table("binance_usdm", "BTCUSDT")
    assert [t["cap"] for t in btc["tiers"]] == [  # type: ignore[union-attr]
        format(t.cap, "f") for t in bundled.tiers
    ]
    assert tables["ETHBTC"]["notional_unit"] == "BTC"


def test_the_same_import_gives_the_same_bytes(tmp_path: Path) -> None:
    run_import(EXCERPT, tmp_path)
    first = (tmp_path / "binance_usdm.json").read_bytes()
    run_import(EXCERPT, tmp_path)
    assert (tmp_path / "binance_usdm.json").read_bytes() == first


def test_a_table_that_fails_validation_is_refused_loudly_and_left_out(tmp_path: Path) -> None:
    document = json.loads(EXCERPT.read_text("utf-8"))
    document["ETH/BTC:BTC"][1]["info"]["cum"] = "0.01"  # the recursion gives 0.005
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(CommandError, match="1 table"):
        run_import(broken, out)
    assert set(imported(out)) == {"BTCUSDT"}


def test_a_source_url_must_be_https(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="https"):
        call_command(
            "import_tier_snapshot",
            "freqtrade_binance",
            str(EXCERPT),
            "--source-url",
            "file:///x.json",
            "--snapshot",
            "2024-10-24",
            "--data-dir",
            str(tmp_path),
        )


BITGET_ANNOUNCEMENT = (
    Path(__file__).resolve().parents[2]
    / "riskcalc/calc/data/published/bitget_ethusdt_2025-09-26.json"
)


def import_tables(
    format_name: str, source: Path, data_dir: Path, *, source_url: str, snapshot: str
) -> list[dict[str, object]]:
    call_command(
        "import_tier_snapshot",
        format_name,
        str(source),
        "--source-url",
        source_url,
        "--snapshot",
        snapshot,
        "--data-dir",
        str(data_dir),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    exchange, _ = FORMATS[format_name]
    written = data_dir / f"{exchange}.json"
    tables: list[dict[str, object]] = json.loads(written.read_text())["tables"]
    return tables


def import_bitget(source: Path, data_dir: Path) -> list[dict[str, object]]:
    return import_tables(
        "bitget_announcement",
        source,
        data_dir,
        source_url="https://www.bitgetapp.com/support/articles/12560603838666",
        snapshot="2025-09-26",
    )


def test_the_bundled_bitget_tiers_are_the_import_of_its_transcribed_announcement(
    tmp_path: Path,
) -> None:
    [fresh] = import_bitget(BITGET_ANNOUNCEMENT, tmp_path)
    bundled = tier_table("bitget", "ETHUSDT")

    assert fresh["symbol"] == "ETHUSDT" and bundled.snapshot.isoformat() == "2025-09-26"
    assert fresh["tiers"] == [
        {
            "cap": format(t.cap, "f"),
            "maintenance_margin_rate": format(t.maintenance_margin_rate.normalize(), "f"),
            "maintenance_amount": format(t.maintenance_amount, "f"),
            "max_leverage": format(t.max_leverage, "f"),
        }
        for t in bundled.tiers
    ]


def test_an_announcement_whose_bands_leave_a_gap_is_refused(tmp_path: Path) -> None:
    document = json.loads(BITGET_ANNOUNCEMENT.read_text("utf-8"))
    document["rows"][1][0] = "250,000~1,000,000"  # tier 1 ends at 200,000
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), "utf-8")
    with pytest.raises(CommandError, match="band starts do not follow"):
        import_bitget(broken, tmp_path)


GATE_RESPONSE = FIXTURES / "gate_risk_limit_tiers.json"
GATE_SOURCE = (
    "https://github.com/belyjelli/ai-rates/blob/a2d49d402b309fa8ca98e814bb583cd133a5bd73/"
    "packages/adapters/__fixtures__/gate/risk-limit-tiers.json"
)


def import_gate(source: Path, data_dir: Path) -> list[dict[str, object]]:
    return import_tables("gate", source, data_dir, source_url=GATE_SOURCE, snapshot="2026-09-11")


def test_the_bundled_gate_tiers_are_the_import_of_its_recorded_response(tmp_path: Path) -> None:
    fresh = import_gate(GATE_RESPONSE, tmp_path)
    bundled = json.loads(
        (Path(__file__).resolve().parents[2] / "riskcalc/calc/data/tiers/gate.json").read_text()
    )["tables"]

    assert [t["symbol"] for t in fresh] == ["BTC_USDT", "ETH_USDT"]
    assert [t["tiers"] for t in fresh] == [t["tiers"] for t in bundled]
    assert tier_table("gate", "ETH_USDT").tiers[1].maintenance_amount == 150  # as published


def test_a_gate_table_whose_deduction_breaks_the_recursion_is_refused(tmp_path: Path) -> None:
    rows = json.loads(GATE_RESPONSE.read_text("utf-8"))
    rows[1]["deduction"] = "151"  # ETH_USDT tier 2: 300,000 x (0.35% - 0.3%) = 150
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(rows), "utf-8")
    out = tmp_path / "out"
    out.mkdir()

    with pytest.raises(CommandError, match="1 table"):
        import_gate(broken, out)

    kept = json.loads((out / "gate.json").read_text())["tables"]
    assert [t["symbol"] for t in kept] == ["BTC_USDT"]  # never fixed, never kept
