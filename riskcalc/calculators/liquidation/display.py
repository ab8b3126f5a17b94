"""What the liquidation page shows: the maths step by step, the same trade at other
leverages, the model chance of touching the liquidation price, and the charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from riskcalc import charts
from riskcalc.calc.errors import InputError
from riskcalc.calc.liquidation import (
    LiquidationMaths,
    LiquidationResult,
    liquidation_price,
    with_leverage,
)
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
from riskcalc.calculators.display import (
    ENGINE_RETRIEVED,
    ENGINE_SOURCES,
    Part,
    leverage_cap,
    money_places,
    plural_count,
    pnl_table,
    price_range,
    price_tick,
    quantity_unit,
    snapshot_text,
    units,
)
from riskcalc.calculators.liquidation.form import DEFAULT_VOLATILITY, LiquidationForm
from riskcalc.messages import translated
from riskcalc.templatetags.riskcalc import (
    amount_hover_format,
    num,
    pct,
    price,
    price_against,
    price_hover_format,
    rate,
    times,
)

__all__ = [
    "liquidation_context",
    "liquidation_steps",
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


LIQUIDATION_EXAMPLE = (
    "side=long&entry_price=20000&quantity=1&leverage=50&margin_mode=isolated"
    "&maintenance_margin_rate=0.005&mm_basis=entry"
)


def _collateral_steps(
    data: Mapping[str, Any], m: LiquidationMaths, margin_unit: str
) -> tuple[Decimal, list[tuple[str, str, str, str]]]:
    """The first steps: the entry value N, the initial margin and the collateral (isolated)
    or the cross collateral; returns (N, steps)."""
    q, cs, e = data["quantity"], data["contract_size"], data["entry_price"]
    linear = data["contract"] is ContractType.LINEAR
    steps = []
    if linear:
        n = q * cs * e
        steps.append(
            (
                _("Entry value"),
                "N = Q × CS × E",
                f"{num(q)} × {num(cs)} × {num(e)}",
                f"{num(n, 2)} {margin_unit}",
            )
        )
    else:
        n = q * cs / e
        steps.append(
            (
                _("Entry value"),
                "N = Q × CS / E",
                f"{num(q)} × {num(cs)} / {num(e)}",
                f"{num(n)} {margin_unit}",
            )
        )
    if data["margin_mode"] is MarginMode.ISOLATED:
        if data["leverage"] is not None:
            steps.append(
                (
                    _("Initial margin"),
                    "IM = N / L",
                    f"{num(n)} / {num(data['leverage'])}",
                    f"{num(m.margin)} {margin_unit}",
                )
            )
        steps.append(
            (
                _("Collateral"),
                _("C = margin + added margin − funding paid"),
                f"{num(m.margin)} + {num(m.extra_margin_effective)} − {num(m.funding_paid)}",
                f"{num(m.collateral)} {margin_unit}",
            )
        )
    else:
        steps.append(
            (
                _("Collateral (cross)"),
                _("C = wallet balance − other positions' MM + their unrealised PnL − funding"),
                f"{num(m.wallet_balance)} − {num(m.other_maintenance_margin)} + "
                f"({num(m.other_unrealized_pnl)}) − {num(m.funding_paid)}",
                f"{num(m.collateral)} {margin_unit}",
            )
        )
    return n, steps


def liquidation_steps(form: LiquidationForm, price_unit: str, margin_unit: str):
    """The maths behind a liquidation result, step by step, with the user's numbers."""
    result: LiquidationResult = form.result
    m = result.maths
    s = form.inputs["side"].sign
    n, steps = _collateral_steps(form.inputs, m, margin_unit)
    source = "m, d"
    if result.tier is not None and form.tier_table is not None:
        source = gettext("m, d from tier %(tier)s of %(table)s (%(snapshot)s)") % {
            "tier": result.tier.number,
            "table": form.tier_table.label,
            "snapshot": snapshot_text(form.tier_table),
        }
        if len(m.tiers_tried) > 1:
            source = gettext("%(source)s; tiers solved in turn: %(tiers)s") % {
                "source": source,
                "tiers": ", ".join(str(t) for t in m.tiers_tried),
            }
    substituted = (
        f"m = {rate(result.maintenance_margin_rate)}, d = {num(result.maintenance_amount)}"
    )
    if result.fee_rate_in_maintenance:
        substituted = gettext("%(rates)s, fee in MM f = %(fee)s") % {
            "rates": substituted,
            "fee": rate(result.fee_rate_in_maintenance),
        }
    steps.append(
        (
            _("Maintenance rate and deduction"),
            source,
            substituted,
            gettext("s = +1 (long)") if s > 0 else gettext("s = −1 (short)"),
        )
    )
    if m.maintenance_margin_at_entry is not None:
        steps.append(
            (
                _("Maintenance margin, fixed at entry"),
                "MM_entry = N × (m + f) − d",
                f"{num(n)} × {rate(result.maintenance_margin_rate + result.fee_rate_in_maintenance)} − {num(result.maintenance_amount)}",
                f"{num(m.maintenance_margin_at_entry)} {margin_unit}",
            )
        )
    if m.numerator is not None and m.denominator is not None and result.liquidation_price_exact:
        steps.append(
            (
                _("Liquidation price"),
                m.formula,
                f"{num(m.numerator)} / {num(m.denominator)}",
                f"{num(result.liquidation_price_exact, 6)} {price_unit}",
            )
        )
    if result.bankruptcy_price_exact is not None:
        steps.append(
            (
                _("Bankruptcy price (margin balance 0)"),
                m.bankruptcy_formula,
                f"{num(m.bankruptcy_numerator)} / {num(m.bankruptcy_denominator)}",
                f"{num(result.bankruptcy_price_exact, 6)} {price_unit}",
            )
        )
    if result.liquidation_price_exact is not None:
        steps.append(rounding_step(result, form.inputs["side"], price_tick(form), price_unit))
    return steps


