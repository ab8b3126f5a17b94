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
