"""Embed routes: framing headers, statelessness, the shared partials, options and fallbacks."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from riskcalc.views.embeds import EMBEDS
from tests.browser.routes import argument_free_paths
from tests.test_security_headers import csp_directives

pytestmark = pytest.mark.django_db

EXAMPLE = (
    "side=long&entry_price=20000&quantity=1&leverage=50&margin_mode=isolated"
    "&maintenance_margin_rate=0.005&mm_basis=entry"
)  # Bybit's worked example: liquidation at 19,700
EMBED_PATHS = [reverse(e.embed) for e in EMBEDS.values()]


def key_figure(html: str) -> str:
    match = re.search(r"data-key-figure>([^<]*)<", html)
    assert match, "no key figure"
    return match.group(1)


@pytest.mark.parametrize("path", EMBED_PATHS)
def test_embed_may_be_framed_by_any_site_by_default(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    directives = csp_directives(response.headers["Content-Security-Policy"])
    assert directives["frame-ancestors"] == ["'self'", "*"]
    # The rest of the policy stays as strict as the site's.
    assert any(v.startswith("'nonce-") for v in directives["script-src"])
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]


@pytest.mark.parametrize("path", EMBED_PATHS)
def test_embed_framing_follows_the_setting(client: Client, path: str) -> None:
    with override_settings(EMBED_FRAME_ANCESTORS=["https://a.example", "https://b.example"]):
        response = client.get(path)

    directives = csp_directives(response.headers["Content-Security-Policy"])
    assert directives["frame-ancestors"] == ["'self'", "https://a.example", "https://b.example"]
    assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in argument_free_paths()
        if not p.startswith("/embed/")  # /widgets/ included
    ]
    + ["/embed.js", "/oembed", "/no-such-page/", "/embed/no-such-calculator/"],
)
def test_every_other_route_denies_framing(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.headers["X-Frame-Options"] == "DENY"
    assert csp_directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == [
        "'none'"
    ]


def test_loader_oembed_and_builder_deny_framing(client: Client) -> None:
    for path in (
        "/embed.js",
        "/oembed?url=http://testserver/calculators/liquidation/",
        "/widgets/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


def test_embed_framing_set_to_none_leaves_only_our_own_builder(client: Client) -> None:
    with override_settings(EMBED_FRAME_ANCESTORS=["'none'"]):
        response = client.get("/embed/liquidation/")

    directives = csp_directives(response.headers["Content-Security-Policy"])
    assert directives["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("path", EMBED_PATHS)
def test_embed_is_stateless_no_cookie_no_session_no_csrf(client: Client, path: str) -> None:
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(f"{path}?{EXAMPLE}&theme=dark", **headers)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert not response.cookies
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html
        assert 'method="post"' not in html.lower()


@pytest.mark.parametrize("path", EMBED_PATHS)
def test_embed_answers_get_and_head_only(client: Client, path: str) -> None:
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_embed_reuses_the_pages_form_and_result_partials(client: Client) -> None:
    page = client.get(f"/calculators/liquidation/?{EXAMPLE}").content.decode()
    embed = client.get(f"/embed/liquidation/?{EXAMPLE}").content.decode()

    assert key_figure(embed) == key_figure(page) == "19,700.00"
    # The page's own form, posting its live updates to the embed route itself.
    assert 'id="form"' in embed
    assert 'hx-get="/embed/liquidation/"' in embed
    assert 'id="result"' in embed
    # No page chrome.
    assert "site-footer" not in embed
    assert 'aria-label="Main"' not in embed


def test_htmx_update_renders_the_result_partial_and_refreshes_the_attribution(
    client: Client,
) -> None:
    response = client.get(f"/embed/liquidation/?{EXAMPLE}&theme=dark", HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert html.lstrip().startswith('<section id="result"')
    assert "<html" not in html
    assert key_figure(html) == "19,700.00"
    assert 'id="embed-attribution"' in html and 'hx-swap-oob="true"' in html
    assert response.headers["Vary"].count("HX-Request") == 1


def test_attribution_opens_the_full_calculator_with_the_same_inputs_in_a_new_tab(
    client: Client,
) -> None:
    html = client.get(f"/embed/liquidation/?{EXAMPLE}&theme=dark&widget=w1").content.decode()
    link = re.search(r'<p id="embed-attribution"[^>]*><a ([^>]*)>(.*?)</a>', html)
    assert link
    attributes, text = link.groups()

    assert 'target="_blank"' in attributes and 'rel="noopener"' in attributes
    href = re.search(r'href="([^"]*)"', attributes).group(1).replace("&amp;", "&")
    assert href == f"/calculators/liquidation/?{EXAMPLE}"  # inputs only, no widget options
    assert "riskcalc" in text and "opens in a new tab" in text


def test_prefill_uses_the_form_field_names(client: Client) -> None:
    html = client.get(f"/embed/liquidation/?{EXAMPLE}").content.decode()

    assert re.search(r'name="entry_price" value="20000"', html)
    assert re.search(r'name="leverage" value="50"', html)


def test_options_alone_do_not_count_as_input(client: Client) -> None:
    html = client.get("/embed/liquidation/?theme=dark&mode=full&show=maths").content.decode()

    assert "Not calculated yet" not in html
    assert "calc-empty" in html


def test_options_travel_with_the_form_as_hidden_inputs(client: Client) -> None:
    query = f"{EXAMPLE}&theme=dark&locale=de&widget=w1&origin=https://blog.example"
    html = client.get(f"/embed/liquidation/?{query}").content.decode()

    for name, value in [
        ("theme", "dark"),
        ("locale", "de"),
        ("widget", "w1"),
        ("origin", "https://blog.example"),
    ]:
        assert f'<input type="hidden" name="{name}" value="{value}" form="form">' in html


def test_theme_accent_mode_and_frame_identity_are_applied(client: Client) -> None:
    query = f"{EXAMPLE}&theme=dark&accent=%23ff8800&mode=full&widget=w1&origin=https://b.example"
    response = client.get(f"/embed/liquidation/?{query}")
    html = response.content.decode()
    nonce = csp_directives(response.headers["Content-Security-Policy"])["style-src"][1][7:-1]

    assert '<html lang="en" dir="ltr" data-bs-theme="dark" data-embed-theme="dark"' in html
    assert 'data-parent-origin="https://b.example" data-widget-id="w1"' in html
    assert (
        f'<style nonce="{nonce}">:root {{ --rc-accent: #ff8800; --rc-accent-text: #000; }}' in html
    )
    assert 'class="embed embed-full embed-accent"' in html


def test_auto_theme_starts_light_and_is_resolved_in_the_frame(client: Client) -> None:
    html = client.get("/embed/liquidation/?theme=auto").content.decode()
    assert 'data-bs-theme="light" data-embed-theme="auto"' in html
    assert "js/embed-frame." in html


def test_locale_changes_number_display_only(client: Client) -> None:
    de = client.get(f"/embed/liquidation/?{EXAMPLE}&locale=de").content.decode()
    fr = client.get(f"/embed/liquidation/?{EXAMPLE}&locale=fr").content.decode()
    page = client.get(f"/calculators/liquidation/?{EXAMPLE}").content.decode()

    assert key_figure(de) == "19.700,00"
    assert key_figure(fr) == "19\u202f700,00"
    assert key_figure(page) == "19,700.00"  # the site itself is unchanged
    assert 'name="entry_price" value="20000"' in de  # inputs are shown as typed


@pytest.mark.parametrize(
    ("show", "present", "absent"),
    [
        ("summary", ["data-key-figure"], ["calc-maths", "data-chart=", "scenario-table"]),
        ("maths", ["calc-maths"], ["data-key-figure", "data-chart=", "scenario-table"]),
        ("chart,scenarios", ["data-chart=", "scenario-table"], ["calc-maths", "data-key-figure"]),
        ("", ["data-key-figure", "calc-maths", "data-chart=", "scenario-table"], []),
    ],
)
def test_show_picks_the_result_blocks(
    client: Client, show: str, present: list[str], absent: list[str]
) -> None:
    html = client.get(f"/embed/liquidation/?{EXAMPLE}&mode=full&show={show}").content.decode()

    for marker in present:
        assert marker in html, marker
    for marker in absent:
        assert marker not in html, marker


def test_charts_script_is_not_loaded_when_charts_are_hidden(client: Client) -> None:
    html = client.get(f"/embed/liquidation/?{EXAMPLE}&show=summary").content.decode()
    assert "js/charts." not in html


@pytest.mark.parametrize(
    "garbage",
    [
        "theme=%00&accent=%3C%2Fstyle%3E&locale=..%2F..&mode=%FF&show=%3Cscript%3E",
        "theme=dark&theme=light&accent=%23fff&accent=javascript:1",
        "origin=https://evil.example%22%20onload%3D%22alert(1)&widget=%22%3E%3Cb%3E",
        "show=,,,&locale=&accent=#&mode=",
        "accent=" + "f" * 5000,
        "leverage=abc&entry_price=-1&side=sideways&theme=neon",
    ],
)
def test_garbage_options_never_break_the_widget_or_reach_the_page(
    client: Client, garbage: str
) -> None:
    response = client.get(f"/embed/liquidation/?{garbage}")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="form"' in html and 'id="result"' in html
    assert "<script>" not in html and "evil.example" not in html
    assert "<b>" not in html and "--rc-accent" not in html


def test_unknown_calculator_is_404(client: Client) -> None:
    assert client.get("/embed/no-such-calculator/").status_code == 404


def test_embed_html_is_compressed_for_clients_that_accept_it(client: Client) -> None:
    response = client.get(f"/embed/liquidation/?{EXAMPLE}", HTTP_ACCEPT_ENCODING="gzip")

    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.content) < 12_000  # about 42 KB of HTML before compression
