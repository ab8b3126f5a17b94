"""Tier tables fetched from the exchanges by ``manage.py refresh_exchange_data``.

One row is one version of one exchange's table for one symbol, in the bundled snapshot's JSON
form (``riskcalc/calc/data/SOURCES.md``) with its source and dates. A refresh stores a row only
when the table differs from the newest stored one (``digest``), so every earlier version is
kept. The calculators use the newest row of each symbol before the bundled snapshot
(``riskcalc/exchange_data.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class TierTableVersion(models.Model):
    """One fetched version of an exchange's tier table for one symbol."""

    exchange = models.CharField(max_length=40)
    symbol = models.CharField(max_length=60)
    fetched_at = models.DateTimeField(default=timezone.now)
    digest = models.CharField(
        max_length=64, help_text="SHA-256 of the tiers and contract terms (not the dates)."
    )
    table = models.JSONField(help_text="The table in the bundled snapshot's JSON form.")

    class Meta:
        ordering = ["exchange", "symbol", "-fetched_at", "-id"]
        indexes = [models.Index(fields=["exchange", "symbol", "-fetched_at"])]

    def __str__(self) -> str:
        return f"{self.exchange} {self.symbol} ({self.fetched_at:%Y-%m-%d})"
