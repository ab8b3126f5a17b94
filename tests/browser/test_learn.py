"""Every learn page is clean in Chromium (axe, console, requests), and glossary tooltips work
from the keyboard: focus shows the definition, Escape hides it."""

from __future__ import annotations

from typing import Any

import pytest

from riskcalc import content
from tests.browser.conftest import PageRecord, assert_no_axe_violations

SLUGS = [page.slug for page in content.load_pages()]


@pytest.mark.django_db
def test_every_learn_page_is_clean_in_a_real_browser(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    for path in ["/learn/", *(f"/learn/{slug}/" for slug in SLUGS)]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert_no_axe_violations(page)
        page_record.assert_clean()


@pytest.mark.django_db
def test_glossary_tooltip_shows_on_keyboard_focus_and_hides_on_escape(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.goto(live_server.url + "/learn/liquidation/")
    term = page.locator(".term-link").first
    tip = page.locator("#" + term.get_attribute("aria-describedby"))
    assert not tip.is_visible()
    term.focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    page.keyboard.press("Tab")
    term.focus()
    assert tip.is_visible()
    page_record.assert_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["", "ar/"])
def test_explainer_table_cells_have_room_around_their_text(
    page: Any, live_server: Any, page_record: PageRecord, language: str
) -> None:
    page.goto(f"{live_server.url}/{language}learn/margin/")
    cell = page.locator(".learn-article table td").first

    padding = cell.evaluate(
        "cell => ['Top', 'Right', 'Bottom', 'Left'].map("
        "side => parseFloat(getComputedStyle(cell)['padding' + side]))"
    )

    assert min(padding) >= 4, padding
    page_record.assert_clean()
