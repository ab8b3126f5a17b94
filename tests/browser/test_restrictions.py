"""The restriction and exchange pages in Chromium: "Where are you?" answers with and without
JavaScript, the table filters and pages as you type (htmx, no full reload), the map loads
only when scrolled to and from our own files, nothing overflows a 375 px screen, and every
page is clean (no console errors, no failed requests, no other host, no axe violations)."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from riskcalc.models import Jurisdiction, Restriction
from tests.browser.conftest import PageRecord, assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loaded() -> Iterator[None]:
    call_command("load_restrictions", stdout=StringIO())
    yield


def open_page(page: Any, live_server: Any, path: str) -> None:
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")


def wait_for_map(page: Any) -> None:
    page.locator("[data-chart='restrictions-map']").scroll_into_view_if_needed()
    page.wait_for_selector("[data-chart='restrictions-map'][data-chart-state='drawn']")


def test_where_are_you_answers_without_a_full_reload(
    page: Any, live_server: Any, page_record: PageRecord, loaded: None
) -> None:
    open_page(page, live_server, "/learn/restrictions/")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Country or region").fill("Germany")
    page.get_by_role("button", name="Show the answer").click()
    page.wait_for_selector("#answer-title")

    assert page.evaluate("window.stillTheSamePage") is True
    assert "where=Germany" in page.url
    assert page.locator("#answer-title").inner_text().startswith("Germany:")
    assert page.locator("#answer .answer-exchange").count() == 6
    assert_no_axe_violations(page)
    page_record.assert_clean()


def test_where_are_you_works_without_javascript(
    browser: Any, live_server: Any, loaded: None
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/learn/restrictions/copy-trading/")

    page.get_by_label("Country or region").fill("FR")
    page.get_by_role("button", name="Show the answer").click()

    page.wait_for_url("**/learn/restrictions/copy-trading/?where=FR")
    assert page.locator("#answer-title").inner_text() == "France: copy trading"
    assert page.locator("#answer .answer-exchange").count() == 6
    context.close()


def test_restrictions_table_filters_as_you_type_without_a_full_reload(
    page: Any, live_server: Any, page_record: PageRecord, loaded: None
) -> None:
    open_page(page, live_server, "/learn/restrictions/")
    page.evaluate("window.stillTheSamePage = true")
    canada = Restriction.objects.filter(jurisdiction__name__icontains="canada").count()

    page.get_by_label("Jurisdiction").press_sequentially("canada", delay=40)
    page.wait_for_function(
        "expected => document.getElementById('result-count').textContent.includes(expected)",
        arg=f"of {canada} matching facts (287 in all).",
    )

    assert page.evaluate("window.stillTheSamePage") is True
    assert "q=canada" in page.url
    assert page.locator("#results tbody tr").count() == min(canada, 25)
    page.get_by_label("Exchange or regulator").select_option("Binance")
    page.wait_for_function("() => location.search.includes('subject=Binance')")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_no_axe_violations(page)
    page_record.assert_clean()


def test_pages_of_facts_turn_without_a_full_reload(
    page: Any, live_server: Any, page_record: PageRecord, loaded: None
) -> None:
    open_page(page, live_server, "/learn/restrictions/")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("link", name="Page 12").click()
    page.wait_for_function("() => location.search.includes('page=12')")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("window.stillTheSamePage") is True
    assert "Showing 276–287 of 287" in page.locator("#result-count").inner_text()
    page_record.assert_clean()


def test_restrictions_map_loads_only_when_scrolled_to_and_from_our_own_files(
    page: Any, live_server: Any, page_record: PageRecord, loaded: None
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": 375, "height": 700})

    open_page(page, live_server, "/learn/restrictions/")
    assert not any("/static/vendor/plotly/" in url for url in requested)
    assert not any(url.endswith("/learn/restrictions/map.json") for url in requested)
    wait_for_map(page)

    assert page.locator(".restrictions-map .choropleth path").count() > 50
    assert any(url.endswith("/learn/restrictions/map.json") for url in requested)
    assert any(url.endswith("/static/vendor/topojson/world_110m.json") for url in requested)
    assert any("/static/vendor/plotly/plotly-geo." in url for url in requested)
    assert all(url.startswith(live_server.url) for url in requested if url.startswith("http"))
    page_record.assert_clean()


def test_restrictions_table_works_without_javascript(
    browser: Any, live_server: Any, loaded: None
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/learn/restrictions/")

    page.get_by_label("Product").select_option("copy_trading")
    page.get_by_role("button", name="Filter").click()

    page.wait_for_url("**/learn/restrictions/?*product=copy_trading*")
    copy_trading = Restriction.objects.filter(product="copy_trading").count()
    assert page.locator("#results tbody tr").count() == min(copy_trading, 25)
    assert f"of {copy_trading} matching facts" in page.locator("#result-count").inner_text()
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/learn/restrictions/?where=Germany",
        "/learn/restrictions/copy-trading/?where=FR",
        "/learn/restrictions/us/",
    ],
)
def test_nothing_overflows_a_375_px_screen(
    page: Any, live_server: Any, loaded: None, path: str
) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    open_page(page, live_server, path)

    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{path}: content {widths[0]} px wide in a {widths[1]} px screen"


@pytest.mark.parametrize(
    "path",
    ["/learn/exchanges/", "/learn/restrictions/copy-trading/", "/learn/restrictions/ca-on/"],
)
def test_page_is_clean_in_a_real_browser(
    page: Any, live_server: Any, page_record: PageRecord, loaded: None, path: str
) -> None:
    open_page(page, live_server, path)

    assert page.locator("h1").count() == 1
    assert "Not legal advice." in page.content()
    assert_no_axe_violations(page)
    page_record.assert_clean()


def test_every_jurisdiction_page_is_clean_in_a_real_browser(
    page: Any, live_server: Any, page_record: PageRecord, loaded: None
) -> None:
    codes = list(Jurisdiction.objects.filter(restrictions__isnull=False).distinct())
    assert len(codes) == Jurisdiction.objects.count()

    for jurisdiction in codes:
        open_page(page, live_server, f"/learn/restrictions/{jurisdiction.code.lower()}/")
        assert page.locator("h1").inner_text().startswith(jurisdiction.name)
        assert_no_axe_violations(page)
    page_record.assert_clean()


@pytest.mark.django_db
def test_a_chinese_product_label_stays_on_one_line(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    call_command("load_restrictions", stdout=StringIO())
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/zh-hans/learn/restrictions/?product=all")
    cell = page.locator(".restrictions-table tbody td", has_text="所有产品").first

    lines = cell.evaluate(
        "cell => { const range = document.createRange(); range.selectNodeContents(cell);"
        " return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size; }"
    )

    assert lines == 1
    page_record.assert_clean()
