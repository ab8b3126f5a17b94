"""The exchange comparison: one position on every exchange with a dated tier table for its
coin, each with its own conventions, closest liquidation first, and why the figures differ.

The core (:mod:`riskcalc.calc.compare`) picks each exchange's symbol, converts the position
for inverse contracts and solves it; this module parses the input, lays the answers out for
the page (table, chart, the maths per exchange) and declares the API's output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from riskcalc import charts
from riskcalc.calc.compare import (
    ComparePosition,
    Comparison,
    ExchangeFigure,
    SkippedExchange,
    assumed_fee_text,
    compare_exchanges,
    compared_assets,
)
from riskcalc.calc.errors import InputError
from riskcalc.calc.text import N_
from riskcalc.calc.types import ContractType, Side
from riskcalc.calculators.display import Part
from riskcalc.calculators.form import Assumption, CalculatorForm, warning
from riskcalc.calculators.spec import COMMON_OUTPUTS, Calculator, Output, to_json
from riskcalc.fields import CharField, DecimalInputField, EnumChoiceField
from riskcalc.messages import translated
from riskcalc.templatetags.riskcalc import (
    amount,
    num,
    pct,
    price_against,
    price_hover_format,
    rate,
)

__all__ = [
    "CALCULATOR",
    "COMPARE_OUTPUTS",
    "COMPARE_SCHEMAS",
    "CompareForm",
    "compare_context",
    "figure_json",
]


class CompareForm(CalculatorForm):
    """One position on every exchange with a table for its coin (``form.result``:
    :class:`~riskcalc.calc.compare.Comparison`)."""

    needed_text = _("Enter the %(inputs)s to see where each exchange would liquidate the position.")

    asset = CharField(
        max_length=20,
        # The page's <datalist id="asset-choices"> lists the coins with tables on several
        # exchanges.
        widget=forms.TextInput(attrs={"list": "asset-choices", "autocomplete": "off"}),
        label=_("Coin"),
        help_text=_(
            "The coin's ticker (BTC, ETH): each exchange's perpetual on it with a dated "
            "tier table is compared."
        ),
    )
    side = EnumChoiceField(Side, help_text=_("Direction of the position."))
    entry_price = DecimalInputField(
        limit="entry_price", required=True, help_text=_("Entry price in USD (USDT, USDC).")
    )
    quantity = DecimalInputField(
        limit="quantity",
        required=True,
        help_text=_(
            "Position size in coins. An inverse contract (BitMEX XBTUSD) counts it as "
            "the same USD value in contracts, rounded down to whole contracts."
        ),
    )
    leverage = DecimalInputField(
        limit="leverage",
        required=True,
        help_text=_(
            "Isolated margin = entry notional / leverage, the same on every exchange; "
            "an exchange whose tier caps lower is left out, with its limit."
        ),
    )
    fee_rate = DecimalInputField(
        limit="fee_rate",
        help_text=_(
            "Taker fee rate as a fraction, for exchanges that count it in maintenance "
            "margin; without it, each one's published standard taker rate is assumed (and "
            "shown). Others ignore it."
        ),
    )

    error_fields: ClassVar[Mapping[str, str]] = {}

    def clean_asset(self) -> str:
        return str(self.cleaned_data.get("asset") or "").strip().upper()

    def calculate(self, data: dict[str, Any]) -> Comparison:
        position = ComparePosition(
            asset=data["asset"],
            side=data["side"],
            entry_price=data["entry_price"],
            quantity=data["quantity"],
            leverage=data["leverage"],
            fee_rate=data["fee_rate"],
        )
        comparison = compare_exchanges(position, today=localdate())
        self.assumptions.extend(
            Assumption(
                field="fee_rate",
                label=_("taker fee rate"),
                value=f.assumed_fee.rate,
                message=translated(assumed_fee_text(f.profile, f.assumed_fee)),
            )
            for f in comparison.figures
            if f.assumed_fee is not None
        )
        if all(skip.symbol is None for skip in comparison.skipped) and not comparison.figures:
            raise InputError(
                "asset",
                N_(
                    "No exchange here has a dated tier table for {coin}. Coins with tables on "
                    "several exchanges: {coins}."
                ),
                coin=position.asset,
                coins=tuple(compared_assets()),
            )
        if not comparison.figures:
            self.extra_warnings.append(
                warning(
                    "no_exchange",
                    N_("No exchange could take this position; each one's reason is listed."),
                )
            )
        stale = [f.table.label for f in comparison.figures if f.table.is_stale(localdate())]
        if stale:
            self.extra_warnings.append(
                warning(
                    "tier_table_stale",
                    N_(
                        "{stale} of the {count} tier tables are more than 30 days old "
                        "({tables}): the exchanges may have changed them since, so check "
                        "their current tables before relying on these figures."
                    ),
                    stale=len(stale),
                    count=len(comparison.figures),
                    tables=", ".join(stale),
                )
            )
        return comparison


# --------------------------------------------------------------------------------------------
# Display: what the template shows


def _row(figure: ExchangeFigure, side: Side) -> dict[str, Any]:
    r = figure.result
    inverse = figure.contract is ContractType.INVERSE
    unit = figure.margin_currency
    return {
        "figure": figure,
        "liquidation": price_against(r.liquidation_price, side)
        if r.liquidation_price is not None
        else "--",
        "bankruptcy": price_against(r.bankruptcy_price, side)
        if r.bankruptcy_price is not None
        else "--",
        "distance": pct(r.liquidation_distance) if r.liquidation_distance is not None else "--",
        # Cents of a quote currency; about six digits of a coin (0.025 XBT, not 0.03).
        "initial_margin": amount(r.initial_margin, unit),
        "maintenance_margin": amount(r.maintenance_margin, unit),
        "inverse": inverse,
    }


def _steps(comparison: Comparison) -> list[tuple[str, str, str, str]]:
    """One line of the maths per exchange: its formula with the numbers it used."""
    steps = []
    for figure in comparison.figures:
        r, m = figure.result, figure.result.maths
        if m.numerator is None or m.denominator is None or r.liquidation_price_exact is None:
            continue
        steps.append(
            (
                figure.table.label,
                m.formula,
                f"m = {rate(r.maintenance_margin_rate)}, d = {num(r.maintenance_amount)}: "
                f"{num(m.numerator)} / {num(m.denominator)}",
                num(r.liquidation_price_exact, 6),
            )
        )
    return steps


def compare_context(
    form: CalculatorForm, query: QueryDict, *, part: Part = "page"
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "asset_choices": compared_assets(),
        "example_query": "asset=BTC&side=long&entry_price=60000&quantity=0.5&leverage=20",
        "example_text": "Try it: 0.5 BTC long at 60,000 with 20x on every exchange with a table",
        "empty_text": "Enter a position to see where each exchange would liquidate it.",
        "page_title": _("Compare exchanges"),
    }
    if not form.is_bound or form.result is None:
        return context
    comparison: Comparison = form.result
    side = comparison.position.side
    rows = [_row(f, side) for f in comparison.figures]
    closest = comparison.figures[0] if comparison.figures else None
    context.update(
        comparison=comparison,
        # Exchanges with no table for the coin share one line; other reasons get their own.
        no_table=[s.label for s in comparison.skipped if s.symbol is None],
        refused=[s for s in comparison.skipped if s.symbol is not None],
        rows=rows,
        closest=closest,
        closest_row=rows[0] if rows else None,
        summary=(
            ngettext(
                "%(count)s exchange compared; closest liquidation %(exchange)s at %(price)s.",
                "%(count)s exchanges compared; closest liquidation %(exchange)s at %(price)s.",
                len(rows),
            )
            % {"count": len(rows), "exchange": closest.label, "price": rows[0]["liquidation"]}
            if closest is not None
            else _("No exchange could take this position.")
        ),
    )
    if part == "result":
        return context
    context.update(
        steps=_steps(comparison),
        maths_notes=_(
            "m: maintenance margin rate of the tier used, d: its deduction. Mark basis solves "
            "margin balance = maintenance margin at the liquidation price; entry basis fixes "
            "the maintenance margin at the entry value."
        ),
        engine_sources=[(f.label, f.profile.sources[0]) for f in comparison.figures],
        figures={
            "compare": charts.exchange_comparison(
                entry=comparison.position.entry_price,
                rows=[
                    # The exchange's short name: each appears once, and a phone's chart
                    # has little room for labels ("Bybit", not "Bybit (Unified …) BTCUSDT").
                    (f.label.split(" (")[0], f.result.liquidation_price, f.result.bankruptcy_price)
                    for f in comparison.figures
                ],
                unit="USD",
                price_format=price_hover_format(),
            )
        },
    )
    return context


# --------------------------------------------------------------------------------------------
# API output


def figure_json(figure: ExchangeFigure) -> dict[str, Any]:
    """One exchange's answer as the API returns it (``results[]``)."""
    r, table = figure.result, figure.table
    today = localdate()
    return to_json(
        {
            "exchange": figure.exchange,
            "label": figure.label,
            "symbol": figure.symbol,
            "contract": figure.contract,
            "quantity": figure.quantity,
            "quantity_unit": figure.quantity_unit,
            "liquidation_price": r.liquidation_price,
            "bankruptcy_price": r.bankruptcy_price,
            "liquidation_distance": r.liquidation_distance,
            "initial_margin": r.initial_margin,
            "maintenance_margin": r.maintenance_margin,
            "margin_currency": figure.margin_currency,
            "initial_margin_quote": figure.initial_margin_quote,
            "maintenance_margin_quote": figure.maintenance_margin_quote,
            "maintenance_margin_rate": r.maintenance_margin_rate,
            "maintenance_amount": r.maintenance_amount,
            "max_leverage": figure.max_leverage,
            "mm_basis": figure.profile.mm_basis,
            "snapshot": table.snapshot.isoformat(),
            "snapshot_age_days": table.age_days(today),
            "stale": table.is_stale(today),
            "source_url": table.source_url,
            "notes": [translated(note) for note in figure.notes],
        }
    )


