"""The margin calculator: notional, initial and tiered maintenance margin, the tier's
leverage cap, margin ratio and the largest position a balance can open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from riskcalc.calc.errors import CROSS_FIELD, InputError, MissingInput
from riskcalc.calc.limits import LIMITS
from riskcalc.calc.liquidation import CalcWarning
from riskcalc.calc.margin import (
    MaintenanceMargin,
    MaxOpen,
    check_leverage,
    initial_margin,
    maintenance_margin,
    margin_ratio,
    max_open_quantity,
)
from riskcalc.calc.profiles import profile
from riskcalc.calc.text import N_
from riskcalc.calc.tiers import TierRow, TierTable, custom_tier_table
from riskcalc.calc.types import ContractType
from riskcalc.calculators.display import (
    ENGINE_RETRIEVED,
    ENGINE_SOURCES,
    Part,
    leverage_cap,
    quantity_unit,
    units,
)
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
from riskcalc.calculators.spec import (
    COMMON_OUTPUTS,
    Calculator,
    Output,
    data_date,
    profile_name,
    result_attr,
)
from riskcalc.fields import DecimalInputField, ObjectListField, strict_field
from riskcalc.templatetags.riskcalc import amount_places, num, pct, rate

__all__ = [
    "CALCULATOR",
    "MARGIN_OUTPUTS",
    "MarginForm",
    "MarginResult",
    "margin_context",
]


# --------------------------------------------------------------------------------------------
# Form


@dataclass(frozen=True, slots=True, kw_only=True)
class MarginResult:
    """Margin figures of one position (the core's results, gathered for display).

    ``initial_margin`` needs a leverage; ``margin_ratio`` (MM / wallet balance, liquidation at
    1) needs a wallet balance; ``max_open`` needs both. ``max_leverage`` is the tier's cap, or
    the confirmed cap for the symbol, else ``None``.
    """

    notional: Decimal
    initial_margin: Decimal | None
    maintenance: MaintenanceMargin
    max_leverage: Decimal | None
    margin_ratio: Decimal | None
    max_open: MaxOpen | None
    tier_table: TierTable | None
    warnings: tuple[CalcWarning, ...] = ()


class MarginForm(CalculatorForm):
    """Notional, initial and maintenance margin (tiered), margin ratio and maximum size
    (``form.result``: :class:`MarginResult`)."""

    needed_text = _("Enter the %(inputs)s to see the initial and maintenance margin.")

    contract = contract_field()
    quantity = quantity_field(or_value=True)
    position_value = position_value_field()
    price = DecimalInputField(
        limit="price", required=True, help_text=_("Price the position is valued at (mark).")
    )
    leverage = DecimalInputField(
        limit="leverage",
        help_text=_("Leverage; needed for the initial margin and the largest quantity."),
    )
    exchange = exchange_field()
    symbol = symbol_field()
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text=_(
            "Maintenance margin rate as a fraction (0.005 = 0.5%). If omitted, taken from "
            "the tiers or the exchange/symbol tier table; with no exchange, 0.5% is assumed (the "
            "result says so)."
        ),
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        help_text=_(
            "Tier deduction: the tier's maintenance amount, which the exchange "
            "subtracts from maintenance margin; default 0."
        ),
    )
    contract_size = contract_size_field(default=None)
    fee_rate = DecimalInputField(
        limit="fee_rate",
        help_text=_(
            "Taker fee rate counted in maintenance margin (no exchange, OKX, Bitget, Gate); "
            "default 0."
        ),
    )
    wallet_balance = DecimalInputField(
        limit="wallet_balance",
        help_text=_(
            "Wallet balance; gives the margin ratio and, with the leverage, the maximum quantity."
        ),
    )
    tiers = ObjectListField(
        items={
            "cap": strict_field(
                DecimalInputField(
                    limit="tier_cap",
                )
            ),
            "maintenance_margin_rate": strict_field(
                DecimalInputField(limit="maintenance_margin_rate", required=True)
            ),
            "max_leverage": strict_field(DecimalInputField(limit="leverage")),
        },
        max_items=100,
        help_text=_(
            "POST only: your own tier table, a list of {cap (upper notional bound, "
            "inclusive; null for the last), maintenance_margin_rate, max_leverage (optional)}. "
            "Deductions follow d_k = d_(k-1) + cap_(k-1) x (MMR_k - MMR_(k-1))."
        ),
    )

    post_only_fields = frozenset({"tiers"})
    error_fields: ClassVar[Mapping[str, str]] = {
        "margin_balance": "wallet_balance",
        "balance": "wallet_balance",
        "quantity_step": CROSS_FIELD,
        "maintenance_margin": CROSS_FIELD,
    }

    def clean_symbol(self) -> str:
        return (self.cleaned_data.get("symbol") or "").strip()

    def _tier_table(
        self, data: dict[str, Any], preset: Preset | None, contract: ContractType
    ) -> tuple[TierTable | None, set[int]]:
        """The tier table that sets the maintenance margin, if any: the user's own tiers, else
        the exchange symbol's table when no rate is given; with the numbers of the user's tiers
        that gave no leverage cap (:func:`_user_tier_table`)."""
        rows = data.get("tiers")
        rate, amount = data["maintenance_margin_rate"], data["maintenance_amount"]
        if rows is not None and (rate is not None or amount is not None):
            raise InputError(
                CROSS_FIELD,
                N_("Give either tiers or a maintenance margin rate and amount, not both."),
            )
        if rate is None and amount is not None:
            raise InputError(
                "maintenance_margin_rate",
                N_(
                    "Give the maintenance margin rate with the amount (or leave both empty to use "
                    "the tiers)."
                ),
            )
        table: TierTable | None = None
        uncapped: set[int] = set()
        if rows is not None:
            table, uncapped = _user_tier_table(rows, contract)
        elif rate is None and preset is not None and preset.table is not None:
            table = preset.table
            self.preset_fields |= {"maintenance_margin_rate", "maintenance_amount"}
        elif rate is None and preset is not None and data["symbol"]:
            raise MissingInput(
                "maintenance_margin_rate",
                N_("There is no tier table for {symbol} here: give the maintenance margin rate."),
                symbol=data["symbol"],
            )
        elif rate is None and preset is None:
            self.assume_generic_rate(data)
        return table, uncapped

    def calculate(self, data: dict[str, Any]) -> MarginResult:
        contract: ContractType = data["contract"]
        preset = self.preset(data, contract=contract)
        prof = preset.profile if preset else None
        self.profile = prof
        amount = data["maintenance_amount"]
        table, uncapped = self._tier_table(data, preset, contract)
        rate = data["maintenance_margin_rate"]
        data["maintenance_amount"] = amount if amount is not None else Decimal(0)
        if data["contract_size"] is None:
            data["contract_size"] = Decimal(1)
            if contract is ContractType.INVERSE and prof and prof.inverse_contract_size:
                data["contract_size"] = prof.inverse_contract_size
                self.preset_fields.add("contract_size")
        self.resolve_size(data, price=data["price"])
        counted = profile("generic").fee_in_maintenance if prof is None else prof.fee_in_maintenance
        self.resolve_fee_rate(data, prof, counted=counted)
        self.tier_table = table
        mm = maintenance_margin(
            contract=contract,
            quantity=data["quantity"],
            price=data["price"],
            contract_size=data["contract_size"],
            maintenance_margin_rate=rate,
            maintenance_amount=data["maintenance_amount"] if table is None else Decimal(0),
            tiers=table,
            fee_rate=data["fee_rate"] if counted else Decimal(0),
        )
        leverage, wallet = data["leverage"], data["wallet_balance"]
        if table is not None and leverage is not None:
            check_leverage(tiers=table, notional=mm.notional, leverage=leverage)
        else:
            self.check_leverage_cap(preset, leverage)
        if mm.tier is not None:
            max_lev = None if mm.tier.number in uncapped else mm.tier.max_leverage
        else:
            max_lev = preset.leverage_cap if preset else None
        im = None
        if leverage is not None:
            im = initial_margin(
                contract=contract,
                quantity=data["quantity"],
                price=data["price"],
                leverage=leverage,
                contract_size=data["contract_size"],
            )
        ratio = None
        if wallet is not None:
            ratio = margin_ratio(maintenance_margin=mm.maintenance_margin, margin_balance=wallet)
        max_open = None
        if wallet is not None and leverage is not None:
            max_open = max_open_quantity(
                contract=contract,
                balance=wallet,
                leverage=leverage,
                price=data["price"],
                contract_size=data["contract_size"],
                tiers=table,
            )
        if leverage is None:
            self.extra_warnings.append(
                warning(
                    "no_leverage",
                    N_("Give the leverage to get the initial margin and the maximum quantity."),
                )
            )
        if wallet is None:
            self.extra_warnings.append(
                warning(
                    "no_wallet_balance",
                    N_("Give the wallet balance to get the margin ratio and the maximum quantity."),
                )
            )
        if max_lev is None:
            self.extra_warnings.append(
                warning(
                    "no_max_leverage",
                    N_(
                        "No tier table or confirmed leverage cap applies, so the maximum "
                        "leverage is unknown."
                    ),
                )
            )
        return MarginResult(
            notional=mm.notional,
            initial_margin=im,
            maintenance=mm,
            max_leverage=max_lev,
            margin_ratio=ratio,
            max_open=max_open,
            tier_table=table,
        )


def _user_tier_table(
    rows: list[dict[str, Decimal | None]], contract: ContractType
) -> tuple[TierTable, set[int]]:
    """A tier table from the user's rows (:func:`~riskcalc.calc.tiers.custom_tier_table`).

    A tier without ``max_leverage`` inherits the previous tier's cap (the first: the largest
    leverage ``LIMITS`` allows); the returned set holds those tier numbers.
    """
    uncapped: set[int] = set()
    previous = LIMITS["leverage"].maximum
    built = []
    for number, row in enumerate(rows, start=1):
        rate = row["maintenance_margin_rate"]
        assert rate is not None  # required item field
        max_lev = row["max_leverage"]
        if max_lev is None:
            uncapped.add(number)
            max_lev = previous
        previous = max_lev
        built.append(TierRow(cap=row["cap"], maintenance_margin_rate=rate, max_leverage=max_lev))
    return custom_tier_table(built, contract=contract), uncapped


# --------------------------------------------------------------------------------------------
# Display: what the template shows


def _quantity_text(form: CalculatorForm, quantity: Decimal) -> str:
    """A quantity with what it counts (:func:`riskcalc.calculators.display.quantity_unit`)."""
    contract = form.inputs.get("contract") or ContractType.LINEAR
    return f"{num(quantity)} {quantity_unit(form, contract, quantity)}"


def _margin_unit(form: CalculatorForm) -> str:
    contract = form.inputs.get("contract", ContractType.LINEAR) if form.inputs else None
    return units(form, contract or ContractType.LINEAR)[1]


def margin_context(
    form: CalculatorForm, query: QueryDict, *, part: Part = "page"
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "example_query": "quantity=109.488&price=31967.27&maintenance_margin_rate=0.025"
        "&maintenance_amount=16300",
        "example_text": "Try Binance's worked example: 109.488 BTC at mark 31,967.27, "
        "MMR 2.5%, deduction 16,300",
        "empty_text": "Enter a position to see its initial and maintenance margin.",
        "page_title": _("Margin"),
    }
    if not form.is_bound or form.result is None:
        if form.is_bound:
            context["leverage_max"] = leverage_cap(form, None)[0]
        return context
    r = form.result
    unit = _margin_unit(form)
    context["leverage_max"] = r.max_leverage
    mm = r.maintenance
    key = r.initial_margin if r.initial_margin is not None else mm.maintenance_margin
    initial = r.initial_margin is not None
    key_label = _("Initial margin") if initial else _("Maintenance margin")
    headline = (
        _("Initial margin %(value)s %(unit)s.")
        if initial
        else _("Maintenance margin %(value)s %(unit)s.")
    )
    context.update(
        result=r,
        unit=unit,
        key_value=key,
        key_label=key_label,
        money_places=amount_places(unit),
        max_open_quantity=_quantity_text(form, r.max_open.quantity) if r.max_open else "",
        summary=headline % {"value": num(key, amount_places(unit)), "unit": unit},
    )
    if part != "result":
        context.update(
            steps=_margin_steps(form, unit),
            engine_sources=ENGINE_SOURCES[:1],
            engine_retrieved=ENGINE_RETRIEVED,
        )
    return context


def _margin_steps(form: CalculatorForm, unit: str) -> list[tuple[str, str, str, str]]:
    """The maths behind a margin result, step by step, with the user's numbers."""
    r = form.result
    mm = r.maintenance
    steps = [
        (
            _("Notional"),
            _("N = Q × CS × P (linear) or Q × CS / P (inverse)"),
            "",
            f"{num(r.notional)} {unit}",
        ),
        (
            _("Maintenance margin"),
            "MM = N × (m + f) − d",
            f"{num(mm.notional)} × ({rate(mm.maintenance_margin_rate)} + {rate(mm.fee_rate)}) − {num(mm.maintenance_amount)}",
            f"{num(mm.maintenance_margin)} {unit}",
        ),
    ]
    if r.initial_margin is not None:
        steps.insert(
            1,
            (
                _("Initial margin"),
                "IM = N / L",
                f"{num(r.notional)} / {num(form.inputs['leverage'])}",
                f"{num(r.initial_margin)} {unit}",
            ),
        )
    if r.margin_ratio is not None:
        steps.append(
            (
                _("Margin ratio"),
                _("MM / wallet balance (liquidation at 100%)"),
                f"{num(mm.maintenance_margin)} / {num(form.inputs['wallet_balance'])}",
                pct(r.margin_ratio),
            )
        )
    return steps


