"""The learn index and pages render every topic with its sources, review date, try-it
examples and the not-advice line, and never link to a page that does not exist."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from riskcalc import content
from riskcalc.views.learn import LearnSlugConverter

PAGES = content.load_pages()


@pytest.fixture
def client() -> Client:
    return Client()


def test_index_lists_every_topic_with_its_summary(client: Client) -> None:
    response = client.get(reverse("learn_index"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for page in PAGES:
        assert f'href="/learn/{page.slug}/"' in html, page.slug
        assert page.summary in html, page.slug
    for title in content.GROUPS.values():
        assert str(title) in html


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.slug)
def test_each_page_shows_its_sources_review_date_and_not_advice_line(
    client: Client, page: content.Page
) -> None:
    response = client.get(reverse("learn_page", args=[page.slug]))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert f"<h1>{page.title}</h1>" in html
    reviewed = page.last_reviewed
    assert f'<time datetime="{reviewed.isoformat()}">{reviewed.day} {reviewed:%B %Y}</time>' in html
    assert "not investment" in html.lower()
    for source in page.sources:
        assert f'id="{source.anchor}"' in html
        assert source.url in html
        assert (source.date if source.date != "n.d." else "undated") in html
    for link in page.try_it:
        assert link.label in html
        for value in link.expect.values():
            assert value in html


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.slug)
def test_pages_link_only_to_routes_that_exist(client: Client, page: content.Page) -> None:
    html = client.get(reverse("learn_page", args=[page.slug])).content.decode()
    for href in re.findall(r'href="(/[^"#?]*)', html):
        if href.startswith("/static/"):
            continue
        try:  # the switcher links the page in the other languages: resolve each in its own
            with translation.override(translation.get_language_from_path(href) or "en"):
                resolve(href)
        except Resolver404:
            pytest.fail(f"{page.slug} links to missing page {href}")


def test_try_it_examples_are_links_only_when_the_calculator_exists(client: Client) -> None:
    html = client.get(reverse("learn_page", args=["liquidation"])).content.decode()
    try:
        resolve("/calculators/liquidation/")
    except Resolver404:
        assert "/calculators/liquidation/?" not in html
        assert "Bybit&#x27;s example" in html or "Bybit's example" in html
    else:
        assert "/calculators/liquidation/?side=long" in html


def test_glossary_terms_get_an_accessible_tooltip_on_first_use(client: Client) -> None:
    html = client.get(reverse("learn_page", args=["liquidation"])).content.decode()
    match = re.search(r'<a class="term-link" href="([^"]+)" aria-describedby="([^"]+)">', html)
    assert match is not None
    assert match.group(1).startswith("/learn/glossary/#term-")
    assert f'role="tooltip" id="{match.group(2)}"' in html
    assert "js/glossary" in html and "<script>" not in html


def test_glossary_page_defines_every_term_with_an_anchor(client: Client) -> None:
    html = client.get(reverse("learn_page", args=["glossary"])).content.decode()
    for term in content.glossary_terms().values():
        assert f'<dt id="{term.anchor}">' in html


def test_risk_disclosure_lives_at_its_own_learn_url(client: Client) -> None:
    assert reverse("learn_page", args=["risk-disclosure"]) == "/learn/risk-disclosure/"
    assert client.get("/learn/risk-disclosure/").status_code == 200


def test_unknown_slug_is_404_and_does_not_shadow_other_learn_routes(client: Client) -> None:
    assert client.get("/learn/no-such-topic/").status_code == 404
    regex = re.compile(f"^(?:{LearnSlugConverter.regex})$")
    for other in ("exchanges", "restrictions"):
        assert not regex.match(other)


def test_learn_views_only_answer_get(client: Client) -> None:
    assert client.post(reverse("learn_index")).status_code == 405
    assert client.post(reverse("learn_page", args=["margin"])).status_code == 405


def test_navigation_and_home_page_link_to_learn(client: Client) -> None:
    html = client.get(reverse("home")).content.decode()
    assert html.count('href="/learn/"') >= 2


@pytest.mark.parametrize("path", ["/", "/calculators/liquidation/", "/es/learn/"])
def test_every_pages_footer_links_to_the_full_risk_disclosure(client: Client, path: str) -> None:
    footer = client.get(path).content.decode().split("<footer", 1)[1]

    assert f'href="{reverse("learn_page", args=["risk-disclosure"])}"' in footer
