"""The exchange comparison shows every leverage figure of the engine's file with its source
and date, marks conflicts and unverified claims, and lists copy-trading limits."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from riskcalc.calc.profiles import leverage_claims
from riskcalc.views.exchanges import leverage_by_exchange, readable_claimants

pytestmark = pytest.mark.django_db

PAGE = reverse("exchanges_page")


def test_page_shows_every_figure_of_the_engines_leverage_file(client: Client) -> None:
    response = client.get(PAGE)

    page = response.content.decode()
    shown = sum(len(s.claims) for e in response.context["exchanges"] for s in e.symbols)
    assert response.status_code == 200
    assert shown == len(leverage_claims())
    for claim in leverage_claims():
        assert escape(claim.source_url) in page


def test_conflicting_figures_for_one_symbol_are_shown_as_a_conflict() -> None:
    bybit = next(e for e in leverage_by_exchange() if e.key == "bybit")
    btc = next(s for s in bybit.symbols if s.symbol == "BTCUSDT")

    assert btc.is_conflict
    assert bybit.has_conflict
    assert sorted(str(c.max_leverage) for c in btc.claims) == ["100", "200"]


def test_page_labels_conflicts_and_status_in_words(client: Client) -> None:
    page = client.get(PAGE).content.decode()

    assert "Conflicting claims" in page
    assert "Sources disagree: 2 figures" in page
    assert ">Unverified</span>" in page
    assert ">Contradicted</span>" in page
    assert '<span class="fw-semibold">undated</span>' in page
    assert '<time datetime="2025-09-26">2025-09-26</time>' in page


def test_seed_references_are_described_for_readers() -> None:
    assert readable_claimants("seeds/001 (affiliate review)") == (
        "an affiliate review of MEXC's 500x leverage"
    )
    assert readable_claimants("seeds/001, seeds/002") == (
        "an affiliate review of MEXC's 500x leverage, a 2025 guide to leverage trading platforms"
    )


def test_copy_trading_limits_come_from_the_restriction_facts(client: Client) -> None:
    call_command("load_restrictions", stdout=StringIO())

    page = client.get(PAGE).content.decode()

    assert "Copy trading: 300x and 500x not supported" in page
    assert "FUSDT copy trading, before 2025-06-18" in page
    assert "Not legal advice." in page


def test_page_without_restriction_data_still_shows_leverage_and_says_what_is_missing(
    client: Client,
) -> None:
    page = client.get(PAGE).content.decode()

    assert "No restriction data is loaded yet" in page
    assert "Binance USDS-M" in page
