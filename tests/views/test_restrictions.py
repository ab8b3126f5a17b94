"""The restriction pages: the table holds every fact, each filter works as a plain GET and as
an htmx partial, every jurisdiction has a page, admin edits show, and the copy-trading page
says MEXC's list is incomplete."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from riskcalc.management.commands.load_restrictions import DEFAULT_DATA_DIR
from riskcalc.models import Jurisdiction, Restriction
from riskcalc.views.restrictions import data_version, results_fragment

pytestmark = pytest.mark.django_db

TABLE = reverse("restrictions_page")
MEXC_COPY_TRADING_LIST = [
    "Australia",
    "Austria",
    "Belgium",
    "Canada",
    "France",
    "United Kingdom",
    "Hong Kong SAR",
    "Italy",
    "Russia",
    "Yemen",
]


@pytest.fixture
def loaded() -> None:
    call_command("load_restrictions", stdout=StringIO())


def table_rows(response) -> int:  # type: ignore[no-untyped-def]
    return response.content.decode().count('<th scope="row">')


def test_table_holds_every_row_of_the_data_file(client: Client, loaded: None) -> None:
    with (DEFAULT_DATA_DIR / "restrictions.csv").open(newline="", encoding="utf-8") as handle:
        file_rows = list(csv.DictReader(handle))

    response = client.get(TABLE)

    assert response.status_code == 200
    assert len(response.context["facts"]) == len(file_rows) == 287
    assert table_rows(response) == 287
    assert "Showing 287 of 287 facts." in response.content.decode()


def test_every_row_shows_its_source_link_date_and_confidence_in_words(
    client: Client, loaded: None
) -> None:
    page = client.get(TABLE, {"q": "Yemen", "subject": "MEXC"}).content.decode()

    assert 'href="https://www.alookzone.com/learn/article/mexc-futures-guide' in page
    assert 'Source date: <span class="fw-semibold">undated</span>' in page
    assert ">Unverified</span>" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "canada"}, Restriction.objects.filter(jurisdiction__name__icontains="canada")),
        ({"q": "GB"}, Restriction.objects.filter(jurisdiction__code="GB")),
        ({"subject": "Kraken"}, Restriction.objects.filter(subject="Kraken")),
        ({"product": "copy_trading"}, Restriction.objects.filter(product="copy_trading")),
        ({"kind": "leverage_cap"}, Restriction.objects.filter(kind="leverage_cap")),
        (
            {"subject": "Binance", "product": "derivatives", "kind": "blocked"},
            Restriction.objects.filter(subject="Binance", product="derivatives", kind="blocked"),
        ),
    ],
)
def test_each_filter_works_without_javascript(
    client: Client, loaded: None, params: dict[str, str], expected: object
) -> None:
    response = client.get(TABLE, params)

    facts = response.context["facts"]
    assert response.status_code == 200
    assert 0 < len(facts) < 287
    assert {f.pk for f in facts} == set(expected.values_list("pk", flat=True))  # type: ignore[attr-defined]
    assert table_rows(response) == len(facts)
    assert "<form" in response.content.decode()


def test_htmx_request_renders_only_the_results_partial(client: Client, loaded: None) -> None:
    response = client.get(TABLE, {"subject": "MEXC"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert page.lstrip().startswith('<div id="results">')
    assert "<form" not in page and "<html" not in page
    assert table_rows(response) == Restriction.objects.filter(subject="MEXC").count()
    assert '<p id="result-count" hx-swap-oob="innerHTML">Showing 23 of 287 facts.</p>' in page


def test_full_page_varies_on_htmx_too(client: Client, loaded: None) -> None:
    assert "HX-Request" in client.get(TABLE)["Vary"]


def test_unknown_filter_value_is_ignored_not_an_error(client: Client, loaded: None) -> None:
    response = client.get(TABLE, {"subject": "NoSuchExchange", "product": "spot"})

    assert response.status_code == 200
    assert len(response.context["facts"]) == 287


def test_no_match_says_so_and_offers_all_facts(client: Client, loaded: None) -> None:
    page = client.get(TABLE, {"q": "Atlantis"}).content.decode()

    assert "No fact matches these filters." in page
    assert "Showing 0 of 287 facts." in page


def test_empty_database_explains_how_to_load_the_data(client: Client) -> None:
    page = client.get(TABLE).content.decode()

    assert "No restriction data is loaded yet" in page
    assert "load_restrictions" in page


def test_every_jurisdiction_in_the_data_has_a_page(client: Client, loaded: None) -> None:
    codes = list(Jurisdiction.objects.values_list("code", flat=True))

    assert len(codes) == 99
    for code in codes:
        response = client.get(reverse("restrictions_jurisdiction_page", args=[code]))
        assert response.status_code == 200, code
        facts = sum(len(group) for _, group in response.context["groups"])
        assert facts == Restriction.objects.filter(jurisdiction__code=code).count()


def test_jurisdiction_page_lists_each_fact_with_source_and_date(
    client: Client, loaded: None
) -> None:
    page = client.get("/learn/restrictions/ca-on/").content.decode()

    assert "Ontario (Canada)" in page
    assert "https://www.mccarthy.ca/en/insights/blogs/techlex/osc-issues-orders" in page
    assert '<time datetime="2022-06-22">2022-06-22</time>' in page
    assert "UNVERIFIED-URL: Bybit event T&amp;C" in page
    assert "(no retrievable URL)" in page


def test_uppercase_jurisdiction_code_redirects_to_the_lowercase_page(
    client: Client, loaded: None
) -> None:
    response = client.get("/learn/restrictions/CA-ON/")

    assert response.status_code == 301
    assert response["Location"] == "/learn/restrictions/ca-on/"


def test_unknown_jurisdiction_is_404(client: Client, loaded: None) -> None:
    assert client.get("/learn/restrictions/xx/").status_code == 404


def test_admin_edit_shows_on_the_page(admin_client: Client, loaded: None) -> None:
    fact = Restriction.objects.get(jurisdiction__code="YE", product="copy_trading")
    form = admin_client.get(reverse("admin:riskcalc_restriction_change", args=[fact.pk]))
    data = {
        key: value
        for key, value in form.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update(note="Edited in the admin: confirmed in the service agreement.")

    saved = admin_client.post(reverse("admin:riskcalc_restriction_change", args=[fact.pk]), data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    page = admin_client.get("/learn/restrictions/ye/").content.decode()
    assert "Edited in the admin: confirmed in the service agreement." in page


def test_copy_trading_page_lists_mexcs_jurisdictions_and_says_the_list_is_incomplete(
    client: Client, loaded: None
) -> None:
    page = client.get(reverse("restrictions_copy_trading_page")).content.decode()

    for name in MEXC_COPY_TRADING_LIST:
        assert name in page
    assert "This list is incomplete." in page
    assert "the article's list ends with “and others”" in page
    assert 'Source date: <span class="fw-semibold">undated</span>' in page
    assert ">Unverified</span>" in page
    assert "300x and 500x not supported" in page


@pytest.mark.parametrize(
    "url",
    ["/learn/restrictions/", "/learn/restrictions/gb/", "/learn/restrictions/copy-trading/"],
)
def test_every_page_shows_review_date_sources_and_not_legal_advice(
    client: Client, loaded: None, url: str
) -> None:
    page = client.get(url).content.decode()

    assert "Not legal advice." in page
    assert 'Last reviewed: <time datetime="2026-11-21">21 November 2026</time>' in page
    assert "Sources: every fact links its own source" in page


def test_results_fragment_is_cached_and_reused(client: Client, loaded: None) -> None:
    with CaptureQueriesContext(connection) as first:
        client.get(TABLE)
    with CaptureQueriesContext(connection) as second:
        response = client.get(TABLE)

    # The data version plus two cache reads; no fact is loaded or rendered again.
    assert len(second) == 3 < len(first)
    assert "facts" not in response.context
    assert table_rows(response) == 287
    assert "Showing 287 of 287 facts." in response.content.decode()


def test_cached_fragment_holds_no_csp_nonce(client: Client, loaded: None) -> None:
    client.get(TABLE)
    total = Restriction.objects.count()

    fragment, facts = results_fragment({}, data_version(), total)

    assert facts is None  # the cache answered
    assert 'id="results"' in fragment["html"] and "nonce" not in fragment["html"]


def test_orm_and_admin_edits_invalidate_the_cached_fragment(
    admin_client: Client, loaded: None
) -> None:
    admin_client.get(TABLE)
    fact = Restriction.objects.get(jurisdiction__code="YE", product="copy_trading")
    fact.note = "Edited after the page was cached."
    fact.save()
    assert "Edited after the page was cached." in admin_client.get(TABLE).content.decode()

    jurisdiction = fact.jurisdiction
    jurisdiction.name = "Republic of Yemen"
    jurisdiction.save()
    assert ">Republic of Yemen</a>" in admin_client.get(TABLE).content.decode()

    admin_client.post(reverse("admin:riskcalc_restriction_delete", args=[fact.pk]), {"post": "yes"})
    page = admin_client.get(TABLE).content.decode()
    assert "Showing 286 of 286 facts." in page
    assert "Edited after the page was cached." not in page


def test_each_filter_has_its_own_cache_entry(client: Client, loaded: None) -> None:
    for subject in ("MEXC", "Kraken", "MEXC", "Kraken"):
        response = client.get(TABLE, {"subject": subject}, headers={"HX-Request": "true"})
        shown = Restriction.objects.filter(subject=subject).count()
        assert table_rows(response) == shown
        assert f"Showing {shown} of 287 facts." in response.content.decode()
    assert table_rows(client.get(TABLE)) == 287
