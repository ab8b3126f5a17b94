"""The site in Spanish, Simplified Chinese and Arabic in a real browser: each page answers
in its language with its direction, clean under axe and the console, and the Arabic pages
(right to left) fit a 375 px screen without scrolling sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PageRecord, assert_no_axe_violations

LANGUAGES = {"es": "ltr", "zh-hans": "ltr", "ar": "rtl"}
PAGES = (
    "",
    "calculators/",
    "calculators/liquidation/?side=long&entry_price=20000&quantity=1&leverage=50"
    "&maintenance_margin_rate=0.005",
    "learn/",
    "learn/margin/",
    "learn/restrictions/",
    "classroom/",
    "classroom/leverage-and-margin/?seed=7",
    "widgets/",
    "api/",
)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES.items())
def test_every_kind_of_page_is_clean_in_each_language(
    page: Any, live_server: Any, page_record: PageRecord, language: str, direction: str
) -> None:
    for path in PAGES:
        response = page.goto(f"{live_server.url}/{language}/{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language, path
        assert page.locator("html").get_attribute("dir") == direction, path
        current = page.locator(f'.language-switcher a[hreflang="{language}"]')
        assert current.get_attribute("aria-current") == "true", path
        assert_no_axe_violations(page)
        page_record.assert_clean()


@pytest.mark.django_db
def test_arabic_pages_fit_a_375_px_screen(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    for path in PAGES:
        page.goto(f"{live_server.url}/ar/{path}")
        page.wait_for_load_state("networkidle")
        scroll_width, client_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll_width <= client_width, f"/ar/{path} scrolls sideways ({scroll_width} px)"
    page_record.assert_clean()


@pytest.mark.django_db
def test_choosing_a_language_is_remembered_by_the_home_page(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    page.goto(f"{live_server.url}/learn/")
    page.locator(".navbar-toggler").click() if page.locator(
        ".navbar-toggler"
    ).is_visible() else None
    page.locator('.language-switcher a[hreflang="es"]').click()
    page.wait_for_url(f"{live_server.url}/es/learn/")

    page.goto(f"{live_server.url}/")

    assert page.url == f"{live_server.url}/es/"
    page_record.assert_clean()


COPIED = {"es": ("Copiado", "Copiado."), "ar": ("تم النسخ", "تم النسخ.")}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "said"), COPIED.items())
def test_the_copy_button_says_it_copied_in_the_pages_language(
    page: Any, live_server: Any, page_record: PageRecord, language: str, said: tuple[str, str]
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/{language}/widgets/")
    button, status = said

    page.locator('[data-copy="snippet-script"]').click()

    expect(page.locator('[data-copy="snippet-script"]')).to_have_text(button)
    expect(page.locator("#copy-status")).to_have_text(status)
    page_record.assert_clean()


SLIDER = {
    "es": ("apalancamiento de 50×", "apalancamiento de 51×"),
    "zh-hans": ("50× 杠杆", "51× 杠杆"),
    "ar": ("رافعة 50×", "رافعة 51×"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "said"), SLIDER.items())
def test_the_leverage_slider_speaks_its_value_in_the_pages_language(
    page: Any, live_server: Any, page_record: PageRecord, language: str, said: tuple[str, str]
) -> None:
    page.goto(f"{live_server.url}/{language}/{PAGES[2]}")
    slider = page.locator("#leverage-range")
    before, after = said

    expect(slider).to_have_attribute("aria-valuetext", before)
    slider.focus()
    page.keyboard.press("ArrowUp")

    expect(slider).to_have_attribute("aria-valuetext", after)
    page_record.assert_clean()
