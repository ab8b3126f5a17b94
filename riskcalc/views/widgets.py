"""The widget builder (/widgets/) and the oEmbed endpoint (/oembed).

The builder is a GET form: pick a calculator and options, see a live preview (the real
loader snippet) and copy the snippet in its two forms, script and plain iframe. With htmx
only the ``output`` partial is swapped; without JavaScript the form reloads the page.

oEmbed (https://oembed.com, section 2): a consumer such as WordPress finds the endpoint through
the ``<link rel="alternate" type="application/json+oembed">`` in a calculator page's head
(``{% oembed_link %}``) and gets a ``rich`` response whose ``html`` is the iframe of the embed
route with the page's inputs. URLs that are not our calculator pages answer 404, formats other
than JSON 501, as the spec asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from riskcalc.fields import plain
from riskcalc.params import whole_number
from riskcalc.templatetags.riskcalc import NUMBER_LOCALES
from riskcalc.views.embeds import (
    EMBEDS,
    MODES,
    SHOW_BLOCKS,
    THEMES,
    Embeddable,
    EmbedOptions,
    embed_url,
    form_query,
    page_url,
)

__all__ = ["WidgetForm", "oembed", "snippets", "widgets"]

DEFAULT_WIDTH = 640
FRAME_HEIGHTS = {"compact": 1100, "full": 1800}
"""A plain iframe's height (px) before the loader resizes it, or for good where scripts are
not allowed: every default compact widget fits in 1,100 px from a 360 px column up (the
tallest, liquidation's, is 1,074 px there: benchmarks/README.md, "Widgets"); a full one has
charts and tables and may scroll inside."""
LOCALE_LABELS = {
    "": "As the widget's language",
    "en": "English (1,234.5)",
    "de": "German (1.234,5)",
    "fr": "French (1 234,5)",
    "es": "Spanish (1.234,5)",
    "zh-hans": "Simplified Chinese (1,234.5)",
    "ar": "Arabic (1,234.5)",
}
MODE_LABELS = {
    "compact": "Compact: the main inputs and key figures, a link to the rest",
    "full": "Full: every input, the maths, charts and learn links",
}
SHOW_LABELS = {
    "summary": "Summary figures",
    "maths": "Show the maths",
    "chart": "Charts",
    "scenarios": "Other leverages (liquidation)",
}


class WidgetForm(forms.Form):
    """The builder's choices; every field falls back to the widget's own default."""

    calculator = forms.ChoiceField(
        choices=lambda: [(e.slug, e.widget_title) for e in EMBEDS.values()],
        initial="liquidation",
        required=False,
    )
    theme = forms.ChoiceField(
        choices=[
            (t, t.capitalize() + (" (follows the visitor)" if t == "auto" else "")) for t in THEMES
        ],
        initial="light",
        required=False,
    )
    accent = forms.RegexField(
        regex=r"^#(?:[0-9a-fA-F]{3}){1,2}$",
        required=False,
        label=_("Accent colour"),
        help_text=_("A hex colour such as #0d6efd; empty for the default blue."),
        widget=forms.TextInput(attrs={"placeholder": "#0d6efd", "maxlength": 7}),
    )
    lang = forms.ChoiceField(
        label=_("Language"),
        choices=lambda: [(code, str(name)) for code, name in settings.LANGUAGES],
        initial="en",
        required=False,
    )
    locale = forms.ChoiceField(
        label=_("Number format"),
        choices=[(c, LOCALE_LABELS[c]) for c in ("", *NUMBER_LOCALES)],
        initial="",
        required=False,
    )
    mode = forms.ChoiceField(
        choices=[(m, MODE_LABELS[m]) for m in MODES],
        initial="compact",
        required=False,
    )
    show = forms.MultipleChoiceField(
        label=_("Result blocks"),
        choices=[(b, SHOW_LABELS[b]) for b in SHOW_BLOCKS],
        initial=list(SHOW_BLOCKS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    prefill = forms.CharField(
        required=False,
        label=_("Prefilled inputs"),
        help_text=_(
            "Filled in as you type in the preview; or paste the part after “?” in a "
            "calculator page's address, e.g. side=long&entry_price=60000&leverage=20."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def choices(self) -> tuple[Embeddable, dict[str, str], list[Refusal]]:
        """The chosen calculator, the widget's query (the prefill the calculator's form
        accepts, then the options) and the prefill values it refused."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()  # cleaned_data keeps the fields that validate; the rest use defaults
            data = self.cleaned_data
        embeddable = EMBEDS.get(data.get("calculator", ""), EMBEDS["liquidation"])
        prefill = QueryDict(str(data.get("prefill", "")).strip().lstrip("?"))
        query, refused = checked_prefill(embeddable, prefill)
        shown = data.get("show") or list(SHOW_BLOCKS)
        options = EmbedOptions.from_query(
            {
                "theme": data.get("theme", "light"),
                "accent": data.get("accent", ""),
                "lang": data.get("lang", "en"),
                "locale": data.get("locale", ""),
                "mode": data.get("mode", "compact"),
                "show": ",".join(shown),
            }
        )
        query.update(options.as_query())
        return embeddable, query, refused


