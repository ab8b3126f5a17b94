"""The /api/ page (excluded from the route walk with the rest of api/) is clean in Chromium,
and its "Try it" buttons call the API from a static script under the site's CSP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from riskcalc.api import ENDPOINTS
from tests.browser.conftest import PageRecord, assert_no_axe_violations


@pytest.mark.django_db
def test_api_docs_page_is_clean_and_try_it_calls_the_api(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    response = page.goto(live_server.url + "/api/")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert_no_axe_violations(page)
    for endpoint in ENDPOINTS.values():
        page.click(f"#{endpoint.slug} [data-api-try]")
        output = page.locator(f"#{endpoint.slug}-try")
        output.filter(has_text="200").wait_for()
        status, _, body = output.text_content().partition("\n")
        assert status == "200"
        result = json.loads(body)
        for name, value in endpoint.example_checks.items():
            assert result[name] == value
    page_record.assert_clean()
