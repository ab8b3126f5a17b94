"""The widget builder: choices become a snippet (script and iframe), visible without JS."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def snippet(html: str, name: str) -> str:
    match = re.search(rf'<pre id="snippet-{name}"[^>]*><code>(.*?)</code></pre>', html, re.S)
    assert match, name
    return html_lib.unescape(match.group(1))


def test_builder_page_shows_both_snippets_as_text(client: Client) -> None:
    html = client.get("/widgets/").content.decode()

    assert snippet(html, "script") == (
        '<div data-riskcalc="liquidation"></div>\n'
        '<script async src="http://testserver/embed.js"></script>'
    )
    assert snippet(html, "iframe").startswith(
        '<iframe src="http://testserver/embed/liquidation/" title="riskcalc liquidation price'
    )


def test_choices_and_prefill_reach_the_snippet(client: Client) -> None:
    query = (
        "calculator=liquidation&theme=dark&accent=%23123&locale=de&mode=full"
        "&show=summary&show=maths&prefill=%3Fside%3Dshort%26leverage%3D20%26junk%3D1"
    )
    html = client.get(f"/widgets/?{query}").content.decode()
    script = snippet(html, "script")
    iframe = snippet(html, "iframe")

    assert script.startswith(
        '<div data-riskcalc="liquidation" data-side="short" data-leverage="20" data-theme="dark"'
        ' data-accent="#112233" data-locale="de" data-mode="full" data-show="summary,maths">'
    )
    assert "junk" not in script and "junk" not in iframe
    assert (
        "/embed/liquidation/?side=short&amp;leverage=20&amp;theme=dark&amp;accent=%23112233"
        "&amp;locale=de&amp;mode=full&amp;show=summary%2Cmaths" in iframe
    )


def test_bad_choices_fall_back_to_defaults(client: Client) -> None:
    html = client.get("/widgets/?calculator=nope&theme=neon&accent=red&locale=xx").content
    script = snippet(html.decode(), "script")
    assert script.startswith('<div data-riskcalc="liquidation"></div>')


def test_htmx_update_renders_only_the_output(client: Client) -> None:
    response = client.get("/widgets/?theme=dark", HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert html.lstrip().startswith('<section id="output"')
    assert 'data-theme="dark"' in snippet(html, "script")


def test_preview_is_the_loader_snippet_itself(client: Client) -> None:
    html = client.get("/widgets/?theme=dark").content.decode()

    assert re.search(
        r'<div class="border rounded widget-preview" data-riskcalc="liquidation"', html
    )
    assert '<script async src="/embed.js"></script>' in html


def test_no_block_chosen_shows_every_block_ticked(client: Client) -> None:
    html = client.get("/widgets/?theme=dark").content.decode()

    for block in ("summary", "maths", "chart", "scenarios"):
        assert re.search(rf'<input[^>]*value="{block}"[^>]*checked', html), block
    assert "data-show" not in snippet(html, "script")