# --------------------------------------------------------------------------------------------
# API output


def _max_open(form: CalculatorForm) -> Decimal | None:
    return form.result.max_open.quantity if form.result.max_open else None


MARGIN_OUTPUTS = (
    Output("notional", "decimal", "Position value at price.", result_attr("notional")),
    Output(
        "initial_margin",
        "decimal",
        "notional / leverage; null without leverage.",
        result_attr("initial_margin"),
        nullable=True,
    ),
    Output(
        "maintenance_margin",
        "decimal",
        "notional x (rate + fee) - deduction.",
        lambda form: form.result.maintenance.maintenance_margin,
    ),
    Output(
        "maintenance_margin_rate",
        "decimal",
        "Maintenance margin rate used (fraction).",
        lambda form: form.result.maintenance.maintenance_margin_rate,
    ),
    Output(
        "maintenance_amount",
        "decimal",
        "Deduction used.",
        lambda form: form.result.maintenance.maintenance_amount,
    ),
    Output(
        "fee_rate",
        "decimal",
        "Fee rate counted in the maintenance margin.",
        lambda form: form.result.maintenance.fee_rate,
    ),
    Output(
        "max_leverage",
        "decimal",
        "Highest leverage for this notional (its tier's cap, or the symbol's confirmed cap); "
        "null when unknown.",
        result_attr("max_leverage"),
        nullable=True,
    ),
    Output(
        "margin_ratio",
        "decimal",
        "maintenance_margin / wallet_balance (liquidation at 1); null without wallet_balance.",
        result_attr("margin_ratio"),
        nullable=True,
    ),
    Output(
        "max_quantity",
        "decimal",
        "Largest quantity wallet_balance can open at leverage, within the tiers' caps; null "
        "without both.",
        _max_open,
        nullable=True,
    ),
    Output(
        "tier",
        "tier",
        "Tier the notional falls in; null without tiers.",
        lambda form: form.result.maintenance.tier,
        nullable=True,
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
        "Snapshot date of the exchange tier table used (ISO 8601); null otherwise.",
        lambda form: data_date(form) if form.tier_table and form.tier_table.source_url else None,
        nullable=True,
    ),
    *COMMON_OUTPUTS,
)


