"""Maximum leverage per exchange and symbol, with conflicting and unverified claims shown as such.

The figures come from the calculator engine's own file, ``riskcalc/calc/data/max_leverage.json``
(through :func:`riskcalc.calc.profiles.leverage_claims`), so the page and the calculators share
one source of truth. Copy-trading leverage limits are restriction facts (editable in the admin).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from riskcalc.calc.errors import InputError
from riskcalc.calc.profiles import ClaimStatus, LeverageClaim, leverage_claims, profile
from riskcalc.models import Restriction
from riskcalc.models.restrictions import Product, RestrictionKind
from riskcalc.restriction_filters import review_span

# Exchanges with leverage claims but no calculator profile.
EXCHANGE_NAMES = {
    "coinbase": "Coinbase International",
    "kraken": "Kraken",
    "kucoin": "KuCoin",
    "primexbt": "PrimeXBT",
}
# What the engine file's "claimed_by" references mean, for readers (riskcalc/calc/data/SOURCES.md).
CLAIMANTS = {
    "seeds/000": "MEXC's own Learn article",
    "seeds/001": "an affiliate review of MEXC's 500x leverage",
    "seeds/002": "a 2025 guide to leverage trading platforms",
    "seeds/003": "a guide to BitMEX leverage",
    "jurisdictions.md": "our research notes",
    "formulas.md": "our formula notes",
}
STATUS_TEXT = {
    ClaimStatus.CONFIRMED: "Confirmed by a primary or dated source",
    ClaimStatus.UNVERIFIED: "Unverified: no primary source confirms it",
    ClaimStatus.CONTRADICTED: "Contradicted by a dated or primary source",
}


def exchange_name(key: str) -> str:
    try:
        return profile(key).label
    except InputError:
        return EXCHANGE_NAMES.get(key, key)


def readable_claimants(text: str) -> str:
    """'seeds/001, seeds/002' → 'an affiliate review …; a 2025 guide …' (extra notes kept)."""
    for reference, description in CLAIMANTS.items():
        text = re.sub(re.escape(reference) + r"(\s*\([^)]*\))?", description, text)
    return text


def leverage_data_reviewed_on() -> str | None:
    """The review date the engine's leverage file states in its note, if it states one."""
    text = resources.files("riskcalc.calc").joinpath("data", "max_leverage.json").read_text("utf-8")
    match = re.search(r"\b(\d{4}-\d{2}-\d{2})\b", json.loads(text).get("note", ""))
    return match.group(1) if match else None


@dataclass(frozen=True)
class ClaimEntry:
    """One claim as the page shows it."""

    claim: LeverageClaim

    @property
    def claimed_by(self) -> str:
        return readable_claimants(self.claim.claimed_by)

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.claim.status]

    @property
    def has_source_link(self) -> bool:
        return self.claim.source_url.startswith(("http://", "https://"))


@dataclass(frozen=True)
class SymbolClaims:
    """Every claim about one exchange's symbol; more than one figure means a conflict."""

    symbol: str
    claims: list[LeverageClaim]

    @property
    def is_conflict(self) -> bool:
        return len({c.max_leverage for c in self.claims}) > 1

    @property
    def entries(self) -> list[ClaimEntry]:
        return [ClaimEntry(claim) for claim in self.claims]

    @property
    def label(self) -> str:
        return "All contracts (exchange-wide figure)" if self.symbol == "*" else self.symbol


@dataclass(frozen=True)
class ExchangeLeverage:
    key: str
    name: str
    symbols: list[SymbolClaims]

    @property
    def has_conflict(self) -> bool:
        return any(s.is_conflict for s in self.symbols)


def leverage_by_exchange() -> list[ExchangeLeverage]:
    claims = sorted(leverage_claims(), key=lambda c: (c.exchange, c.symbol))
    exchanges = []
    for key, by_exchange in groupby(claims, key=lambda c: c.exchange):
        symbols = [
            SymbolClaims(symbol, list(group))
            for symbol, group in groupby(by_exchange, key=lambda c: c.symbol)
        ]
        exchanges.append(ExchangeLeverage(key, exchange_name(key), symbols))
    return sorted(exchanges, key=lambda e: e.name.lower())


@require_safe
def exchanges_page(request: HttpRequest) -> HttpResponse:
    copy_trading_caps = Restriction.objects.filter(
        product=Product.COPY_TRADING, kind=RestrictionKind.LEVERAGE_CAP
    ).order_by("subject", "pk")
    return render(
        request,
        "learn/exchanges/index.html",
        {
            "exchanges": leverage_by_exchange(),
            "copy_trading_caps": copy_trading_caps,
            "leverage_reviewed_on": leverage_data_reviewed_on(),
            "review": review_span(copy_trading_caps),
            "restrictions_loaded": Restriction.objects.exists(),
        },
    )
