"""The learn section: an index of explainer pages and one view per page, rendered from content/.

Parsing, validation, Markdown rendering and sanitising live in :mod:`riskcalc.content`; these
views only pick the page, decide which links can be shown (a route must exist before we link
to it) and render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from riskcalc import content
from riskcalc.languages import localized_path

__all__ = ["LearnSlugConverter", "learn_index", "learn_page"]

GLOSSARY_SLUG = "glossary"
RISK_DISCLOSURE_SLUG = "risk-disclosure"

# Sections of /learn/ that colleagues build outside content/: listed on the index only once
# their route exists, so the index never links to a missing page.
RELATED_SECTIONS = (
    (
        "exchanges_page",
        _("Exchanges"),
        _("What each exchange publishes about its margin, liquidation and ADL rules."),
    ),
    (
        "restrictions_page",
        _("Restrictions by country"),
        _("Where exchanges restrict futures, margin and copy trading, with dated sources."),
    ),
)


class LearnSlugConverter:
    """Matches only the slugs of existing content files, so ``/learn/<slug>/`` never shadows
    other routes under ``/learn/`` (such as ``/learn/exchanges/``) whatever their order."""

    regex = "|".join(re.escape(path.stem) for path in sorted(content.CONTENT_DIR.glob("*.md")))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def route_exists(path: str) -> bool:
    """Whether an English path (content links to ``/learn/x/``) is a route of the site."""
    try:
        with override(settings.LANGUAGE_CODE):
            resolve(path)
    except Resolver404:
        return False
    return True


@dataclass(frozen=True, slots=True)
class TryItLink:
    item: content.TryIt
    available: bool

    @property
    def url(self) -> str:
        return localized_path(self.item.url)


@dataclass(frozen=True, slots=True)
class RelatedSection:
    url: str
    title: str
    summary: str


def _related_sections() -> list[RelatedSection]:
    sections = []
    for name, title, summary in RELATED_SECTIONS:
        try:
            sections.append(RelatedSection(reverse(name), title, summary))
        except NoReverseMatch:
            continue
    return sections


@require_GET
def learn_index(request: HttpRequest) -> HttpResponse:
    pages = content.load_pages(language=get_language())
    groups = [
        (title, [page for page in pages if page.group == group])
        for group, title in content.GROUPS.items()
    ]
    return render(
        request,
        "learn/index.html",
        {"groups": [(t, p) for t, p in groups if p], "related": _related_sections()},
    )


@require_GET
def learn_page(request: HttpRequest, slug: str) -> HttpResponse:
    language = get_language()
    page = content.get_page(slug, language=language)
    if page is None:
        raise Http404("No such learn page.")
    glossary_url = reverse("learn_page", args=[GLOSSARY_SLUG])
    body = content.page_html(
        page,
        glossary=content.glossary_terms(language=language),
        glossary_url=glossary_url,
        exists=route_exists,
        localize=localized_path,
    )
    return render(
        request,
        "learn/page.html",
        {
            "page": page,
            "body": body,
            "try_it": [TryItLink(item, route_exists(item.path)) for item in page.try_it],
            "risk_disclosure_url": reverse("learn_page", args=[RISK_DISCLOSURE_SLUG]),
        },
    )
