"""The restriction pages: "Where are you?" answers for any country, the table holds every fact
one page at a time, each filter works as a plain GET and as an htmx partial, every
jurisdiction has a page, admin edits show, and the copy-trading page answers per exchange."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from riskcalc.kept_pages import NONCE_PLACEHOLDER
from riskcalc.management.commands.load_restrictions import DEFAULT_DATA_DIR
from riskcalc.models import Jurisdiction, Restriction
from riskcalc.views.restrictions import FACTS_PER_PAGE, data_version, results_fragment

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


def test_default_page_shows_one_page_of_facts_not_all_of_them(client: Client, loaded: None) -> None:
    with (DEFAULT_DATA_DIR / "restrictions.csv").open(newline="", encoding="utf-8") as handle:
        file_rows = list(csv.DictReader(handle))

    response = client.get(TABLE)

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["matching"] == len(file_rows) == 287
    assert table_rows(response) == FACTS_PER_PAGE == 25
    assert "Showing 1–25 of 287 matching facts (287 in all)." in page
    assert 'aria-label="Page 12"' in page and 'aria-label="Page 13"' not in page


def test_every_fact_is_on_exactly_one_page(client: Client, loaded: None) -> None:
    rows = [table_rows(client.get(TABLE, {"page": n})) for n in range(1, 13)]

    assert sum(rows) == Restriction.objects.count()
    assert rows[-1] == 287 - 11 * 25
    assert "Showing 276–287 of 287" in client.get(TABLE, {"page": "99"}).content.decode()


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

    matching = expected.count()  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.context["matching"] == matching
    assert 0 < matching < 287
    assert table_rows(response) == min(matching, FACTS_PER_PAGE)
    assert "<form" in response.content.decode()


def test_page_links_keep_the_filters(client: Client, loaded: None) -> None:
    page = client.get(TABLE, {"product": "copy_trading"}).content.decode()

    assert 'href="?product=copy_trading&amp;page=2#all-facts"' in page


def test_htmx_request_renders_only_the_results_partial(client: Client, loaded: None) -> None:
    response = client.get(
        TABLE, {"subject": "MEXC"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"] and "HX-Target" in response["Vary"]
    assert page.lstrip().startswith('<div id="results">')
    assert "<form" not in page and "<html" not in page
    mexc = Restriction.objects.filter(subject="MEXC").count()
    assert table_rows(response) == min(mexc, FACTS_PER_PAGE)
    assert f"of {mexc} matching facts (287 in all)." in page


def test_unknown_filter_value_is_ignored_not_an_error(client: Client, loaded: None) -> None:
    response = client.get(TABLE, {"subject": "NoSuchExchange", "product": "spot", "page": "x"})

    assert response.status_code == 200
    assert response.context["matching"] == 287


def test_no_match_says_so_and_offers_all_facts(client: Client, loaded: None) -> None:
    page = client.get(TABLE, {"q": "Atlantis"}).content.decode()

    assert "No fact matches these filters." in page
    assert "Show all 287 facts" in page


def test_map_figure_is_fetched_separately_not_shipped_with_the_page(
    client: Client, loaded: None
) -> None:
    page = client.get(TABLE).content.decode()
    figure = client.get(reverse("restrictions_map_data")).json()

    assert 'data-chart-src="/learn/restrictions/map.json"' in page
    assert "choropleth" not in page
    assert {trace["type"] for trace in figure["data"]} == {"choropleth"}


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
        facts = sum(len(group) for _, _, group in response.context["groups"])
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
    assert "MEXC: a partial list" in page
    assert "ends the list with &quot;and others&quot;" in page
    assert 'Source date: <span class="fw-semibold">undated</span>' in page
    assert ">Unverified<" in page
    assert "300x and 500x not supported" in page


def test_copy_trading_page_answers_for_each_of_the_six_exchanges(
    client: Client, loaded: None
) -> None:
    page = client.get(reverse("restrictions_copy_trading_page")).content.decode()

    assert "Bybit: a published list" in page
    for exchange in ("Binance", "OKX", "Bitget", "KuCoin"):
        assert f"{exchange}: no list published" in page
    assert page.count("Sources searched (") == 6
    assert "https://www.mexc.co/en-IN/learn/article/mexc-copy-trading-service-agreement/1" in page


def test_copy_trading_answer_for_a_country_rests_on_a_medium_primary_source(
    client: Client, loaded: None
) -> None:
    page = client.get(reverse("restrictions_copy_trading_page"), {"where": "France"}).content
    card = page.decode().split('id="answer"', 1)[1].split("</section>", 1)[0]

    assert "France: copy trading" in card
    assert "Futures" not in card  # the copy-trading page answers copy trading only
    bybit = card.split("<h3", 2)[2]
    assert bybit.startswith(' class="h6 mb-1">Bybit</h3>')
    assert "Restricted" in bybit and ">Medium<" in bybit and "2024-08-19" in bybit


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

    # The data version plus one cache read; no fact is loaded or rendered again.
    assert len(second) == 2 < len(first)
    assert table_rows(response) == FACTS_PER_PAGE
    assert "Showing 1–25 of 287 matching facts (287 in all)." in response.content.decode()


def test_cached_fragment_holds_no_csp_nonce(client: Client, loaded: None) -> None:
    client.get(TABLE)

    with CaptureQueriesContext(connection) as queries:
        fragment = results_fragment({}, "1", data_version(), Restriction.objects.count(), [])

    assert len(queries) == 3  # version, count, and the cache read that answered
    assert 'id="results"' in fragment["html"] and "nonce" not in fragment["html"]


def test_orm_and_admin_edits_invalidate_the_cached_fragment(
    admin_client: Client, loaded: None
) -> None:
    yemen = {"q": "Yemen"}
    admin_client.get(TABLE, yemen)
    fact = Restriction.objects.get(jurisdiction__code="YE", product="copy_trading")
    fact.note = "Edited after the page was cached."
    fact.save()
    assert "Edited after the page was cached." in admin_client.get(TABLE, yemen).content.decode()

    jurisdiction = fact.jurisdiction
    jurisdiction.name = "Republic of Yemen"
    jurisdiction.save()
    assert ">Republic of Yemen</a>" in admin_client.get(TABLE, yemen).content.decode()

    admin_client.post(reverse("admin:riskcalc_restriction_delete", args=[fact.pk]), {"post": "yes"})
    page = admin_client.get(TABLE).content.decode()
    assert "Showing 1–25 of 286 matching facts (286 in all)." in page
    assert (
        "Edited after the page was cached." not in admin_client.get(TABLE, yemen).content.decode()
    )


def test_each_filter_has_its_own_cache_entry(client: Client, loaded: None) -> None:
    for subject in ("MEXC", "Kraken", "MEXC", "Kraken"):
        response = client.get(
            TABLE, {"subject": subject}, headers={"HX-Request": "true", "HX-Target": "results"}
        )
        matching = Restriction.objects.filter(subject=subject).count()
        assert table_rows(response) == min(matching, FACTS_PER_PAGE)
        assert f"of {matching} matching fact" in response.content.decode()
    assert table_rows(client.get(TABLE)) == FACTS_PER_PAGE


def answer_card(page: str) -> str:
    return page.split('id="answer"', 1)[1].split("</section>", 1)[0]


def test_where_accepts_a_name_or_a_code_and_answers_for_six_exchanges(
    client: Client, loaded: None
) -> None:
    by_name = answer_card(client.get(TABLE, {"where": "Germany"}).content.decode())
    by_code = answer_card(client.get(TABLE, {"where": " de "}).content.decode())

    assert by_name == by_code
    assert "Germany: futures, copy trading and leverage" in by_name
    for exchange in ("Binance", "Bybit", "OKX", "Bitget", "KuCoin", "MEXC"):
        assert f'<h3 class="h6 mb-1">{exchange}</h3>' in by_name
    assert by_name.count("<dt>Maximum leverage</dt>") == 6
    assert "ESMA (European Union / EEA)" in by_name  # EU-wide rules apply in Germany


def test_a_country_without_facts_gets_an_answer_that_says_nothing_is_recorded(
    client: Client, loaded: None
) -> None:
    card = answer_card(client.get(TABLE, {"where": "Chile"}).content.decode())

    assert "Chile: futures, copy trading and leverage" in card
    assert card.count(">No restriction recorded</span>") == 6  # futures, for each exchange
    assert "means we hold no fact, not that the product is allowed" in card


def test_unverified_facts_are_shown_as_unverified(client: Client, loaded: None) -> None:
    card = answer_card(client.get(TABLE, {"where": "SG"}).content.decode())
    bybit = card.split('<h3 class="h6 mb-1">Bybit</h3>', 1)[1].split("<h3", 1)[0]

    assert "Not available (whole exchange)" in bybit
    assert ">Unverified<" in bybit and "no source URL" in bybit


def test_an_area_answer_includes_its_countrys_facts(client: Client, loaded: None) -> None:
    card = answer_card(client.get(TABLE, {"where": "Ontario"}).content.decode())
    binance = card.split('<h3 class="h6 mb-1">Binance</h3>', 1)[1].split("<h3", 1)[0]

    assert "Ontario (Canada): futures" in card and "for its country" in card
    assert "Not available (whole exchange)" in binance


def test_an_unknown_place_gets_a_message_not_an_error(client: Client, loaded: None) -> None:
    response = client.get(TABLE, {"where": "Atlantis"})

    assert response.status_code == 200
    assert "We could not match “Atlantis” to a country or region." in response.content.decode()


def test_htmx_answer_request_renders_only_the_card(client: Client, loaded: None) -> None:
    response = client.get(
        TABLE, {"where": "Japan"}, headers={"HX-Request": "true", "HX-Target": "answer"}
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="answer"')
    assert "Japan: futures, copy trading and leverage" in page
    assert "<form" not in page and 'id="results"' not in page


def test_the_country_list_offers_every_country_without_javascript(
    client: Client, loaded: None
) -> None:
    page = client.get(TABLE).content.decode()

    assert '<input class="form-control" type="search" id="where" name="where"' in page
    assert page.count("<option value=") >= 249 + 9
    assert '<option value="Ontario (Canada)">' in page


def test_jurisdiction_page_opens_with_the_answer_card(client: Client, loaded: None) -> None:
    page = client.get("/learn/restrictions/hk/").content.decode()

    assert "Hong Kong: futures, copy trading and leverage" in answer_card(page)


@pytest.mark.parametrize("url", [TABLE, reverse("restrictions_copy_trading_page")])
def test_a_cached_page_carries_each_requests_own_csp_nonce(
    client: Client, loaded: None, url: str
) -> None:
    nonces = []
    for _ in range(2):
        response = client.get(url)
        header = response["Content-Security-Policy"]
        nonce = header.split("'nonce-", 1)[1].split("'", 1)[0]
        page = response.content.decode()
        assert f'nonce="{nonce}"' in page
        assert NONCE_PLACEHOLDER not in page
        nonces.append(nonce)

    assert nonces[0] != nonces[1]


def test_a_places_answer_asked_by_its_listed_name_is_kept_whole(
    client: Client, loaded: None
) -> None:
    client.get(TABLE, {"where": "Germany"})
    with CaptureQueriesContext(connection) as again:
        page = client.get(TABLE, {"where": "Germany"}).content.decode()

    assert len(again) == 2  # the data version and the cache read; nothing computed again
    assert "Germany: futures, copy trading and leverage" in page


def test_the_htmx_answer_card_for_a_listed_name_is_kept_apart_from_the_page(
    client: Client, loaded: None
) -> None:
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "answer"}
    client.get(TABLE, {"where": "Germany"})
    client.get(TABLE, {"where": "Germany"}, **htmx)
    with CaptureQueriesContext(connection) as again:
        card = client.get(TABLE, {"where": "Germany"}, **htmx).content.decode()

    assert len(again) == 2
    assert "Germany: futures, copy trading and leverage" in card
    assert "<html" not in card


@pytest.mark.parametrize(
    "query",
    [{"where": "germany"}, {"where": "DE"}, {"where": "Germany", "page": "2"}, {"where": "Narnia"}],
    ids=["other case", "code", "with another parameter", "unknown place"],
)
def test_any_other_query_is_rendered_not_kept(
    client: Client, loaded: None, query: dict[str, str]
) -> None:
    client.get(TABLE, query)
    with CaptureQueriesContext(connection) as again:
        client.get(TABLE, query)

    assert len(again) > 2  # rendered again, so arbitrary query strings cannot fill the cache


def test_a_kept_answer_is_rendered_again_after_its_facts_change(
    client: Client, loaded: None
) -> None:
    germany = {"where": "Germany"}
    client.get(TABLE, germany)
    fact = Restriction.objects.filter(jurisdiction__code="DE").first()
    assert fact is not None
    fact.save()  # moves updated_at, so the data version

    with CaptureQueriesContext(connection) as after_edit:
        client.get(TABLE, germany)

    assert len(after_edit) > 2


@pytest.mark.parametrize("query", [{}, {"where": "Germany"}], ids=["default page", "answer"])
def test_a_kept_page_is_kept_apart_for_each_language(
    client: Client, loaded: None, query: dict[str, str]
) -> None:
    client.get(TABLE, query)
    spanish = client.get("/es" + TABLE, query).content.decode()
    english = client.get(TABLE, query).content.decode()

    assert '<html lang="es"' in spanish
    assert '<html lang="en"' in english


def test_spanish_labels_its_filters_and_confidence_and_says_the_facts_stay_english(
    client: Client, loaded: None
) -> None:
    page = client.get("/es/learn/restrictions/?product=futures").content.decode()

    assert '<option value="" selected>Cualquiera</option>' in page
    assert '<optgroup label="Reguladores">' in page
    assert '<option value="futures" selected>Futuros</option>' in page
    assert 'title="Alta: texto del regulador o página del propio exchange">Alta<' in page
    assert "se muestra en inglés, tal como está en su fuente" in page
    assert '<span class="small" lang="en" dir="ltr">' in page
    assert ">High<" not in page and ">Any<" not in page


def test_the_subject_filter_lists_each_exchange_once(client: Client, loaded: None) -> None:
    page = client.get("/learn/restrictions/").content.decode()

    assert page.count('<option value="Binance">Binance</option>') == 1


def test_a_chinese_jurisdiction_page_names_its_columns_and_counts_in_chinese(
    client: Client, loaded: None
) -> None:
    page = client.get("/zh-hans/learn/restrictions/au/").content.decode()

    assert '<th scope="col">交易所</th>' in page and '<th scope="col">监管机构</th>' in page
    assert "条事实）" in page