def _skipped_json(skipped: SkippedExchange) -> dict[str, Any]:
    return {
        "exchange": skipped.exchange,
        "label": skipped.label,
        "symbol": skipped.symbol,
        "reason": translated(skipped.reason),
    }


_DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
_NULLABLE_DECIMAL = {**_DECIMAL, "type": ["string", "null"]}
_TEXT = {"type": "string"}

COMPARE_SCHEMAS: dict[str, Any] = {
    "ExchangeResult": {
        "type": "object",
        "description": "One exchange's figures; margins in margin_currency, and in the quote "
        "currency (at the entry price for an inverse contract) as *_quote.",
        "required": [
            "exchange",
            "symbol",
            "liquidation_price",
            "bankruptcy_price",
            "initial_margin",
            "maintenance_margin",
            "max_leverage",
            "snapshot",
        ],
        "properties": {
            "exchange": _TEXT,
            "label": _TEXT,
            "symbol": _TEXT,
            "contract": {"type": "string", "enum": ["linear", "inverse"]},
            "quantity": _DECIMAL,
            "quantity_unit": _TEXT,
            "liquidation_price": _NULLABLE_DECIMAL,
            "bankruptcy_price": _NULLABLE_DECIMAL,
            "liquidation_distance": _NULLABLE_DECIMAL,
            "initial_margin": _NULLABLE_DECIMAL,
            "maintenance_margin": _DECIMAL,
            "margin_currency": _TEXT,
            "initial_margin_quote": _NULLABLE_DECIMAL,
            "maintenance_margin_quote": _DECIMAL,
            "maintenance_margin_rate": _DECIMAL,
            "maintenance_amount": _DECIMAL,
            "max_leverage": _DECIMAL,
            "mm_basis": {"type": "string", "enum": ["mark", "entry"]},
            "snapshot": {"type": "string", "format": "date"},
            "snapshot_age_days": {"type": "integer"},
            "stale": {"type": "boolean"},
            "source_url": _TEXT,
            "notes": {"type": "array", "items": _TEXT},
        },
    },
    "SkippedExchange": {
        "type": "object",
        "required": ["exchange", "label", "symbol", "reason"],
        "properties": {
            "exchange": _TEXT,
            "label": _TEXT,
            "symbol": {"type": ["string", "null"]},
            "reason": _TEXT,
        },
    },
}
"""The OpenAPI component schemas of the comparison's rows (``riskcalc/api.py`` adds them)."""


