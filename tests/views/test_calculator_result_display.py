"""What a calculator result shows a reader (issue 14, "the result stays in sight"): one live
headline with the price, the distance and what it means; the maths as a stacked list that
ends with the rounding to the displayed figure; a scenario table a keyboard can scroll; the
volatility caveat said once."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.examples import BYBIT_EXAMPLE

pytestmark = pytest.mark.django_db

BINANCE_BTC = {
    "side": "long",
    "entry_price": "94000",
    "quantity": "0.5",
    "leverage": "100",
    "exchange": "binance_usdm",
    "symbol": "BTCUSDT",
}


def page(client: Client, path: str, query: dict[str, str], **headers: str) -> str:
    response = client.get(f"{path}?{urlencode(query)}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def headline(html: str) -> str:
    match = re.search(r'<p id="announce"([^>]*)>([^<]*)</p>', html)
    assert match, "no headline"
    return match.group(2)


def test_the_headline_says_the_price_the_distance_and_what_it_means(client: Client) -> None:
    html = page(client, "/calculators/liquidation/", BYBIT_EXAMPLE)
    assert re.fullmatch(  # the unit's name is the inputs' business (USDT)
        r"Liquidation at 19,700\.00 \w+, 1\.50% below entry: a fall of 1\.50% liquidates it\.",
        headline(html),
    )


def test_there_is_one_live_region_and_it_is_the_headline(client: Client) -> None:
    html = page(client, "/calculators/liquidation/", BYBIT_EXAMPLE)
    assert html.count("aria-live") == 1
    tag = re.search(r'<p id="announce"[^>]*>', html).group(0)
    assert 'aria-live="polite"' in tag and "data-headline" in tag and "calc-headline" in tag


def test_the_headline_says_why_there_is_no_answer_yet(client: Client) -> None:
    html = page(client, "/calculators/liquidation/", {**BYBIT_EXAMPLE, "entry_price": "-1"})
    assert headline(html) == "Not calculated yet: fix 1 input."


def test_the_maths_is_a_stacked_list_that_ends_with_the_rounding_step(client: Client) -> None:
    html = page(client, "/calculators/liquidation/", BINANCE_BTC)
    maths = html[
        html.index('class="calc-maths') : html.index("</details>", html.index("calc-maths"))
    ]
    assert "<table" not in maths
    steps = re.findall(r'<li class="calc-step">(.*?)</li>', maths, re.S)
    assert len(steps) >= 4
    last = steps[-1]
    assert "Liquidation price shown" in last and "rounded up (a long)" in last
    exact, shown = re.search(r"([\d,]+\.\d{6}) → ([\d,.]+)", last).groups()
    key = re.search(r"data-key-figure>([^<]+)<", html).group(1)
    assert shown == key and exact != shown
    assert float(exact.replace(",", "")) <= float(shown.replace(",", ""))


def test_prices_follow_the_symbols_tick_else_two_places(client: Client) -> None:
    with_tick = page(client, "/calculators/liquidation/", {**BYBIT_EXAMPLE, "tick_size": "0.5"})
    assert re.search(r"data-key-figure>19,700\.0<", with_tick)
    assert "to the tick 0.5" in with_tick
    without = page(client, "/calculators/liquidation/", BYBIT_EXAMPLE)
    assert re.search(r"data-key-figure>19,700\.00<", without)
    assert "to 2 decimal places (no tick known)" in without


def test_the_scenario_tables_scroll_area_is_a_named_focusable_region(client: Client) -> None:
    html = page(client, "/calculators/liquidation/", BYBIT_EXAMPLE)
    wrapper = re.search(
        r'<div class="table-responsive[^"]*"[^>]*>\s*<table[^>]*scenario-table', html
    )
    assert wrapper
    tag = wrapper.group(0)
    assert 'tabindex="0"' in tag and 'role="region"' in tag and 'aria-label="' in tag


def test_the_volatility_caveat_is_said_once(client: Client) -> None:
    html = page(client, "/calculators/liquidation/", BYBIT_EXAMPLE)
    result = html[html.index('<section id="result"') :]  # the field's help is the form's
    assert result.count("not a measured figure") == 1
    assert result.count("an assumed 60% annual volatility") == 3  # named by each figure
    assert "60%, an assumption" not in result
