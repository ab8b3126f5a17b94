"""Every argument-free HTML page loads in Chromium cleanly: 200, no axe violations, no
console errors, no failed requests and no request to any other host."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.browser.conftest import PageRecord, assert_no_axe_violations
from tests.browser.routes import argument_free_paths


def html_page_paths() -> list[str]:
    client = Client()
    return [
        path
        for path in argument_free_paths()
        if client.get(path).headers.get("Content-Type", "").startswith("text/html")
    ]


def test_route_walk_finds_the_home_page() -> None:
    assert "/" in argument_free_paths()


@pytest.mark.django_db
def test_every_page_is_clean_in_a_real_browser(
    page: Any, live_server: Any, page_record: PageRecord
) -> None:
    paths = html_page_paths()
    assert paths, "no HTML pages found"
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert_no_axe_violations(page)
        page_record.assert_clean()
