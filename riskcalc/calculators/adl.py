"""The auto-deleveraging (ADL) calculator: a position's ranking score under each exchange's
published rule and, with a population of other positions, its place in the queue.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from riskcalc import charts
from riskcalc.calc.adl import AdlExposure, AdlMethod, AdlPeer, AdlPosition, adl_exposure
from riskcalc.calc.errors import CROSS_FIELD
from riskcalc.calc.text import N_
from riskcalc.calc.types import ContractType, Side
from riskcalc.calculators.display import ENGINE_RETRIEVED, Part, units
from riskcalc.calculators.form import (
    CalculatorForm,
    contract_field,
    contract_size_field,
    quantity_field,
    warning,
)
from riskcalc.calculators.spec import COMMON_OUTPUTS, Calculator, Output, result_attr
from riskcalc.fields import (
    DecimalInputField,
    EnumChoiceField,
    ObjectListField,
    PairListTextField,
    plain,
    strict_field,
)
from riskcalc.templatetags.riskcalc import num, pct, times

__all__ = [
    "CALCULATOR",
    "ADL_OUTPUTS",
    "AdlForm",
    "adl_context",
]


# --------------------------------------------------------------------------------------------
# Form


def _adl_population_items() -> dict[str, DecimalInputField]:
    return {
        "score": strict_field(DecimalInputField(limit="score", required=True)),
        "quantity": strict_field(DecimalInputField(limit="quantity", required=True)),
    }


_ADL_PAGE_POPULATION = PairListTextField(
    items=_adl_population_items(),
    max_items=100,
    max_length=3000,
    example="0.35:2",
    label=_("Population (other positions' scores)"),
    help_text=_(
        "Optional: other positions on your side, one per line as score:quantity (e.g. "
        "0.35:2), scored under the same rule; up to 100. Gives your queue percentile and lights."
    ),
)


class AdlForm(CalculatorForm):
    """Auto-deleveraging ranking score and queue position (``form.result``:
    :class:`~riskcalc.calc.adl.AdlExposure`)."""

    needed_text = _("Enter the %(inputs)s to see the ADL ranking score.")

    side = EnumChoiceField(Side, help_text=_("Direction of the position."))
    entry_price = DecimalInputField(limit="entry_price", required=True, help_text=_("Entry price."))
    mark_price = DecimalInputField(
        limit="mark_price", required=True, help_text=_("Current mark price.")
    )
    quantity = quantity_field()
    leverage = DecimalInputField(
        limit="leverage",
        help_text=_(
            "Isolated collateral = position value at entry / leverage. Give one of "
            "the leverage, the margin or the wallet balance."
        ),
    )
    margin = DecimalInputField(
        limit="margin",
        help_text=_("Isolated margin of the position, in the margin currency."),
    )
    wallet_balance = DecimalInputField(
        limit="adl_wallet_balance",
        help_text=_("Cross: the wallet balance, this being the account's only position."),
    )
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text=_(
            "Binance only: maintenance margin rate of the position's tier, as a fraction "
            "(0.004 for 0.4%); Binance ranks by maintenance margin / margin balance. If omitted, "
            "0.5% is assumed (the result says so)."
        ),
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        default=Decimal(0),
        help_text=_("Binance only: the tier's maintenance amount (deduction); default 0."),
    )
    method = EnumChoiceField(
        AdlMethod,
        default=AdlMethod.BITMEX,
        labels={method.value: method.exchange for method in AdlMethod},
        label=_("Exchange (ADL ranking rule)"),
        help_text=_("Whose ranking rule to apply; BitMEX's if none is chosen."),
    )
    contract = contract_field()
    contract_size = contract_size_field()
    population = ObjectListField(
        items=_adl_population_items(),
        max_items=1000,
        help_text=_(
            "POST only: other positions on your side, a list of {score, quantity}; "
            "gives your queue percentile and lights."
        ),
    )

    post_only_fields = frozenset({"population"})
    error_fields: ClassVar[Mapping[str, str]] = {"score": CROSS_FIELD}

    def __init__(self, *args: Any, strict: bool = False, lists: bool = False, **kwargs: Any):
        super().__init__(*args, strict=strict, lists=lists, **kwargs)
        if not strict and not lists:
            # Pages take the population as text under the API's name (the API keeps its list).
            self.fields["population"] = copy.deepcopy(_ADL_PAGE_POPULATION)

    def calculate(self, data: dict[str, Any]) -> AdlExposure:
        if data["method"] is AdlMethod.BINANCE and data["maintenance_margin_rate"] is None:
            self.assume_generic_rate(data)
        peers = [
            AdlPeer(score=row["score"], quantity=row["quantity"])
            for row in data.get("population") or ()
            if row["score"] is not None and row["quantity"] is not None
        ]
        position = AdlPosition(
            side=data["side"],
            quantity=data["quantity"],
            entry_price=data["entry_price"],
            mark_price=data["mark_price"],
            contract=data["contract"],
            contract_size=data["contract_size"],
            leverage=data["leverage"],
            margin=data["margin"],
            wallet_balance=data["wallet_balance"],
            maintenance_margin_rate=data["maintenance_margin_rate"],
            maintenance_amount=data["maintenance_amount"],
        )
        exposure = adl_exposure(position, method=data["method"], population=peers)
        if exposure.bankruptcy_price is None:
            self.extra_warnings.append(warning("no_bankruptcy_price", exposure.bankruptcy_note))
        if exposure.ranking is None:
            self.extra_warnings.append(
                warning(
                    "no_population",
                    N_(
                        "Add other positions' scores and quantities (the population) to get "
                        "your percentile and lights."
                    ),
                )
            )
        return exposure


# --------------------------------------------------------------------------------------------
# Display: what the template shows


def _share_below(fraction: Decimal) -> str:
    """A percentile rounded down, as the core's reading says it ("ranks above 66%")."""
    return f"{int(fraction * 100)}%"


