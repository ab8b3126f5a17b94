"""Calculator pages through Django's test client: full page, htmx partial, errors, and the
published worked examples reproduced through the page (parsing the key figure from HTML)."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils.timezone import localdate

from tests.examples import ADL_BINANCE, BYBIT_EXAMPLE

HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "result"}

BINANCE_BTC = {
    "side": "long",
    "entry_price": "60000",
    "quantity": "0.5",
    "leverage": "20",
    "exchange": "binance_usdm",
    "symbol": "BTCUSDT",
}


def get(client: Client, path: str, params: dict[str, str], **headers: str):
    return client.get(f"{path}?{urlencode(params)}", **headers)


def key_figure(html: str) -> Decimal:
    """The large figure of the result, as a Decimal (thousands separators removed)."""
    match = re.search(r"data-key-figure>([^<]+)<", html)
    assert match, "no key figure in the page"
    return Decimal(match.group(1).replace(",", "").replace("\u2212", "-"))


@pytest.fixture
def client() -> Client:
    return Client()


def test_index_lists_the_liquidation_calculator(client: Client) -> None:
    response = client.get("/calculators/")
    assert response.status_code == 200
    assert 'href="/calculators/liquidation/"' in response.content.decode()


def test_empty_liquidation_page_offers_an_example_and_no_result(client: Client) -> None:
    response = client.get("/calculators/liquidation/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="form"' in html and 'id="result"' in html
    assert "data-key-figure" not in html
    assert "Try Bybit" in html


def test_full_page_renders_the_result_without_javascript(client: Client) -> None:
    response = get(client, "/calculators/liquidation/", BYBIT_EXAMPLE)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<!doctype html>")
    assert '<button type="submit"' in html
    assert "Show the maths" in html
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_request_renders_only_the_result_partial(client: Client) -> None:
    response = get(client, "/calculators/liquidation/", BYBIT_EXAMPLE, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="result"')
    assert "<html" not in html and 'id="form"' not in html
    assert "HX-Request" in response.headers["Vary"]
    # The live region is updated out of band with a one-line summary.
    assert re.search(r'<p id="announce" hx-swap-oob="innerHTML">Liquidation at 19,700', html)


# Each calculator page with a worked example, and what its deferred analysis block holds:
# the maths always, then its charts and tables.
DEFERRED_ANALYSIS = {
    "/calculators/liquidation/": (
        BYBIT_EXAMPLE,
        (
            "scenario-table",
            'data-chart="chart-ladder-data"',
            'data-chart="chart-touch-data"',
            "Chance of touching the liquidation price within 24 hours",
        ),
    ),
    "/calculators/pnl/": (
        {"side": "long", "entry_price": "20000", "exit_price": "20200", "quantity": "1"},
        ('data-chart="chart-pnl-data"', "PnL at sample exit prices"),
    ),
    "/calculators/position-size/": (
        {
            "side": "long",
            "account_balance": "78500",
            "risk_fraction": "0.01",
            "entry_price": "30",
            "stop_price": "29",
        },
        ('data-chart="chart-ladder-data"',),
    ),
    "/calculators/margin/": (
        {"quantity": "109.488", "price": "31967.27", "maintenance_margin_rate": "0.025"},
        (),
    ),
    "/calculators/adl/": (
        {**ADL_BINANCE, "population": "0.004:1\n0.012:2"},
        ('data-chart="chart-adl-data"',),
    ),
}
DEFERRED_PATHS = list(DEFERRED_ANALYSIS)


@pytest.mark.parametrize("path", DEFERRED_PATHS)
def test_htmx_result_defers_the_maths_charts_and_tables_to_a_second_request(
    client: Client, path: str
) -> None:
    params, parts = DEFERRED_ANALYSIS[path]
    url = f"{path}?{urlencode(params)}"
    response = client.get(url, **HX)
    html = response.content.decode()
    assert "data-key-figure" in html
    assert "Show the maths" not in html
    for part in parts:
        assert part not in html
    placeholder = re.search(r'<div id="analysis"[^>]*>', html)
    assert placeholder, "no #analysis placeholder"
    tag = placeholder.group(0)
    assert 'hx-trigger="load delay:1s"' in tag and 'aria-busy="true"' in tag
    assert f'hx-get="{url.replace("&", "&amp;")}"' in tag
    assert 'data-analysis-label="the maths' in tag
    assert "HX-Target" in response.headers["Vary"]


@pytest.mark.parametrize("path", DEFERRED_PATHS)
def test_the_analysis_request_renders_only_the_maths_charts_and_tables(
    client: Client, path: str
) -> None:
    params, parts = DEFERRED_ANALYSIS[path]
    response = get(client, path, params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="analysis")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="analysis" class="calc-analysis">')
    assert "aria-busy" not in html
    assert "Show the maths" in html
    for part in parts:
        assert part in html
    assert "data-key-figure" not in html and 'id="announce"' not in html
    assert "HX-Target" in response.headers["Vary"]


FULL_EMBED = {"mode": "full"}
"""An embed's whole calculator; the default compact widget has no maths or charts."""


