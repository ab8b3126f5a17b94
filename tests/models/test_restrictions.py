"""Restriction facts keep source dates and URLs honest: "n.d." stays undated, partial dates
get no invented day, and only URLs or an explicit UNVERIFIED marker are accepted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from riskcalc.models import Confidence
from riskcalc.models.restrictions import (
    Restriction,
    validate_source_date_text,
    validate_source_url,
)


@pytest.mark.parametrize(
    "text",
    ["2025-08-22", "2023-05", "2024", "n.d.", "n.d. (events Dec 2021)", "2021-03 (n.d. on page)"],
)
def test_source_date_accepts_the_research_files_date_forms(text: str) -> None:
    validate_source_date_text(text)


@pytest.mark.parametrize("text", ["", "22/08/2025", "undated", "2025-02-30", "soon"])
def test_source_date_rejects_anything_else(text: str) -> None:
    with pytest.raises(ValidationError):
        validate_source_date_text(text)


def test_source_url_accepts_links_and_the_unverified_marker() -> None:
    validate_source_url("https://www.binance.com/en/support/faq/360033162192")
    validate_source_url("UNVERIFIED-URL: Bybit event T&C (URL not known)")
    with pytest.raises(ValidationError):
        validate_source_url("www.example.com/no-scheme")


def test_undated_source_is_shown_as_undated_with_its_bracketed_note() -> None:
    fact = Restriction(source_date_text="n.d. (events Dec 2021)")

    assert fact.is_undated
    assert fact.source_date_display == "undated (events Dec 2021)"


def test_dated_source_is_shown_as_given() -> None:
    assert Restriction(source_date_text="2023-05").source_date_display == "2023-05"


def test_confidence_short_label_is_the_word_before_the_explanation() -> None:
    assert Confidence("unverified").short_label == "Unverified"