_ROUNDED = {
    (Side.LONG, True): _("rounded up (a long) to the tick %(tick)s, against the trader"),
    (Side.SHORT, True): _("rounded down (a short) to the tick %(tick)s, against the trader"),
    (Side.LONG, False): _(
        "rounded up (a long) to 2 decimal places (no tick known), against the trader"
    ),
    (Side.SHORT, False): _(
        "rounded down (a short) to 2 decimal places (no tick known), against the trader"
    ),
}
"""How the maths' last step rounds, by side and by whether a tick is known."""


def rounding_step(
    result: LiquidationResult, side: Side, tick: Decimal | None, price_unit: str
) -> tuple[str, str, str, str]:
    """The maths' last step: the exact liquidation price rounded to the one displayed,
    against the trader (up for a long, down for a short), to the tick or else 2 places."""
    shown = price_against(result.liquidation_price, side.value, tick)
    return (
        _("Liquidation price shown"),
        _ROUNDED[side, bool(tick)] % {"tick": num(tick)},
        f"{num(result.liquidation_price_exact, 6)} → {shown}",
        f"{shown} {price_unit}",
    )


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


def _scenario_text(
    row: dict[str, Any], side: Side, yours: Decimal | None, tick: Decimal | None
) -> dict[str, Any]:
    """A scenario row's cells as text, formatted here as the template's filters did."""
    result, chance = row["result"], row["risk"]
    text = {"yours": row["leverage"] == yours, "leverage_text": times(row["leverage"])}
    if result is not None:
        lp = result.liquidation_price
        text["price_text"] = price_against(lp, side, tick) if lp else "--"
        text["distance_text"] = pct(result.liquidation_distance)
        text["chance_text"] = pct(chance.touch_probability) if chance else "--"
    return text


_SIDE_TEXT = {
    Side.LONG: _("Long %(quantity)s %(unit)s at %(price)s %(price_unit)s"),
    Side.SHORT: _("Short %(quantity)s %(unit)s at %(price)s %(price_unit)s"),
}
_MODE_TEXT = {MarginMode.ISOLATED: _("isolated margin"), MarginMode.CROSS: _("cross margin")}
_CONTRACT_TEXT = {
    ContractType.LINEAR: _("linear contract"),
    ContractType.INVERSE: _("inverse contract"),
}
_BASIS_TEXT = {
    "entry": _("%(inputs)s; maintenance valued at the entry price."),
    "mark": _("%(inputs)s; maintenance valued at the mark price."),
}


def _inputs_text(
    inputs: Mapping[str, Any], price_unit: str, quantity_unit: str, exchange_label: str
) -> str:
    """The liquidation result's first line: the inputs it answers, e.g. "Long 1 BTC at 20,000
    USDT, 50×, isolated margin, linear contract; maintenance valued at the entry price."
    (written here rather than by a dozen template filters and conditions, about 60 µs)."""
    parts = [
        _SIDE_TEXT[inputs["side"]]
        % {
            "quantity": num(inputs["quantity"]),
            "unit": quantity_unit,
            "price": price(inputs["entry_price"]),
            "price_unit": price_unit,
        }
    ]
    if inputs["leverage"]:
        parts.append(times(inputs["leverage"]))
    parts += [_MODE_TEXT[inputs["margin_mode"]], _CONTRACT_TEXT[inputs["contract"]]]
    if exchange_label:
        parts.append(f"{exchange_label} {inputs.get('symbol') or ''}".strip())
    joined = pgettext("between the items of a list", ", ").join(str(part) for part in parts)
    return _BASIS_TEXT[inputs["mm_basis"].value] % {"inputs": joined}


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
        return None, translated(error.text)


