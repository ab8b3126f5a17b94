"""Calculator pages: one view per calculator, full page or htmx partial from one template.

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

Parsing and validation live in :mod:`riskcalc.forms` only; the helpers here arrange the
core's results for display (steps of the maths, scenario rows, chart figures).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localdate
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from riskcalc import charts
from riskcalc.calc.errors import InputError
from riskcalc.calc.limits import LIMITS
from riskcalc.calc.liquidation import LiquidationResult, liquidation_price, with_leverage
from riskcalc.calc.pnl import roe_curve, unrealized_pnl_curve
from riskcalc.calc.risk import (
    CAVEAT,
    MODEL,
    HorizonUnit,
    LiquidationRisk,
    LiquidationRiskInput,
    liquidation_risks,
)
from riskcalc.calc.types import ContractType, MarginMode, Side
from riskcalc.calculators.adl import adl_context
from riskcalc.calculators.display import (
    ENGINE_RETRIEVED,
    ENGINE_SOURCES,
    Part,
    leverage_cap,
    money_places,
    pnl_table,
    price_range,
    units,
)
from riskcalc.calculators.margin import margin_context
from riskcalc.calculators.pnl import pnl_context
from riskcalc.calculators.position_size import position_size_context
from riskcalc.forms import (
    DEFAULT_VOLATILITY,
    AdlForm,
    CalculatorForm,
    LiquidationForm,
    MarginForm,
    PnlForm,
    PositionSizeForm,
)
from riskcalc.http import CALCULATOR_MAX_AGE, cacheable_get
from riskcalc.templatetags.riskcalc import num, pct, price, price_against, times

__all__ = [
    "adl_page",
    "calculators",
    "liquidation_page",
    "margin_page",
    "pnl_page",
    "position_size_page",
]

SCENARIO_LEVERAGES = tuple(
    Decimal(x) for x in ("2", "5", "10", "20", "50", "100", "125", "200", "500")
)
CURVE_LEVERAGES = tuple(
    Decimal(x)
    for x in (
        "1",
        "1.5",
        "2",
        "3",
        "5",
        "7.5",
        "10",
        "15",
        "20",
        "30",
        "50",
        "75",
        "100",
        "125",
        "150",
        "200",
        "300",
        "400",
        "500",
    )
)
TOUCH_HORIZONS_DAYS = tuple(
    Decimal(x) for x in ("0.25", "1", "3", "7", "14", "30", "90", "180", "365")
)


@dataclass(frozen=True, slots=True)
class Calculator:
    """A calculator as the index and the pages name it."""

    slug: str
    route: str
    title: str
    summary: str


CALCULATORS = (
    Calculator(
        "liquidation",
        "liquidation_page",
        "Liquidation price",
        "Where an isolated or cross position is liquidated and goes bankrupt, with tiered "
        "maintenance margin, the distance at other leverages and the model chance of getting there.",
    ),
    Calculator(
        "position-size",
        "position_size_page",
        "Position size",
        "How much to buy or sell so a stop-out loses only what you chose to risk, fees and "
        "slippage included, capped by leverage, with the liquidation price beside the stop.",
    ),
    Calculator(
        "margin",
        "margin_page",
        "Margin",
        "Initial and tiered maintenance margin, the tier's leverage cap, margin ratio and the "
        "largest position a balance can open.",
    ),
    Calculator(
        "pnl",
        "pnl_page",
        "PnL and ROE",
        "Profit or loss, return on margin, fees, and the exit price for a target return, for "
        "linear and inverse contracts.",
    ),
    Calculator(
        "adl",
        "adl_page",
        "Auto-deleveraging (ADL)",
        "Your position's ADL ranking score under each exchange's published rule, what drives "
        "it, and the price at which a deleveraged position is closed.",
    ),
)


LEARN_TITLES = {
    "leverage": "Leverage",
    "margin": "Margin",
    "liquidation": "Liquidation",
    "isolated-vs-cross": "Isolated vs cross margin",
    "bankruptcy-insurance-adl": "Bankruptcy, insurance fund and ADL",
    "position-sizing": "Position sizing",
    "linear-vs-inverse": "Linear vs inverse contracts",
    "funding-rates": "Funding rates",
    "glossary": "Glossary",
}
LEARN_SLUGS = {
    "liquidation_page": (
        "liquidation",
        "leverage",
        "margin",
        "isolated-vs-cross",
        "bankruptcy-insurance-adl",
        "linear-vs-inverse",
        "glossary",
    ),
    "position_size_page": ("position-sizing", "leverage", "liquidation", "glossary"),
    "margin_page": ("margin", "leverage", "isolated-vs-cross", "glossary"),
    "pnl_page": ("leverage", "linear-vs-inverse", "funding-rates", "glossary"),
    "adl_page": ("bankruptcy-insurance-adl", "liquidation", "glossary"),
}
"""The learn pages (``/learn/<slug>/``) each calculator links to, by the calculator's route."""


