"""A calculator on a 375 x 812 phone (issue 14, "the result stays in sight"): the headline
follows the reader down the form, updates as they type and stays within the viewport; the
maths reads as a list that fits the width; without JavaScript the headline is still there."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageRecord, assert_no_axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LIQUIDATION = {"side": "long", "entry_price": "60000", "quantity": "0.5", "leverage": "20"}


def in_viewport(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_typing_a_new_leverage_updates_the_headline_within_the_viewport(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/calculators/liquidation/?{urlencode(LIQUIDATION)}")
    headline = page.locator("[data-headline]")
    before = headline.inner_text()
    assert before.startswith("Liquidation at")
    leverage = page.locator("#id_leverage")
    leverage.scroll_into_view_if_needed()
    leverage.fill("50")
    expect(headline).not_to_have_text(before)
    after = headline.inner_text()
    key = page.locator("[data-key-figure]").inner_text()
    assert key in after and "liquidates it" in after
    assert in_viewport(page, "[data-headline]")
    assert in_viewport(page, "#id_leverage")
    assert page.locator("[aria-live]").count() == 1
    assert_no_axe_violations(page)
    page_record.assert_clean()


def test_the_maths_fits_a_phone_as_a_list(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/calculators/liquidation/?{urlencode(LIQUIDATION)}")
    page.locator(".calc-maths summary").click()
    steps = page.locator(".calc-step")
    assert steps.count() >= 4
    expect(steps.last).to_contain_text("Liquidation price shown")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    for index in range(steps.count()):
        box = steps.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page_record.assert_clean()


def test_without_javascript_a_phone_gets_the_headline_and_the_result(
    browser: Any, live_server: Any
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/calculators/liquidation/?{urlencode(LIQUIDATION)}")
    expect(page.locator("[data-headline]")).to_be_visible()
    expect(page.locator("[data-headline]")).to_contain_text("Liquidation at")
    expect(page.locator("[data-key-figure]")).to_have_count(1)
    context.close()


COMPARE = {
    "asset": "BTC",
    "side": "long",
    "entry_price": "60000",
    "quantity": "0.5",
    "leverage": "20",
}


def browser_roles(page: Any) -> list[str]:
    """The role of every node of Chromium's own accessibility tree of the page (what a screen
    reader is given, after CSS), from the DevTools protocol."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    return [node.get("role", {}).get("value", "") for node in nodes]


@pytest.mark.parametrize("asset", ["BTC", "ETH"])
def test_the_comparison_with_its_sources_fits_a_phone(
    page: Any, live_server: Any, page_record: PageRecord, asset: str
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/calculators/compare/?{urlencode({**COMPARE, 'asset': asset})}")

    assert page.locator(".compare-notes").count() == 1  # the notes name each table's source
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page_record.assert_clean()


def test_the_comparison_is_one_card_per_exchange_on_a_phone_still_read_as_a_table(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/calculators/compare/?{urlencode(COMPARE)}")
    cards = page.locator(".compare-table tbody tr")
    names = [cards.nth(i).locator("th").inner_text().split("\n")[0] for i in range(cards.count())]

    assert names == [
        "Hyperliquid",
        "dYdX v4",
        "BitMEX",
        "Bybit (Unified Trading Account)",
        "Binance USDS-M",
        "Gate",
    ]  # closest liquidation first, as the table
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    region = page.locator("[role=region][aria-labelledby=compare-caption]")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth")  # nothing scrolls sideways
    assert cards.first.evaluate("tr => getComputedStyle(tr).display") == "block"
    label = "td => getComputedStyle(td, '::before').content"
    assert cards.first.locator("td").nth(1).evaluate(label) == '"Bankruptcy price"'
    roles = browser_roles(page)
    assert roles.count("row") == 7 and roles.count("rowheader") == 6 and roles.count("cell") == 30
    assert_no_axe_violations(page)
    page_record.assert_clean()


def test_the_comparison_stays_a_table_on_a_wide_screen(page: Any, live_server: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/calculators/compare/?{urlencode(COMPARE)}")

    assert page.locator(".compare-table").evaluate("t => getComputedStyle(t).display") == "table"
    expect(page.get_by_role("columnheader", name="Bankruptcy price")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize(("mode", "figures"), [("compact", 2), ("full", 5)])
def test_a_narrow_comparison_widget_shows_cards_the_compact_one_with_two_figures(
    page: Any, live_server: Any, mode: str, figures: int
) -> None:
    page.set_viewport_size({"width": 400, "height": 900})
    page.goto(f"{live_server.url}/embed/compare/?{urlencode({**COMPARE, 'mode': mode})}")
    card = page.locator(".compare-table tbody tr").first

    assert card.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert card.locator("td:visible").count() == figures
    expect(card.locator("td").first).to_contain_text("away")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
