"""Embeddable calculator widgets: ``/embed/<calculator>/`` pages and the ``/embed.js`` loader.

An embed is the calculator's own ``form`` and ``result`` partials (from
``templates/calculators/<name>.html``) in minimal chrome (``templates/embed/base.html``). It is
GET-only and stateless: no session, no cookie, no CSRF form. That is what makes it safe to let
any site frame these routes (``frame-ancestors`` from ``settings.EMBED_FRAME_ANCESTORS``,
no ``X-Frame-Options``) while every other route keeps framing denied.

Options ride in the query string beside the calculator's own fields (prefill uses the form's
field names). Each option is validated against a closed set and falls back to its default,
so a bad value never breaks the widget and nothing from the query is reflected raw:

``theme``    light | dark | auto (the visitor's system setting); default light
``accent``   a colour as ``#rgb`` or ``#rrggbb`` only; default none (the site's blue)
``lang``     the widget's language: en | es | zh-hans | ar (settings.LANGUAGES; the loader's
             ``data-lang``); default English. Its figures follow the language unless
``locale``   asks for another number display: en | de | fr | es | zh-hans | ar
             (riskcalc.templatetags.riskcalc.NUMBER_LOCALES)
``mode``     compact (the default): the calculator's primary inputs (its registry entry's
             ``primary_fields``, the rest under "More inputs"), the headline and the first
             three figures, and a link to the full calculator with the same inputs; full:
             the whole calculator (the maths, charts, scenarios) with its learn links
``show``     full mode's result blocks, comma-separated: summary, maths, chart, scenarios;
             default all
``origin``   the host page's origin, set by the loader: the frame posts its height only there
``widget``   the loader's id for this frame, echoed in the height messages
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, wraps
from hashlib import sha256
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import condition, require_safe
from django.views.decorators.vary import vary_on_headers

from riskcalc.calculators import CALCULATORS, Calculator
from riskcalc.http import CALCULATOR_MAX_AGE, cacheable_get
from riskcalc.languages import query_language
from riskcalc.templatetags.riskcalc import NUMBER_LOCALES, number_locale
from riskcalc.views import calculators

__all__ = [
    "EMBEDS",
    "EmbedOptions",
    "Embeddable",
    "calculator_embed",
    "embed_loader",
]


Embeddable = Calculator
"""An embeddable calculator is a registered one: every calculator has an embed."""

EMBEDS: Mapping[str, Calculator] = CALCULATORS
"""The embeds by slug: the registry itself (:data:`riskcalc.calculators.CALCULATORS`)."""

THEMES = ("light", "dark", "auto")
MODES = ("compact", "full")
SHOW_BLOCKS = ("summary", "maths", "chart", "scenarios")
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
ORIGIN = re.compile(r"https?://(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(?::[0-9]{1,5})?")
WIDGET_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
OPTION_NAMES = ("theme", "accent", "lang", "locale", "mode", "show", "origin", "widget")


def _relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb`` (for a readable text colour on the accent)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@dataclass(frozen=True, slots=True)
class EmbedOptions:
    """The widget's display options, each already validated (see the module docstring)."""

    theme: str = "light"
    accent: str = ""  # "#rrggbb" or ""
    lang: str = "en"
    locale: str = ""  # "" follows lang
    mode: str = "compact"
    show: tuple[str, ...] = SHOW_BLOCKS
    origin: str = ""
    widget: str = ""

    @classmethod
    def from_query(cls, query: QueryDict | Mapping[str, str]) -> EmbedOptions:
        theme = query.get("theme", "")
        accent = query.get("accent", "").strip()
        locale = query.get("locale", "").strip().lower()
        mode = query.get("mode", "").strip().lower()
        shown = [part.strip().lower() for part in query.get("show", "").split(",")]
        origin = query.get("origin", "").strip()
        widget = query.get("widget", "").strip()
        if HEX_COLOUR.fullmatch(accent):
            if len(accent) == 4:
                accent = "#" + "".join(c * 2 for c in accent[1:])
            accent = accent.lower()
        else:
            accent = ""
        return cls(
            theme=theme if theme in THEMES else "light",
            accent=accent,
            lang=query_language(query),
            locale=locale if locale in NUMBER_LOCALES else "",
            mode=mode if mode in MODES else "compact",
            show=tuple(b for b in SHOW_BLOCKS if b in shown) or SHOW_BLOCKS,
            origin=origin if ORIGIN.fullmatch(origin) else "",
            widget=widget if WIDGET_ID.fullmatch(widget) else "",
        )

    def as_query(self) -> dict[str, str]:
        """The options that differ from the defaults, as query parameters."""
        values = {
            "theme": self.theme if self.theme != "light" else "",
            "accent": self.accent,
            "lang": self.lang if self.lang != settings.LANGUAGE_CODE else "",
            "locale": self.locale,
            "mode": self.mode if self.mode != "compact" else "",
            "show": ",".join(self.show) if self.show != SHOW_BLOCKS else "",
            "origin": self.origin,
            "widget": self.widget,
        }
        return {name: value for name, value in values.items() if value}

    @property
    def accent_text(self) -> str:
        """Black or white, whichever reads better on the accent (WCAG contrast)."""
        if not self.accent:
            return ""
        luminance = _relative_luminance(self.accent)
        return "#000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#fff"