def learn_links(route: str) -> tuple[tuple[str, str], ...]:
    """(URL, title) of the learn pages a calculator links to; a URL is ``""`` where no page
    exists (``templates/calculators/includes/learn.html`` leaves that link out).

    Reversed once per URLconf and script prefix, not per request: seven ``{% url %}`` tags
    cost the liquidation partial about 0.2 ms, a twentieth of its time. The routes and content
    slugs are fixed when the URLconf loads, so the answer never changes within a process.
    """
    return _learn_links(route, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.cache
def _learn_links(route: str, urlconf: str, script_prefix: str) -> tuple[tuple[str, str], ...]:
    links = []
    for slug in LEARN_SLUGS[route]:
        try:
            url = reverse("learn_page", args=[slug], urlconf=urlconf)
        except NoReverseMatch:
            url = ""
        links.append((url, LEARN_TITLES[slug]))
    return tuple(links)


def learn_anchors(route: str) -> SafeString:
    """The links of :func:`learn_links` as HTML, ``<a href="…">Title</a>`` joined by " · "
    (``templates/calculators/includes/learn.html`` prints it), built once per process like
    the links: a template loop over them cost each partial about 0.07 ms."""
    return _learn_anchors(route, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.cache
def _learn_anchors(route: str, urlconf: str, script_prefix: str) -> SafeString:
    links = _learn_links(route, urlconf, script_prefix)
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


def render_calculator(
    request: HttpRequest,
    *,
    form_class: type[CalculatorForm],
    template: str,
    extra: Callable[..., Mapping[str, Any]],
    defer_analysis: bool = True,
) -> HttpResponse:
    """Bind, validate (the form calls the core), add display context, render page or partial.

    ``extra(form, query, part=...)`` adds the calculator's display context for the part the
    request asks for (:func:`calculator_part`); an htmx request gets the template's ``result``
    partial, or its ``analysis`` partial for the deferred block's own request."""
    part = calculator_part(request, defer_analysis=defer_analysis)
    bound = _bound(request)
    # An htmx request renders only the result, never a field: share the unrendered fields.
    form = form_class(request.GET if bound else None, shared_fields=bool(request.htmx))
    valid = form.is_valid() if bound else False
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
    if not request.htmx:  # the form's fields: an htmx request renders only the result
        advanced = [form[name] for name in form.advanced_fields if name in form.fields]
        skip = set(form.advanced_fields)  # list fields exist only with lists=True (the API)
        context.update(
            advanced_fields=advanced,
            main_fields=[form[name] for name in form.fields if name not in skip],
            advanced_open=any(form.given(f.name) or f.errors for f in advanced) if bound else False,
        )
    context.update(extra(form, request.GET, part=part))
    route = getattr(request.resolver_match, "url_name", "")
    if route in LEARN_SLUGS:
        context.setdefault("learn_links", learn_links(route))
        context.setdefault("learn_anchors", learn_anchors(route))
    if not request.htmx:
        name = template
    else:
        name = f"{template}#{'analysis' if part == 'analysis' else 'result'}"
    return render(request, name, context)


@require_safe
def calculators(request: HttpRequest) -> HttpResponse:
    return render(request, "calculators/index.html", {"calculators": CALCULATORS})


# --------------------------------------------------------------------------------------------
# Shared display helpers


# --------------------------------------------------------------------------------------------
# Liquidation

LIQUIDATION_EXAMPLE = (
    "side=long&entry_price=20000&quantity=1&leverage=50&margin_mode=isolated"
    "&maintenance_margin_rate=0.005&mm_basis=entry"
)


def liquidation_steps(form: LiquidationForm, price_unit: str, margin_unit: str):
    """The maths behind a liquidation result, step by step, with the user's numbers."""
    result: LiquidationResult = form.result
    data = form.inputs
    m = result.maths
    q, cs, e = data["quantity"], data["contract_size"], data["entry_price"]
    linear = data["contract"] is ContractType.LINEAR
    s = data["side"].sign
    steps = []
    if linear:
        n = q * cs * e
        steps.append(
            (
                "Entry value",
                "N = Q × CS × E",
                f"{num(q)} × {num(cs)} × {num(e)}",
                f"{num(n, 2)} {margin_unit}",
            )
        )
    else:
        n = q * cs / e
        steps.append(
            (
                "Entry value",
                "N = Q × CS / E",
                f"{num(q)} × {num(cs)} / {num(e)}",
                f"{num(n)} {margin_unit}",
            )
        )
    if data["margin_mode"] is MarginMode.ISOLATED:
        if data["leverage"] is not None:
            steps.append(
                (
                    "Initial margin",
                    "IM = N / L",
                    f"{num(n)} / {num(data['leverage'])}",
                    f"{num(m.margin)} {margin_unit}",
                )
            )
        steps.append(
            (
                "Collateral",
                "C = margin + added margin − funding paid",
                f"{num(m.margin)} + {num(m.extra_margin_effective)} − {num(m.funding_paid)}",
                f"{num(m.collateral)} {margin_unit}",
            )
        )
    else:
        steps.append(
            (
                "Collateral (cross)",
                "C = wallet balance − other positions' MM + their unrealised PnL − funding",
                f"{num(m.wallet_balance)} − {num(m.other_maintenance_margin)} + "
                f"({num(m.other_unrealized_pnl)}) − {num(m.funding_paid)}",
                f"{num(m.collateral)} {margin_unit}",
            )
        )
    tier_note = ""
    if result.tier is not None and form.tier_table is not None:
        tier_note = (
            f"tier {result.tier.number} of {form.tier_table.label} "
            f"({form.tier_table.snapshot_text(localdate())})"
        )
        if len(m.tiers_tried) > 1:
            tier_note += "; tiers solved in turn: " + ", ".join(str(t) for t in m.tiers_tried)
    steps.append(
        (
            "Maintenance rate and deduction",
            "m, d" + (" from " + tier_note if tier_note else ""),
            f"m = {pct(result.maintenance_margin_rate, 3)}, d = {num(result.maintenance_amount)}"
            + (
                f", fee in MM f = {pct(result.fee_rate_in_maintenance, 3)}"
                if result.fee_rate_in_maintenance
                else ""
            ),
            f"s = {'+1 (long)' if s > 0 else '−1 (short)'}",
        )
    )
    if m.maintenance_margin_at_entry is not None:
        steps.append(
            (
                "Maintenance margin, fixed at entry",
                "MM_entry = N × (m + f) − d",
                f"{num(n)} × {pct(result.maintenance_margin_rate + result.fee_rate_in_maintenance, 3)} − {num(result.maintenance_amount)}",
                f"{num(m.maintenance_margin_at_entry)} {margin_unit}",
            )
        )
    if m.numerator is not None and m.denominator is not None and result.liquidation_price_exact:
        steps.append(
            (
                "Liquidation price",
                m.formula,
                f"{num(m.numerator)} / {num(m.denominator)}",
                f"{num(result.liquidation_price_exact, 6)} {price_unit}",
            )
        )
    if result.bankruptcy_price_exact is not None:
        steps.append(
            (
                "Bankruptcy price (margin balance 0)",
                m.bankruptcy_formula,
                f"{num(m.bankruptcy_numerator)} / {num(m.bankruptcy_denominator)}",
                f"{num(result.bankruptcy_price_exact, 6)} {price_unit}",
            )
        )
    return steps


def _risks(
    side: Side, mark: Decimal, lp: Decimal | None, volatility: Decimal, hours: list[Decimal]
) -> tuple[LiquidationRisk | None, ...]:
    """Model touch risk of ``lp`` within each of ``hours``, or ``None`` for each if already at
    or past it (one ``ln`` for all the horizons: :func:`liquidation_risks`)."""
    try:
        return liquidation_risks(
            LiquidationRiskInput(
                side=side,
                mark_price=mark,
                liquidation_price=lp,
                annual_volatility=volatility,
                horizon=hours[0],
                horizon_unit=HorizonUnit.HOURS,
            ),
            hours,
        )
    except InputError:
        return (None,) * len(hours)  # already at or past liquidation: no chance to report


def _scenario_text(row: dict[str, Any], side: Side, yours: Decimal | None) -> dict[str, Any]:
    """A scenario row's cells as text, formatted here as the template's filters did."""
    result, chance = row["result"], row["risk"]
    text = {"yours": row["leverage"] == yours, "leverage_text": times(row["leverage"])}
    if result is not None:
        lp = result.liquidation_price
        text["price_text"] = price_against(lp, side) if lp else "--"
        text["distance_text"] = pct(result.liquidation_distance)
        text["chance_text"] = pct(chance.touch_probability, 1) if chance else "--"
    return text


def _inputs_text(inputs: Mapping[str, Any], price_unit: str, exchange_label: str) -> str:
    """The liquidation result's first line: the inputs it answers, e.g. "Long 1 at 20,000
    USDT, 50x, isolated margin, linear contract; maintenance valued at the entry price."
    (written here rather than by a dozen template filters and conditions, about 60 µs)."""
    text = f"{inputs['side'].value.capitalize()} {num(inputs['quantity'])}"
    if inputs["contract"] is ContractType.INVERSE:
        text += " contracts"
    text += f" at {price(inputs['entry_price'])} {price_unit}"
    if inputs["leverage"]:
        text += f", {times(inputs['leverage'])}"
    text += f", {inputs['margin_mode'].value} margin, {inputs['contract'].value} contract"
    if exchange_label:
        text += f", {exchange_label}"
        if inputs.get("symbol"):
            text += f" {inputs['symbol']}"
    return f"{text}; maintenance valued at the {inputs['mm_basis'].value} price."


def _at_leverage(form: LiquidationForm, leverage: Decimal) -> tuple[LiquidationResult | None, str]:
    """The form's position solved at another leverage: (result, error text).

    The same as binding a new :class:`LiquidationForm` to the query with only ``leverage``
    changed, without re-parsing it: every other input, the profile's defaults and the tier
    table are the already-validated ones in ``form.position``; ``with_leverage`` re-runs the
    core's checks on the leverage, and the form's confirmed-cap check is repeated. (The form's
    own bounds on ``leverage``, 1 to 1,000, hold for every leverage of the table and curve.)
    At the form's own leverage, digit for digit, the answer is the form's own result.
    """
    position = form.position
    if position.leverage is not None and position.leverage.as_tuple() == leverage.as_tuple():
        return form.result, ""  # liquidation_price(form.position), already solved
    try:
        form.check_leverage_cap(form.leverage_preset, leverage)
        return liquidation_price(with_leverage(position, leverage)), ""
    except InputError as error:
        return None, error.message


def liquidation_context(
    form: LiquidationForm, query: QueryDict, *, part: Part = "page"
) -> dict[str, Any]:
    """Display context of a liquidation result for ``part`` (:func:`calculator_part`): the
    htmx ``result`` has no maths steps, scenario table, leverage curve or charts (they are
    its deferred analysis); the page has everything."""
    analysis = part != "result"
    context: dict[str, Any] = {
        "example_query": LIQUIDATION_EXAMPLE,
        "engine_sources": ENGINE_SOURCES,
        "engine_retrieved": ENGINE_RETRIEVED,
        "risk_model": MODEL,
        "risk_caveat": CAVEAT,
        "default_volatility": DEFAULT_VOLATILITY,
    }
    data = getattr(form, "cleaned_data", None) or {}
    notional = None
    if data.get("entry_price") and data.get("quantity"):
        size = data.get("contract_size") or Decimal(1)
        if data.get("contract", ContractType.LINEAR) is ContractType.LINEAR:
            notional = data["entry_price"] * data["quantity"] * size
        else:
            notional = data["quantity"] * size / data["entry_price"]
    cap, cap_reason = leverage_cap(form, notional)
    context.update(leverage_max=cap, leverage_cap_reason=cap_reason)
    if not form.is_bound or form.result is None:
        return context

    result: LiquidationResult = form.result
    inputs = form.inputs
    side: Side = inputs["side"]
    contract: ContractType = inputs["contract"]
    price_unit, margin_unit = units(form, contract)
    reference = result.distance_reference
    volatility: Decimal = inputs["volatility"]
    volatility_assumed = volatility == DEFAULT_VOLATILITY
    lp = result.liquidation_price_exact
    risks: dict[tuple[Decimal | None, Decimal], Any] = {}  # this request's (lp, hours) -> risk

    def risk(price: Decimal | None, hours: Decimal, *more_hours: Decimal):
        wanted = [hours, *more_hours]
        missing = [h for h in wanted if (price, h) not in risks]
        if missing:
            found = _risks(side, reference, price, volatility, missing)
            risks.update(zip([(price, h) for h in missing], found, strict=True))
        return risks[(price, hours)]

    touch_hours = [days * 24 for days in TOUCH_HORIZONS_DAYS]
    direction = "below" if side is Side.LONG else "above"
    base = "mark" if inputs.get("mark_price") else "entry"
    if lp is not None:
        summary = (
            f"Liquidation at {price_against(result.liquidation_price, side.value)} "
            f"{price_unit}, {pct(result.liquidation_distance)} {direction} {base}."
        )
    else:
        summary = "No liquidation price. " + result.no_liquidation_message

    # Scenario table and leverage curve: the same trade re-solved at other leverages (the
    # touch chance only for the table's rows, the only place it is shown).
    scenarios = []
    curve: list[Decimal | None] = []
    exchange_label = form.profile.label if form.profile else ""
    leverage_applies = inputs["margin_mode"] is MarginMode.ISOLATED and inputs["leverage"]
    context.update(
        result=result,
        side=side,
        contract=contract,
        price_unit=price_unit,
        margin_unit=margin_unit,
        direction=direction,
        distance_base=base,
        summary=summary,
        volatility=volatility,
        volatility_assumed=volatility_assumed,
        volatility_pct=volatility * 100,
        exchange_label=exchange_label,
        leverage_applies=leverage_applies,
        sources=form.profile.sources if form.profile and form.profile.sources else (),
    )
    if part != "analysis":  # the result's first line; the analysis fragment does not show it
        context["inputs_text"] = _inputs_text(inputs, price_unit, exchange_label)
    if not analysis:
        return context
    # The model's risks (the analysis block, beside their caveat): the horizon chart's
    # first, all from one ln(LP / mark), then the 24 hours of the headline and the table.
    if lp is not None:
        risk(lp, *touch_hours)
    day = risk(lp, Decimal(24))
    context.update(day_risk=day, steps=liquidation_steps(form, price_unit, margin_unit))
    if leverage_applies:
        for lev in sorted(set(SCENARIO_LEVERAGES) | set(CURVE_LEVERAGES)):
            row = {"leverage": lev, "allowed": True, "result": None, "risk": None, "error": ""}
            if cap is not None and lev > cap:
                row["allowed"] = False
            else:
                other, error = _at_leverage(form, lev)
                if other is not None:
                    row["result"] = other
                    other_lp = other.liquidation_price_exact
                    if other_lp is not None and lev in SCENARIO_LEVERAGES:
                        row["risk"] = risk(other_lp, Decimal(24))
                    row["opens_liquidated"] = any(
                        w.code in {"already_below_maintenance", "leverage_too_high_for_maintenance"}
                        for w in other.warnings
                    )
                else:
                    row["allowed"] = False
                    row["error"] = error
            if lev in CURVE_LEVERAGES:
                r = row["result"]
                curve.append(
                    r.liquidation_distance
                    if r is not None and not row.get("opens_liquidated")
                    else None
                )
            if lev in SCENARIO_LEVERAGES:
                row.update(_scenario_text(row, side, inputs["leverage"]))
                scenarios.append(row)

    # Charts.
    figures = {}
    marks = [
        ("Entry", inputs["entry_price"]),
        ("Liquidation", lp),
        ("Bankruptcy", result.bankruptcy_price_exact),
    ]
    if inputs.get("mark_price"):
        marks.insert(1, ("Mark", inputs["mark_price"]))
    figures["ladder"] = charts.price_ladder(levels=marks, unit=price_unit)
    low, high = (lp, None) if side is Side.LONG else (None, lp)
    if side is Side.LONG and result.bankruptcy_price_exact:
        low = result.bankruptcy_price_exact
    if side is Side.SHORT and result.bankruptcy_price_exact:
        high = result.bankruptcy_price_exact
    prices = price_range(inputs["entry_price"], low, high)
    pnl = unrealized_pnl_curve(
        side=side,
        contract=contract,
        quantity=inputs["quantity"],
        entry_price=inputs["entry_price"],
        mark_prices=prices,
        contract_size=inputs["contract_size"],
    )
    roes = None
    if inputs["leverage"]:
        roes = roe_curve(
            side=side,
            contract=contract,
            entry_price=inputs["entry_price"],
            mark_prices=prices,
            leverage=inputs["leverage"],
        )
    figures["pnl"] = charts.pnl_curve(
        prices=prices, pnl=pnl, roe=roes, unit=margin_unit, marks=marks
    )
    if leverage_applies and any(d is not None for d in curve):
        figures["leverage"] = charts.leverage_curve(
            leverages=CURVE_LEVERAGES,
            distances=curve,
            user_leverage=inputs["leverage"],
            user_distance=result.liquidation_distance,
        )
    touch_rows = []
    if lp is not None and day is not None:
        for days, hours in zip(TOUCH_HORIZONS_DAYS, touch_hours, strict=True):
            r = risk(lp, hours)
            if r is not None:
                touch_rows.append((days, r.touch_probability))
        figures["touch"] = charts.touch_curve(
            horizons_days=[d for d, _ in touch_rows],
            probabilities=[p for _, p in touch_rows],
            marked_days=Decimal(1),
        )

    context.update(
        scenarios=scenarios,
        figures=figures,
        touch_rows=touch_rows,
        touch_table=[(f"{num(d)} day{pluralize(d)}", pct(p, 1)) for d, p in touch_rows],
        money_places=money_places(contract),
        pnl_rows=pnl_table(prices, pnl, money_places(contract)),
    )
    return context


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@cacheable_get(max_age=CALCULATOR_MAX_AGE)
def liquidation_page(request: HttpRequest) -> HttpResponse:
    return render_calculator(
        request,
        form_class=LiquidationForm,
        template="calculators/liquidation.html",
        extra=liquidation_context,
    )


# --------------------------------------------------------------------------------------------
# Margin, position size, PnL and ADL: the same pattern with their own figures.


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@cacheable_get(max_age=CALCULATOR_MAX_AGE)
def margin_page(request: HttpRequest) -> HttpResponse:
    return render_calculator(
        request, form_class=MarginForm, template="calculators/margin.html", extra=margin_context
    )


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@cacheable_get(max_age=CALCULATOR_MAX_AGE)
def position_size_page(request: HttpRequest) -> HttpResponse:
    return render_calculator(
        request,
        form_class=PositionSizeForm,
        template="calculators/position_size.html",
        extra=position_size_context,
    )


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@cacheable_get(max_age=CALCULATOR_MAX_AGE)
def pnl_page(request: HttpRequest) -> HttpResponse:
    return render_calculator(
        request, form_class=PnlForm, template="calculators/pnl.html", extra=pnl_context
    )


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@cacheable_get(max_age=CALCULATOR_MAX_AGE)
def adl_page(request: HttpRequest) -> HttpResponse:
    return render_calculator(
        request, form_class=AdlForm, template="calculators/adl.html", extra=adl_context
    )
