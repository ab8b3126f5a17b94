"""Convert an exchange's published tier data into the bundled snapshot of that exchange.

    uv run python manage.py import_tier_snapshot freqtrade_binance binance_leverage_tiers.json \
        --source-url https://github.com/freqtrade/freqtrade/blob/<commit>/freqtrade/exchange/binance_leverage_tiers.json \
        --snapshot 2024-10-24 --retrieved 2026-12-05

Reads the file in one of ``riskcalc.tier_sources.FORMATS``, adds the provenance to every table,
validates each with the loader's own rules and writes ``riskcalc/calc/data/tiers/<exchange>.json``
(symbols in the import replace the same symbols in the file; ``--replace`` drops the rest).
Tables that fail validation are listed and left out; the command then exits non-zero, so a
refusal is never silent. The same arguments always give the same file.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

import riskcalc.calc
from riskcalc.tier_sources import FORMATS, checked_tables, convert, exchange_file_text, load_json

DATA_DIR = Path(riskcalc.calc.__file__).resolve().parent / "data" / "tiers"


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Convert an exchange's tier data into its bundled, validated snapshot file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=sorted(FORMATS))
        parser.add_argument("path", type=Path, help="the exchange's (or freqtrade's) JSON file")
        parser.add_argument("--source-url", required=True, help="where the file comes from")
        parser.add_argument(
            "--snapshot", required=True, help="date the exchange's table was captured"
        )
        parser.add_argument(
            "--retrieved", default=date.today().isoformat(), help="date we retrieved it"
        )
        parser.add_argument("--note", default="", help="caveat stored with every table")
        parser.add_argument("--replace", action="store_true", help="drop symbols not imported")
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help="folder of the exchange files"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["source_url"].startswith("https://"):
            raise CommandError("--source-url must be an https:// address.")
        provenance = {
            "source_url": options["source_url"],
            "snapshot": _iso_date(options["snapshot"]),
            "retrieved": _iso_date(options["retrieved"]),
            "note": options["note"],
        }
        document = load_json(options["path"].read_bytes())
        try:
            exchange, tables = convert(options["format"], document)
        except (KeyError, TypeError, ValueError) as error:
            raise CommandError(f"Not a {options['format']} document: {error!r}") from None
        accepted, refused = checked_tables(exchange, tables, provenance=provenance)
        target = options["data_dir"] / f"{exchange}.json"
        kept: dict[str, dict[str, Any]] = {}
        if target.exists() and not options["replace"]:
            kept = {t["symbol"]: t for t in json.loads(target.read_text("utf-8"))["tables"]}
        kept.update({row["symbol"]: row for row, _ in accepted})
        target.write_text(exchange_file_text(exchange, kept.values()) + "\n", "utf-8")
        self.stdout.write(
            f"{exchange}: {len(accepted)} tables imported, {len(kept)} in {target.name}."
        )
        for message in refused:
            self.stderr.write(f"Refused: {message}")
        if refused:
            raise CommandError(f"{len(refused)} table(s) failed validation and were left out.")