class _TouchRisks:
    """The model's touch risks of one request, memoised by (liquidation price, hours): the
    horizon chart asks for all its horizons at once (one ``ln`` for all), the headline and
    the scenario table for 24 hours."""

    def __init__(self, side: Side, reference: Decimal, volatility: Decimal) -> None:
        self.side, self.reference, self.volatility = side, reference, volatility
        self.found: dict[tuple[Decimal | None, Decimal], LiquidationRisk | None] = {}

    def __call__(
        self, price: Decimal | None, hours: Decimal, *more_hours: Decimal
    ) -> LiquidationRisk | None:
        wanted = [hours, *more_hours]
        missing = [h for h in wanted if (price, h) not in self.found]
        if missing:
            found = _risks(self.side, self.reference, price, self.volatility, missing)
            self.found.update(zip([(price, h) for h in missing], found, strict=True))
        return self.found[(price, hours)]


def _entry_notional(data: Mapping[str, Any]) -> Decimal | None:
    """The position's value at entry from the cleaned inputs, if they give it (the leverage
    cap of a tier table depends on it, even when the form has errors)."""
    if not (data.get("entry_price") and data.get("quantity")):
        return None
    size = data.get("contract_size") or Decimal(1)
    if data.get("contract", ContractType.LINEAR) is ContractType.LINEAR:
        return data["entry_price"] * data["quantity"] * size
    return data["quantity"] * size / data["entry_price"]


def liquidation_context(
    form: LiquidationForm, query: QueryDict, *, part: Part = "page"
) -> dict[str, Any]:
    """Display context of a liquidation result for ``part`` (:func:`calculator_part`): the
    htmx ``result`` has no maths steps, scenario table, leverage curve or charts (they are
    its deferred analysis); the page has everything."""
    context: dict[str, Any] = {
        "example_query": LIQUIDATION_EXAMPLE,
        "engine_sources": ENGINE_SOURCES,
        "engine_retrieved": ENGINE_RETRIEVED,
        "risk_model": gettext(MODEL),
        "risk_caveat": gettext(CAVEAT),
        "default_volatility": DEFAULT_VOLATILITY,
    }
    data = getattr(form, "cleaned_data", None) or {}
    cap, cap_reason = leverage_cap(form, _entry_notional(data))
    context.update(leverage_max=cap, leverage_cap_reason=cap_reason)
    if not form.is_bound or form.result is None:
        return context
    context.update(_result_context(form, part))
    if part != "result":
        context.update(_analysis_context(form, context, cap))
    return context


_DISTANCE_FROM = {
    (Side.LONG, "entry"): _("%(distance)s below entry"),
    (Side.LONG, "mark"): _("%(distance)s below mark"),
    (Side.SHORT, "entry"): _("%(distance)s above entry"),
    (Side.SHORT, "mark"): _("%(distance)s above mark"),
}
"""How far the liquidation price is from the price it is measured from, by side and base."""

_ADVERSE_MOVE = {
    Side.LONG: _("a fall of %(distance)s liquidates it"),
    Side.SHORT: _("a rise of %(distance)s liquidates it"),
}


def _result_context(form: LiquidationForm, part: Part) -> dict[str, Any]:
    """The key figures: summary line, units, the volatility assumed, what the result answers."""
    result: LiquidationResult = form.result
    inputs = form.inputs
    side: Side = inputs["side"]
    contract: ContractType = inputs["contract"]
    price_unit, margin_unit = units(form, contract)
    volatility: Decimal = inputs["volatility"]
    base = "mark" if inputs.get("mark_price") else "entry"
    tick = price_tick(form)
    liquidation_text = price_against(result.liquidation_price, side.value, tick)
    where = ""
    if result.liquidation_price_exact is not None:
        distance = pct(result.liquidation_distance)
        where = _DISTANCE_FROM[side, base] % {"distance": distance}
        summary = _("Liquidation at %(price)s %(unit)s, %(where)s: %(move)s.") % {
            "price": liquidation_text,
            "unit": price_unit,
            "where": where,
            "move": _ADVERSE_MOVE[side] % {"distance": distance},
        }
    else:
        summary = _("No liquidation price. %(reason)s") % {
            "reason": gettext(result.no_liquidation_message)
        }
    exchange_label = form.profile.label if form.profile else ""
    context: dict[str, Any] = {
        "result": result,
        "side": side,
        "contract": contract,
        "price_unit": price_unit,
        "margin_unit": margin_unit,
        "distance_from": where,
        "summary": summary,
        "price_tick": tick,
        "liquidation_text": liquidation_text,
        "bankruptcy_text": price_against(result.bankruptcy_price, side.value, tick),
        "volatility": volatility,
        "volatility_assumed": volatility == DEFAULT_VOLATILITY,
        "volatility_pct": volatility * 100,
        "exchange_label": exchange_label,
        "leverage_applies": inputs["margin_mode"] is MarginMode.ISOLATED and inputs["leverage"],
        "sources": form.profile.sources if form.profile and form.profile.sources else (),
    }
    if part != "analysis":  # the result's first line; the analysis fragment does not show it
        counted = quantity_unit(form, contract, inputs["quantity"])
        context["inputs_text"] = _inputs_text(inputs, price_unit, counted, exchange_label)
    return context


