"""Regional restriction pages: the filterable table and map, one page per jurisdiction, and
where copy trading is blocked. Every page lists its sources, a review date and a not-legal-
advice line (templates/learn/restrictions/fragments.html)."""

from __future__ import annotations

import hashlib
import json
from functools import cache as cache_function
from itertools import groupby
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from riskcalc import restriction_map
from riskcalc.kept_pages import kept_response
from riskcalc.models import Jurisdiction, Restriction
from riskcalc.models.restrictions import Product, RestrictionKind, SubjectKind
from riskcalc.restriction_answers import (
    copy_trading_checked_on,
    copy_trading_statements,
    find_place,
    place_answer,
    places,
)
from riskcalc.restriction_filters import (
    SUBJECT_GROUPS,
    RestrictionFilterForm,
    ReviewSpan,
    filtered_restrictions,
    review_span,
    subject_choices,
)


class JurisdictionCodeConverter:
    """ISO 3166-1 alpha-2, ISO 3166-2 (CA-ON), EU or ZZ, in any case."""

    regex = r"[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value.lower()


# Cached pieces of the restrictions page live this long; they are keyed by the data version, so
# an edit never waits for the timeout (it only bounds how long dead entries take space).
RESULTS_CACHE_SECONDS = 24 * 60 * 60


def cache_key(*parts: str) -> str:
    """A key for a kept piece of these pages, in the active language (pages are translated)."""
    return ":".join(["restrictions", translation.get_language() or settings.LANGUAGE_CODE, *parts])


def data_version() -> str:
    """Changes whenever a fact or a jurisdiction with facts is saved, added or deleted.

    One aggregate query: the newest ``updated_at`` (``auto_now``) of the facts and of their
    jurisdictions, and the number of facts (a deletion moves no timestamp). Jurisdictions
    without facts never show on the page, and one with facts cannot be deleted (PROTECT).
    The loader's ``.update(loaded_hash=...)`` skips ``auto_now`` and changes nothing shown.
    """
    version = Restriction.objects.order_by().aggregate(
        facts=Count("id"), fact=Max("updated_at"), jurisdiction=Max("jurisdiction__updated_at")
    )
    stamps = [
        "-" if stamp is None else f"{stamp.timestamp():.6f}"
        for stamp in (version["fact"], version["jurisdiction"])
    ]
    return ":".join([str(version["facts"]), *stamps])


def page_data(version: str) -> dict[str, Any]:
    """What every filtered view shares: the subject options, the fact count, the review span."""
    key = cache_key("page", "v2", version)  # v2: translated subject groups
    data = cache.get(key)
    if data is None:
        span = review_span(Restriction.objects.all())
        data = {
            "subject_choices": subject_choices(),
            "total": Restriction.objects.count(),
            "review": (span.oldest, span.newest),
        }
        cache.set(key, data, RESULTS_CACHE_SECONDS)
    return data


FACTS_PER_PAGE = 25


def results_fragment(
    filters: dict[str, str], page: str, version: str, total: int, subjects: list[Any]
) -> dict[str, Any]:
    """The rendered ``#results`` (one page of the table, its count and page links) and the
    filter form above it, bound to the same valid filters.

    The fragment depends only on the filters, the page and the data, never on the request (no
    CSP nonce, no user), so one rendering serves every visitor until the data changes.
    """
    digest = hashlib.sha256(json.dumps([filters, page], sort_keys=True).encode()).hexdigest()[:32]
    key = cache_key("results", "v3", version, digest)  # v3: translated labels
    fragment = cache.get(key)
    if fragment is not None:
        return fragment  # type: ignore[no-any-return]
    facts_page = Paginator(filtered_restrictions(filters), FACTS_PER_PAGE).get_page(page)
    urls: dict[str, str] = {}
    for fact in facts_page:
        code = fact.jurisdiction.code
        if code not in urls:
            urls[code] = reverse("restrictions_jurisdiction_page", args=[code])
        fact.jurisdiction_url = urls[code]  # type: ignore[attr-defined]
    html = render_to_string(
        "learn/restrictions/index.html#results_table",
        {"facts_page": facts_page, "total": total, "filter_query": urlencode(filters)},
    )
    form_html = render_to_string(
        "learn/restrictions/index.html#filter_form",
        {"form": RestrictionFilterForm(filters, subjects=subjects)},
    )
    fragment = {"html": html, "form_html": form_html, "matching": facts_page.paginator.count}
    cache.set(key, fragment, RESULTS_CACHE_SECONDS)
    return fragment


def answer_context(request: HttpRequest) -> dict[str, Any]:
    """The "Where are you?" question and, when a place was given, its answer card."""
    where = request.GET.get("where", "")[:100]
    place = find_place(where)
    return {
        "where": where,
        "place_not_found": bool(where.strip()) and place is None,
        "answer": place_answer(place) if place else None,
        "statements": copy_trading_statements(),
    }


