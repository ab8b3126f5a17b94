"""oEmbed (https://oembed.com): rich responses for our calculator pages, 404 for anything
else, 501 for formats other than JSON, and maxwidth/maxheight respected."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client

from riskcalc.views.widgets import DEFAULT_WIDTH, FRAME_HEIGHTS

DEFAULT_HEIGHT = FRAME_HEIGHTS["compact"]

pytestmark = pytest.mark.django_db

PAGE = "http://testserver/calculators/liquidation/"
QUERY = (
    "side=long&entry_price=20000&quantity=1&leverage=50&margin_mode=isolated"
    "&maintenance_margin_rate=0.005&mm_basis=entry"
)


def oembed(client: Client, url: str, **params: str):
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    return client.get(f"/oembed?url={quote(url, safe='')}{extra}")


def test_calculator_page_gets_a_rich_response_with_the_embed_iframe(client: Client) -> None:
    response = oembed(client, f"{PAGE}?{QUERY}&theme=dark&junk=1", format="json")
    data = response.json()

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["provider_name"] == "riskcalc"
    assert data["provider_url"] == "http://testserver/"
    assert data["title"] == "Liquidation price calculator · riskcalc"
    assert (data["width"], data["height"]) == (DEFAULT_WIDTH, DEFAULT_HEIGHT)
    src = re.search(r'<iframe src="([^"]*)"', data["html"]).group(1).replace("&amp;", "&")
    # The page's inputs, and nothing else from its query, on the embed route.
    assert src == f"http://testserver/embed/liquidation/?{QUERY}"
    assert f'width="{DEFAULT_WIDTH}" height="{DEFAULT_HEIGHT}"' in data["html"]
    assert 'title="riskcalc liquidation price calculator"' in data["html"]
    # Where the consumer keeps scripts, the loader finds the frame and fits it to its content.
    assert "data-riskcalc-frame></iframe>" in data["html"]
    assert data["html"].endswith('\n<script async src="http://testserver/embed.js"></script>')


def test_the_iframe_it_returns_is_a_working_embed(client: Client) -> None:
    data = oembed(client, f"{PAGE}?{QUERY}").json()
    src = re.search(r'<iframe src="([^"]*)"', data["html"]).group(1).replace("&amp;", "&")
    parts = urlsplit(src)

    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200
    assert "data-key-figure>19,700.00<" in response.content.decode()


@pytest.mark.parametrize(
    ("maxwidth", "maxheight", "width", "height"),
    [
        ("300", "200", 300, 200),
        ("5000", "5000", DEFAULT_WIDTH, DEFAULT_HEIGHT),  # never larger than the default
        ("300", None, 300, DEFAULT_HEIGHT),
        (None, "400", DEFAULT_WIDTH, 400),
        ("0", "-5", DEFAULT_WIDTH, DEFAULT_HEIGHT),  # not a size: ignored
        ("wide", "1e9", DEFAULT_WIDTH, DEFAULT_HEIGHT),
        ("²", "9" * 5000, DEFAULT_WIDTH, DEFAULT_HEIGHT),  # isdigit() says yes, int() no
    ],
)
def test_maxwidth_and_maxheight_are_respected(
    client: Client, maxwidth: str | None, maxheight: str | None, width: int, height: int
) -> None:
    params = {k: v for k, v in (("maxwidth", maxwidth), ("maxheight", maxheight)) if v}
    data = oembed(client, PAGE, **params).json()

    assert (data["width"], data["height"]) == (width, height)
    assert f'width="{width}" height="{height}"' in data["html"]


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/calculators/liquidation/",
        "http://testserver.evil.example/calculators/liquidation/",
        "http://testserver/",
        "http://testserver/learn/",
        "http://testserver/embed/liquidation/",
        "http://testserver/calculators/",
        "http://testserver/calculators/no-such/",
        "javascript:alert(1)//testserver/calculators/liquidation/",
        "/calculators/liquidation/",
        "",
    ],
)
def test_foreign_or_non_calculator_urls_are_404(client: Client, url: str) -> None:
    response = oembed(client, url)

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"


def test_missing_url_is_404(client: Client) -> None:
    assert client.get("/oembed").status_code == 404


@pytest.mark.parametrize("fmt", ["xml", "XML", "html", ""])
def test_formats_other_than_json_are_501(client: Client, fmt: str) -> None:
    assert oembed(client, PAGE, format=fmt).status_code == 501


def test_calculator_page_carries_the_discovery_link(client: Client) -> None:
    html = client.get(f"/calculators/liquidation/?{QUERY}").content.decode()
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" ([^>]*)>', html)
    assert link
    href = re.search(r'href="([^"]*)"', link.group(1)).group(1).replace("&amp;", "&")
    assert 'title="Liquidation price calculator"' in link.group(1)

    parts = urlsplit(href)
    data = client.get(f"{parts.path}?{parts.query}").json()
    assert data["type"] == "rich"
    assert "entry_price=20000" in data["html"]


def test_other_pages_have_no_discovery_link(client: Client) -> None:
    for path in ("/", "/widgets/", "/calculators/"):
        assert "json+oembed" not in client.get(path).content.decode(), path
