"""Answers for one place: can you trade futures, use copy trading, and at what leverage?

The restrictions index asks "Where are you?" and answers with one card: for each of the six
exchanges the site covers, the strongest fact we hold about futures (or derivatives, or the
whole exchange) and about copy trading in that place, and the exchange's maximum leverage.
"Strongest" means the best confidence label, then the newest source date; the card always
shows that label and date, so an unverified fact reads as unverified. Where we hold nothing,
the card says so rather than implying the product is allowed.

A place is an ISO 3166-1 country (all 249, not only those with facts), one of the ISO 3166-2
areas the data uses (Ontario, Quebec, Dubai, the occupied regions of Ukraine) or the EU/EEA.
The facts that apply to a place are its own, its country's (for an area), the EU/EEA's (for
an EEA country) and, for maximum leverage, the exchange-wide ones (code ZZ).

The copy-trading page's answer per exchange (which kind of list the exchange publishes and
where we looked) comes from ``content/restrictions/copy_trading.toml``.
"""

from __future__ import annotations

import csv
import datetime
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from riskcalc.models import Restriction
from riskcalc.models.restrictions import Confidence, Product, RestrictionKind

RESTRICTIONS_CONTENT = Path(settings.BASE_DIR) / "content" / "restrictions"
ISO_COUNTRIES = RESTRICTIONS_CONTENT / "research" / "iso_3166-1.csv"
COPY_TRADING_ANSWERS = RESTRICTIONS_CONTENT / "copy_trading.toml"

# The exchanges the issue asks every answer to cover, in the order the card shows them.
EXCHANGES = ("Binance", "Bybit", "OKX", "Bitget", "KuCoin", "MEXC")

EU = "EU"
EXCHANGE_WIDE = "ZZ"
# The European Economic Area: the 27 EU member states plus Iceland, Liechtenstein and Norway
# (Agreement on the European Economic Area, as of 2026). EU-wide facts apply to each of them.
EU_MEMBERS = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EEA = frozenset(f"{EU_MEMBERS} IS LI NO".split(" "))
# ISO 3166-2 areas the data has facts for, with their names (PROVENANCE.md, section Source).
AREAS = {
    "CA-ON": "Ontario (Canada)",
    "CA-QC": "Quebec (Canada)",
    "AE-DU": "Dubai (UAE)",
    "UA-43": "Crimea (Ukraine)",
    "UA-40": "Sevastopol (Ukraine)",
    "UA-14": "Donetsk (Ukraine)",
    "UA-09": "Luhansk (Ukraine)",
    "UA-65": "Kherson (Ukraine)",
    "UA-23": "Zaporizhzhia (Ukraine)",
}
FUTURES_PRODUCTS = (Product.FUTURES, Product.DERIVATIVES, Product.ALL)
COPY_TRADING_PRODUCTS = (Product.COPY_TRADING, Product.ALL)
# Best first; a fact with a worse label is shown only when nothing better exists.
CONFIDENCE_ORDER = [
    Confidence.HIGH,
    Confidence.MEDIUM,
    Confidence.LOW,
    Confidence.UNRATED,
    Confidence.CONFLICTING,
    Confidence.UNVERIFIED,
    Confidence.OUTDATED,
]
# What each kind of fact answers to "can I use it here?", in a few words.
VERDICTS = {
    RestrictionKind.BLOCKED: _("Not available"),
    RestrictionKind.RESTRICTED: _("Restricted"),
    RestrictionKind.ALLOWED_WITH_LICENSE: _("Only through a licensed local company"),
    RestrictionKind.LEVERAGE_CAP: _("Leverage capped"),
}


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str

    @property
    def country(self) -> str:
        """The ISO 3166-1 code: the place itself, or the country an area belongs to."""
        return self.code.split("-", 1)[0]

    @property
    def applicable_codes(self) -> list[str]:
        """Codes whose facts apply here, most specific first (never ZZ)."""
        codes = [self.code]
        if self.code != self.country:
            codes.append(self.country)
        if self.country in EEA:
            codes.append(EU)
        return codes


@cache
def places() -> tuple[Place, ...]:
    """Every place the "Where are you?" list offers, sorted by name."""
    with ISO_COUNTRIES.open(newline="", encoding="utf-8") as handle:
        found = [Place(row["alpha_2"], row["name"]) for row in csv.DictReader(handle)]
    found += [Place(code, name) for code, name in AREAS.items()]
    found.append(Place(EU, "European Union / EEA (rules for the whole area)"))
    return tuple(sorted(found, key=lambda place: place.name))