# --------------------------------------------------------------------------------------------
# The registry entry (riskcalc/calculators/__init__.py lists it)

CALCULATOR = Calculator(
    slug="margin",
    title=_("Margin"),
    overview=_(
        "Initial and tiered maintenance margin, the tier's leverage cap, margin ratio and "
        "the largest position a balance can open."
    ),
    form=MarginForm,
    template="calculators/margin.html",
    context=margin_context,
    learn=("margin", "leverage", "isolated-vs-cross", "glossary"),
    outputs=MARGIN_OUTPUTS,
    summary="Initial and maintenance margin",
    description="Notional, initial margin, tiered maintenance margin, maximum leverage, "
    "margin ratio and the largest quantity a balance can open. Give the maintenance rate, "
    "an exchange and symbol, or (POST) your own tiers.",
    example={
        "quantity": "109.488",
        "price": "31967.27",
        "maintenance_margin_rate": "0.025",
        "maintenance_amount": "16300",
    },
    example_source="Binance USDⓈ-M FAQ: 109.488 BTC at mark 31,967.27, MMR 2.5%, cum "
    "16,300 -> maintenance margin 71,200.81144 "
    "(https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93).",
    example_checks={"maintenance_margin": "71200.811444"},
    primary_fields=("exchange", "symbol", "price", "quantity", "leverage"),
)
