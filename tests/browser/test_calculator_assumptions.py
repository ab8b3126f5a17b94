"""What a result assumed, in a real Chromium: the note beside the result and its link to the
field (templates/calculators/includes/assumptions.html, static/js/calculator.js)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageRecord

pytestmark = pytest.mark.browser

SIZED_WITHOUT_A_RATE = {
    "side": "long",
    "account_balance": "1000",
    "risk_fraction": "0.01",
    "entry_price": "60000",
    "stop_price": "59000",
    "leverage": "10",
}


def test_the_assumed_rate_link_opens_more_inputs_and_focuses_the_rate_on_a_phone(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/calculators/position-size/?{urlencode(SIZED_WITHOUT_A_RATE)}")
    more = page.locator("details[data-more-inputs]")
    expect(more).not_to_have_attribute("open", "")  # an assumption is no error to fix
    page.get_by_role("link", name="Set your own maintenance margin rate").click()
    expect(more).to_have_attribute("open", "")
    expect(page.locator("#id_maintenance_margin_rate")).to_be_focused()
    page.keyboard.type("0.004")
    expect(page.locator("[data-assumption]")).to_have_count(0)
    page_record.assert_clean()