@pytest.mark.parametrize("path", DEFERRED_PATHS)
def test_the_full_page_has_the_maths_charts_and_tables_inline(client: Client, path: str) -> None:
    params, parts = DEFERRED_ANALYSIS[path]
    html = get(client, path, params).content.decode()
    assert "data-key-figure" in html
    assert '<div id="analysis" class="calc-analysis">' in html
    assert "Show the maths" in html and "aria-busy" not in html
    for part in parts:
        assert part in html


@pytest.mark.parametrize("path", DEFERRED_PATHS)
def test_an_embed_updates_in_one_request_with_the_analysis_inline(
    client: Client, path: str
) -> None:
    params, parts = DEFERRED_ANALYSIS[path]
    embed = path.replace("/calculators/", "/embed/")
    html = get(client, embed, {**params, **FULL_EMBED}, **HX).content.decode()
    assert "data-key-figure" in html and "Show the maths" in html
    assert "aria-busy" not in html
    for part in parts:
        assert part in html


def test_htmx_request_with_errors_is_swapped_with_status_200(client: Client) -> None:
    response = get(
        client, "/calculators/liquidation/", {**BYBIT_EXAMPLE, "entry_price": "abc"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not calculated yet" in html
    assert 'href="#id_entry_price"' in html


def test_bybit_worked_example_reproduces_19700_through_the_page(client: Client) -> None:
    html = get(client, "/calculators/liquidation/", BYBIT_EXAMPLE).content.decode()
    assert key_figure(html) == Decimal("19700")
    assert "19,600.00" in html  # bankruptcy price E x (1 - 1/L)


@pytest.mark.parametrize(
    ("leg", "expected"),
    [
        (
            {
                "entry_price": "1456.84",
                "quantity": "3683.979",
                "other_maintenance_margin": "71200.81144",
                "other_unrealized_pnl": "-56354.57",
                "maintenance_margin_rate": "0.10",
                "maintenance_amount": "135365",
            },
            Decimal("1153.26"),
        ),
        (
            {
                "entry_price": "32481.98",
                "quantity": "109.488",
                "other_maintenance_margin": "356512.508",
                "other_unrealized_pnl": "-448192.89",
                "maintenance_margin_rate": "0.025",
                "maintenance_amount": "16300",
            },
            Decimal("26316.89"),
        ),
    ],
)
def test_binance_faq_cross_legs_reproduce_through_the_page(
    client: Client, leg: dict[str, str], expected: Decimal
) -> None:
    params = {"side": "long", "margin_mode": "cross", "wallet_balance": "1535443.01", **leg}
    html = get(client, "/calculators/liquidation/", params).content.decode()
    assert abs(key_figure(html) - expected) <= Decimal("0.01")


def test_exchange_preset_shows_the_tier_table_and_its_date(client: Client) -> None:
    html = get(client, "/calculators/liquidation/", BINANCE_BTC).content.decode()
    assert re.search(r"BTCUSDT tiers, snapshot \d{4}-\d{2}-\d{2}", html)
    assert 'data-leverage-max="125"' in html  # 30,000 USDT notional is in tier 1 (125x)


def test_a_preset_shows_its_snapshot_date_and_age_and_warns_past_30_days(
    client: Client,
) -> None:
    query = "side=long&entry_price=60000&quantity=1&leverage=10&exchange=binance_usdm"
    page = client.get(f"/calculators/liquidation/?{query}&symbol=BTCUSDT").content.decode()
    days = (localdate() - date(2024, 10, 24)).days
    assert f"snapshot 2024-10-24 ({days} days old" in page
    assert "older than 30 days, so the exchange may have changed it" in page


def test_symbol_field_suggests_only_the_chosen_exchanges_symbols(client: Client) -> None:
    page = client.get("/calculators/liquidation/", {"exchange": "bybit"}).content.decode()
    assert 'list="symbol-choices"' in page
    datalist = re.search(r'<datalist id="symbol-choices">(.*?)</datalist>', page)
    assert datalist is not None
    assert re.findall(r'value="([^"]+)"', datalist.group(1)) == ["BTCUSDT"]


def test_an_htmx_result_carries_the_new_exchanges_symbols_out_of_band(client: Client) -> None:
    # The form's datalist is not swapped with the result: the result brings it along, so the
    # suggestions follow a change of exchange without a page reload.
    html = client.get(
        "/calculators/liquidation/", {"exchange": "dydx", "side": "long"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    datalist = re.search(r'<datalist id="symbol-choices" hx-swap-oob="true">(.*?)</datalist>', html)
    assert datalist is not None
    assert re.findall(r'value="([^"]+)"', datalist.group(1)) == ["BTC-USD", "ETH-USD", "SOL-USD"]


def test_leverage_above_the_tier_maximum_is_refused_with_the_reason(client: Client) -> None:
    html = get(
        client, "/calculators/liquidation/", {**BINANCE_BTC, "leverage": "150"}
    ).content.decode()
    assert "Not calculated yet" in html
    assert "allows at most" in html


def test_scenario_table_marks_leverages_the_exchange_does_not_allow(client: Client) -> None:
    html = get(client, "/calculators/liquidation/", BINANCE_BTC).content.decode()
    assert "not allowed on Binance" in html
    assert "model estimate" in html


def test_decimal_comma_input_is_echoed_as_read(client: Client) -> None:
    html = get(
        client, "/calculators/liquidation/", {**BYBIT_EXAMPLE, "entry_price": "20.000,0"}
    ).content.decode()
    assert "read as 20,000" in html
    assert key_figure(html) == Decimal("19700")


def test_no_liquidation_price_is_shown_as_dashes_with_the_reason(client: Client) -> None:
    params = {**BYBIT_EXAMPLE, "leverage": "1", "mm_basis": "mark"}
    html = get(client, "/calculators/liquidation/", params).content.decode()
    assert "<strong data-key-figure>--</strong>" in html
    assert "no liquidation price" in html.lower()


OTHER_PAGES = [
    "/calculators/position-size/",
    "/calculators/margin/",
    "/calculators/pnl/",
    "/calculators/adl/",
]


@pytest.mark.parametrize("path", OTHER_PAGES)
def test_other_calculators_render_full_page_and_htmx_partial(client: Client, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and 'id="form"' in page.content.decode()
    assert "HX-Request" in page.headers["Vary"]
    partial = client.get(path + "?side=long", **HX).content.decode()
    assert partial.lstrip().startswith('<section id="result"')


def test_margin_page_reproduces_binance_maintenance_margin_example(client: Client) -> None:
    params = {
        "quantity": "109.488",
        "price": "31967.27",
        "maintenance_margin_rate": "0.025",
        "maintenance_amount": "16300",
    }
    html = get(client, "/calculators/margin/", params).content.decode()
    assert abs(key_figure(html) - Decimal("71200.81")) <= Decimal("0.01")


def test_position_size_page_reproduces_schwab_785(client: Client) -> None:
    params = {
        "side": "long",
        "account_balance": "78500",
        "risk_fraction": "0.01",
        "entry_price": "30",
        "stop_price": "29",
        "lot_step": "1",
    }
    html = get(client, "/calculators/position-size/", params).content.decode()
    assert key_figure(html) == Decimal("785")


def test_adl_page_reproduces_binance_leverage_pnl_0_008(client: Client) -> None:
    # Binance's LeveragePnL worked: PnL% = 2,500 / 10,000 = 25%, margin ratio =
    # 400 / (10,000 + 2,500) = 3.2%, score 0.25 x 0.032 = 0.008.
    html = get(client, "/calculators/adl/", ADL_BINANCE).content.decode()
    assert key_figure(html) == Decimal("0.008")
    assert "Margin ratio (maintenance margin ÷ equity)" in html


def test_pnl_page_reproduces_the_bybit_roe_example(client: Client) -> None:
    params = {
        "side": "long",
        "entry_price": "20000",
        "exit_price": "20200",
        "quantity": "1",
        "leverage": "50",
    }
    html = get(client, "/calculators/pnl/", params).content.decode()
    assert key_figure(html) == Decimal("200")
    assert "ROE +50.00%" in html and "Profit" in html


def scenario_chance(html: str, leverage: str) -> str:
    """The scenario table's 24-hour chance in the row for ``leverage`` (e.g. "20×")."""
    row = re.search(rf"<th scope=\"row\">{re.escape(leverage)}.*?</tr>", html, re.S)
    assert row, f"no scenario row for {leverage}"
    cells = re.findall(r'<td class="figure-num">([^<]*)</td>', row.group(0))
    return cells[-1]


def test_volatility_defaults_to_a_labelled_assumption(client: Client) -> None:
    html = get(client, "/calculators/liquidation/", BYBIT_EXAMPLE).content.decode()
    assert 'name="volatility"' in html
    assert "an assumed 60% annual volatility" in html


def test_volatility_input_drives_the_scenarios_and_the_touch_chart(client: Client) -> None:
    low = get(client, "/calculators/liquidation/", BYBIT_EXAMPLE).content.decode()
    high = get(
        client, "/calculators/liquidation/", {**BYBIT_EXAMPLE, "volatility": "1.2"}
    ).content.decode()
    assert "an assumption — not a measured figure" not in high
    assert "the 120% annual volatility you gave" in high
    # Doubling the volatility raises the model chance at every leverage in the table.
    for leverage in ("5×", "20×", "100×"):
        before = Decimal(scenario_chance(low, leverage).rstrip("%"))
        after = Decimal(scenario_chance(high, leverage).rstrip("%"))
        assert after > before, leverage
    touch = re.search(r'id="chart-touch-data"[^>]*>(.*?)</script>', high, re.S)
    assert touch and touch.group(1) != re.search(
        r'id="chart-touch-data"[^>]*>(.*?)</script>', low, re.S
    ).group(1)


def test_volatility_outside_its_bounds_is_refused_on_its_field(client: Client) -> None:
    html = get(
        client, "/calculators/liquidation/", {**BYBIT_EXAMPLE, "volatility": "0"}
    ).content.decode()
    assert "Not calculated yet" in html
    assert 'href="#id_volatility"' in html


def test_adl_page_without_a_population_explains_how_to_add_one(client: Client) -> None:
    html = get(client, "/calculators/adl/", ADL_BINANCE).content.decode()
    assert key_figure(html) == Decimal("0.008")
    assert "data-adl-no-sample" in html and "No sample is made up here" in html
    assert '<textarea name="population"' in html
    assert "data-adl-lights" not in html and "chart-adl-data" not in html
    # The box says how to add a population; the same advice is not repeated as a warning.
    assert 'data-warning="no_population"' not in html


def test_an_adl_embed_without_the_summary_box_keeps_the_population_warning(
    client: Client,
) -> None:
    params = {**ADL_BINANCE, **FULL_EMBED, "show": "maths"}
    html = get(client, "/embed/adl/", params).content.decode()
    assert "data-adl-no-sample" not in html
    assert 'data-warning="no_population"' in html


def test_adl_page_with_a_population_shows_lights_percentile_and_histogram(
    client: Client,
) -> None:
    # Scores 0.02 and 0.012 rank ahead of yours (0.008), 0.004 and 0.002 behind: by count 3
    # of 5 positions are at or ahead of yours, so 40% rank behind and the lights are 3.
    params = {**ADL_BINANCE, "population": "0.004:1\n0.012:2\n0.002:3\n0.02:1"}
    html = get(client, "/calculators/adl/", params).content.decode()
    assert key_figure(html) == Decimal("0.008")
    assert 'data-adl-lights="3"' in html
    assert "<strong>3 of 5 lights</strong>" in html
    assert html.count("adl-light adl-light-on") == 3
    assert re.search(r"ranks above <strong[^>]*>40%</strong>", html)
    figure = chart_data(html, "adl")
    assert figure["data"][0]["type"] == "bar" and sum(figure["data"][0]["y"]) == 4
    assert figure["layout"]["shapes"][0]["x0"] == 0.008
    assert figure["layout"]["annotations"][0]["text"] == "your position"
    partial = get(client, "/calculators/adl/", params, **HX).content.decode()
    assert re.search(r'id="announce"[^>]*>[^<]*3 of 5 lights, above 40% of the sample', partial)


def test_adl_page_population_errors_link_to_the_field(client: Client) -> None:
    params = {**ADL_BINANCE, "population": "0.004:1\n0.3"}
    html = get(client, "/calculators/adl/", params, **HX).content.decode()
    assert 'href="#id_population"' in html
    assert "Entry 2 (&quot;0.3&quot;): write it as score:quantity" in html


# Bybit's legacy inverse example (tests/calc/fixtures/extra_vectors.json,
# bybit-inverse-legacy-isolated-long-adl-page): 5,000 BTCUSD contracts of 1 USD long at
# 7,890.08 on 50x, MMR 0.5% at entry, 0.5 USD tick: liquidation 7,773.50, bankruptcy 7,735.50.
BYBIT_INVERSE = {
    "side": "long",
    "contract": "inverse",
    "quantity": "5000",
    "contract_size": "1",
    "entry_price": "7890.08",
    "leverage": "50",
    "maintenance_margin_rate": "0.005",
    "mm_basis": "entry",
    "tick_size": "0.5",
}


def chart_data(html: str, name: str) -> dict:
    match = re.search(rf'id="chart-{name}-data"[^>]*>(.*?)</script>', html, re.S)
    assert match, f"no {name} chart"
    return json.loads(match.group(1))


def bends(xs: list[float], ys: list[float]) -> bool:
    """Whether a curve is not a straight line: its slope changes along it by over 1%."""
    first = (ys[1] - ys[0]) / (xs[1] - xs[0])
    last = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    return abs(first - last) > abs(first) * 0.01


def test_inverse_liquidation_page_reproduces_bybit_and_explains_the_curve(
    client: Client,
) -> None:
    html = get(client, "/calculators/liquidation/", BYBIT_INVERSE).content.decode()
    assert key_figure(html) == Decimal("7773.50")
    assert re.search(r"7,735\.5\b", html)  # the bankruptcy price, to the 0.5 tick
    assert "Inverse contract:" in html and "is not a straight line in the price" in html
    curve = chart_data(html, "pnl")["data"][0]
    assert bends(curve["x"], curve["y"])


def test_inverse_pnl_page_loses_the_whole_margin_at_the_bankruptcy_price(
    client: Client,
) -> None:
    # Bybit's page prints the unrounded bankruptcy price 7,735.372549: closing there loses
    # the initial margin, 5,000 / 7,890.08 / 50 = 0.0126741 BTC, an ROE of -100%.
    params = {
        "side": "long",
        "contract": "inverse",
        "quantity": "5000",
        "entry_price": "7890.08",
        "exit_price": "7735.372549",
        "leverage": "50",
    }
    html = get(client, "/calculators/pnl/", params).content.decode()
    assert key_figure(html) == Decimal("-0.0126741")
    assert "ROE −100.00%" in html
    assert "Inverse contract:" in html and "not a straight line in the price" in html
    curve = chart_data(html, "pnl")["data"][0]
    assert bends(curve["x"], curve["y"])
    linear = get(
        client, "/calculators/pnl/", {**params, "contract": "linear", "quantity": "1"}
    ).content.decode()
    assert "Inverse contract:" not in linear
    line = chart_data(linear, "pnl")["data"][0]
    assert not bends(line["x"], line["y"])


POSITION_SIZE_BINANCE = {
    "side": "long",
    "account_balance": "10000",
    "risk_fraction": "0.01",
    "entry_price": "60000",
    "stop_price": "59000",
    "leverage": "20",
    "exchange": "binance_usdm",
    "symbol": "BTCUSDT",
}


def test_position_size_preset_uses_the_tier_for_the_liquidation_check(client: Client) -> None:
    html = get(client, "/calculators/position-size/", POSITION_SIZE_BINANCE).content.decode()
    assert key_figure(html) == Decimal("0.1")
    assert re.search(r"BTCUSDT tiers, snapshot \d{4}-\d{2}-\d{2}", html)
    assert "tier 1, which allows at most 125×" in html
    assert 'data-leverage-max="125"' in html
    # Isolated at 20x in tier 1 the liquidation price does not depend on the size: the same
    # as the liquidation page's for 0.5 BTC (57,228.92).
    assert "57,228.92" in html
    liquidation = get(client, "/calculators/liquidation/", BINANCE_BTC).content.decode()
    assert key_figure(liquidation) == Decimal("57228.92")


def test_position_size_preset_refuses_leverage_above_the_tier_cap(client: Client) -> None:
    params = {
        **POSITION_SIZE_BINANCE,
        "account_balance": "10000000",
        "risk_fraction": "0.05",
        "stop_price": "59900",
        "leverage": "100",
    }
    html = get(client, "/calculators/position-size/", params).content.decode()
    assert "Not calculated yet" in html
    assert re.search(r"tier \d+ allows at most \d+× at this size \(snapshot \d{4}-", html)


def test_margin_page_passes_the_tier_cap_to_the_leverage_slider(client: Client) -> None:
    params = {
        "quantity": "0.5",
        "price": "60000",
        "leverage": "20",
        "exchange": "binance_usdm",
        "symbol": "BTCUSDT",
    }
    partial = get(client, "/calculators/margin/", params, **HX).content.decode()
    assert 'data-leverage-max="125"' in partial


def test_pnl_page_says_it_has_no_exchange_preset(client: Client) -> None:
    html = client.get("/calculators/pnl/").content.decode()
    assert "No exchange preset on this page" in html
    assert 'name="exchange"' not in html


def test_adl_page_names_the_exchanges_whose_rule_it_applies(client: Client) -> None:
    html = client.get("/calculators/adl/").content.decode()
    for value, label in (("bitmex", "BitMEX"), ("okx", "OKX"), ("mexc", "MEXC")):
        assert f'<option value="{value}"' in html and f">{label}</option>" in html
    assert "Exchange (ADL ranking rule)" in html


LEARN_EXPECTED = {
    "/calculators/liquidation/": {"liquidation", "leverage", "isolated-vs-cross"},
    "/calculators/position-size/": {"position-sizing", "liquidation"},
    "/calculators/margin/": {"margin", "leverage"},
    "/calculators/pnl/": {"linear-vs-inverse", "funding-rates"},
    "/calculators/adl/": {"bankruptcy-insurance-adl"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(LEARN_EXPECTED))
def test_calculator_pages_link_to_learn_pages_that_resolve(client: Client, path: str) -> None:
    empty = client.get(path).content.decode()
    example = re.search(r'href="\?([^"]+)"', empty)
    assert example, "no example link"
    result = client.get(f"{path}?{example.group(1).replace('&amp;', '&')}").content.decode()
    assert "data-key-figure" in result
    for html in (empty, result):
        links = "".join(re.findall(r'<p class="calc-learn.*?</p>', html, re.S))
        slugs = set(re.findall(r'href="/learn/([a-z0-9-]+)/"', links))
        assert LEARN_EXPECTED[path] | {"glossary"} <= slugs, slugs
    for slug in sorted(slugs):
        assert client.get(f"/learn/{slug}/").status_code == 200, slug


@pytest.mark.parametrize(
    ("params", "sentence"),
    [
        (
            BYBIT_EXAMPLE,
            "Long 1 coin at 20,000.00 USDT, 50×, isolated margin, linear contract; "
            "maintenance valued at the entry price.",
        ),
        (
            {**BINANCE_BTC, "side": "short"},
            "Short 0.5 BTC at 60,000.00 USDT, 20×, isolated margin, linear contract, "
            "Binance USDS-M BTCUSDT; maintenance valued at the mark price.",
        ),
        (
            {
                "side": "long",
                "entry_price": "60000",
                "quantity": "100",
                "contract": "inverse",
                "contract_size": "100",
                "leverage": "10",
                "maintenance_margin_rate": "0.005",
            },
            "Long 100 contracts at 60,000.00 USD, 10×, isolated margin, inverse contract; "
            "maintenance valued at the mark price.",
        ),
    ],
)
def test_a_liquidation_result_opens_with_the_inputs_it_answers(
    client: Client, params: dict[str, str], sentence: str
) -> None:
    html = get(client, "/calculators/liquidation/", params, **HX).content.decode()
    line = re.search(r'<p class="inputs-summary[^>]*>(.*?)</p>', html, re.S)
    assert line and line.group(1) == sentence


PRICE_MAX = 1e12  # the largest price the core accepts (charts hold floats)
MMR = {"maintenance_margin_rate": "0.5"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (path, {"side": side, "entry_price": entry, "quantity": "0.001", "leverage": "10", **MMR})
        for path in ("/calculators/liquidation/", "/embed/liquidation/")
        for side in ("long", "short")
        for entry in ("892857142858", "1000000000000")
    ]
    + [
        (path, {"side": side, "entry_price": "100", "exit_price": "1000000000000", "quantity": "1"})
        for path in ("/calculators/pnl/", "/embed/pnl/")
        for side in ("long", "short")
    ],
)
def test_charts_near_the_largest_price_stop_at_it_instead_of_failing_the_page(
    client: Client, path: str, params: dict[str, str]
) -> None:
    response = get(client, path, {**params, **FULL_EMBED} if "/embed/" in path else params)
    assert response.status_code == 200
    key_figure(response.content.decode())
    exit_prices = response.context["figures"]["pnl"]["data"][0]["x"]
    assert max(exit_prices) <= PRICE_MAX
    assert min(exit_prices) > 0


@pytest.mark.parametrize(("method", "name"), [("bitmex", "BitMEX"), ("okx", "OKX")])
def test_the_adl_headline_names_the_rules_exchange_as_it_is_written(
    client: Client, method: str, name: str
) -> None:
    params = {"method": method, "side": "long", "entry_price": "60000", "mark_price": "61000"}
    html = get(client, "/calculators/adl/", {**params, "quantity": "0.5", "leverage": "20"})
    page = html.content.decode()

    assert f"under {name}&#x27;s rule" in page or f"under {name}'s rule" in page
    assert f"({name} rule)" in page
    assert f"{method} rule" not in page
