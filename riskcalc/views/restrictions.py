"""Regional restriction pages: the filterable table and map, one page per jurisdiction, and
where copy trading is blocked. Every page lists its sources, a review date and a not-legal-
advice line (templates/learn/restrictions/fragments.html)."""

from __future__ import annotations

import hashlib
import json
from itertools import groupby
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from riskcalc import restriction_map
from riskcalc.models import Jurisdiction, Restriction
from riskcalc.models.restrictions import Product, RestrictionKind, SubjectKind
from riskcalc.restriction_filters import (
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
    key = f"restrictions:page:{version}"
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


def results_fragment(
    filters: dict[str, str], version: str, total: int
) -> tuple[dict[str, Any], list[Restriction] | None]:
    """The rendered ``#results_table`` (map and table) and how many facts it shows.

    The fragment depends only on the filters and the data, never on the request (no CSP
    nonce, no user), so one rendering serves every visitor until the data changes. Returns the
    facts too when it had to render them (None when the cache answered).
    """
    digest = hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()[:32]
    key = f"restrictions:results:{version}:{digest}"
    fragment = cache.get(key)
    if fragment is not None:
        return fragment, None
    facts = list(filtered_restrictions(filters))
    urls: dict[str, str] = {}
    for fact in facts:
        code = fact.jurisdiction.code
        if code not in urls:
            urls[code] = reverse("restrictions_jurisdiction_page", args=[code])
        fact.jurisdiction_url = urls[code]  # type: ignore[attr-defined]
    html = render_to_string(
        "learn/restrictions/index.html#results_table",
        {"facts": facts, "total": total, "map": restriction_map.restrictions_map(facts)},
    )
    fragment = {"html": html, "shown": len(facts)}
    cache.set(key, fragment, RESULTS_CACHE_SECONDS)
    return fragment, facts


@require_safe
@vary_on_headers("HX-Request")
def restrictions_page(request: HttpRequest) -> HttpResponse:
    version = data_version()
    data = page_data(version)
    form = RestrictionFilterForm(request.GET, subjects=data["subject_choices"])
    fragment, facts = results_fragment(form.filters(), version, data["total"])
    context = {
        "form": form,
        "results_html": mark_safe(fragment["html"]),  # rendered (and escaped) by a template
        "shown": fragment["shown"],
        "total": data["total"],
        "review": ReviewSpan(*data["review"]),
    }
    if facts is not None:
        context["facts"] = facts
    template = "learn/restrictions/index.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@require_safe
def restrictions_jurisdiction_page(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.lower():
        return redirect("restrictions_jurisdiction_page", code=code, permanent=True)
    jurisdiction = get_object_or_404(Jurisdiction, code=code.upper())
    facts = jurisdiction.restrictions.order_by("subject_kind", "subject", "product", "kind", "pk")
    groups = [
        (SubjectKind(kind).label + "s", list(group))
        for kind, group in groupby(facts, key=lambda fact: fact.subject_kind)
    ]
    return render(
        request,
        "learn/restrictions/jurisdiction.html",
        {"jurisdiction": jurisdiction, "groups": groups, "review": review_span(facts)},
    )


@require_safe
def restrictions_copy_trading_page(request: HttpRequest) -> HttpResponse:
    facts = Restriction.objects.filter(product=Product.COPY_TRADING).select_related("jurisdiction")
    blocked = facts.filter(kind=RestrictionKind.BLOCKED).order_by("subject", "jurisdiction__name")
    exchanges = [
        (subject, list(group)) for subject, group in groupby(blocked, key=lambda f: f.subject)
    ]
    leverage_caps = facts.filter(kind=RestrictionKind.LEVERAGE_CAP).order_by(
        "subject", "-source_date", "pk"
    )
    return render(
        request,
        "learn/restrictions/copy_trading.html",
        {
            "exchanges": exchanges,
            "leverage_caps": leverage_caps,
            "review": review_span(facts),
        },
    )
