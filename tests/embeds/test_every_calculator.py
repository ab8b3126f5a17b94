"""Every calculator embeds: same key figure as its page, live updates, show=, oEmbed."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from riskcalc.views.embeds import EMBEDS

pytestmark = pytest.mark.django_db

# A valid input per calculator (the same as tests/browser/test_calculators.py uses).
QUERIES = {
    "liquidation": {"side": "long", "entry_price": "60000", "quantity": "0.5", "leverage": "20",
                    "exchange": "binance_usdm", "symbol": "BTCUSDT"},
    "position-size": {"side": "long", "account_balance": "78500", "risk_fraction": "0.01",
                      "entry_price": "30", "stop_price": "29"},
    "margin": {"quantity": "0.5", "price": "60000", "leverage": "20",
               "exchange": "binance_usdm", "symbol": "BTCUSDT"},
    "pnl": {"side": "long", "entry_price": "20000", "exit_price": "20200", "quantity": "1",
            "leverage": "50"},
    "adl": {"side": "long", "entry_price": "9500", "mark_price": "10000", "quantity": "1",
            "leverage": "10", "method": "binance", "maintenance_margin_rate": "0.004"},
    "compare": {"asset": "ETH", "side": "short", "entry_price": "3000", "quantity": "2",
                "leverage": "20"},
}  # fmt: skip


def key_figure(html: str) -> str:
    match = re.search(r"data-key-figure>([^<]*)<", html)
    assert match, "no key figure"
    return match.group(1)


def test_every_calculator_page_has_an_embed() -> None:
    assert set(EMBEDS) == set(QUERIES)
    for embeddable in EMBEDS.values():
        assert reverse(embeddable.embed) == f"/embed/{embeddable.slug}/"


@pytest.mark.parametrize("slug", list(QUERIES))
def test_embed_shows_the_pages_figure_in_the_pages_partials(client: Client, slug: str) -> None:
    embeddable = EMBEDS[slug]
    query = urlencode(QUERIES[slug])
    page = client.get(f"{reverse(embeddable.page)}?{query}").content.decode()
    response = client.get(f"/embed/{slug}/?{query}&theme=dark")
    embed = response.content.decode()

    assert response.status_code == 200
    assert key_figure(embed) == key_figure(page)
    assert f'hx-get="/embed/{slug}/"' in embed
    assert "site-footer" not in embed
    assert "Set-Cookie" not in response.headers
    assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize("slug", list(QUERIES))
def test_embed_htmx_update_is_the_result_partial(client: Client, slug: str) -> None:
    query = urlencode(QUERIES[slug])
    html = client.get(f"/embed/{slug}/?{query}", HTTP_HX_REQUEST="true").content.decode()

    assert html.lstrip().startswith('<section id="result"')
    assert 'id="embed-attribution"' in html


@pytest.mark.parametrize("slug", list(QUERIES))
def test_show_hides_summary_and_maths_on_every_calculator(client: Client, slug: str) -> None:
    query = urlencode({**QUERIES[slug], "mode": "full"})
    only_maths = client.get(f"/embed/{slug}/?{query}&show=maths").content.decode()
    only_summary = client.get(f"/embed/{slug}/?{query}&show=summary").content.decode()

    assert "data-key-figure" not in only_maths and "calc-maths" in only_maths
    assert "data-key-figure" in only_summary and "calc-maths" not in only_summary
    assert "data-chart=" not in only_summary


@pytest.mark.parametrize("slug", list(QUERIES))
def test_compact_is_the_default_with_the_headline_and_no_analysis(
    client: Client, slug: str
) -> None:
    query = urlencode(QUERIES[slug])
    compact = client.get(f"/embed/{slug}/?{query}").content.decode()
    full = client.get(f"/embed/{slug}/?{query}&mode=full").content.decode()

    assert 'class="embed embed-compact"' in compact and 'class="embed embed-full"' in full
    assert key_figure(compact) == key_figure(full)
    assert "calc-maths" not in compact and "data-chart=" not in compact
    assert "js/charts." not in compact
    assert "calc-maths" in full
    # The full calculator with the same inputs, a click away; learn links in full mode only.
    page = f"/calculators/{slug}/?{urlencode(QUERIES[slug])}".replace("&", "&amp;")
    assert f'href="{page}" target="_blank"' in compact
    assert 'href="/learn/' not in compact and 'href="/learn/' in full


@pytest.mark.parametrize("slug", list(QUERIES))
def test_oembed_serves_every_calculator_page(client: Client, slug: str) -> None:
    page_url = f"http://testserver{reverse(EMBEDS[slug].page)}?{urlencode(QUERIES[slug])}"
    page = client.get(page_url).content.decode()
    assert "application/json+oembed" in page

    data = client.get("/oembed", {"url": page_url, "maxwidth": "500"}).json()
    assert data["type"] == "rich" and data["width"] == 500
    assert f"http://testserver/embed/{slug}/?" in data["html"]
