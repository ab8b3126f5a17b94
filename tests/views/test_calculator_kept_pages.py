"""A calculator's shared result link is rendered once and kept for its next readers
(riskcalc/views/calculators.py ``kept_key``, riskcalc/kept_pages.py): the full page and the
deferred analysis, each response with its own CSP nonce; never a typing partial, an invalid
query or a query with other parameters, and never across languages, days or exchange data.

A response the test client saw rendered lists the templates it used; a kept one lists none.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from riskcalc.exchange_data import refresh
from riskcalc.kept_pages import NONCE_PLACEHOLDER
from tests.test_exchange_data import RECORDED, recorded

PAGE = "/calculators/liquidation/"
SHARED = {"side": "long", "entry_price": "60000", "quantity": "1", "leverage": "100"}
ANALYSIS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "analysis"}
TYPING = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "result"}


def link(params: dict[str, str], path: str = PAGE) -> str:
    return f"{path}?{urlencode(params)}"


def rendered(response: Any) -> bool:
    return bool(response.templates)


def csp_nonce(response: Any) -> str:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match, "no nonce in the CSP header"
    return match.group(1)


@pytest.mark.parametrize("headers", [{}, ANALYSIS], ids=["full page", "deferred analysis"])
def test_a_shared_result_is_rendered_once_then_served_as_kept(
    client: Client, headers: dict[str, str]
) -> None:
    first = client.get(link(SHARED), **headers)
    second = client.get(link(SHARED), **headers)

    assert rendered(first) and not rendered(second)
    assert second.status_code == 200
    unnonced = [r.content.decode().replace(csp_nonce(r), "") for r in (first, second)]
    assert unnonced[0] == unnonced[1]
    assert "data-key-figure" in unnonced[1] or "scenario-table" in unnonced[1]


def test_the_empty_form_is_kept_too(client: Client) -> None:
    client.get(PAGE)

    assert not rendered(client.get(PAGE))


def test_each_kept_page_carries_its_own_nonce_matching_its_csp_header(client: Client) -> None:
    responses = [client.get(link(SHARED)) for _ in range(3)]

    assert not rendered(responses[2])
    nonces = [csp_nonce(r) for r in responses]
    assert len(set(nonces)) == 3
    for response, nonce in zip(responses, nonces, strict=True):
        page = response.content.decode()
        assert page.count(f'nonce="{nonce}"') == page.count("nonce=") > 0
        assert NONCE_PLACEHOLDER not in page


def test_the_order_of_the_parameters_does_not_make_another_page(client: Client) -> None:
    client.get(link(SHARED))

    assert not rendered(client.get(link(dict(reversed(SHARED.items())))))


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (link({**SHARED, "leverage": "abc"}), {}),
        (link({**SHARED, "entry_price": "-5"}), ANALYSIS),
        (link({**SHARED, "utm_source": "newsletter"}), {}),
        (f"{link(SHARED)}&leverage=50", {}),
        (link(SHARED), TYPING),
    ],
    ids=["invalid input", "invalid analysis", "another parameter", "a name twice", "typing"],
)
def test_other_requests_are_rendered_every_time_beside_a_kept_link(
    client: Client, url: str, headers: dict[str, str]
) -> None:
    client.get(url, **headers)
    again = client.get(url, **headers)
    client.get(link(SHARED))
    shared_again = client.get(link(SHARED))

    assert rendered(again) and not rendered(shared_again)


def test_each_language_has_its_own_kept_page(client: Client) -> None:
    english = client.get(link(SHARED))
    spanish = client.get(link(SHARED, f"/es{PAGE}"))
    spanish_again = client.get(link(SHARED, f"/es{PAGE}"))

    assert rendered(english) and rendered(spanish) and not rendered(spanish_again)
    assert '<html lang="es"' in spanish_again.content.decode()
    assert '<html lang="en"' in english.content.decode()


def test_a_new_day_renders_the_page_again(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    client.get(link(SHARED))
    today_again = client.get(link(SHARED))
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    assert not rendered(today_again) and rendered(client.get(link(SHARED)))


@pytest.mark.django_db
def test_a_refreshed_exchange_table_is_never_served_an_old_page(client: Client) -> None:
    bybit = link({**SHARED, "leverage": "10", "exchange": "bybit", "symbol": "BTCUSDT"})
    before = client.get(bybit)
    assert not rendered(client.get(bybit))

    refresh("bybit", opener=recorded(RECORDED["bybit"]), today=date(2026, 12, 5))
    after = client.get(bybit)

    assert rendered(after)
    assert "snapshot 2026-12-05" in after.content.decode()
    assert "snapshot 2026-12-05" not in before.content.decode()
    assert not rendered(client.get(bybit))