def find_place(text: str) -> Place | None:
    """The place a visitor typed or picked: a code ("de", "CA-ON") or a name, any case."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for place in places():
        if wanted in (place.code.casefold(), place.name.casefold()):
            return place
    matches = [place for place in places() if place.name.casefold().startswith(wanted)]
    return matches[0] if len(matches) == 1 else None


def strongest(facts: Iterable[Restriction]) -> Restriction | None:
    """The fact to show: the best confidence label, then the newest source date.

    ``facts`` come most specific place first (the order of ``applicable_codes``); the sort is
    stable, so between equal labels and dates the more specific place wins.
    """
    ordered = sorted(
        facts,
        key=lambda fact: (
            CONFIDENCE_ORDER.index(Confidence(fact.confidence)),
            -(fact.source_date or datetime.date.min).toordinal(),
        ),
    )
    return ordered[0] if ordered else None


@dataclass(frozen=True, slots=True)
class Finding:
    """One cell of the card: the answer in words and the fact it rests on (if any)."""

    verdict: str
    fact: Restriction | None = None
    others: int = 0  # further facts on the same question, shown on the place's own page


@dataclass(frozen=True, slots=True)
class ExchangeAnswer:
    exchange: str
    futures: Finding
    copy_trading: Finding
    leverage: Finding


@dataclass(frozen=True)
class PlaceAnswer:
    place: Place
    exchanges: list[ExchangeAnswer]
    regulators: list[Restriction] = field(default_factory=list)
    facts_here: int = 0  # facts recorded for the place's own code


def place_answer(place: Place) -> PlaceAnswer:
    """The card for ``place``: one query for its facts plus the exchange-wide leverage."""
    codes = place.applicable_codes
    facts = list(
        Restriction.objects.filter(jurisdiction__code__in=[*codes, EXCHANGE_WIDE]).select_related(
            "jurisdiction"
        )
    )
    facts.sort(
        key=lambda fact: (
            codes.index(fact.jurisdiction.code) if fact.jurisdiction.code in codes else len(codes)
        )
    )
    local = [fact for fact in facts if fact.jurisdiction.code != EXCHANGE_WIDE]
    statements = copy_trading_statements()
    exchanges = [
        ExchangeAnswer(
            exchange=exchange,
            futures=finding(local, exchange, FUTURES_PRODUCTS, gettext("No restriction recorded")),
            copy_trading=finding(
                local,
                exchange,
                COPY_TRADING_PRODUCTS,
                statements[exchange].unlisted_verdict
                if exchange in statements
                else gettext("No restriction recorded"),
            ),
            leverage=maximum_leverage(facts, exchange),
        )
        for exchange in EXCHANGES
    ]
    regulators = [fact for fact in local if fact.subject_kind == "regulator"]
    return PlaceAnswer(
        place=place,
        exchanges=exchanges,
        regulators=regulators,
        facts_here=sum(1 for fact in local if fact.jurisdiction.code == place.code),
    )


def finding(
    facts: list[Restriction], exchange: str, products: Iterable[str], nothing: str
) -> Finding:
    relevant = [f for f in facts if f.subject == exchange and f.product in products]
    fact = strongest(relevant)
    if fact is None:
        return Finding(nothing)
    return Finding(verdict(fact), fact, len(relevant) - 1)


def verdict(fact: Restriction) -> str:
    """The fact's answer in a few words, saying when it concerns the whole exchange.

    A licence fact about the whole exchange says which company serves the place, not which
    products it offers, so it is not read as "futures allowed".
    """
    kind = RestrictionKind(fact.kind)
    if fact.product != Product.ALL:
        return str(VERDICTS[kind])
    if kind == RestrictionKind.ALLOWED_WITH_LICENSE:
        return gettext("A licensed local company serves this place; products not stated")
    return gettext("%(verdict)s (whole exchange)") % {"verdict": VERDICTS[kind]}


def maximum_leverage(facts: list[Restriction], exchange: str) -> Finding:
    """The exchange-wide futures maximum we trust most (a place's own cap comes first)."""
    caps = [
        f
        for f in facts
        if f.subject == exchange
        and f.kind == RestrictionKind.LEVERAGE_CAP
        and f.product in (Product.FUTURES, Product.DERIVATIVES)
        and f.max_leverage is not None
    ]
    # The highest figure among the best-labelled ones: a later cut for some contracts does not
    # lower the exchange's maximum.
    best = strongest(caps)
    fact = None
    if best is not None:
        fact = max(
            (f for f in caps if f.confidence == best.confidence),
            key=lambda f: (f.max_leverage, f.source_date or datetime.date.min),
        )
    if fact is None:
        return Finding(gettext("No figure recorded"))
    leverage = f"{fact.max_leverage.normalize():f}x"
    return Finding(gettext("Up to %(leverage)s") % {"leverage": leverage}, fact, len(caps) - 1)


@dataclass(frozen=True, slots=True)
class CopyTradingStatement:
    """What an exchange publishes about where its copy trading is offered."""

    exchange: str
    answer: str  # "published", "partial" or "none_found"
    summary: str
    searched: tuple[str, ...]

    @property
    def unlisted_verdict(self) -> str:
        """The answer for a place on none of the exchange's copy-trading lists."""
        return {
            "published": gettext("Not on the published list"),
            "partial": gettext("Not on the partial list: unknown"),
            "none_found": gettext("No list published"),
        }[self.answer]


@cache
def copy_trading_statements() -> dict[str, CopyTradingStatement]:
    with COPY_TRADING_ANSWERS.open("rb") as handle:
        data = tomllib.load(handle)
    return {
        entry["name"]: CopyTradingStatement(
            entry["name"], entry["answer"], entry["summary"], tuple(entry["searched"])
        )
        for entry in data["exchange"]
    }


@cache
def copy_trading_checked_on() -> datetime.date:
    with COPY_TRADING_ANSWERS.open("rb") as handle:
        checked: datetime.date = tomllib.load(handle)["checked_on"]
    return checked
