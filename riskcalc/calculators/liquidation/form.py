"""The liquidation calculator's form: one position's inputs, the exchange preset applied, the
core's liquidation and bankruptcy price as ``form.result``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

from riskcalc.calc.errors import CROSS_FIELD, InputError, MissingInput
from riskcalc.calc.liquidation import LiquidationInput, LiquidationResult, liquidation_price
from riskcalc.calc.profiles import liquidation_switches
from riskcalc.calc.text import N_
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, Side
from riskcalc.calculators.form import (
    CalculatorForm,
    Preset,
    contract_field,
    contract_size_field,
    exchange_field,
    position_value_field,
    quantity_field,
    symbol_field,
    warning,
)
from riskcalc.fields import DecimalInputField, EnumChoiceField

__all__ = [
    "DEFAULT_VOLATILITY",
    "LiquidationForm",
]


DEFAULT_VOLATILITY = Decimal("0.6")
"""Annual volatility assumed for the model chance of liquidation when none is given."""


class LiquidationForm(CalculatorForm):
    """Liquidation and bankruptcy price of one position (``form.result``:
    :class:`~riskcalc.calc.liquidation.LiquidationResult`)."""

    needed_text = _("Enter the %(inputs)s to see where the position is liquidated.")

    side = EnumChoiceField(Side, help_text=_("Direction of the position."))
    contract = contract_field()
    margin_mode = EnumChoiceField(
        MarginMode,
        default=MarginMode.ISOLATED,
        help_text=_(
            "Isolated: only the position's margin backs it. Cross: the wallet balance does."
        ),
    )
    entry_price = DecimalInputField(
        limit="entry_price", required=True, help_text=_("Average entry price of the position.")
    )
    quantity = quantity_field(or_value=True, or_margin=True)
    position_value = position_value_field()
    leverage = DecimalInputField(
        limit="leverage",
        help_text=_(
            "Isolated margin: initial margin = position value at entry / leverage. "
            "Required for isolated margin unless you give the position margin."
        ),
    )
    wallet_balance = DecimalInputField(
        limit="wallet_balance",
        help_text=_("Cross margin (required there): the wallet balance backing the position."),
    )
    exchange = exchange_field()
    symbol = symbol_field()
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text=_(
            "Maintenance margin rate as a fraction (0.005 = 0.5%). If omitted, taken from "
            "the exchange/symbol tier table; with no exchange, 0.5% is assumed (the result says "
            "so)."
        ),
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        help_text=_(
            "Tier deduction: the tier's maintenance amount, which the exchange "
            "subtracts from maintenance margin (in the margin currency); default 0."
        ),
    )
    contract_size = contract_size_field(default=None)
    position_margin = DecimalInputField(
        limit="position_margin",
        help_text=_("Isolated: the position's margin, instead of the leverage."),
    )
    extra_margin = DecimalInputField(
        limit="extra_margin",
        default=Decimal(0),
        help_text=_("Margin added to an isolated position; default 0."),
    )
    funding_paid = DecimalInputField(
        limit="funding_paid",
        default=Decimal(0),
        help_text=_(
            "Funding paid out of the margin since entry (negative when received); default 0."
        ),
    )
    other_maintenance_margin = DecimalInputField(
        limit="other_maintenance_margin",
        default=Decimal(0),
        help_text=_("Cross: maintenance margin of the account's other positions; default 0."),
        label=_("Other positions' maintenance margin"),
    )
    other_unrealized_pnl = DecimalInputField(
        limit="other_unrealized_pnl",
        default=Decimal(0),
        help_text=_("Cross: unrealised PnL of the account's other positions; default 0."),
        label=_("Other positions' unrealised PnL"),
    )
    mm_basis = EnumChoiceField(
        MarginBasis,
        required=False,
        help_text=_(
            "Where maintenance margin is valued: at the mark price (the liquidation"
            " price) or at entry. Default from the exchange, the mark price without"
            " one."
        ),
        label=_("Maintenance margin valued at"),
    )
    fee_rate = DecimalInputField(
        limit="fee_rate",
        help_text=_(
            "Taker fee rate as a fraction, counted where the exchange counts it (in maintenance "
            "margin for generic, OKX, Bitget and Gate; on added margin for Bybit); default 0."
        ),
    )
    tick_size = DecimalInputField(
        limit="tick_size",
        help_text=_(
            "Price tick; prices are rounded against the trader (up for longs, down for shorts)."
        ),
    )
    mark_price = DecimalInputField(
        limit="mark_price",
        help_text=_(
            "Current mark price (default: the entry price); the distance to "
            "liquidation is measured from it."
        ),
    )
    volatility = DecimalInputField(
        limit="annual_volatility",
        default=DEFAULT_VOLATILITY,
        label=_("Annual volatility"),
        help_text=_(
            "Annualised volatility as a fraction (0.6 = 60% a year) for the model chance "
            "of touching the liquidation price; default 0.6, an assumption, not a measured figure. "
            "The liquidation price does not depend on it (the API does not use it)."
        ),
    )

    error_fields: ClassVar[Mapping[str, str]] = {
        "tiers": "symbol",
        "hedge_leg": CROSS_FIELD,
        "fee_in_maintenance": "fee_rate",
        "fee_on_extra_margin": "fee_rate",
        "fee_in_bankruptcy": "fee_rate",
        "annual_volatility": "volatility",
    }

    #: The validated core input and the preset whose confirmed leverage cap the form checked
    #: (``None`` when a tier table caps it in the core), set by :meth:`calculate`: the page's
    #: scenario table re-solves the same position at other leverages from them.
    position: LiquidationInput | None = None
    leverage_preset: Preset | None = None

    def clean_symbol(self) -> str:
        return (self.cleaned_data.get("symbol") or "").strip()

    def calculate(self, data: dict[str, Any]) -> LiquidationResult:
        contract: ContractType = data["contract"]
        preset = self.preset(data, contract=contract)
        prof = preset.profile if preset else None
        self.profile = prof
        if prof is not None and data["margin_mode"] not in prof.margin_modes:
            raise InputError(
                "margin_mode",
                N_("{exchange} supports only {mode} here."),
                exchange=prof.label,
                mode=prof.margin_modes[0].margin,
            )

        # Maintenance: explicit rate wins over the tier table.
        table = None
        if data["maintenance_margin_rate"] is None:
            if data["maintenance_amount"] is not None:
                raise InputError(
                    "maintenance_margin_rate",
                    N_(
                        "Give the maintenance margin rate with the amount (or leave both empty to "
                        "use the exchange's tier table)."
                    ),
                )
            if preset is not None and preset.table is None and data["symbol"]:
                raise MissingInput(
                    "maintenance_margin_rate",
                    N_(
                        "There is no tier table for {symbol} on {exchange}: give the maintenance "
                        "margin rate."
                    ),
                    symbol=data["symbol"],
                    exchange=prof.label if prof else "",
                )
            table = preset.table if preset else None
            if table is not None:
                self.preset_fields |= {"maintenance_margin_rate", "maintenance_amount"}
            elif preset is None:
                self.assume_generic_rate(data)
        amount = data["maintenance_amount"]
        if amount is None:
            amount = Decimal(0)
        data["maintenance_amount"] = amount

        # Conventions: explicit mm_basis wins over the profile, then generic (mark).
        if data["mm_basis"] is None:
            data["mm_basis"] = prof.mm_basis if prof else MarginBasis.MARK
            if prof:
                self.preset_fields.add("mm_basis")
        switches = liquidation_switches(prof.name if prof else "generic")
        fee_counts = bool(switches["fee_in_maintenance"]) or (
            bool(switches["fee_on_extra_margin"]) and data["extra_margin"] > 0
        )
        self.resolve_fee_rate(data, prof, counted=fee_counts)

        if data["contract_size"] is None:
            size = Decimal(1)
            if contract is ContractType.INVERSE and prof and prof.inverse_contract_size:
                size = prof.inverse_contract_size
                self.preset_fields.add("contract_size")
            data["contract_size"] = size
        self.resolve_size(data, price=data["entry_price"], margin_field="position_margin")
        self.leverage_preset = preset if table is None else None
        self.check_leverage_cap(self.leverage_preset, data["leverage"])
        position = LiquidationInput(
            side=data["side"],
            entry_price=data["entry_price"],
            quantity=data["quantity"],
            contract=contract,
            contract_size=data["contract_size"],
            margin_mode=data["margin_mode"],
            leverage=data["leverage"],
            position_margin=data["position_margin"],
            extra_margin=data["extra_margin"],
            funding_paid=data["funding_paid"],
            wallet_balance=data["wallet_balance"],
            other_maintenance_margin=data["other_maintenance_margin"],
            other_unrealized_pnl=data["other_unrealized_pnl"],
            maintenance_margin_rate=data["maintenance_margin_rate"],
            maintenance_amount=Decimal(0) if table is not None else amount,
            tiers=table,
            mm_basis=data["mm_basis"],
            fee_rate=data["fee_rate"],
            fee_in_maintenance=bool(switches["fee_in_maintenance"]),
            fee_on_extra_margin=bool(switches["fee_on_extra_margin"]),
            mark_price=data["mark_price"],
            tick_size=data["tick_size"],
        )
        result = liquidation_price(position)
        self.position = position
        self.tier_table = table
        if result.liquidation_price is None:
            self.extra_warnings.append(
                warning("no_liquidation_price", result.no_liquidation_message)
            )
        if result.bankruptcy_price is None:
            self.extra_warnings.append(warning("no_bankruptcy_price", result.no_bankruptcy_message))
        return result
