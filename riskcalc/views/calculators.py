"""Calculator pages: one view per registered calculator, full page or htmx partial from one
template (:func:`calculator_page` makes it from the calculator's registry entry).

Every calculator is a GET form, so a result is a pure function of the query string: it can
be shared, bookmarked and rendered without JavaScript. With JavaScript, htmx sends the same
GET as the user types and swaps in only the ``result`` partial (``HX-Request``): the key
figures and warnings. Its ``#analysis`` block (the maths, charts and tables) then asks for
itself with the same URL and ``HX-Target: analysis`` once typing has paused for a second
(a placeholder replaced by a newer result never asks), so each keystroke pays only for the
figures. Every view varies on both headers.
The full page, without JavaScript, has everything at once (see :func:`calculator_part`).

Invalid input is answered with status 200 in both cases: htmx 2 does not swap 4xx responses
by default, and the result partial is where the error summary belongs (re-rendering the
form while someone types would steal their caret). The field-level errors appear in the form
on a full-page render.

Parsing and validation live in each calculator's form only, and what a result shows (steps
of the maths, scenario rows, chart figures) in its ``context`` function
(``riskcalc/calculators/<name>.py``); the view binds, validates and renders.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from riskcalc.calc.limits import LIMITS
from riskcalc.calculators import CALCULATORS, Calculator
from riskcalc.calculators.display import Part, needed_prompt
from riskcalc.calculators.form import CalculatorForm
from riskcalc.exchange_data import stored_tables_version
from riskcalc.http import CALCULATOR_MAX_AGE, cacheable_get
from riskcalc.kept_pages import kept_response

__all__ = ["calculator_page", "calculators", "form_layout", "kept_key", "render_calculator"]


LEARN_TITLES = {
    "leverage": _("Leverage"),
    "margin": _("Margin"),
    "liquidation": _("Liquidation"),
    "isolated-vs-cross": _("Isolated vs cross margin"),
    "bankruptcy-insurance-adl": _("Bankruptcy, insurance fund and ADL"),
    "position-sizing": _("Position sizing"),
    "linear-vs-inverse": _("Linear vs inverse contracts"),
    "funding-rates": _("Funding rates"),
    "glossary": _("Glossary"),
}
"""Short titles of the learn pages (``/learn/<slug>/``) a calculator's ``learn`` may name,
in the active language when shown (the links are cached per language)."""


def learn_links(slugs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(URL, title) of the learn pages ``slugs`` (a calculator's ``learn``); a URL is ``""``
    where no page exists (``templates/calculators/includes/learn.html`` leaves that link out).

    Reversed once per URLconf, script prefix and language (the URL carries the language's
    prefix), not per request: seven ``{% url %}`` tags
    cost the liquidation partial about 0.2 ms, a twentieth of its time. The routes and content
    slugs are fixed when the URLconf loads, so the answer never changes within a process.
    """
    return _learn_links(
        slugs, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language()
    )


@functools.cache
def _learn_links(
    slugs: tuple[str, ...], urlconf: str, script_prefix: str, language: str
) -> tuple[tuple[str, str], ...]:
    links = []
    for slug in slugs:
        try:
            url = reverse("learn_page", args=[slug], urlconf=urlconf)
        except NoReverseMatch:
            url = ""
        links.append((url, LEARN_TITLES[slug]))
    return tuple(links)


def learn_anchors(slugs: tuple[str, ...]) -> SafeString:
    """The links of :func:`learn_links` as HTML, ``<a href="…">Title</a>`` joined by " · "
    (``templates/calculators/includes/learn.html`` prints it), built once per process like
    the links: a template loop over them cost each partial about 0.07 ms."""
    return _learn_anchors(
        slugs, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language()
    )


@functools.cache
def _learn_anchors(
    slugs: tuple[str, ...], urlconf: str, script_prefix: str, language: str
) -> SafeString:
    links = _learn_links(slugs, urlconf, script_prefix, language)
    parts = []
    for index, (url, title) in enumerate(links):
        if url:  # as the template loop did: no link where no page, " · " unless last
            parts.append(format_html('<a href="{}">{}</a>', url, title))
            if index < len(links) - 1:
                parts.append(" · ")
    return mark_safe("".join(parts))  # each part escaped by format_html