def adl_context(form: CalculatorForm, query: QueryDict, *, part: Part = "page") -> dict[str, Any]:
    context: dict[str, Any] = {
        "example_query": "side=long&entry_price=9750&mark_price=10000&quantity=10"
        "&wallet_balance=10000&maintenance_margin_rate=0.004&method=binance",
        "example_text": "Try Binance's ranking: UPNL 2,500 on a 10,000 wallet, margin ratio "
        "400 / 12,500 (score 0.008)",
        "empty_text": "Enter a position to see its auto-deleveraging ranking score.",
        "page_title": _("Auto-deleveraging (ADL)"),
    }
    if not form.is_bound or form.result is None:
        return context
    r = form.result
    price_unit, unit = units(form, form.inputs.get("contract") or ContractType.LINEAR)
    analysis = part != "result"
    if analysis:
        context.update(
            steps=_adl_steps(r),
            engine_sources=(("ADL rule", r.source),),
            engine_retrieved=ENGINE_RETRIEVED,
        )
    summary = _("ADL ranking score %(score)s under %(rule)s's rule.") % {
        "score": num(r.score, 4),
        "rule": r.method.exchange,
    }
    peers = form.inputs.get("population") or []
    if r.ranking is not None and r.lights is not None:
        primary = r.ranking.by_count if r.primary_weighting == "count" else r.ranking.by_quantity
        context.update(
            lights_on=range(r.lights),
            lights_off=range(5 - r.lights),
            sample_size=len(peers),
            sample_low=min(p["score"] for p in peers),
            sample_high=max(p["score"] for p in peers),
        )
        if analysis:
            context["figures"] = {
                "adl": charts.adl_distribution(
                    scores=[p["score"] for p in peers], user_score=r.score
                )
            }
        context["percentiles"] = {
            "primary": _share_below(primary.percentile),
            "quantity": _share_below(r.ranking.by_quantity.percentile),
            "count": _share_below(r.ranking.by_count.percentile),
        }
        summary += " " + _("%(lights)s of 5 lights, above %(share)s of the sample.") % {
            "lights": r.lights,
            "share": _share_below(primary.percentile),
        }
    context.update(
        result=r,
        unit=unit,
        price_unit=price_unit,
        summary=summary,
        rule_exchange=r.method.exchange,
    )
    return context


def _adl_steps(r: AdlExposure) -> list[tuple[str, str, str, str]]:
    """The maths behind an ADL score, step by step, with the user's numbers."""
    if r.margin_ratio is not None and r.maintenance_margin is not None:
        return _binance_adl_steps(r, r.margin_ratio, r.maintenance_margin)
    return [
        (
            _("PnL ratio"),
            _("PnL% = UPNL / entry value"),
            f"{num(r.unrealized_pnl)} / {num(r.entry_value)}",
            pct(r.pnl_ratio),
        ),
        (
            _("Effective leverage"),
            _("EL = notional / equity"),
            f"{num(r.notional)} / {num(r.equity)}",
            times(r.effective_leverage),
        ),
        (
            _("Ranking score"),
            _("PnL% × EL if PnL% ≥ 0, else PnL% / EL (Hyperliquid: mark/entry × EL)"),
            _("%(pnl)s and %(leverage)s")
            % {"pnl": pct(r.pnl_ratio), "leverage": times(r.effective_leverage)},
            num(r.score, 4),
        ),
    ]


def _binance_adl_steps(
    r: AdlExposure, margin_ratio: Decimal, maintenance_margin: Decimal
) -> list[tuple[str, str, str, str]]:
    """Binance's LeveragePnL: PnL share of the wallet balance times the margin ratio."""
    return [
        (
            _("PnL percent"),
            _("max(0, UPNL) / max(1, wallet balance)"),
            f"max(0, {num(r.unrealized_pnl)}) / max(1, {num(r.collateral)})",
            pct(r.pnl_ratio),
        ),
        (
            _("Margin ratio"),
            _("maintenance margin / (wallet balance + UPNL)"),
            f"{num(maintenance_margin)} / {num(r.equity)}",
            pct(margin_ratio),
        ),
        (
            _("Ranking score (LeveragePnL)"),
            _("PnL percent × margin ratio"),
            f"{pct(r.pnl_ratio)} × {pct(margin_ratio)}",
            num(r.score, 4),
        ),
    ]


