"""The restriction and exchange pages in Chromium: the table filters as you type (htmx, no
full reload), the map draws from our own static files, and every page is clean (no console
errors, no failed requests, no request to another host, no axe violations)."""

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
    page.locator("[data-chart='restrictions-map-data']").scroll_into_view_if_needed()
    page.wait_for_selector("[data-chart='restrictions-map-data'][data-chart-state='drawn']")


def test_restrictions_table_filters_as_you_type_without_a_full_reload(
    page: Any, live_server: Any, page_record: PageRecord, loaded: None
) -> None:
    open_page(page, live_server, "/learn/restrictions/")
    wait_for_map(page)
    page.evaluate("window.stillTheSamePage = true")
    canada = Restriction.objects.filter(jurisdiction__name__icontains="canada").count()

    page.get_by_label("Country or region").press_sequentially("canada", delay=40)
    page.wait_for_function(
        "expected => document.getElementById('result-count').textContent.includes(expected)",
        arg=f"Showing {canada} of 287 facts.",
    )

    assert page.evaluate("window.stillTheSamePage") is True
    assert "q=canada" in page.url
    assert page.locator("#results tbody tr").count() == canada
    wait_for_map(page)
    assert page.locator("#results .choropleth path").count() >= 1
    page.get_by_label("Exchange or regulator").select_option("Binance")
    page.wait_for_function("() => location.search.includes('subject=Binance')")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_no_axe_violations(page)
    page_record.assert_clean()


def test_restrictions_map_draws_from_our_own_static_files(
    page: Any, live_server: Any, page_record: PageRecord, loaded: None
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    open_page(page, live_server, "/learn/restrictions/")
    wait_for_map(page)

    assert page.locator(".restrictions-map .choropleth path").count() > 50
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
    assert page.locator("#results tbody tr").count() == copy_trading
    assert f"Showing {copy_trading} of 287 facts." in page.locator("#result-count").inner_text()
    context.close()


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