def _bound(request: HttpRequest) -> bool:
    """Whether the query string holds any input (an empty form shows no result)."""
    return any(value.strip() for value in request.GET.values())


def calculator_part(request: HttpRequest, *, defer_analysis: bool = True) -> Part:
    """Which part of a calculator a request asks for.

    - ``page``: the whole page, or (htmx, ``defer_analysis`` off: the embeds) the result
      partial with its analysis inside;
    - ``result``: htmx as someone types: the result partial with an ``#analysis``
      placeholder instead of the maths, charts and tables;
    - ``analysis``: that placeholder's own request (``HX-Target: analysis``).
    """
    if not request.htmx or not defer_analysis:
        return "page"
    return "analysis" if request.htmx.target == "analysis" else "result"


PAIRED = {"exchange": "symbol"}
"""Fields shown side by side with the one before them when both are primary."""


def form_layout(
    form: CalculatorForm, primary_fields: tuple[str, ...], *, bound: bool, open_for_given: bool
) -> dict[str, Any]:
    """Where the form's fields go on a full page or embed (issue 14, "primary inputs first").

    ``primary_rows``: the ``primary_fields`` in their order, one row each (an exchange and its
    symbol share one); ``more_fields``: every other field, in the form's order, under the
    "More inputs" disclosure, which ``more_open`` opens when one of them has an error or is
    needed (a closed disclosure must never hide what needs fixing) and, with ``open_for_given`` (a
    page, not an embed, whose query is its publisher's setting), when the query sets one."""
    primary = [name for name in primary_fields if name in form.fields]
    partners = {PAIRED[name]: name for name in primary if PAIRED.get(name) in primary}
    rows = [
        [form[name], *([form[PAIRED[name]]] if PAIRED.get(name) in partners else [])]
        for name in primary
        if name not in partners  # shown beside the field it pairs with
    ]
    more = [form[name] for name in form.fields if name not in primary]
    return {
        "primary_rows": rows,
        "more_fields": more,
        "more_open": bound
        and any(
            (open_for_given and form.given(f.name)) or f.errors or f.name in form.needed
            for f in more
        ),
    }


def render_calculator(
    request: HttpRequest,
    *,
    form_class: type[CalculatorForm],
    template: str,
    extra: Callable[..., Mapping[str, Any]],
    learn: tuple[str, ...] = (),
    primary_fields: tuple[str, ...] = (),
    defer_analysis: bool = True,
    embed: bool = False,
) -> tuple[HttpResponse, bool]:
    """Bind, validate (the form calls the core), add display context, render page or partial;
    return the response and whether it may be kept for the next reader (:func:`kept_key`):
    an empty form, or inputs the form accepted and the core answered.

    ``extra(form, query, part=...)`` adds the calculator's display context for the part the
    request asks for (:func:`calculator_part`); an htmx request gets the template's ``result``
    partial, or its ``analysis`` partial for the deferred block's own request. ``learn``: the
    learn pages to link to (a page's and a full-mode embed's). ``primary_fields``: the
    calculator's inputs shown first (:func:`form_layout`); ``embed``: a widget, whose "More
    inputs" does not open for values its publisher set."""
    part = calculator_part(request, defer_analysis=defer_analysis)
    bound = _bound(request)
    # An htmx request renders only the result, never a field: share the unrendered fields.
    form = form_class(request.GET if bound else None, shared_fields=bool(request.htmx))
    valid = form.is_valid() if bound else False
    if bound and not valid:  # ask for what is missing; the API reports it (400)
        form.hold_missing()
    needed_text, needed_html = needed_prompt(form)
    context: dict[str, Any] = {
        "form": form,
        "bound": bound,
        "valid": valid and form.result is not None,
        "oob": bool(request.htmx),
        "analysis_deferred": part == "result",
        "warnings": form.warnings if valid else (),
        # An embed's ?show= option hides blocks (riskcalc/views/embeds.py); a page shows all.
        # Set here because a name missing from the context costs the template engine an
        # exception at each use.
        "hide_summary": False,
        "hide_maths": False,
        "hide_charts": False,
        "hide_scenarios": False,
        "leverage_default_max": LIMITS["leverage"].maximum,
        "read_as": [(form[name].label, value) for name, value in form.read_as.items()],
        "needed_prompt": needed_html,
        "error_list": [
            (
                form[name].auto_id if name in form.fields else "",
                form[name].label if name in form.fields else "",
                message,
            )
            for name, messages in (form.errors.items() if bound else ())
            for message in messages
        ],
    }
    if bound and not context["valid"]:  # the headline until a calculation replaces it
        count = len(context["error_list"])
        context["summary"] = (
            ngettext(
                "Not calculated yet: fix %(count)s input.",
                "Not calculated yet: fix %(count)s inputs.",
                count,
            )
            % {"count": count}
            if count
            else needed_text
        )
    if not request.htmx:  # the form's fields: an htmx request renders only the result
        context.update(form_layout(form, primary_fields, bound=bound, open_for_given=not embed))
    context.update(extra(form, request.GET, part=part))
    if learn:
        context.setdefault("learn_links", learn_links(learn))
        context.setdefault("learn_anchors", learn_anchors(learn))
    if not request.htmx:
        name = template
    else:
        name = f"{template}#{'analysis' if part == 'analysis' else 'result'}"
    return render(request, name, context), context["valid"] or not bound


