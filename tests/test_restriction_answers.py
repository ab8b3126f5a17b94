"""Answers for one place: which codes apply, which fact speaks for a question, and what it
says in words."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from riskcalc.models import Jurisdiction, Restriction
from riskcalc.restriction_answers import (
    EXCHANGES,
    Place,
    copy_trading_statements,
    find_place,
    maximum_leverage,
    strongest,
    verdict,
)


def fact(
    confidence: str = "high",
    date: str | None = "2025-01-01",
    kind: str = "blocked",
    product: str = "futures",
    leverage: str | None = None,
) -> Restriction:
    return Restriction(
        jurisdiction=Jurisdiction(code="ZZ", name="Global", kind="global"),
        subject="Binance",
        subject_kind="exchange",
        product=product,
        kind=kind,
        max_leverage=Decimal(leverage) if leverage else None,
        confidence=confidence,
        source_date=datetime.date.fromisoformat(date) if date else None,
    )


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("Germany", "DE"),
        ("  germany ", "DE"),
        ("ca-on", "CA-ON"),
        ("Ontario (Canada)", "CA-ON"),
        ("Singap", "SG"),
    ],
)
def test_a_place_is_found_by_code_name_or_a_unique_beginning(typed: str, code: str) -> None:
    place = find_place(typed)

    assert place is not None and place.code == code


@pytest.mark.parametrize("typed", ["", "   ", "Atlantis", "United"])
def test_nothing_or_an_ambiguous_beginning_finds_no_place(typed: str) -> None:
    assert find_place(typed) is None


def test_every_iso_country_is_a_place() -> None:
    assert find_place("Chile") == Place("CL", "Chile")
    assert find_place("Åland Islands") is not None


@pytest.mark.parametrize(
    ("code", "applicable"),
    [
        ("US", ["US"]),
        ("DE", ["DE", "EU"]),
        ("NO", ["NO", "EU"]),
        ("CA-ON", ["CA-ON", "CA"]),
        ("EU", ["EU"]),
    ],
)
def test_an_areas_country_and_an_eea_countrys_eu_rules_apply(
    code: str, applicable: list[str]
) -> None:
    assert Place(code, code).applicable_codes == applicable


def test_a_better_confidence_label_beats_a_newer_date() -> None:
    newer_but_low = fact("low", "2026-01-01")
    older_but_high = fact("high", "2020-01-01")

    assert strongest([newer_but_low, older_but_high]) is older_but_high


def test_between_equal_labels_the_newer_source_wins_and_undated_comes_last() -> None:
    undated, old, new = fact(date=None), fact(date="2020-01-01"), fact(date="2024-01-01")

    assert strongest([undated, old, new]) is new
    assert strongest([]) is None


def test_unverified_and_outdated_facts_speak_only_when_nothing_better_exists() -> None:
    unverified, outdated = fact("unverified"), fact("outdated")

    assert strongest([outdated, unverified]) is unverified


def test_maximum_leverage_is_the_highest_figure_of_the_best_label() -> None:
    cut_later = fact("medium", "2025-08-22", kind="leverage_cap", leverage="100")
    highest = fact("medium", None, kind="leverage_cap", leverage="500")
    unconfirmed = fact("unverified", None, kind="leverage_cap", leverage="1000")

    answer = maximum_leverage([cut_later, highest, unconfirmed], "Binance")

    assert answer.fact is highest and answer.verdict == "Up to 500x"
    assert answer.others == 2


def test_a_licence_for_the_whole_exchange_is_not_read_as_futures_allowed() -> None:
    assert verdict(fact(kind="allowed_with_license", product="all")).startswith(
        "A licensed local company serves this place"
    )
    assert verdict(fact(kind="blocked", product="all")) == "Not available (whole exchange)"
    assert verdict(fact(kind="restricted", product="copy_trading")) == "Restricted"


def test_every_exchange_on_the_card_has_a_copy_trading_statement() -> None:
    statements = copy_trading_statements()

    assert set(statements) == set(EXCHANGES)
    assert {s.answer for s in statements.values()} <= {"published", "partial", "none_found"}
    assert all(s.searched for s in statements.values())
