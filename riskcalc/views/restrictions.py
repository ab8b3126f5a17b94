"""Regional restriction pages: the filterable table and map, one page per jurisdiction, and
where copy trading is blocked. Every page lists its sources, a review date and a not-legal-
advice line (templates/learn/restrictions/fragments.html)."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from riskcalc import restriction_map
from riskcalc.models import Jurisdiction, Restriction
from riskcalc.models.restrictions import Product, RestrictionKind, SubjectKind
from riskcalc.restriction_filters import (
    RestrictionFilterForm,
    filtered_restrictions,
    review_span,
)


class JurisdictionCodeConverter:
    """ISO 3166-1 alpha-2, ISO 3166-2 (CA-ON), EU or ZZ, in any case."""

    regex = r"[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value.lower()


@require_safe
@vary_on_headers("HX-Request")
def restrictions_page(request: HttpRequest) -> HttpResponse:
    form = RestrictionFilterForm(request.GET)
    facts = list(filtered_restrictions(form.filters()))
    context = {
        "form": form,
        "facts": facts,
        "total": Restriction.objects.count(),
        "map": restriction_map.restrictions_map(facts),
        "review": review_span(Restriction.objects.all()),
    }
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
