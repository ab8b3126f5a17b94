"""Fetch the exchanges' current tier tables and store the changed ones (run it daily).

    uv run python manage.py refresh_exchange_data            # every exchange in ENDPOINTS
    uv run python manage.py refresh_exchange_data bybit dydx

Each exchange's documented public endpoint is fetched, converted and validated like a bundled
snapshot (``riskcalc/exchange_data.py``); a table that differs from its newest stored version
is stored as a new version, and the next request uses it. Binance needs ``BINANCE_API_KEY`` and
``BINANCE_API_SECRET`` (its bracket endpoint is signed); without them its snapshot stays.
Refused tables are listed and the command exits non-zero, as it does when an exchange cannot
be reached, so a scheduler notices; the other exchanges are still refreshed.
"""

from __future__ import annotations

import urllib.error
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from riskcalc.exchange_data import ENDPOINTS, refresh


class Command(BaseCommand):
    help = "Fetch current tier tables from the exchanges and store the changed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("exchanges", nargs="*", help=f"some of: {', '.join(ENDPOINTS)}")

    def handle(self, *args: Any, **options: Any) -> None:
        unknown = sorted(set(options["exchanges"]) - set(ENDPOINTS))
        if unknown:
            raise CommandError(f"No endpoint for {', '.join(unknown)}: {', '.join(ENDPOINTS)}.")
        failures = 0
        for exchange in options["exchanges"] or list(ENDPOINTS):
            try:
                report = refresh(exchange)
            except (OSError, urllib.error.URLError, KeyError, TypeError, ValueError) as error:
                self.stderr.write(f"{exchange}: not refreshed ({error!r}).")
                failures += 1
                continue
            if report.skipped:
                self.stdout.write(f"{exchange}: {report.skipped}")
                continue
            self.stdout.write(
                f"{exchange}: {report.fetched} tables fetched, {report.stored} changed and stored."
            )
            for message in report.refused:
                self.stderr.write(f"{exchange}: refused {message}")
            failures += bool(report.refused)
        if failures:
            raise CommandError(f"{failures} exchange(s) not fully refreshed (see above).")
