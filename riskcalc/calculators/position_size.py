"""The position-size calculator: how much to order so a stop-out loses only the risk chosen,
fees and slippage included, capped by leverage, with the liquidation price beside the stop.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from riskcalc import charts
from riskcalc.calc.errors import InputError
from riskcalc.calc.position_size import PositionSizeInput, PositionSizeResult, position_size
from riskcalc.calc.text import N_
from riskcalc.calc.tiers import TierTable
from riskcalc.calc.types import ContractType, MarginBasis, Side
from riskcalc.calculators.display import (
    ENGINE_RETRIEVED,
    Part,
    leverage_cap,
    price_tick,
    quantity_unit,
    units,
)
from riskcalc.calculators.form import (
    CalculatorForm,
    contract_field,
    contract_size_field,
    exchange_field,
    symbol_field,
)
from riskcalc.calculators.spec import COMMON_OUTPUTS, Calculator, Output, result_attr
from riskcalc.fields import DecimalInputField, EnumChoiceField
from riskcalc.templatetags.riskcalc import amount, num, price_against, price_hover_format

__all__ = [
    "CALCULATOR",
    "POSITION_SIZE_OUTPUTS",
    "PositionSizeForm",
    "position_size_context",
]


# --------------------------------------------------------------------------------------------
# Form


class PositionSizeForm(CalculatorForm):
    """Fixed-fractional position size (``form.result``:
    :class:`~riskcalc.calc.position_size.PositionSizeResult`)."""

    needed_text = _("Enter the %(inputs)s to see the order size.")

    side = EnumChoiceField(Side, help_text=_("Direction of the trade."))
    account_balance = DecimalInputField(
        limit="account_balance",
        required=True,
        help_text=_(
            "Account balance in the margin currency (USDT for a linear contract, "
            "the coin for an inverse one)."
        ),
    )
    risk_fraction = DecimalInputField(
        limit="risk_fraction",
        help_text=_(
            "Share of the balance to risk, as a fraction (0.01 = 1%). Give this or "
            "the amount to risk."
        ),
    )
    risk_amount = DecimalInputField(
        limit="risk_amount",
        help_text=_("Amount to risk, in the margin currency. Give this or the share to risk."),
    )
    entry_price = DecimalInputField(limit="entry_price", required=True, help_text=_("Entry price."))
    stop_price = DecimalInputField(
        limit="stop_price",
        required=True,
        help_text=_("Stop-loss price: below entry for a long, above for a short."),
    )
    leverage = DecimalInputField(
        limit="leverage",
        help_text=_("Leverage; caps the size at balance × leverage (default 1, fully funded)."),
    )
    contract = contract_field()
    contract_size = contract_size_field()
    lot_step = DecimalInputField(
        limit="lot_step",
        help_text=_("Quantity step of the exchange; the size is rounded down to it."),
    )
    fee_rate_entry = DecimalInputField(
        limit="fee_rate_entry",
        default=Decimal(0),
        help_text=_("Fee rate on entry as a fraction; default 0."),
    )
    fee_rate_exit = DecimalInputField(
        limit="fee_rate_exit",
        default=Decimal(0),
        help_text=_("Fee rate on exit (at the stop) as a fraction; default 0."),
    )
    slippage = DecimalInputField(
        limit="slippage",
        default=Decimal(0),
        help_text=_("Expected adverse price move per unit over entry and exit; default 0."),
    )
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text=_(
            # xgettext:no-python-format ("5% is" is prose, not a "% i" format)
            "Maintenance margin rate for the liquidation check (fraction); with no "
            "exchange, 0.5% is assumed (the result says so)."
        ),
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        default=Decimal(0),
        help_text=_("Tier deduction for the liquidation check; default 0."),
    )
    exchange = exchange_field()
    symbol = symbol_field()

    def clean_symbol(self) -> str:
        return (self.cleaned_data.get("symbol") or "").strip()

    def calculate(self, data: dict[str, Any]) -> PositionSizeResult:
        """Size the trade; with an exchange and symbol, the tier the size falls in caps the
        leverage, and the liquidation check (unless a rate is typed) solves with the tier
        table as the liquidation calculator does: in the tier at the liquidation price. The
        size itself does not depend on them, so the tiers come in afterwards; the rate and
        deduction the check used are shown as preset inputs."""
        if data["leverage"] is None:
            data["leverage"] = Decimal(1)
        preset = self.preset(data, contract=data["contract"])
        prof = preset.profile if preset else None
        self.profile = prof
        if (
            prof is not None
            and data["contract"] is ContractType.INVERSE
            and prof.inverse_contract_size
            and not self.given("contract_size")
        ):
            data["contract_size"] = prof.inverse_contract_size
            self.preset_fields.add("contract_size")
        if preset is None and data["maintenance_margin_rate"] is None:
            self.assume_generic_rate(data)
        result = self._size(data)
        table = preset.table if preset else None
        if table is None:
            self.check_leverage_cap(preset, data["leverage"])
            return result
        self.tier_table = table
        tier = table.tier_for_notional(result.notional)
        if data["leverage"] > tier.max_leverage:
            raise InputError(
                "leverage",
                N_("{table} tier {tier} allows at most {cap}× at this size (snapshot {date})."),
                table=table.label,
                tier=tier.number,
                cap=tier.max_leverage,
                date=table.snapshot.isoformat(),
            )
        if data["maintenance_margin_rate"] is None:
            if self.given("maintenance_amount"):
                raise InputError(
                    "maintenance_margin_rate",
                    N_(
                        "Give the maintenance margin rate with the amount (or leave both empty to "
                        "use the exchange's tier table)."
                    ),
                )
            result = self._size(data, tiers=table)
            data["maintenance_margin_rate"] = result.maintenance_margin_rate
            data["maintenance_amount"] = result.maintenance_amount
            self.preset_fields |= {"maintenance_margin_rate", "maintenance_amount"}
        return result

    def _size(
        self,
        data: dict[str, Any],
        *,
        tiers: TierTable | None = None,
    ) -> PositionSizeResult:
        """The core's sizing, with the liquidation check valued as the exchange values
        maintenance margin (its profile's basis, as in the liquidation calculator)."""
        return position_size(
            PositionSizeInput(
                side=data["side"],
                account_balance=data["account_balance"],
                entry_price=data["entry_price"],
                stop_price=data["stop_price"],
                risk_fraction=data["risk_fraction"],
                risk_amount=data["risk_amount"],
                fee_rate_entry=data["fee_rate_entry"],
                fee_rate_exit=data["fee_rate_exit"],
                slippage=data["slippage"],
                leverage=data["leverage"],
                lot_step=data["lot_step"],
                contract=data["contract"],
                contract_size=data["contract_size"],
                maintenance_margin_rate=None if tiers else data["maintenance_margin_rate"],
                maintenance_amount=Decimal(0) if tiers else data["maintenance_amount"],
                tiers=tiers,
                mm_basis=self.profile.mm_basis if self.profile else MarginBasis.MARK,
            )
        )


# --------------------------------------------------------------------------------------------
# Display: what the template shows


def position_size_context(
    form: CalculatorForm, query: QueryDict, *, part: Part = "page"
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "example_query": "side=long&account_balance=78500&risk_fraction=0.01&entry_price=30"
        "&stop_price=29&lot_step=1",
        "example_text": "Try Schwab's example: risk 1% of 78,500 with entry 30 and stop 29 "
        "(785 units)",
        "empty_text": "Enter your balance, the risk you accept, entry and stop to size the trade.",
        "page_title": _("Position size"),
    }
    if not form.is_bound or form.result is None:
        if form.is_bound:
            context["leverage_max"] = leverage_cap(form, None)[0]
        return context
    r = form.result
    data = form.inputs
    side: Side = data["side"]
    price_unit, unit = units(form, data.get("contract") or ContractType.LINEAR)
    context["leverage_max"], context["leverage_cap_reason"] = leverage_cap(form, r.notional)
    if form.tier_table is not None:
        context["tier_number"] = form.tier_table.tier_for_notional(r.notional).number
    contract = data.get("contract") or ContractType.LINEAR
    counted = quantity_unit(form, contract, r.quantity)
    context.update(
        result=r,
        side=side,
        unit=unit,
        price_unit=price_unit,
        quantity_unit=counted,
        price_tick=price_tick(form),
        liquidation_text=price_against(r.liquidation_price, side.value, price_tick(form)),
        summary=_("Order %(quantity)s; a stop-out loses %(loss)s.")
        % {"quantity": f"{num(r.quantity)} {counted}", "loss": amount(r.loss_at_stop, unit)},
    )
    if part == "result":
        return context
    steps = [
        (
            "Risk amount",
            "R = balance × risk fraction (or as given)",
            "",
            f"{num(r.risk_amount)} {unit}",
        ),
        (
            "Loss per unit at the stop",
            "|E − S| (+ fees and slippage)",
            f"|{num(data['entry_price'])} − {num(data['stop_price'])}|",
            f"{num(r.loss_per_unit)} {unit}",
        ),
        (
            "Quantity for the risk",
            "R / loss per unit",
            f"{num(r.risk_amount)} / {num(r.loss_per_unit)}",
            f"{num(r.quantity_for_risk)} {quantity_unit(form, contract, r.quantity_for_risk)}",
        ),
        (
            "Quantity to order",
            "min(risk quantity, leverage cap), rounded down to the lot step",
            f"min({num(r.quantity_for_risk)}, {num(r.quantity_cap)})",
            f"{num(r.quantity)} {counted}",
        ),
    ]
    levels = [
        ("Entry", data["entry_price"]),
        ("Stop", data["stop_price"]),
        ("Liquidation", r.liquidation_price),
    ]
    figures = {
        "ladder": charts.price_ladder(
            levels=levels,
            unit=units(form, ContractType.LINEAR)[0],
            value_format=price_hover_format(price_tick(form)),
        )
    }
    context.update(
        steps=steps,
        figures=figures,
        engine_sources=(
            (
                "Schwab: planning position size",
                "http://www.schwab.com/public/schwab/active_trader/trading_insights/research_analyze/planning_position_size_help_achieve_trade_objectives.html",
            ),
        ),
        engine_retrieved=ENGINE_RETRIEVED,
    )
    return context


# --------------------------------------------------------------------------------------------
# API output


POSITION_SIZE_OUTPUTS = (
    Output(
        "quantity",
        "decimal",
        "Quantity to order (rounded down to lot_step).",
        result_attr("quantity"),
    ),
    Output("notional", "decimal", "Position value at entry.", result_attr("notional")),
    Output(
        "risk_amount", "decimal", "Risk budget in the settle currency.", result_attr("risk_amount")
    ),
    Output(
        "loss_at_stop",
        "decimal",
        "Loss if the stop fills, fees and slippage included (<= risk_amount).",
        result_attr("loss_at_stop"),
    ),
    Output("initial_margin", "decimal", "notional / leverage.", result_attr("initial_margin")),
    Output(
        "liquidation_price",
        "decimal",
        "Liquidation price of the isolated position; null if there is none.",
        result_attr("liquidation_price"),
        nullable=True,
    ),
    Output(
        "quantity_for_risk",
        "decimal",
        "Unrounded quantity the risk budget allows.",
        result_attr("quantity_for_risk"),
    ),
    Output(
        "quantity_cap",
        "decimal",
        "Most the balance can fund at the leverage.",
        result_attr("quantity_cap"),
    ),
    Output(
        "loss_per_unit",
        "decimal",
        "Loss per unit of quantity at the stop.",
        result_attr("loss_per_unit"),
    ),
    Output(
        "fees_at_stop", "decimal", "Entry and exit fees at the stop.", result_attr("fees_at_stop")
    ),
    Output(
        "stop_distance_fraction",
        "decimal",
        "|entry - stop| / entry.",
        result_attr("stop_distance_fraction"),
    ),
    Output(
        "liquidation_note",
        "string",
        "How the liquidation price was found.",
        result_attr("liquidation_note"),
    ),
    *COMMON_OUTPUTS,
)


# --------------------------------------------------------------------------------------------
# The registry entry (riskcalc/calculators/__init__.py lists it)

CALCULATOR = Calculator(
    slug="position-size",
    title=_("Position size"),
    overview=_(
        "How much to buy or sell so a stop-out loses only what you chose to risk, fees "
        "and slippage included, capped by leverage, with the liquidation price beside the "
        "stop."
    ),
    form=PositionSizeForm,
    template="calculators/position_size.html",
    context=position_size_context,
    learn=("position-sizing", "leverage", "liquidation", "glossary"),
    outputs=POSITION_SIZE_OUTPUTS,
    summary="Position size from risk",
    description="The largest position whose loss at the stop (fees and slippage "
    "included) stays within your risk budget, capped by what the balance funds at the "
    "leverage, with the resulting liquidation price.",
    example={
        "side": "long",
        "account_balance": "78500",
        "risk_fraction": "0.01",
        "entry_price": "30",
        "stop_price": "29",
        "lot_step": "1",
    },
    example_source="Schwab, Planning a Position Size: 1% of 78,500, entry 30, stop 29 "
    "-> 785 shares.",
    example_checks={"quantity": "785", "risk_amount": "785"},
    primary_fields=(
        "side",
        "account_balance",
        "risk_fraction",
        "entry_price",
        "stop_price",
        "leverage",
    ),
)
