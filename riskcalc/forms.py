"""One Django form per calculator: the only place user input is parsed.

Pages, htmx partials, embeds and the JSON API all bind the same form. A form does *shape*
(required, parseable, inside :data:`riskcalc.calc.limits.LIMITS`); the calculator core does
*invariants* and raises :class:`~riskcalc.calc.errors.InputError`, which ``clean()`` maps onto
the field it names. After ``is_valid()`` a valid form carries the core's result object in
``form.result`` and the values actually used (defaults and exchange presets applied) in
``form.inputs``.

Exchange presets (liquidation and margin forms)
    With ``exchange`` (and ``symbol``) the profile and its dated tier table fill in what the
    user left empty. Precedence, highest first: (1) a value the user typed; (2) the symbol's
    tier table (maintenance rate, deduction and leverage cap of the tier the notional falls
    in; the confirmed leverage cap for symbols without a table); (3) the exchange profile's
    conventions (MM basis, where the fee counts, inverse contract size); (4) the generic
    defaults (mark basis, fee 0, contract size 1). Field names in ``form.preset_fields`` were
    filled from the profile or its table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from riskcalc.calc.errors import CROSS_FIELD, InputError
from riskcalc.calc.limits import LIMITS
from riskcalc.calc.liquidation import (
    CalcWarning,
    LiquidationInput,
    LiquidationResult,
    liquidation_price,
)
from riskcalc.calc.margin import (
    MaintenanceMargin,
    MaxOpen,
    check_leverage,
    initial_margin,
    maintenance_margin,
    margin_ratio,
    max_open_quantity,
)
from riskcalc.calc.position_size import PositionSizeInput, PositionSizeResult, position_size
from riskcalc.calc.profiles import liquidation_switches, profile
from riskcalc.calc.tiers import TierRow, TierTable, custom_tier_table
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, Side
from riskcalc.calculators.adl import AdlForm
from riskcalc.calculators.form import CalculatorForm, Preset, exchange_field, symbol_field, warning
from riskcalc.calculators.pnl import PnlForm
from riskcalc.fields import (
    DecimalInputField,
    EnumChoiceField,
    ObjectListField,
    plain,
    strict_field,
)

__all__ = [
    "AdlForm",
    "CalculatorForm",
    "LiquidationForm",
    "MarginForm",
    "PnlForm",
    "PositionSizeForm",
]


DEFAULT_VOLATILITY = Decimal("0.6")
"""Annual volatility assumed for the model chance of liquidation when none is given."""


# --------------------------------------------------------------------------------------------
# Liquidation


class LiquidationForm(CalculatorForm):
    """Liquidation and bankruptcy price of one position (``form.result``:
    :class:`~riskcalc.calc.liquidation.LiquidationResult`)."""

    side = EnumChoiceField(Side, help_text="Direction of the position.")
    contract = EnumChoiceField(
        ContractType,
        default=ContractType.LINEAR,
        help_text="linear: PnL in the quote currency (BTCUSDT); inverse: PnL in the coin, "
        "quantity in contracts of a fixed quote value (BTCUSD).",
    )
    margin_mode = EnumChoiceField(
        MarginMode,
        default=MarginMode.ISOLATED,
        help_text="isolated: only the position's margin backs it; cross: the wallet balance does.",
    )
    entry_price = DecimalInputField(
        limit="entry_price", required=True, help_text="Average entry price, quote per coin."
    )
    quantity = DecimalInputField(
        limit="quantity",
        required=True,
        help_text="Position size: base units (linear) or number of contracts (inverse).",
    )
    leverage = DecimalInputField(
        limit="leverage",
        help_text="Isolated margin: initial margin = entry notional / leverage. Required for "
        "isolated unless position_margin is given.",
    )
    wallet_balance = DecimalInputField(
        limit="wallet_balance",
        help_text="Cross margin (required there): the wallet balance backing the position.",
    )
    exchange = exchange_field()
    symbol = symbol_field()
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text="Maintenance margin rate as a fraction (0.005 = 0.5%). If omitted, taken from "
        "the exchange/symbol tier table.",
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        help_text="Tier deduction (Binance cum, Bybit mmDeduction) in the margin currency; "
        "default 0.",
    )
    contract_size = DecimalInputField(
        limit="contract_size",
        help_text="Base units per contract (linear) or quote value per contract (inverse); "
        "default 1 (the exchange's inverse contract size with a profile).",
    )
    position_margin = DecimalInputField(
        limit="position_margin",
        help_text="Isolated: the position's margin, instead of the leverage.",
    )
    extra_margin = DecimalInputField(
        limit="extra_margin",
        default=Decimal(0),
        help_text="Margin added to an isolated position; default 0.",
    )
    funding_paid = DecimalInputField(
        limit="funding_paid",
        default=Decimal(0),
        help_text="Funding paid out of the margin since entry (negative when received); default 0.",
    )
    other_maintenance_margin = DecimalInputField(
        limit="other_maintenance_margin",
        default=Decimal(0),
        help_text="Cross: maintenance margin of the account's other positions; default 0.",
    )
    other_unrealized_pnl = DecimalInputField(
        limit="other_unrealized_pnl",
        default=Decimal(0),
        help_text="Cross: unrealised PnL of the account's other positions; default 0.",
    )
    mm_basis = EnumChoiceField(
        MarginBasis,
        required=False,
        help_text="Where maintenance margin is valued: mark (at the liquidation price) or entry. "
        "Default from the exchange profile, mark for generic.",
    )
    fee_rate = DecimalInputField(
        limit="fee_rate",
        help_text="Taker fee rate as a fraction, counted where the exchange counts it (in "
        "maintenance margin for generic, OKX and Bitget; on added margin for Bybit); default 0.",
    )
    tick_size = DecimalInputField(
        limit="tick_size",
        help_text="Price tick; prices are rounded against the trader (up for longs, down for "
        "shorts).",
    )
    mark_price = DecimalInputField(
        limit="mark_price",
        help_text="Current mark price (default entry_price); the liquidation distance is "
        "measured from it.",
    )
    volatility = DecimalInputField(
        limit="annual_volatility",
        default=DEFAULT_VOLATILITY,
        label="Annual volatility",
        help_text="Annualised volatility as a fraction (0.6 = 60% a year) for the model chance "
        "of touching the liquidation price; default 0.6, an assumption, not a measured figure. "
        "The liquidation price does not depend on it (the API does not use it).",
    )

    required_fields = ("side", "entry_price", "quantity", "leverage", "margin_mode")
    advanced_fields = (
        "maintenance_amount",
        "contract_size",
        "position_margin",
        "extra_margin",
        "funding_paid",
        "other_maintenance_margin",
        "other_unrealized_pnl",
        "mm_basis",
        "fee_rate",
        "tick_size",
        "mark_price",
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
            modes = " and ".join(m.value for m in prof.margin_modes)
            raise InputError("margin_mode", f"{prof.label} supports {modes} margin here.")

        # Maintenance: explicit rate wins over the tier table.
        table = None
        if data["maintenance_margin_rate"] is None:
            if data["maintenance_amount"] is not None:
                raise InputError(
                    "maintenance_margin_rate",
                    "Give the maintenance margin rate with the amount (or leave both empty to "
                    "use the exchange's tier table).",
                )
            if preset is not None and preset.table is None and data["symbol"]:
                raise InputError(
                    "maintenance_margin_rate",
                    f"There is no tier table for {data['symbol']} on {prof.label if prof else ''}"
                    ": give the maintenance margin rate.",
                )
            table = preset.table if preset else None
            if table is not None:
                self.preset_fields |= {"maintenance_margin_rate", "maintenance_amount"}
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


# --------------------------------------------------------------------------------------------
# Margin


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

    contract = LiquidationForm.base_fields["contract"]
    quantity = DecimalInputField(
        limit="quantity",
        required=True,
        help_text="Position size: base units (linear) or number of contracts (inverse).",
    )
    price = DecimalInputField(
        limit="price", required=True, help_text="Price the position is valued at (mark)."
    )
    leverage = DecimalInputField(
        limit="leverage", help_text="Leverage; needed for the initial margin and max quantity."
    )
    exchange = exchange_field()
    symbol = symbol_field()
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text="Maintenance margin rate as a fraction (0.005 = 0.5%). If omitted, taken from "
        "the tiers or the exchange/symbol tier table.",
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        help_text="Tier deduction (Binance cum, Bybit mmDeduction); default 0.",
    )
    contract_size = DecimalInputField(
        limit="contract_size",
        help_text="Base units per contract (linear) or quote value per contract (inverse); "
        "default 1.",
    )
    fee_rate = DecimalInputField(
        limit="fee_rate",
        help_text="Taker fee rate counted in maintenance margin (generic, OKX, Bitget); default 0.",
    )
    wallet_balance = DecimalInputField(
        limit="wallet_balance",
        help_text="Wallet balance; gives the margin ratio and, with the leverage, the maximum "
        "quantity.",
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
        help_text="POST only: your own tier table, a list of {cap (upper notional bound, "
        "inclusive; null for the last), maintenance_margin_rate, max_leverage (optional)}. "
        "Deductions follow d_k = d_(k-1) + cap_(k-1) x (MMR_k - MMR_(k-1)).",
    )

    required_fields = ("quantity", "price", "leverage", "contract")
    advanced_fields = ("maintenance_amount", "contract_size", "fee_rate")
    post_only_fields = frozenset({"tiers"})
    error_fields: ClassVar[Mapping[str, str]] = {
        "margin_balance": "wallet_balance",
        "balance": "wallet_balance",
        "quantity_step": CROSS_FIELD,
        "maintenance_margin": CROSS_FIELD,
    }

    def clean_symbol(self) -> str:
        return (self.cleaned_data.get("symbol") or "").strip()

    def calculate(self, data: dict[str, Any]) -> MarginResult:
        contract: ContractType = data["contract"]
        preset = self.preset(data, contract=contract)
        prof = preset.profile if preset else None
        self.profile = prof
        rows = data.get("tiers")
        rate, amount = data["maintenance_margin_rate"], data["maintenance_amount"]
        if rows is not None and (rate is not None or amount is not None):
            raise InputError(
                CROSS_FIELD,
                "Give either tiers or a maintenance margin rate and amount, not both.",
            )
        if rate is None and amount is not None:
            raise InputError(
                "maintenance_margin_rate",
                "Give the maintenance margin rate with the amount (or leave both empty to use "
                "the tiers).",
            )
        table: TierTable | None = None
        uncapped: set[int] = set()
        if rows is not None:
            table, uncapped = _user_tier_table(rows, contract)
        elif rate is None and preset is not None and preset.table is not None:
            table = preset.table
            self.preset_fields |= {"maintenance_margin_rate", "maintenance_amount"}
        elif rate is None and preset is not None and data["symbol"]:
            raise InputError(
                "maintenance_margin_rate",
                f"There is no tier table for {data['symbol']} here: give the maintenance "
                "margin rate.",
            )
        data["maintenance_amount"] = amount if amount is not None else Decimal(0)
        if data["contract_size"] is None:
            data["contract_size"] = Decimal(1)
            if contract is ContractType.INVERSE and prof and prof.inverse_contract_size:
                data["contract_size"] = prof.inverse_contract_size
                self.preset_fields.add("contract_size")
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
                    "Give the leverage to get the initial margin and the maximum quantity.",
                )
            )
        if wallet is None:
            self.extra_warnings.append(
                warning(
                    "no_wallet_balance",
                    "Give the wallet balance to get the margin ratio and the maximum quantity.",
                )
            )
        if max_lev is None:
            self.extra_warnings.append(
                warning(
                    "no_max_leverage",
                    "No tier table or confirmed leverage cap applies, so the maximum leverage "
                    "is unknown.",
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
# Position size


class PositionSizeForm(CalculatorForm):
    """Fixed-fractional position size (``form.result``:
    :class:`~riskcalc.calc.position_size.PositionSizeResult`)."""

    side = EnumChoiceField(Side, help_text="Direction of the trade.")
    account_balance = DecimalInputField(
        limit="account_balance",
        required=True,
        help_text="Account balance in the settle currency (quote for linear, coin for inverse).",
    )
    risk_fraction = DecimalInputField(
        limit="risk_fraction",
        help_text="Share of the balance to risk, as a fraction (0.01 = 1%). Give this or "
        "risk_amount.",
    )
    risk_amount = DecimalInputField(
        limit="risk_amount",
        help_text="Amount to risk in the settle currency. Give this or risk_fraction.",
    )
    entry_price = DecimalInputField(limit="entry_price", required=True, help_text="Entry price.")
    stop_price = DecimalInputField(
        limit="stop_price",
        required=True,
        help_text="Stop-loss price: below entry for a long, above for a short.",
    )
    leverage = DecimalInputField(
        limit="leverage",
        help_text="Leverage; caps the size at balance x leverage (default 1, fully funded).",
    )
    contract = LiquidationForm.base_fields["contract"]
    contract_size = DecimalInputField(
        limit="contract_size",
        default=Decimal(1),
        help_text="Base units per contract (linear) or quote value per contract (inverse); "
        "default 1.",
    )
    lot_step = DecimalInputField(
        limit="lot_step",
        help_text="Quantity step of the exchange; the size is rounded down to it.",
    )
    fee_rate_entry = DecimalInputField(
        limit="fee_rate_entry",
        default=Decimal(0),
        help_text="Fee rate on entry as a fraction; default 0.",
    )
    fee_rate_exit = DecimalInputField(
        limit="fee_rate_exit",
        default=Decimal(0),
        help_text="Fee rate on exit (at the stop) as a fraction; default 0.",
    )
    slippage = DecimalInputField(
        limit="slippage",
        default=Decimal(0),
        help_text="Expected adverse price move per unit over entry and exit; default 0.",
    )
    maintenance_margin_rate = DecimalInputField(
        limit="maintenance_margin_rate",
        help_text="Maintenance margin rate for the liquidation check (fraction).",
    )
    maintenance_amount = DecimalInputField(
        limit="maintenance_amount",
        default=Decimal(0),
        help_text="Tier deduction for the liquidation check; default 0.",
    )
    exchange = exchange_field()
    symbol = symbol_field()

    required_fields = ("side", "account_balance", "risk_fraction", "entry_price", "stop_price")
    advanced_fields = (
        "exchange",
        "symbol",
        "contract",
        "contract_size",
        "lot_step",
        "fee_rate_entry",
        "fee_rate_exit",
        "slippage",
        "maintenance_margin_rate",
        "maintenance_amount",
    )

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
                f"{table.label} tier {tier.number} allows at most {plain(tier.max_leverage)}x "
                f"at this size ({table.snapshot_text(localdate())}).",
            )
        if data["maintenance_margin_rate"] is None:
            if self.given("maintenance_amount"):
                raise InputError(
                    "maintenance_margin_rate",
                    "Give the maintenance margin rate with the amount (or leave both empty to "
                    "use the exchange's tier table).",
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
# PnL


# --------------------------------------------------------------------------------------------
# ADL
