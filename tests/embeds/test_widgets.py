"""The widget builder: choices become a snippet (script and iframe), visible without JS."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client

from riskcalc.views.embeds import EMBEDS
from riskcalc.views.widgets import checked_prefill

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
    # The iframe is as tall as a compact widget needs, and the loader resizes it if it can.
    assert 'height="1100"' in snippet(html, "iframe")
    assert snippet(html, "iframe").endswith(
        'data-riskcalc-frame></iframe>\n<script async src="http://testserver/embed.js"></script>'
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


def test_inputs_typed_in_the_preview_update_the_snippets_alone(client: Client) -> None:
    query = urlencode({"prefill": "side=short&entry_price=100"})
    response = client.get(f"/widgets/?{query}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="snippets")
    html = response.content.decode()

    assert html.lstrip().startswith('<div id="snippets"')
    assert "widget-preview" not in html  # the preview being typed in is not reloaded
    assert 'data-side="short" data-entry-price="100"' in snippet(html, "script")


def test_the_oembed_address_is_the_page_with_the_inputs(client: Client) -> None:
    query = urlencode({"calculator": "pnl", "theme": "dark", "prefill": "side=short&junk=1"})
    html = client.get(f"/widgets/?{query}").content.decode()

    assert snippet(html, "oembed") == "http://testserver/calculators/pnl/?side=short"


def test_preview_is_the_loader_snippet_itself(client: Client) -> None:
    html = client.get("/widgets/?theme=dark").content.decode()

    assert re.search(
        r'<div class="border rounded widget-preview mb-4" data-riskcalc="liquidation"', html
    )
    assert '<script async src="/embed.js"></script>' in html


def test_no_block_chosen_shows_every_block_ticked(client: Client) -> None:
    html = client.get("/widgets/?theme=dark").content.decode()

    for block in ("summary", "maths", "chart", "scenarios"):
        assert re.search(rf'<input[^>]*value="{block}"[^>]*checked', html), block
    assert "data-show" not in snippet(html, "script")


@pytest.mark.parametrize(
    ("prefill", "refused"),
    [
        ("exchange=binance", "exchange=binance"),
        ("entry_price=abc", "entry_price=abc"),
        ("leverage=9999", "leverage=9999"),
        ("entry_price=-5", "entry_price=-5"),
        ("quantity=NaN", "quantity=NaN"),
        ("side=sideways", "side=sideways"),
        ("margin_mode=%3Cscript%3E", "margin_mode=&lt;script&gt;"),
        ("junk=1", "junk=1"),
        ("theme=dark", "theme=dark"),  # an option, not an input: chosen above, not prefilled
    ],
)
def test_an_invalid_prefill_never_reaches_the_snippet(
    client: Client, prefill: str, refused: str
) -> None:
    name = prefill.split("=")[0]
    kept = ("quantity", "1") if name == "side" else ("side", "long")  # a valid neighbour stays
    query = urlencode({"prefill": f"{kept[0]}={kept[1]}&{prefill}"})
    html = client.get(f"/widgets/?{query}").content.decode()

    assert snippet(html, "script").startswith(
        f'<div data-riskcalc="liquidation" data-{kept[0]}="{kept[1]}"'
    )
    assert f"data-{name.replace('_', '-')}=" not in snippet(html, "script")
    assert f"{name}=" not in snippet(html, "iframe").split("?", 1)[-1]
    assert re.search(rf'id="prefill-refused".*<code>{re.escape(refused)}</code>', html, re.S)


def test_numbers_the_form_reads_are_written_as_read(client: Client) -> None:
    query = urlencode({"prefill": "entry_price=60 000,5&quantity=0,5&leverage=20"})
    script = snippet(client.get(f"/widgets/?{query}").content.decode(), "script")

    assert 'data-entry-price="60000.5" data-quantity="0.5" data-leverage="20"' in script


@pytest.mark.parametrize("slug", list(EMBEDS))
def test_every_prefill_the_builder_keeps_is_valid_for_its_calculator(
    client: Client, slug: str
) -> None:
    # Every field given a value of each hostile kind: what survives binds without an error.
    embeddable = EMBEDS[slug]
    for bad in ("abc", "-1", "0", "1e999", "9" * 40, "<b>", "1,234"):
        prefill = dict.fromkeys(embeddable.form().fields, bad)
        query, refused = checked_prefill(embeddable, QueryDict(urlencode(prefill)))
        form = embeddable.form(QueryDict(urlencode(query)))
        form.is_valid()
        assert not [name for name in query if name in form.errors], (bad, query)
        assert {r.name for r in refused} | set(query) == set(prefill)


def test_a_widget_in_another_language_is_titled_in_it_for_screen_readers(client: Client) -> None:
    html = client.get("/widgets/", {"calculator": "margin", "lang": "ar"}).content.decode()

    assert 'data-title="riskcalc حاسبة الهامش"' in snippet(html, "script")
    assert 'title="riskcalc حاسبة الهامش"' in snippet(html, "iframe")