def kept_page_name(request: HttpRequest, name: str) -> str | None:
    """The cache name of the page this request asks for, or None when it is not kept.

    Kept: the page without a query string, and the answer for a place asked for by its exact
    listed name (``?where=Germany``, as the country list fills it in), as a whole page or as
    the htmx answer card. There are as many of those as places, so no query string can fill
    the cache; anything else (a code, other case, filters, a page number) is rendered.
    """
    if not request.GET:
        return None if request.htmx else name
    where = request.GET.getlist("where")
    if list(request.GET) != ["where"] or len(where) != 1:
        return None
    place = find_place(where[0])
    if place is None or where[0] != place.name:
        return None
    if request.htmx:
        return f"{name}:answer:{place.code}" if request.htmx.target == "answer" else None
    return f"{name}:where:{place.code}"


def default_page(request: HttpRequest, name: str, render_page: Any) -> HttpResponse:
    """The page as ``render_page()`` renders it, from the cache when it is a kept page
    (:func:`kept_page_name`), keyed by the data version (:mod:`riskcalc.kept_pages`)."""
    kept_name = kept_page_name(request, name)
    # v3: translated labels (v2 pages were English; v1 held another placeholder)
    key = None if kept_name is None else cache_key("page", "v3", kept_name, data_version())
    return kept_response(
        request,
        key,
        lambda: (render_page(), True),
        store=cache,
        timeout=RESULTS_CACHE_SECONDS,
    )


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def restrictions_page(request: HttpRequest) -> HttpResponse:
    return default_page(request, "index", lambda: render_restrictions_page(request))


def render_restrictions_page(request: HttpRequest) -> HttpResponse:
    template = "learn/restrictions/index.html"
    if request.htmx and request.htmx.target == "answer":
        return render(request, f"{template}#answer", answer_context(request))
    version = data_version()
    data = page_data(version)
    form = RestrictionFilterForm(request.GET, subjects=data["subject_choices"])
    fragment = results_fragment(
        form.filters(),
        request.GET.get("page", "1"),
        version,
        data["total"],
        data["subject_choices"],
    )
    context = {
        "results_html": mark_safe(fragment["html"]),  # rendered (and escaped) by a template
        "filter_form_html": mark_safe(fragment["form_html"]),  # likewise
        "matching": fragment["matching"],
        "total": data["total"],
        "review": ReviewSpan(*data["review"]),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, f"{template}#results", context)
    context.update(answer_context(request))
    context["place_options"] = place_options(translation.get_language())
    return render(request, template, context)


@cache_function
def place_options(language: str) -> SafeString:
    """The ``<datalist>`` of every place, rendered once per process and language."""
    html = render_to_string("learn/restrictions/fragments.html#place_options", {"places": places()})
    return mark_safe(html)  # rendered (and escaped) by a template


@require_safe
def restrictions_map_data(request: HttpRequest) -> JsonResponse:
    """The world map's figure, fetched by charts.js only when the map comes into view."""
    version = data_version()
    key = cache_key("map", version)
    figure = cache.get(key)
    if figure is None:
        facts = Restriction.objects.select_related("jurisdiction")
        figure = restriction_map.restrictions_map(facts).figure
        cache.set(key, figure, RESULTS_CACHE_SECONDS)
    return JsonResponse(figure)


@require_safe
def restrictions_jurisdiction_page(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.lower():
        return redirect("restrictions_jurisdiction_page", code=code, permanent=True)
    jurisdiction = get_object_or_404(Jurisdiction, code=code.upper())
    facts = jurisdiction.restrictions.order_by("subject_kind", "subject", "product", "kind", "pk")
    groups = [
        (SUBJECT_GROUPS[SubjectKind(kind)], SubjectKind(kind).label, list(group))
        for kind, group in groupby(facts, key=lambda fact: fact.subject_kind)
    ]
    place = find_place(jurisdiction.code)
    return render(
        request,
        "learn/restrictions/jurisdiction.html",
        {
            "jurisdiction": jurisdiction,
            "groups": groups,
            "review": review_span(facts),
            "answer": place_answer(place) if place else None,
            "statements": copy_trading_statements(),
        },
    )


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
def restrictions_copy_trading_page(request: HttpRequest) -> HttpResponse:
    return default_page(request, "copy-trading", lambda: render_copy_trading_page(request))


def render_copy_trading_page(request: HttpRequest) -> HttpResponse:
    template = "learn/restrictions/copy_trading.html"
    context = answer_context(request)
    if request.htmx and request.htmx.target == "answer":
        return render(request, f"{template}#answer", context)
    facts = Restriction.objects.filter(product=Product.COPY_TRADING).select_related("jurisdiction")
    listed = facts.exclude(kind=RestrictionKind.LEVERAGE_CAP).order_by(
        "subject", "jurisdiction__name", "pk"
    )
    by_exchange = {
        subject: list(group) for subject, group in groupby(listed, key=lambda f: f.subject)
    }
    statements = copy_trading_statements()
    context.update(
        {
            "exchanges": [
                (statement, by_exchange.get(name, [])) for name, statement in statements.items()
            ],
            "checked_on": copy_trading_checked_on(),
            "leverage_caps": facts.filter(kind=RestrictionKind.LEVERAGE_CAP).order_by(
                "subject", "-source_date", "pk"
            ),
            "review": review_span(facts),
            "place_options": place_options(translation.get_language()),
        }
    )
    return render(request, template, context)