KEPT_PAGES = "pages"
"""The cache alias that keeps rendered calculator pages (this process's memory, bounded:
``settings.CACHES``)."""

KEPT_SECONDS = 10 * 60
"""How long a kept page lives at most; its key holds everything it depends on."""


def kept_key(request: HttpRequest, calculator: Calculator) -> str | None:
    """The cache key of the calculator page or deferred analysis this request asks for, or
    ``None`` when it is rendered every time.

    A shared result link is opened by many readers with the same query string, so its full
    page and its analysis request are kept (:func:`riskcalc.kept_pages.kept_response`; only a
    result the inputs gave, or the empty form, is stored). Not kept: the result partial htmx
    asks for as someone types (each keystroke a new query), and a query with a name that is
    not one of the calculator's fields or a name given twice. The key holds everything the
    page depends on besides the host (added by ``kept_response``): the part, the language,
    the query (its pairs sorted, so the order of parameters does not matter), today's date
    (tier tables show their age) and the version of the refreshed exchange tables
    (``refresh_exchange_data``), so a new table or a new day is never served an old page.
    """
    part = calculator_part(request)
    if part == "result":
        return None
    query = request.GET
    fields = calculator.form.base_fields
    if any(name not in fields or len(query.getlist(name)) != 1 for name in query):
        return None
    digest = hashlib.sha256(json.dumps(sorted(query.items())).encode()).hexdigest()[:32]
    return ":".join(
        [
            "calculator",
            calculator.slug,
            part,
            get_language(),
            timezone.localdate().isoformat(),
            str(stored_tables_version()),
            digest,
        ]
    )


@require_safe
def calculators(request: HttpRequest) -> HttpResponse:
    return render(request, "calculators/index.html", {"calculators": list(CALCULATORS.values())})


def calculator_page(calculator: Calculator) -> Callable[[HttpRequest], HttpResponse]:
    """The page view of a registered calculator (``riskcalc/urls.py`` routes one per entry of
    :data:`~riskcalc.calculators.CALCULATORS`)."""

    @require_safe
    @vary_on_headers("HX-Request", "HX-Target")
    @cacheable_get(max_age=CALCULATOR_MAX_AGE)
    def view(request: HttpRequest) -> HttpResponse:
        return kept_response(
            request,
            kept_key(request, calculator),
            lambda: render_calculator(
                request,
                form_class=calculator.form,
                template=calculator.template,
                extra=calculator.context,
                learn=calculator.learn,
                primary_fields=calculator.primary_fields,
            ),
            store=caches[KEPT_PAGES],
            timeout=KEPT_SECONDS,
        )

    view.__name__ = view.__qualname__ = calculator.page
    view.__doc__ = f"The {calculator.title} calculator's page."
    return view
