"""How a calculator declares itself: its :class:`Calculator` entry and its API outputs.

Each calculator module ends with one :class:`Calculator` (``CALCULATOR``), which the registry
(:data:`riskcalc.calculators.CALCULATORS`) lists; the site's routes, the calculators index,
the API endpoints, the OpenAPI document, the embeds and the widget builder are generated
from the registry. Its ``outputs`` declare the JSON result, one :class:`Output` per field:
:mod:`riskcalc.api` turns them into the responses, the OpenAPI document and the tables on
``/api/``. Decimals travel as JSON strings in plain notation (:func:`riskcalc.fields.plain`);
a value that does not exist is ``null`` and a warning says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from django.utils.translation import gettext

from riskcalc.calc.liquidation import CalcWarning
from riskcalc.calc.tiers import Tier
from riskcalc.calculators.form import CalculatorForm
from riskcalc.fields import plain
from riskcalc.messages import translated

__all__ = [
    "COMMON_OUTPUTS",
    "MAX_PRIMARY_INPUTS",
    "Calculator",
    "Output",
    "data_date",
    "primary_input_count",
    "profile_name",
    "result_attr",
    "tier_source",
    "to_json",
]


MAX_PRIMARY_INPUTS = 6
"""At most this many inputs before "More inputs" (issue 14): an exchange calculator answers
from about five."""


def primary_input_count(names: tuple[str, ...]) -> int:
    """How many inputs ``names`` make on screen: an exchange and its symbol are one choice.

    >>> primary_input_count(("exchange", "symbol", "side", "entry_price"))
    3
    """
    return len(names) - ("exchange" in names and "symbol" in names)


def to_json(value: Any) -> Any:
    """Decimals to plain strings, enums to their values, containers recursively."""
    kind = type(value)
    if kind is Decimal:  # most outputs: checked first
        return plain(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, CalcWarning):
        return {"code": value.code, "message": translated(value.text)}
    if isinstance(value, Tier):
        return {
            "number": value.number,
            "floor": plain(value.floor),
            "cap": None if value.cap is None else plain(value.cap),
            "maintenance_margin_rate": plain(value.maintenance_margin_rate),
            "maintenance_amount": plain(value.maintenance_amount),
            "max_leverage": plain(value.max_leverage),
        }
    return value


@dataclass(frozen=True, slots=True)
class Output:
    """One field of a successful response: its JSON kind, whether it may be null, and how to
    read it from a valid form."""

    name: str
    kind: str  # decimal | integer | string | warnings | assumptions | tier | object | array
    description: str
    get: Callable[[Any], Any]
    nullable: bool = False


def _warnings(form: CalculatorForm) -> list[dict[str, str]]:
    return [to_json(w) for w in form.warnings]


def _inputs(form: CalculatorForm) -> dict[str, Any]:
    return {k: to_json(v) for k, v in form.inputs.items() if v is not None}


def _assumptions(form: CalculatorForm) -> list[dict[str, str]]:
    return [
        {"field": a.field, "value": plain(a.value), "message": str(a.message)}
        for a in form.assumptions
    ]


def profile_name(form: CalculatorForm) -> str | None:
    return form.profile.name if form.profile else None


def data_date(form: CalculatorForm) -> str | None:
    return form.tier_table.snapshot.isoformat() if form.tier_table else None


def tier_source(form: CalculatorForm) -> str | None:
    return form.tier_table.source_url or None if form.tier_table else None


COMMON_OUTPUTS = (
    Output(
        "warnings", "warnings", "Things to know about the result; why a value is null.", _warnings
    ),
    Output(
        "assumptions",
        "assumptions",
        "Values the result depends on that you did not give and no exchange table supplied "
        "(the generic maintenance margin rate; in the comparison, an exchange's published "
        "standard taker fee): which input, the value used and why. Give that input, or an "
        "exchange and symbol, to replace it.",
        _assumptions,
    ),
    Output("inputs", "object", "The inputs used, with defaults and presets filled in.", _inputs),
)


def result_attr(name: str) -> Callable[[Any], Any]:
    return lambda form: getattr(form.result, name)


@dataclass(frozen=True, slots=True, kw_only=True)
class Calculator:
    """One calculator: everything the site generates a page, an embed and an API endpoint from.

    Its routes are named after the slug (``position-size``: ``position_size_page`` at
    ``/calculators/position-size/``, ``position_size_embed`` at ``/embed/position-size/``,
    ``position_size_api`` at ``/api/v1/position-size``).
    """

    slug: str
    """URL segment of the page, the embed and the API endpoint; the loader's data-riskcalc."""
    title: str
    """Its name on the calculators index ("Liquidation price")."""
    overview: str
    """What it answers, on the calculators index."""
    form: type[CalculatorForm]
    """The form that parses its input and calls the core (``form.result``)."""
    template: str
    """The page template; its ``form`` and ``result`` partials are the embed's too."""
    context: Callable[..., Mapping[str, Any]]
    """``context(form, query, *, part)``: what the template shows for a request's part
    (:func:`riskcalc.views.calculators.calculator_part`)."""
    learn: tuple[str, ...]
    """Slugs of the learn pages the page links to."""
    outputs: tuple[Output, ...]
    """The API's JSON result, field by field."""
    summary: str
    """The API endpoint's one-line summary (OpenAPI ``summary``)."""
    description: str
    """The API endpoint's description."""
    example: Mapping[str, str]
    """A published worked example as API input: the docs' runnable example."""
    example_source: str
    """Where the example comes from (URL and what it shows)."""
    primary_fields: tuple[str, ...]
    """The form fields shown first, in this order: at most :data:`MAX_PRIMARY_INPUTS` inputs
    (an exchange and its symbol count as one), the few a trader knows (exchange and symbol,
    side, entry, size, leverage) and the one its question needs. The page and the embed put
    every other field under "More inputs"; the compact widget shows only these."""
    example_checks: Mapping[str, str] = field(default_factory=dict)
    """Output fields the example must reproduce (checked by the tests and on ``/api/``)."""

    def __post_init__(self) -> None:
        unknown = [name for name in self.primary_fields if name not in self.form.base_fields]
        if unknown:
            raise ValueError(f"{self.slug}: primary fields that are not form fields: {unknown}")
        if primary_input_count(self.primary_fields) > MAX_PRIMARY_INPUTS:
            raise ValueError(f"{self.slug}: more than {MAX_PRIMARY_INPUTS} primary inputs")

    @property
    def name(self) -> str:
        """The slug as a Python name: the stem of its route names."""
        return self.slug.replace("-", "_")

    @property
    def page(self) -> str:
        """Route name of the full page."""
        return f"{self.name}_page"

    @property
    def embed(self) -> str:
        """Route name of the embeddable widget."""
        return f"{self.name}_embed"

    @property
    def api(self) -> str:
        """Route name of the API endpoint."""
        return f"{self.name}_api"

    @property
    def page_path(self) -> str:
        """The full page's path."""
        return f"/calculators/{self.slug}/"

    @property
    def path(self) -> str:
        """The API endpoint's path."""
        return f"/api/v1/{self.slug}"

    @property
    def widget_title(self) -> str:
        """Its name as a widget in the active language: iframe titles, the builder, oEmbed
        ("Margin calculator", "حاسبة الهامش"); the same message as the page's heading."""
        return gettext("%(page_title)s calculator") % {"page_title": self.title}

    @property
    def field_names(self) -> tuple[str, ...]:
        """Its form's field names (an embed keeps only these from its query)."""
        return tuple(self.form.base_fields)