COMPARE_OUTPUTS = (
    Output(
        "results",
        "comparison",
        "Each exchange's figures for the position, closest liquidation first (smallest "
        "liquidation_distance).",
        lambda form: [figure_json(f) for f in form.result.figures],
    ),
    Output(
        "closest_liquidation_exchange",
        "string",
        "The exchange whose liquidation price is closest to the entry; null if none took it.",
        lambda form: form.result.figures[0].exchange if form.result.figures else None,
        nullable=True,
    ),
    Output(
        "skipped",
        "skipped",
        "Exchanges left out and why (no table for the coin, leverage above the tier's cap, a "
        "fee rate they need).",
        lambda form: [_skipped_json(s) for s in form.result.skipped],
    ),
    Output(
        "reasons",
        "array",
        "Why the figures differ, from what differs between the exchanges compared.",
        lambda form: [translated(reason) for reason in form.result.reasons],
    ),
    *COMMON_OUTPUTS,
)


# --------------------------------------------------------------------------------------------
# The registry entry (riskcalc/calculators/__init__.py lists it)

CALCULATOR = Calculator(
    slug="compare",
    title=_("Compare exchanges"),
    overview=_(
        "One position on every exchange with a dated tier table for its coin, each with "
        "its own rules, closest liquidation first, and why the figures differ."
    ),
    form=CompareForm,
    template="calculators/compare.html",
    context=compare_context,
    learn=("liquidation", "margin", "linear-vs-inverse", "glossary"),
    outputs=COMPARE_OUTPUTS,
    summary="One position compared across exchanges",
    description="Liquidation and bankruptcy price, margins and leverage cap of one isolated "
    "position on every exchange with a dated tier table for the coin, each with its own "
    "conventions (tiers, mark or entry basis, fees in maintenance margin, linear or "
    "inverse), closest liquidation first.",
    example={
        "asset": "BTC",
        "side": "long",
        "entry_price": "60000",
        "quantity": "0.5",
        "leverage": "20",
    },
    example_source="0.5 BTC long at 60,000 USD with 20x on Binance, Bybit, Hyperliquid, dYdX, "
    "BitMEX and Gate (at Gate's standard 0.05% taker fee): Hyperliquid's 1.25% maintenance rate puts its liquidation price closest "
    "(57,721.52).",
    primary_fields=("asset", "side", "entry_price", "quantity", "leverage"),
    example_checks={"closest_liquidation_exchange": "hyperliquid"},
)
