"""Calculator pages in a real Chromium: live updates without reload, shareable URLs, the
no-JavaScript path, accessibility (axe, light and dark, results and charts shown), console
cleanliness and a keyboard-only run."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageRecord, assert_no_axe_violations
from tests.examples import BYBIT_EXAMPLE

pytestmark = pytest.mark.browser

CALCULATORS: dict[str, dict[str, Any]] = {
    "liquidation": {
        "path": "/calculators/liquidation/",
        "query": {
            "side": "long",
            "entry_price": "60000",
            "quantity": "0.5",
            "leverage": "20",
            "exchange": "binance_usdm",
            "symbol": "BTCUSDT",
        },
        "edit": ("#id_entry_price", "61000"),
    },
    "position-size": {
        "path": "/calculators/position-size/",
        "query": {
            "side": "long",
            "account_balance": "78500",
            "risk_fraction": "0.01",
            "entry_price": "30",
            "stop_price": "29",
        },
        "edit": ("#id_stop_price", "28"),
    },
    "margin": {
        "path": "/calculators/margin/",
        "query": {
            "quantity": "0.5",
            "price": "60000",
            "leverage": "20",
            "exchange": "binance_usdm",
            "symbol": "BTCUSDT",
        },
        "edit": ("#id_leverage", "10"),
    },
    "pnl": {
        "path": "/calculators/pnl/",
        "query": {
            "side": "long",
            "entry_price": "20000",
            "exit_price": "20200",
            "quantity": "1",
            "leverage": "50",
        },
        "edit": ("#id_exit_price", "19800"),
    },
    "adl": {
        "path": "/calculators/adl/",
        "query": {
            "side": "long",
            "entry_price": "9500",
            "mark_price": "10000",
            "quantity": "1",
            "leverage": "10",
            "maintenance_margin_rate": "0.004",
            "method": "binance",
        },
        "edit": ("#id_mark_price", "10400"),
    },
    "compare": {
        "path": "/calculators/compare/",
        "query": {
            "asset": "BTC",
            "side": "long",
            "entry_price": "60000",
            "quantity": "0.5",
            "leverage": "20",
        },
        "edit": ("#id_leverage", "10"),
    },
}


def url_of(live_server: Any, name: str) -> str:
    spec = CALCULATORS[name]
    return f"{live_server.url}{spec['path']}?{urlencode(spec['query'])}"


def key_figure(page: Any) -> str:
    return page.locator("[data-key-figure]").inner_text()


def wait_for_charts(page: Any) -> None:
    """Scroll to each chart (they are drawn only near the viewport) and wait until all are drawn."""
    charts = page.locator("[data-chart]")
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        expect(charts.nth(index)).to_have_attribute("data-chart-state", "drawn")


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_typing_updates_the_result_without_a_reload_and_the_url_reopens_it(
    page: Any, live_server: Any, page_record: PageRecord, name: str
) -> None:
    page.goto(url_of(live_server, name))
    before = key_figure(page)
    maths = page.locator("#analysis .calc-maths")
    maths_before = maths.text_content()
    page.evaluate("window.__noReload = true")
    selector, value = CALCULATORS[name]["edit"]
    page.fill(selector, value)
    expect(page.locator("[data-key-figure]")).not_to_have_text(before)
    assert page.evaluate("window.__noReload") is True
    # The maths (and charts) for the new inputs follow in the deferred analysis request.
    expect(page.locator("#analysis")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator(".calc-analysis-stale")).to_have_count(0)
    assert maths.text_content() != maths_before
    field = selector.removeprefix("#id_")
    expect(page).to_have_url(re.compile(rf"[?&]{field}={value}(&|$)"))
    after = key_figure(page)
    pushed = page.url
    fresh = page.context.new_page()
    fresh.goto(pushed)
    assert key_figure(fresh) == after
    page_record.assert_clean()


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_the_form_works_without_javascript(browser: Any, live_server: Any, name: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    spec = CALCULATORS[name]
    page.goto(live_server.url + spec["path"])
    for field, value in spec["query"].items():
        element = page.locator(f"#id_{field}")
        if not element.is_visible():  # under "More inputs", closed on an empty page
            page.locator("details[data-more-inputs] > summary").click()
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        else:
            element.fill(value)
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator("[data-key-figure]")).to_be_visible()
    assert re.search(r"\d", key_figure(page))
    context.close()


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_results_and_charts_pass_axe_in_light_and_dark(
    page: Any, live_server: Any, page_record: PageRecord, name: str
) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(url_of(live_server, name))
    wait_for_charts(page)
    assert_no_axe_violations(page)
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    wait_for_charts(page)
    assert_no_axe_violations(page)
    page_record.assert_clean()


def tab_to(page: Any, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_keyboard_only_run_through_the_liquidation_calculator(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.goto(live_server.url + "/calculators/liquidation/")
    tab_to(page, "id_entry_price")
    page.keyboard.type("20000")
    tab_to(page, "id_quantity")
    page.keyboard.type("1")
    tab_to(page, "id_leverage")
    page.keyboard.type("50")
    announce = page.locator("#announce")
    expect(announce).to_contain_text("Liquidation at")  # at the generic profile's stated rate
    assumed = key_figure(page)

    for _ in range(20):  # the rate waits under "More inputs": a keyboard opens it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    page.keyboard.press("Enter")
    tab_to(page, "id_maintenance_margin_rate")
    page.keyboard.type("0.01")
    expect(page.locator("[data-key-figure]")).not_to_have_text(assumed)
    first = key_figure(page)

    page.keyboard.press("Shift+Tab")
    for _ in range(60):
        if page.evaluate("document.activeElement.id") == "leverage-range":
            break
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "leverage-range"
    slider = page.locator("#leverage-range")
    expect(slider).to_have_attribute("aria-valuetext", "50× leverage")
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", "51× leverage")
    expect(page.locator("#id_leverage")).to_have_value("51")
    expect(page.locator(".leverage-value")).to_have_text("51×")
    expect(page.locator("[data-key-figure]")).not_to_have_text(first)
    expect(announce).to_contain_text(key_figure(page))
    expect(page).to_have_url(re.compile(r"leverage=51"))
    page_record.assert_clean()


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_the_live_region_announces_the_new_key_figure_after_typing(
    page: Any, live_server: Any, page_record: PageRecord, name: str
) -> None:
    page.goto(url_of(live_server, name))
    announce = page.locator("#announce")
    expect(announce).to_have_attribute("aria-live", "polite")
    before, said_before = key_figure(page), announce.text_content()
    assert before in (said_before or "")
    selector, value = CALCULATORS[name]["edit"]
    page.fill(selector, value)
    expect(page.locator("[data-key-figure]")).not_to_have_text(before)
    after = key_figure(page)
    expect(announce).to_contain_text(after)
    assert announce.text_content() != said_before
    page_record.assert_clean()


def pdf_page_count(pdf: bytes) -> int:
    """Page objects in a PDF (``/Type /Page``, not the ``/Pages`` tree node)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_printing_a_liquidation_result_hides_the_chrome_and_fits_one_a4_page(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.goto(url_of(live_server, "liquidation"))
    wait_for_charts(page)
    page.emulate_media(media="print")
    for chrome in ("header nav", "footer", "#form", ".breadcrumb", ".calc-charts"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator("[data-key-figure]")).to_be_visible()
    expect(page.locator(".scenario-table")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert pdf_page_count(pdf) == 1
    page_record.assert_clean()


def test_after_typing_the_scenarios_and_charts_follow_in_one_second_request(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    held: list[Any] = []  # analysis requests, answered when the test says so

    def hold_analysis(route: Any) -> None:
        if route.request.headers.get("hx-target") == "analysis":
            held.append(route)
        else:
            route.continue_()

    page.route("**/calculators/liquidation/**", hold_analysis)
    page.goto(f"{live_server.url}/calculators/liquidation/?{urlencode(BYBIT_EXAMPLE)}")
    wait_for_charts(page)
    yours = page.locator(".scenario-table tr[aria-current='true']")
    expect(yours).to_contain_text("19,700.00")
    page.evaluate("window.scrollTo(0, 0)")

    entry = page.locator("#id_entry_price")
    entry.select_text()
    entry.press_sequentially("21000", delay=40)  # one request after the 300 ms pause
    expect(page.locator("[data-key-figure]")).to_have_text("20,685.00")
    # Until the analysis answers, the block keeps the previous inputs' table and says so.
    analysis = page.locator("#analysis")
    expect(analysis).to_have_attribute("aria-busy", "true")
    expect(analysis.locator(".calc-analysis-pending")).to_contain_text("previous inputs")
    expect(yours).to_contain_text("19,700.00")
    # Printed now, the page leaves the previous inputs' analysis out and says so.
    page.emulate_media(media="print")
    expect(page.locator(".calc-analysis-stale")).to_be_hidden()
    expect(page.locator(".calc-analysis-print-note")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".calc-analysis-print-note")).to_be_hidden()
    page.wait_for_timeout(1500)  # typing has paused: it asks, once
    assert len(held) == 1
    held[0].continue_()
    expect(analysis).not_to_have_attribute("aria-busy", "true")
    expect(yours).to_contain_text("20,685.00")
    expect(page.locator(".calc-analysis-stale")).to_have_count(0)
    wait_for_charts(page)
    assert len(held) == 1
    assert_no_axe_violations(page)
    page_record.assert_clean()


def test_typing_on_asks_for_the_analysis_once_at_the_pause_even_with_it_in_view(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    asked: dict[str, list[str]] = {"result": [], "analysis": []}

    def count(request: Any) -> None:
        if request.headers.get("hx-request"):
            kind = "analysis" if request.headers.get("hx-target") == "analysis" else "result"
            asked[kind].append(request.url)

    page.goto(url_of(live_server, "margin"))
    expect(page.locator("#analysis .calc-maths")).to_be_in_viewport()
    page.on("request", count)
    price = page.locator("#id_price")
    price.select_text()
    for digit in "61000":  # each pause (0.6 s) passes htmx's 300 ms but not the block's 1 s
        price.press(digit)
        page.wait_for_timeout(600)
    expect(page.locator("[data-key-figure]")).to_have_text("1,525.00")  # 0.5 × 61,000 / 20
    assert len(asked["result"]) >= 4 and asked["analysis"] == []
    page.wait_for_timeout(1500)  # now typing has paused: one analysis, for the last inputs
    assert len(asked["analysis"]) == 1 and "price=61000" in asked["analysis"][0]
    expect(page.locator("#analysis")).not_to_have_attribute("aria-busy", "true")
    page_record.assert_clean()


def test_a_phone_loads_plotly_only_when_the_reader_scrolls_to_the_charts(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.set_viewport_size({"width": 412, "height": 823})
    plotly_requests: list[str] = []
    page.on("request", lambda r: "plotly" in r.url and plotly_requests.append(r.url))
    page.goto(url_of(live_server, "liquidation"))
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-key-figure]")).to_be_visible()
    assert plotly_requests == []
    assert page.locator("[data-chart][data-chart-state]").count() == 0

    first_chart = page.locator("[data-chart]").first
    first_chart.scroll_into_view_if_needed()
    expect(first_chart).to_have_attribute("data-chart-state", "drawn")
    assert len(plotly_requests) == 1
    page_record.assert_clean()


def test_adl_population_draws_the_histogram_and_passes_axe(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    query = {**CALCULATORS["adl"]["query"], "population": "0.1:1\n0.3:2\n0.05:3\n0.5:1"}
    page.goto(f"{live_server.url}/calculators/adl/?{urlencode(query)}")
    wait_for_charts(page)
    expect(page.locator("#chart-adl")).to_have_attribute("data-chart-state", "drawn")
    expect(page.locator("[data-adl-lights]")).to_contain_text("of 5 lights")
    assert_no_axe_violations(page)
    # Typing another entry re-ranks without a reload and announces the lights.
    page.locator("#id_population").press("End")
    page.locator("#id_population").type("\n0.9:5")
    expect(page.locator("#announce")).to_contain_text("of 5 lights, above")
    expect(page).to_have_url(re.compile(r"population=.*0\.9%3A5"))
    page_record.assert_clean()


# Bybit's legacy inverse example (tests/calc/fixtures/extra_vectors.json): 5,000 BTCUSD
# contracts long at 7,890.08 on 50x; liquidation 7,773.50, bankruptcy 7,735.372549.
INVERSE_PAGES = {
    "liquidation": (
        "/calculators/liquidation/",
        {
            "side": "long",
            "contract": "inverse",
            "quantity": "5000",
            "contract_size": "1",
            "entry_price": "7890.08",
            "leverage": "50",
            "maintenance_margin_rate": "0.005",
            "mm_basis": "entry",
            "tick_size": "0.5",
        },
        "7,773.5",
    ),
    "pnl": (
        "/calculators/pnl/",
        {
            "side": "long",
            "contract": "inverse",
            "quantity": "5000",
            "entry_price": "7890.08",
            "exit_price": "7735.372549",
            "leverage": "50",
        },
        "−0.0126741",
    ),
}


@pytest.mark.parametrize("name", list(INVERSE_PAGES))
def test_inverse_case_draws_a_bent_payoff_curve_and_says_why(
    page: Any, live_server: Any, page_record: PageRecord, name: str
) -> None:
    path, query, figure = INVERSE_PAGES[name]
    page.goto(f"{live_server.url}{path}?{urlencode(query)}")
    expect(page.locator("[data-key-figure]")).to_have_text(figure)
    wait_for_charts(page)
    expect(page.locator("#chart-pnl")).to_have_attribute("data-chart-state", "drawn")
    note = page.locator(".alert-info", has_text="Inverse contract:")
    expect(note).to_be_visible()
    expect(note).to_contain_text("not a straight line in the price")
    # The curve Plotly drew: its slope at the low end differs from the high end's.
    slopes = page.evaluate(
        """() => {
          const t = document.getElementById("chart-pnl").data[0];
          const n = t.x.length;
          return [(t.y[1] - t.y[0]) / (t.x[1] - t.x[0]),
                  (t.y[n - 1] - t.y[n - 2]) / (t.x[n - 1] - t.x[n - 2])];
        }"""
    )
    assert abs(slopes[0] - slopes[1]) > abs(slopes[0]) * 0.01
    assert_no_axe_violations(page)
    page_record.assert_clean()


def test_choosing_an_exchange_caps_the_leverage_slider_from_the_server(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    query = {**CALCULATORS["position-size"]["query"], "entry_price": "60000"}
    query["stop_price"] = "59000"
    page.goto(f"{live_server.url}/calculators/position-size/?{urlencode(query)}")
    slider = page.locator("#leverage-range")
    expect(slider).to_have_attribute("max", "1000")
    page.locator("details", has_text="More inputs").locator("summary").click()
    page.select_option("#id_exchange", "binance_usdm")
    page.fill("#id_symbol", "BTCUSDT")
    expect(page.locator(".preset-source")).to_contain_text("BTCUSDT tiers, snapshot")
    expect(slider).to_have_attribute("max", "125")
    expect(page.locator("#id_leverage")).to_have_attribute("max", "125")
    expect(page.locator("[data-leverage-cap]")).to_have_text("maximum 125× here")
    page_record.assert_clean()


def test_symbol_suggestions_follow_the_exchange_without_a_reload(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.goto(
        f"{live_server.url}{url_of(live_server, 'liquidation').removeprefix(live_server.url)}"
    )
    options = page.locator("#symbol-choices option")
    expect(options.first).to_have_attribute("value", "1000BONKUSDC")  # Binance's, sorted
    page.evaluate("window.riskcalcLoaded = true")  # gone if the page reloads
    page.select_option("#id_exchange", "dydx")
    expect(options).to_have_count(3)
    expect(options.first).to_have_attribute("value", "BTC-USD")
    assert page.evaluate("window.riskcalcLoaded === true")
    page_record.assert_clean()