def form_query(query: QueryDict, embeddable: Embeddable) -> QueryDict:
    """The calculator's own fields from ``query`` (options and unknown keys dropped)."""
    pairs = [(n, v) for n, values in query.lists() if n in embeddable.field_names for v in values]
    return QueryDict(urlencode(pairs))


def page_url(embeddable: Embeddable, query: QueryDict) -> str:
    """The full calculator page with the same inputs (relative to our origin)."""
    encoded = form_query(query, embeddable).urlencode()
    return reverse(embeddable.page) + (f"?{encoded}" if encoded else "")


def embed_url(embeddable: Embeddable, query: Mapping[str, str] | QueryDict) -> str:
    """The embed route with the given query (relative to our origin)."""
    encoded = query.urlencode() if isinstance(query, QueryDict) else urlencode(query)
    return reverse(embeddable.embed) + (f"?{encoded}" if encoded else "")


def embed_csp() -> dict[str, Any]:
    """The site's CSP with framing opened to ``EMBED_FRAME_ANCESTORS`` (read per request).

    ``'self'`` stays allowed so the widget builder (/widgets/) can show a live preview
    whatever the setting says (a ``'none'`` in the setting then means "only ourselves":
    'none' cannot be combined with other sources).
    """
    others = [s for s in settings.EMBED_FRAME_ANCESTORS if s not in {CSP.SELF, CSP.NONE}]
    ancestors = [CSP.SELF, *others]
    return {**settings.SECURE_CSP, "frame-ancestors": ancestors}


def allow_framing[V: Callable[..., HttpResponse]](view: V) -> V:
    """Let other sites frame this view: CSP ``frame-ancestors`` from the setting, no XFO."""
    exempt = xframe_options_exempt(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return csp_override(embed_csp())(exempt)(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def render_embed(request: HttpRequest, embeddable: Embeddable) -> HttpResponse:
    """The calculator's page view logic, rendered into the embed template.

    ``calculators.render_calculator`` binds ``request.GET``; the embed hands it only the
    calculator's fields, so an option alone (``?theme=dark``) does not count as input. The
    full mode links to the calculator's learn pages, as its page does.
    """
    options = EmbedOptions.from_query(request.GET)
    request.GET = form_query(request.GET, embeddable)
    full = options.mode == "full"
    shown = set(options.show) if full else {"summary"}

    def extra(form: Any, query: QueryDict, *, part: calculators.Part) -> dict[str, Any]:
        # A compact widget shows what a page shows as someone types (the "result" part: the
        # key figures and warnings), so the maths, charts and scenarios are never worked out.
        return {
            **embeddable.context(form, query, part=part if full else "result"),
            "embeddable": embeddable,
            "form_partial": f"{embeddable.template}#form",
            "result_partial": f"{embeddable.template}#result",
            "options": options,
            "option_inputs": sorted(options.as_query().items()),
            "page_url": page_url(embeddable, query),
            "hide_summary": "summary" not in shown,
            "hide_maths": "maths" not in shown,
            "hide_charts": "chart" not in shown,
            "hide_scenarios": "scenarios" not in shown,
        }

    with translation.override(options.lang), number_locale(options.locale or options.lang):
        return calculators.render_calculator(
            request,
            form_class=embeddable.form,
            template="embed/calculator.html",
            extra=extra,
            learn=embeddable.learn if full else (),
            primary_fields=embeddable.primary_fields,
            embed=True,
            # One request per update: a widget is small, and its frame's height follows
            # its content, which a second, deferred block would make jump.
            defer_analysis=False,
        )[0]


def calculator_embed(calculator: Calculator) -> Callable[[HttpRequest], HttpResponse]:
    """The embed view of a registered calculator (``riskcalc/urls.py`` routes one per entry)."""

    @require_safe
    @vary_on_headers("HX-Request")
    @cacheable_get(max_age=CALCULATOR_MAX_AGE)
    @allow_framing
    def view(request: HttpRequest) -> HttpResponse:
        return render_embed(request, calculator)

    view.__name__ = view.__qualname__ = calculator.embed
    view.__doc__ = f"The {calculator.widget_title.lower()} as an embeddable widget."
    return view


# --------------------------------------------------------------------------------------------
# The loader script at a stable URL

LOADER_STATIC_PATH = "js/embed-loader.js"
LOADER_MAX_AGE = 86400  # a day fresh, then revalidated with the ETag (a 304 costs no body)


@lru_cache(maxsize=1)
def _loader(mtime_key: float) -> tuple[bytes, str]:
    path = finders.find(LOADER_STATIC_PATH)
    if path is None:  # pragma: no cover - the file ships with the repository
        raise Http404("embed loader missing")
    with open(path, "rb") as handle:
        body = handle.read()
    return body, '"' + sha256(body).hexdigest()[:32] + '"'


def loader_source() -> tuple[bytes, str]:
    """The loader's bytes and ETag (re-read when the file changes, else cached)."""
    path = finders.find(LOADER_STATIC_PATH)
    return _loader(os.stat(path).st_mtime if path else 0.0)


@require_safe
@condition(etag_func=lambda request: loader_source()[1])
def embed_loader(request: HttpRequest) -> HttpResponse:
    """``/embed.js``: static/js/embed-loader.js at a URL publishers can paste and keep.

    Not hashed (the URL must never change), so browsers keep it a day and then revalidate.
    Any page may load it (CORS and CORP open); it never reads cookies or the host's DOM beyond
    the ``[data-riskcalc]`` elements.
    """
    body, etag = loader_source()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={LOADER_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["ETag"] = etag
    return response