# --------------------------------------------------------------------------------------------
# API output


def _primary(form: CalculatorForm) -> Any:
    ranking = form.result.ranking
    if ranking is None:
        return None
    return ranking.by_count if form.result.primary_weighting == "count" else ranking.by_quantity


def _rank(rank: Any) -> dict[str, Any]:
    return {
        "queue_fraction": plain(rank.queue_fraction),
        "percentile": plain(rank.bucket),
        "share_behind": plain(rank.percentile),
        "lights": rank.lights,
    }


ADL_OUTPUTS = (
    Output(
        "unrealized_pnl",
        "decimal",
        "Unrealised PnL at mark (settle currency).",
        result_attr("unrealized_pnl"),
    ),
    Output(
        "pnl_ratio",
        "decimal",
        "PnL as a fraction of entry value (Binance: max(0, PnL) / max(1, wallet balance)).",
        result_attr("pnl_ratio"),
    ),
    Output(
        "effective_leverage",
        "decimal",
        "Notional at mark / equity.",
        result_attr("effective_leverage"),
    ),
    Output(
        "margin_ratio",
        "decimal",
        "Binance: maintenance margin / equity, the second factor of its score; null otherwise.",
        result_attr("margin_ratio"),
        nullable=True,
    ),
    Output(
        "maintenance_margin",
        "decimal",
        "Binance: notional at mark x maintenance_margin_rate - maintenance_amount; null otherwise.",
        result_attr("maintenance_margin"),
        nullable=True,
    ),
    Output(
        "score", "decimal", "ADL ranking score; higher is deleveraged first.", result_attr("score")
    ),
    Output(
        "bankruptcy_price",
        "decimal",
        "Price at which equity reaches zero; null if there is none.",
        result_attr("bankruptcy_price"),
        nullable=True,
    ),
    Output(
        "percentile",
        "decimal",
        "BitMEX-style ADL percentile: the fifth of the queue you are in (0.2 = front fifth, "
        "first to be deleveraged); null without a population.",
        lambda form: None if _primary(form) is None else _primary(form).bucket,
        nullable=True,
    ),
    Output(
        "lights",
        "integer",
        "ADL indicator lights, 1-5 (5 = first in line); null without a population.",
        result_attr("lights"),
        nullable=True,
    ),
    Output("explanation", "string", "The result in plain language.", result_attr("reading")),
    Output(
        "ranking",
        "object",
        "Queue position by quantity and by count; null without a population.",
        lambda form: (
            None
            if form.result.ranking is None
            else {
                "by_quantity": _rank(form.result.ranking.by_quantity),
                "by_count": _rank(form.result.ranking.by_count),
                "primary": form.result.primary_weighting,
            }
        ),
        nullable=True,
    ),
    Output("equity", "decimal", "Collateral + unrealised PnL.", result_attr("equity")),
    Output("notional", "decimal", "Position value at mark.", result_attr("notional")),
    Output(
        "close_price_rule",
        "string",
        "At what price ADL closes positions.",
        lambda form: gettext(form.result.close_price_rule),
    ),
    Output(
        "assumptions",
        "array",
        "Assumptions this method needed.",
        lambda form: [gettext(assumption) for assumption in form.result.assumptions],
    ),
    Output("source", "string", "The exchange's ADL page.", result_attr("source")),
    *COMMON_OUTPUTS,
)


# --------------------------------------------------------------------------------------------
# The registry entry (riskcalc/calculators/__init__.py lists it)

CALCULATOR = Calculator(
    slug="adl",
    title=_("Auto-deleveraging (ADL)"),
    overview=_(
        "Your position's ADL ranking score under each exchange's published rule, what "
        "drives it, and the price at which a deleveraged position is closed."
    ),
    form=AdlForm,
    template="calculators/adl.html",
    context=adl_context,
    learn=("bankruptcy-insurance-adl", "liquidation", "glossary"),
    outputs=ADL_OUTPUTS,
    summary="Auto-deleveraging ranking",
    description="ADL ranking score from PnL and leverage under each "
    "exchange's rule and, with a population of other positions (POST), where you stand "
    "in the queue (percentile and lights).",
    example={
        "side": "long",
        "entry_price": "9750",
        "mark_price": "10000",
        "quantity": "10",
        "wallet_balance": "10000",
        "maintenance_margin_rate": "0.004",
        "method": "binance",
    },
    example_source="Binance ADL FAQ's LeveragePnL, worked: PnL% = 2,500 / 10,000 = "
    "25%, margin ratio = 400 / 12,500 = 3.2%, ranking 0.25 x 0.032 = 0.008 "
    "(https://www.binance.com/zh-CN/support/announcement/360033525471).",
    example_checks={"score": "0.008", "margin_ratio": "0.032"},
    primary_fields=("method", "side", "entry_price", "mark_price", "quantity", "leverage"),
)