def _analysis_context(
    form: LiquidationForm, shown: Mapping[str, Any], cap: Decimal | None
) -> dict[str, Any]:
    """The deferred analysis: the model's risks, the maths steps, the same trade at other
    leverages and the charts. ``shown`` is the result's context (units, side)."""
    result: LiquidationResult = form.result
    inputs = form.inputs
    lp = result.liquidation_price_exact
    risk = _TouchRisks(inputs["side"], result.distance_reference, inputs["volatility"])
    # The model's risks (the analysis block, beside their caveat): the horizon chart's
    # first, all from one ln(LP / mark), then the 24 hours of the headline and the table.
    touch_hours = [days * 24 for days in TOUCH_HORIZONS_DAYS]
    if lp is not None:
        risk(lp, *touch_hours)
    day = risk(lp, Decimal(24))
    scenarios: list[dict[str, Any]] = []
    curve: list[Decimal | None] = []
    if shown["leverage_applies"]:
        scenarios, curve = _other_leverages(form, cap, risk)
    figures, prices, pnl = _price_charts(form, shown["price_unit"], shown["margin_unit"])
    if shown["leverage_applies"] and any(d is not None for d in curve):
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
    places = money_places(inputs["contract"])
    return {
        "day_risk": day,
        "steps": liquidation_steps(form, shown["price_unit"], shown["margin_unit"]),
        "scenarios": scenarios,
        "figures": figures,
        "touch_rows": touch_rows,
        "touch_table": [(_days(d), pct(p)) for d, p in touch_rows],
        "money_places": places,
        "pnl_rows": pnl_table(prices, pnl, places),
    }


def _days(days: Decimal) -> str:
    """A horizon in days in the active language: 1 day, 7 days, 0.25 days."""
    return ngettext("%(days)s day", "%(days)s days", plural_count(days)) % {"days": num(days)}


def _other_leverages(
    form: LiquidationForm, cap: Decimal | None, risk: _TouchRisks
) -> tuple[list[dict[str, Any]], list[Decimal | None]]:
    """Scenario table and leverage curve: the same trade re-solved at other leverages (the
    touch chance only for the table's rows, the only place it is shown)."""
    side: Side = form.inputs["side"]
    scenarios = []
    curve: list[Decimal | None] = []
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
            row.update(_scenario_text(row, side, form.inputs["leverage"], price_tick(form)))
            scenarios.append(row)
    return scenarios, curve


def _price_charts(
    form: LiquidationForm, price_unit: str, margin_unit: str
) -> tuple[dict[str, Any], list[Decimal], list[Decimal]]:
    """The price ladder and the PnL/ROE curve: (figures, the curve's prices, its PnL)."""
    result: LiquidationResult = form.result
    inputs = form.inputs
    side: Side = inputs["side"]
    contract: ContractType = inputs["contract"]
    lp = result.liquidation_price_exact
    figures = {}
    marks = [
        ("Entry", inputs["entry_price"]),
        ("Liquidation", lp),
        ("Bankruptcy", result.bankruptcy_price_exact),
    ]
    if inputs.get("mark_price"):
        marks.insert(1, ("Mark", inputs["mark_price"]))
    figures["ladder"] = charts.price_ladder(
        levels=marks, unit=price_unit, value_format=price_hover_format(price_tick(form))
    )
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
        prices=prices,
        pnl=pnl,
        roe=roes,
        unit=margin_unit,
        marks=marks,
        price_format=price_hover_format(price_tick(form)),
        amount_format=amount_hover_format(margin_unit, sign=True),
    )
    return figures, prices, pnl
