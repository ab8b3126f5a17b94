"""The liquidation calculator: liquidation and bankruptcy price of one position, isolated or
cross, linear or inverse, with tiered maintenance margin, the same trade at other
leverages and the model chance of getting there.

A package rather than one module because it is the largest calculator: its form
(:mod:`.form`), what its page shows (:mod:`.display`) and, here, its API outputs.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from riskcalc.calculators.liquidation.display import liquidation_context, liquidation_steps
from riskcalc.calculators.liquidation.form import DEFAULT_VOLATILITY, LiquidationForm
from riskcalc.calculators.spec import (
    COMMON_OUTPUTS,
    Calculator,
    Output,
    data_date,
    profile_name,
    result_attr,
    tier_source,
)
from riskcalc.fields import plain

__all__ = [
    "CALCULATOR",
    "DEFAULT_VOLATILITY",
    "LIQUIDATION_OUTPUTS",
    "LiquidationForm",
    "liquidation_context",
    "liquidation_steps",
]


LIQUIDATION_OUTPUTS = (
    Output(
        "liquidation_price",
        "decimal",
        "Price at which the margin balance falls to the maintenance margin (rounded against "
        "the trader with tick_size); null if there is none.",
        result_attr("liquidation_price"),
        nullable=True,
    ),
    Output(
        "bankruptcy_price",
        "decimal",
        "Price at which the margin balance reaches zero; null if there is none.",
        result_attr("bankruptcy_price"),
        nullable=True,
    ),
    Output(
        "initial_margin",
        "decimal",
        "Initial margin (entry notional / leverage, or the position margin given); null in "
        "cross margin.",
        result_attr("initial_margin"),
        nullable=True,
    ),
    Output(
        "maintenance_margin",
        "decimal",
        "Maintenance margin at the liquidation price (entry basis: at entry).",
        result_attr("maintenance_margin"),
    ),
    Output(
        "maintenance_margin_rate",
        "decimal",
        "Maintenance margin rate used (fraction).",
        result_attr("maintenance_margin_rate"),
    ),
    Output(
        "maintenance_amount",
        "decimal",
        "Maintenance deduction used (Binance cum, Bybit mmDeduction).",
        result_attr("maintenance_amount"),
    ),
    Output(
        "liquidation_distance",
        "decimal",
        "|mark_price - liquidation_price| / mark_price (fraction); null without a liquidation "
        "price.",
        result_attr("liquidation_distance"),
        nullable=True,
    ),
    Output(
        "margin_unit",
        "string",
        "Currency of margins: quote (linear) or base (inverse).",
        result_attr("margin_unit"),
    ),
    Output(
        "tier",
        "tier",
        "Tier of the exchange table used at the liquidation price; null without a table.",
        result_attr("tier"),
        nullable=True,
    ),
    Output(
        "liquidation_price_exact",
        "decimal",
        "Liquidation price before tick rounding.",
        result_attr("liquidation_price_exact"),
        nullable=True,
    ),
    Output(
        "bankruptcy_price_exact",
        "decimal",
        "Bankruptcy price before tick rounding.",
        result_attr("bankruptcy_price_exact"),
        nullable=True,
    ),
    Output(
        "mark_price",
        "decimal",
        "Price the liquidation distance is measured from (mark_price, else entry_price).",
        result_attr("distance_reference"),
    ),
    Output(
        "maths",
        "object",
        "Show-the-maths values: formula, collateral, numerator and denominator (price = "
        "numerator / denominator).",
        lambda form: {
            "formula": form.result.maths.formula,
            "collateral": plain(form.result.maths.collateral),
            "numerator": None
            if form.result.maths.numerator is None
            else plain(form.result.maths.numerator),
            "denominator": None
            if form.result.maths.denominator is None
            else plain(form.result.maths.denominator),
            "bankruptcy_formula": form.result.maths.bankruptcy_formula,
        },
    ),
    Output(
        "exchange_profile",
        "string",
        "Exchange profile applied; null for generic.",
        profile_name,
        nullable=True,
    ),
    Output(
        "data_date",
        "string",
        "Snapshot date of the tier table used (ISO 8601); null without a table.",
        data_date,
        nullable=True,
    ),
    Output(
        "tier_source_url",
        "string",
        "Where the tier table was taken from; null without a table.",
        tier_source,
        nullable=True,
    ),
    *COMMON_OUTPUTS,
)


# --------------------------------------------------------------------------------------------
# The registry entry (riskcalc/calculators/__init__.py lists it)

CALCULATOR = Calculator(
    slug="liquidation",
    title=_("Liquidation price"),
    overview=_(
        "Where an isolated or cross position is liquidated and goes bankrupt, with tiered "
        "maintenance margin, the distance at other leverages and the model chance of "
        "getting there."
    ),
    form=LiquidationForm,
    template="calculators/liquidation.html",
    context=liquidation_context,
    learn=(
        "liquidation",
        "leverage",
        "margin",
        "isolated-vs-cross",
        "bankruptcy-insurance-adl",
        "linear-vs-inverse",
        "glossary",
    ),
    outputs=LIQUIDATION_OUTPUTS,
    summary="Liquidation and bankruptcy price",
    description="Liquidation price (margin balance = maintenance margin) and bankruptcy "
    "price (margin balance = 0) of one position, isolated or cross, linear or inverse, "
    "with an exchange profile and its dated tier table or your own rate.",
    example={
        "side": "long",
        "entry_price": "20000",
        "quantity": "1",
        "leverage": "50",
        "maintenance_margin_rate": "0.005",
        "mm_basis": "entry",
    },
    example_source="Bybit, Liquidation Price (USDT Contract), example 1: 1 BTC long at "
    "20,000 USDT, 50x, MMR 0.5%, liquidated at 19,700 "
    "(https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract).",
    example_checks={"liquidation_price": "19700", "bankruptcy_price": "19600"},
    primary_fields=(
        "exchange",
        "symbol",
        "side",
        "entry_price",
        "quantity",
        "leverage",
        "margin_mode",
    ),
)