@dataclass(frozen=True, slots=True)
class Refusal:
    """A prefill value left out of the snippet, and why (the calculator form's own words)."""

    name: str
    value: str
    reason: str


def checked_prefill(
    embeddable: Embeddable, prefill: QueryDict
) -> tuple[dict[str, str], list[Refusal]]:
    """The prefill values the calculator's own form accepts, and the others refused.

    A name that is not one of the form's fields on a page is refused; the rest are bound to
    the form, the one validation layer of pages, embeds and the API, and every value with an
    error of its own is refused with the form's message, until none has (one refusal can
    clear another's error). A missing required input is not a refusal: the widget opens
    asking for it. Numbers the form reads another way (``1 234,5``) are written as read
    (``1234.5``), so the snippet carries what the preview computed, in any locale.
    """
    fields = embeddable.form().fields
    given: dict[str, str] = {}
    refused: list[Refusal] = []
    for name, value in prefill.items():
        value = value.strip()
        if not value:
            continue
        if name in fields:
            given[name] = value
        else:
            reason = f"not an input of the {embeddable.widget_title.lower()}"
            refused.append(Refusal(name, value, reason))
    while True:
        form = embeddable.form(QueryDict(urlencode(given)))
        form.is_valid()
        wrong = [name for name in given if name in form.errors]
        if not wrong:
            break
        for name in wrong:
            refused.append(Refusal(name, given.pop(name), str(form.errors[name][0])))
    read = {name: plain(form.read_as[name]) for name in given if name in form.read_as}
    return {**given, **read}, refused


def snippets(request: HttpRequest, embeddable: Embeddable, query: dict[str, str]) -> dict[str, str]:
    """The two ways to embed: loader script + div, and a plain iframe (plus the loader,
    which resizes it where the host allows scripts). A widget in another language is titled
    in it (the frame's title, ``data-title`` for the loader), as screen readers announce it."""
    language = query.get("lang")
    attributes = "".join(
        format_html(' data-{}="{}"', name.replace("_", "-"), value) for name, value in query.items()
    )
    if language:
        attributes += format_html(' data-title="{}"', frame_title(embeddable, language))
    script = (
        format_html('<div data-riskcalc="{}"', embeddable.slug)
        + attributes
        + format_html(
            '></div>\n<script async src="{}"></script>',
            request.build_absolute_uri(reverse("embed_loader")),
        )
    )
    iframe = iframe_html(
        request,
        embed_url(embeddable, query),
        embeddable,
        width="100%",
        height=FRAME_HEIGHTS[query.get("mode", "compact")],
        language=language,
    )
    return {"script": script, "iframe": iframe}


def frame_title(embeddable: Embeddable, language: str | None = None) -> str:
    """The widget's frame title, "riskcalc margin calculator", in ``language`` (the active
    one by default)."""
    with translation.override(language or translation.get_language()):
        return f"riskcalc {embeddable.widget_title.lower()}"


