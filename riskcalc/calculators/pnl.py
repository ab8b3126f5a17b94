"""The PnL calculator: profit and loss, return on margin (ROE), fees and the price for a
target ROE, for linear and inverse contracts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from riskcalc import charts
from riskcalc.calc.errors import CROSS_FIELD, InputError, MissingInput
from riskcalc.calc.liquidation import CalcWarning
from riskcalc.calc.margin import initial_margin
from riskcalc.calc.pnl import net_pnl, pnl_ratio, roe, target_price_for_roe, unrealized_pnl_curve
from riskcalc.calc.text import N_
from riskcalc.calc.types import ContractType, Side
from riskcalc.calculators.display import (
    ENGINE_RETRIEVED,
    ENGINE_SOURCES,
    Part,
    money_places,
    pnl_table,
    price_range,
    price_tick,
    units,
)
from riskcalc.calculators.form import (
    CalculatorForm,
    contract_field,
    contract_size_field,
    position_value_field,
    quantity_field,
    warning,
)
from riskcalc.calculators.spec import COMMON_OUTPUTS, Calculator, Output, result_attr
from riskcalc.fields import DecimalInputField, EnumChoiceField
from riskcalc.templatetags.riskcalc import (
    amount_hover_format,
    num,
    pct,
    price_hover_format,
    signed,
    signed_pct,
)

__all__ = [
    "CALCULATOR",
    "PNL_OUTPUTS",
    "PnlForm",
    "PnlResult",
    "pnl_context",
]


# --------------------------------------------------------------------------------------------
# Form


@dataclass(frozen=True, slots=True, kw_only=True)
class PnlResult:
    """PnL of a position closed (or marked) at ``exit_price``; ``roe``, ``initial_margin`` and
    ``target_price`` need a leverage (``target_price`` also ``target_roe``). ``fees`` are the
    entry and exit fees and ``net_pnl = pnl - fees`` (:func:`~riskcalc.calc.pnl.net_pnl`)."""

    exit_price: Decimal
    pnl: Decimal
    pnl_ratio: Decimal
    roe: Decimal | None
    initial_margin: Decimal | None
    target_price: Decimal | None
    fees: Decimal
    net_pnl: Decimal
    warnings: tuple[CalcWarning, ...] = ()


class PnlForm(CalculatorForm):
    """Profit and loss, return on margin (ROE) and the price for a target ROE (``form.result``:
    :class:`PnlResult`)."""

    needed_text = _("Enter the %(inputs)s to see the profit or loss.")

    side = EnumChoiceField(Side, help_text=_("Direction of the position."))
    contract = contract_field()
    entry_price = DecimalInputField(limit="entry_price", required=True, help_text=_("Entry price."))
    exit_price = DecimalInputField(
        limit="exit_price",
        help_text=_("Exit price (or give the mark price for unrealised PnL)."),
    )
    mark_price = DecimalInputField(
        limit="mark_price",
        help_text=_("Mark price, for unrealised PnL (instead of the exit price)."),
    )
    quantity = quantity_field(or_value=True)
    position_value = position_value_field()
    contract_size = contract_size_field()
    leverage = DecimalInputField(
        limit="leverage", help_text=_("Leverage; needed for ROE, initial margin and target price.")
    )
    target_roe = DecimalInputField(
        limit="target_roe",
        help_text=_(
            "Return on initial margin to reach, as a fraction (0.5 = +50%); gives "
            "the price that reaches it."
        ),
        label=_("Target ROE"),
    )
    fee_rate_entry = DecimalInputField(
        limit="fee_rate_entry",
        default=Decimal(0),
        help_text=_("Fee rate on the position value at entry; default 0."),
    )
    fee_rate_exit = DecimalInputField(
        limit="fee_rate_exit",
        default=Decimal(0),
        help_text=_("Fee rate on the position value at exit; default 0."),
    )

    error_fields: ClassVar[Mapping[str, str]] = {"roe": "target_roe", "price": "exit_price"}

    def calculate(self, data: dict[str, Any]) -> PnlResult:
        self.resolve_size(data, price=data["entry_price"])
        exit_given, mark_given = data["exit_price"] is not None, data["mark_price"] is not None
        if exit_given and mark_given:
            raise InputError(
                CROSS_FIELD, N_("Give either the exit price or the mark price, not both.")
            )
        if not exit_given and not mark_given:
            raise MissingInput("exit_price", N_("Give the exit price (or the mark price)."))
        price_field = "exit_price" if exit_given else "mark_price"
        price = data[price_field]
        leverage = data["leverage"]
        if data["target_roe"] is not None and leverage is None:
            raise MissingInput("leverage", N_("Give the leverage to find the target ROE's price."))
        common = {"side": data["side"], "contract": data["contract"]}
        try:
            closed = net_pnl(
                **common,
                quantity=data["quantity"],
                entry_price=data["entry_price"],
                exit_price=price,
                contract_size=data["contract_size"],
                fee_rate_entry=data["fee_rate_entry"],
                fee_rate_exit=data["fee_rate_exit"],
            )
            ratio = pnl_ratio(**common, entry_price=data["entry_price"], mark_price=price)
        except InputError as error:
            if error.field in {"exit_price", "mark_price"}:
                raise InputError(price_field, error.text) from None
            raise
        size = {"contract": data["contract"], "contract_size": data["contract_size"]}
        result_roe = im = target = None
        if leverage is not None:
            result_roe = roe(
                **common, entry_price=data["entry_price"], mark_price=price, leverage=leverage
            )
            im = initial_margin(
                **size, quantity=data["quantity"], price=data["entry_price"], leverage=leverage
            )
            if data["target_roe"] is not None:
                target = target_price_for_roe(
                    **common,
                    entry_price=data["entry_price"],
                    leverage=leverage,
                    roe=data["target_roe"],
                )
        if leverage is None:
            self.extra_warnings.append(
                warning(
                    "no_leverage",
                    N_("Give the leverage to get the ROE, the initial margin and a target price."),
                )
            )
        return PnlResult(
            exit_price=price,
            pnl=closed.pnl,
            pnl_ratio=ratio,
            roe=result_roe,
            initial_margin=im,
            target_price=target,
            fees=closed.fees,
            net_pnl=closed.net_pnl,
        )


# --------------------------------------------------------------------------------------------
# Display: what the template shows


def pnl_context(form: CalculatorForm, query: QueryDict, *, part: Part = "page") -> dict[str, Any]:
    context: dict[str, Any] = {
        "example_query": "side=long&entry_price=20000&exit_price=20200&quantity=1&leverage=50",
        "example_text": "Try Bybit's numbers: 1 BTC long at 20,000, 50x, closed at 20,200 "
        "(+200 USDT, ROE +50%)",
        "empty_text": "Enter a position and an exit price to see its profit or loss.",
        "page_title": _("PnL and ROE"),
    }
    if not form.is_bound or form.result is None:
        return context
    r = form.result
    data = form.inputs
    side: Side = data["side"]
    contract: ContractType = data["contract"]
    price_unit, unit = units(form, contract)
    word = _("Profit") if r.pnl > 0 else _("Loss") if r.pnl < 0 else _("Break-even")
    places = money_places(contract)
    figures = {"word": word, "pnl": signed(r.pnl, places), "unit": unit}
    context.update(
        result=r,
        side=side,
        contract=contract,
        unit=unit,
        price_unit=price_unit,
        word=word,
        money_places=places,
        summary=(
            _("%(word)s: %(pnl)s %(unit)s, ROE %(roe)s.") % {**figures, "roe": signed_pct(r.roe)}
            if r.roe is not None
            else _("%(word)s: %(pnl)s %(unit)s.") % figures
        ),
    )
    if part == "result":
        return context
    if contract is ContractType.LINEAR:
        formula, sub = (
            "PnL = s × Q × CS × (X − E)",
            (
                f"{side.sign:+d} × {num(data['quantity'])} × {num(data['contract_size'])} × "
                f"({num(r.exit_price)} − {num(data['entry_price'])})"
            ),
        )
    else:
        formula, sub = (
            "PnL = s × Q × CS × (1/E − 1/X)",
            (
                f"{side.sign:+d} × {num(data['quantity'])} × {num(data['contract_size'])} × "
                f"(1/{num(data['entry_price'])} − 1/{num(r.exit_price)})"
            ),
        )
    steps = [
        (_("PnL"), formula, sub, f"{num(r.pnl)} {unit}"),
        (_("Fees"), _("entry and exit notional × fee rates"), "", f"{num(r.fees)} {unit}"),
        (
            _("Net PnL"),
            _("PnL − fees"),
            f"{num(r.pnl)} − {num(r.fees)}",
            f"{num(r.net_pnl)} {unit}",
        ),
    ]
    if r.roe is not None:
        steps.append(
            (
                _("ROE"),
                _("PnL / initial margin = L × PnL ratio"),
                f"{num(data['leverage'])} × {pct(r.pnl_ratio, 4)}",
                pct(r.roe),
            )
        )
    entry = data["entry_price"]
    prices = price_range(entry, min(entry, r.exit_price), max(entry, r.exit_price))
    pnl = unrealized_pnl_curve(
        side=side,
        contract=contract,
        quantity=data["quantity"],
        entry_price=entry,
        mark_prices=prices,
        contract_size=data["contract_size"],
    )
    marks = [("Entry", entry), ("Exit", r.exit_price)]
    if r.target_price is not None:
        marks.append(("Target", r.target_price))
    figures = {
        "pnl": charts.pnl_curve(
            prices=prices,
            pnl=pnl,
            unit=unit,
            marks=marks,
            price_format=price_hover_format(price_tick(form)),
            amount_format=amount_hover_format(unit, sign=True),
        )
    }
    context.update(
        steps=steps,
        figures=figures,
        pnl_rows=pnl_table(prices, pnl, places),
        engine_sources=ENGINE_SOURCES,
        engine_retrieved=ENGINE_RETRIEVED,
    )
    return context


# --------------------------------------------------------------------------------------------
# API output


PNL_OUTPUTS = (
    Output("pnl", "decimal", "PnL at exit_price (or mark_price), before fees.", result_attr("pnl")),
    Output(
        "roe",
        "decimal",
        "Return on initial margin (fraction); null without leverage.",
        result_attr("roe"),
        nullable=True,
    ),
    Output(
        "initial_margin",
        "decimal",
        "Entry notional / leverage; null without leverage.",
        result_attr("initial_margin"),
        nullable=True,
    ),
    Output(
        "pnl_ratio", "decimal", "PnL / entry value (fraction, unlevered).", result_attr("pnl_ratio")
    ),
    Output(
        "target_price",
        "decimal",
        "Price at which the position shows target_roe; null without target_roe.",
        result_attr("target_price"),
        nullable=True,
    ),
    Output("fees", "decimal", "Entry and exit fees (notional x rate).", result_attr("fees")),
    Output("net_pnl", "decimal", "pnl - fees.", result_attr("net_pnl")),
    Output("exit_price", "decimal", "Price the PnL was computed at.", result_attr("exit_price")),
    *COMMON_OUTPUTS,
)


# --------------------------------------------------------------------------------------------
# The registry entry (riskcalc/calculators/__init__.py lists it)

CALCULATOR = Calculator(
    slug="pnl",
    title=_("PnL and ROE"),
    overview=_(
        "Profit or loss, return on margin, fees, and the exit price for a target return, "
        "for linear and inverse contracts."
    ),
    form=PnlForm,
    template="calculators/pnl.html",
    context=pnl_context,
    learn=("leverage", "linear-vs-inverse", "funding-rates", "glossary"),
    outputs=PNL_OUTPUTS,
    summary="PnL, ROE and target price",
    description="Profit and loss at an exit (or mark) price, return on initial margin, "
    "fees, and the price that gives a target ROE.",
    example={
        "side": "long",
        "entry_price": "20000",
        "exit_price": "20200",
        "quantity": "1",
        "leverage": "50",
        "target_roe": "0.5",
    },
    example_source="Bybit's initial margin example (1 BTC at 20,000, 50x: IM 400); a "
    "1% move at 50x is a 50% ROE.",
    example_checks={"pnl": "200", "roe": "0.5", "initial_margin": "400"},
    primary_fields=("side", "entry_price", "exit_price", "quantity", "leverage"),
)