def iframe_html(
    request: HttpRequest,
    path: str,
    embeddable: Embeddable,
    *,
    width: int | str,
    height: int,
    language: str | None = None,
) -> str:
    """A plain iframe of the embed at ``path``, then the loader: where the host page runs
    scripts it finds the frame (``data-riskcalc-frame``) and makes it as tall as its content;
    where it does not, the frame keeps ``height``."""
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" '
        'style="border:0;max-width:100%" data-riskcalc-frame></iframe>\n'
        '<script async src="{}"></script>',
        request.build_absolute_uri(path),
        frame_title(embeddable, language),
        width,
        height,
        request.build_absolute_uri(reverse("embed_loader")),
    )


@require_safe
@vary_on_headers("HX-Request")
def widgets(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if data and "show" not in data:
        # No box ticked means every block (the widget's default): show it ticked.
        data.setlist("show", list(SHOW_BLOCKS))
    form = WidgetForm(data or None)
    embeddable, query, refused = form.choices()
    context: dict[str, Any] = {
        "form": form,
        "embeddable": embeddable,
        "refused": refused,
        "widget_query": query,
        "preview_attributes": [(k.replace("_", "-"), v) for k, v in query.items()],
        "preview_src": embed_url(embeddable, query),
        "snippets": snippets(request, embeddable, query),
        "oembed_page": request.build_absolute_uri(
            page_url(embeddable, QueryDict(urlencode(query)))
        ),
        "embeds": list(EMBEDS.values()),
    }
    # With htmx: the output (preview and snippets) for a new choice; the snippets alone for
    # inputs typed in the preview (static/js/widgets.js), which must not reload under them.
    part = "snippets" if request.htmx and request.htmx.target == "snippets" else "output"
    template = f"widgets/builder.html#{part}" if request.htmx else "widgets/builder.html"
    return render(request, template, context)


# --------------------------------------------------------------------------------------------
# oEmbed


def _dimension(value: str | None) -> int | None:
    """A positive pixel size from maxwidth/maxheight, or None when absent, not a whole number
    or over a million pixels (the iframe is never larger than its default anyway)."""
    return whole_number(value, maximum=1_000_000) or None


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def calculator_for_url(request: HttpRequest, url: str) -> tuple[Embeddable, QueryDict] | None:
    """The calculator a URL shows, if it is one of our calculator pages on this host."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.netloc.lower() != request.get_host().lower():
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    for embeddable in EMBEDS.values():
        if match.url_name == embeddable.page:
            return embeddable, form_query(QueryDict(parts.query), embeddable)
    return None


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed for calculator pages: ``?url=<page URL>&maxwidth=&maxheight=&format=json``."""
    if request.GET.get("format", "json") != "json":
        return _error(501, "Only format=json is supported.")
    found = calculator_for_url(request, request.GET.get("url", ""))
    if found is None:
        return _error(404, "Not a riskcalc calculator page on this site.")
    embeddable, query = found
    maxwidth = _dimension(request.GET.get("maxwidth"))
    maxheight = _dimension(request.GET.get("maxheight"))
    width = min(DEFAULT_WIDTH, maxwidth) if maxwidth else DEFAULT_WIDTH
    height = FRAME_HEIGHTS["compact"]
    height = min(height, maxheight) if maxheight else height
    response = JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "provider_name": "riskcalc",
            "provider_url": request.build_absolute_uri(reverse("home")),
            "title": f"{embeddable.widget_title} · riskcalc",
            "html": iframe_html(
                request, embed_url(embeddable, query), embeddable, width=width, height=height
            ),
            "width": width,
            "height": height,
            "cache_age": 86400,
        }
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def oembed_discovery(request: HttpRequest) -> tuple[str, str] | None:
    """(oEmbed URL, title) for the calculator page being rendered, else None."""
    page = request.build_absolute_uri()
    found = calculator_for_url(request, page)
    if found is None:
        return None
    query = urlencode({"url": page, "format": "json"})
    return request.build_absolute_uri(f"{reverse('oembed')}?{query}"), found[0].widget_title
