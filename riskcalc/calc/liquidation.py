"""Liquidation and bankruptcy price: one solver for every exchange, switched by conventions.

The position is liquidated when its margin balance (collateral + unrealised PnL at the mark
price) falls to its maintenance margin; it goes bankrupt when the margin balance reaches 0.
Both prices come from the same equation, solved in closed form with exact Decimal algebra
(formulas.md §0; s = +1 long, -1 short, Q quantity, E entry, C collateral, m MMR, d deduction,
f fee rate counted in MM, CS contract size)::

    linear,  mark basis:   LP = (C + d - s.Q.CS.E) / (Q.CS.(m + f - s))
    linear,  entry basis:  LP = (C - MM_entry - s.Q.CS.E) / (-s.Q.CS)
    inverse, mark basis:   LP = Q.CS.(s + m + f) / (C + d + s.Q.CS/E)
    inverse, entry basis:  LP = s.Q.CS / (C - MM_entry + s.Q.CS/E)
    bankruptcy price:      the same with m = d = 0 (f kept only if the exchange reserves it)

With several legs (Binance hedge mode: a long and a short leg of one symbol in cross margin)
every Q, E, m, d term becomes a sum over the legs, which is exactly the Binance FAQ's
numerator (WB - TMM1 + UPNL1 + cum_B + cum_L + cum_S - Side_B.Pos_B.EP_B - Pos_L.EP_L +
Pos_S.EP_S) and denominator (Pos_B.MMR_B + Pos_L.MMR_L + Pos_S.MMR_S - Side_B.Pos_B - Pos_L +
Pos_S), multiplied through by the same sign.

Switches: contract (linear | inverse), margin mode (isolated collateral = position margin +
added margin - funding paid; cross collateral = wallet balance - other positions' MM + other
positions' UPNL - funding paid), maintenance basis (mark | entry), tier method (from the tier
table: deduction | whole_position), fee in maintenance (OKX, Bitget), fee on added margin
(Bybit UTA isolated: added margin / (1 - s.fee) linear, / (1 + s.fee) inverse), fee kept in the
bankruptcy price, and tick rounding against the trader.

**Tiers at the liquidation price.** MM depends on the tier of the notional *at the liquidation
price*, which may differ from today's tier (Binance: "re-solve with that bracket's MMR and
cum"). Instead of an open-ended fixed-point loop, the solver walks from the current price
(mark, else entry) in the adverse direction one tier band at a time: within each band the
equation is linear and solved in closed form; the first band whose solution lies inside it is
the answer; at a band edge where a whole-position table jumps to a higher rate, the edge
itself is the liquidation price if the margin balance no longer covers the new rate (the
result then reports the higher tier, the one that triggers). The walk
visits each band at most once, so it cannot oscillate and ends after at most (number of tiers)
steps; the tier chosen is always the one that contains the reported price.

Cross-margin results hold the other positions' marks fixed ("ceteris paribus").
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal, localcontext
from enum import StrEnum

from riskcalc.calc.errors import CROSS_FIELD, InputError
from riskcalc.calc.limits import checked, checked_choice, checked_optional
from riskcalc.calc.margin import check_leverage
from riskcalc.calc.rounding import CALC_CONTEXT, against_trader, to_tick
from riskcalc.calc.tiers import Tier, TierTable
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, Side

__all__ = [
    "CalcWarning",
    "HedgeLeg",
    "LiquidationInput",
    "LiquidationMaths",
    "LiquidationResult",
    "MarginUnit",
    "NoPriceReason",
    "liquidation_price",
    "with_leverage",
]

_ZERO = Decimal(0)
_ONE = Decimal(1)


class MarginUnit(StrEnum):
    """Currency of margin and PnL: the quote currency (linear) or the base coin (inverse)."""

    QUOTE = "quote"
    BASE = "base"


class NoPriceReason(StrEnum):
    """Why a liquidation or bankruptcy price does not exist (the UI shows "--")."""

    AT_OR_BELOW_ZERO = "at_or_below_zero"
    """The price would be 0 or negative: the collateral covers a fall to zero (long)."""
    UNREACHABLE_ABOVE = "unreachable_above"
    """No price is high enough: e.g. a 1x inverse short, which is a synthetic USD hedge."""
    NO_PRICE_EXPOSURE = "no_price_exposure"
    """The legs offset each other, so the margin balance does not move with the price."""


_REASON_TEXT = {
    NoPriceReason.AT_OR_BELOW_ZERO: (
        "The collateral covers the position even if the price falls to zero, so there is no "
        "{what} price (shown as --)."
    ),
    NoPriceReason.UNREACHABLE_ABOVE: (
        "No price rise can use up this collateral (for example a 1x short on an inverse "
        "contract), so there is no {what} price (shown as --)."
    ),
    NoPriceReason.NO_PRICE_EXPOSURE: (
        "The long and short legs offset each other, so the margin balance does not change "
        "with the price and there is no {what} price (shown as --)."
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CalcWarning:
    """Something the learner should know about a result: a stable ``code`` and a message."""

    code: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HedgeLeg:
    """The opposite leg of the same symbol in Binance hedge mode (cross margin only).

    Its side is the opposite of the main position's. Without a tier table it uses the given
    ``maintenance_margin_rate``/``maintenance_amount`` (defaulting to the main position's).
    """

    quantity: Decimal
    entry_price: Decimal
    maintenance_margin_rate: Decimal | None = None
    maintenance_amount: Decimal | None = None


_REQUIRED_NUMBERS = (
    "entry_price",
    "quantity",
    "contract_size",
    "extra_margin",
    "funding_paid",
    "other_maintenance_margin",
    "other_unrealized_pnl",
    "maintenance_amount",
    "fee_rate",
)
_OPTIONAL_NUMBERS = (
    "leverage",
    "position_margin",
    "wallet_balance",
    "maintenance_margin_rate",
    "mark_price",
    "tick_size",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LiquidationInput:
    """Everything the solver needs. Validated on construction (raises :class:`InputError`).

    Isolated: give ``leverage`` (margin = entry notional / leverage) or ``position_margin``.
    Cross: give ``wallet_balance`` and, if other positions are open, their total
    ``other_maintenance_margin`` and ``other_unrealized_pnl`` at current marks.
    Maintenance: give ``tiers`` (a :class:`TierTable`) or ``maintenance_margin_rate`` and
    ``maintenance_amount``. ``fee_rate`` is the taker rate; the ``fee_*`` switches say where the
    exchange counts it: ``fee_in_maintenance`` adds it to the MMR (OKX, Bitget);
    ``fee_on_extra_margin`` divides added margin by (1 - s.fee) (Bybit UTA isolated);
    ``fee_in_bankruptcy`` keeps it in the bankruptcy price and
    ``fee_at_bankruptcy_in_maintenance`` reserves the fee to close at the bankruptcy price,
    fee x notional(BP), inside MM (Bybit legacy inverse cross). ``funding_paid`` is signed
    (negative = received).
    """

    side: Side
    entry_price: Decimal
    quantity: Decimal
    contract: ContractType = ContractType.LINEAR
    contract_size: Decimal = _ONE
    margin_mode: MarginMode = MarginMode.ISOLATED
    leverage: Decimal | None = None
    position_margin: Decimal | None = None
    extra_margin: Decimal = _ZERO
    funding_paid: Decimal = _ZERO
    wallet_balance: Decimal | None = None
    other_maintenance_margin: Decimal = _ZERO
    other_unrealized_pnl: Decimal = _ZERO
    maintenance_margin_rate: Decimal | None = None
    maintenance_amount: Decimal = _ZERO
    tiers: TierTable | None = None
    mm_basis: MarginBasis = MarginBasis.MARK
    fee_rate: Decimal = _ZERO
    fee_in_maintenance: bool = False
    fee_on_extra_margin: bool = False
    fee_in_bankruptcy: bool = False
    fee_at_bankruptcy_in_maintenance: bool = False
    mark_price: Decimal | None = None
    tick_size: Decimal | None = None
    hedge_leg: HedgeLeg | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "side", checked_choice("side", Side, self.side))
        put(self, "contract", checked_choice("contract", ContractType, self.contract))
        put(self, "margin_mode", checked_choice("margin_mode", MarginMode, self.margin_mode))
        put(self, "mm_basis", checked_choice("mm_basis", MarginBasis, self.mm_basis))
        for name in _REQUIRED_NUMBERS:
            value = getattr(self, name)
            if value is not _ZERO and value is not _ONE:  # the defaults need no check
                put(self, name, checked(name, value))
        for name in _OPTIONAL_NUMBERS:
            value = getattr(self, name)
            if value is not None:
                put(self, name, checked(name, value))
        for name in (
            "fee_in_maintenance",
            "fee_on_extra_margin",
            "fee_in_bankruptcy",
            "fee_at_bankruptcy_in_maintenance",
        ):
            if not isinstance(getattr(self, name), bool):
                raise InputError(name, "Choose yes or no.")
        if self.tick_size is not None:
            lowest = (
                self.entry_price
                if self.mark_price is None
                else min(self.entry_price, self.mark_price)
            )
            if self.tick_size > lowest:
                # Rounding against a short would floor its prices to 0 (rounding.to_tick).
                raise InputError(
                    "tick_size",
                    f"The tick size must not exceed the price ({lowest:f}): prices are "
                    "rounded to whole ticks.",
                )
        self._check_margin_source()
        self._check_maintenance_source()
        if self.hedge_leg is not None:
            self._check_hedge_leg()

    def _check_margin_source(self) -> None:
        if self.margin_mode is MarginMode.CROSS:
            if self.wallet_balance is None:
                raise InputError(
                    "wallet_balance",
                    "Cross margin needs the wallet balance: in cross mode the whole balance "
                    "backs the position.",
                )
            if self.position_margin is not None or self.extra_margin:
                field = "position_margin" if self.position_margin is not None else "extra_margin"
                raise InputError(
                    field,
                    "Position margin and added margin apply to isolated positions; in cross "
                    "mode add the amount to the wallet balance instead.",
                )
            return
        if self.wallet_balance is not None:
            raise InputError(
                "wallet_balance",
                "An isolated position is backed only by its own margin: give the leverage or "
                "the position margin instead of a wallet balance (or switch to cross).",
            )
        if self.other_maintenance_margin or self.other_unrealized_pnl:
            field = (
                "other_maintenance_margin"
                if self.other_maintenance_margin
                else "other_unrealized_pnl"
            )
            raise InputError(field, "Other positions do not affect an isolated position.")
        if self.leverage is None and self.position_margin is None:
            raise InputError("leverage", "Give the leverage (or the position margin).")
        if self.leverage is not None and self.position_margin is not None:
            raise InputError(
                CROSS_FIELD, "Give either the leverage or the position margin, not both."
            )

    def _check_maintenance_source(self) -> None:
        fee = self.fee_rate if self.fee_in_maintenance else _ZERO
        if self.tiers is not None:
            if not isinstance(self.tiers, TierTable):
                raise InputError("tiers", "Give a tier table loaded with tier_table().")
            if self.maintenance_margin_rate is not None or self.maintenance_amount:
                raise InputError(
                    CROSS_FIELD,
                    "Give either a tier table or a maintenance margin rate and amount, not both.",
                )
            if self.tiers.contract is not self.contract:
                raise InputError(
                    "tiers",
                    f"The {self.tiers.label} tiers are for {self.tiers.contract} contracts, "
                    f"not {self.contract}.",
                )
            entry_notional = _leg_notional(self, self.quantity, self.entry_price)
            self.tiers.tier_for_notional(entry_notional)  # raises above the largest tier
            if self.leverage is not None:
                check_leverage(tiers=self.tiers, notional=entry_notional, leverage=self.leverage)
            # Rates never decrease along a validated table, so the last tier has the highest.
            if self.tiers.tiers[-1].maintenance_margin_rate + fee >= 1:
                raise InputError("fee_rate", "Maintenance rate plus fee must stay below 100%.")
            return
        if self.maintenance_margin_rate is None:
            raise InputError(
                "maintenance_margin_rate",
                "Give the maintenance margin rate (or choose an exchange and symbol to use its "
                "tiers).",
            )
        if self.maintenance_margin_rate + fee >= 1:
            raise InputError(
                "maintenance_margin_rate",
                "A maintenance margin rate of 100% or more would liquidate the position at "
                "once; enter the rate as a fraction (0.005 for 0.5%).",
            )

    def _check_hedge_leg(self) -> None:
        leg = self.hedge_leg
        if not isinstance(leg, HedgeLeg):
            raise InputError("hedge_leg", "The hedge leg must be a HedgeLeg.")
        if self.margin_mode is not MarginMode.CROSS:
            raise InputError(
                "hedge_leg",
                "Hedge-mode legs share a liquidation price only in cross margin; in isolated "
                "mode each leg has its own liquidation price.",
            )
        rate = checked_optional("maintenance_margin_rate", leg.maintenance_margin_rate)
        amount = checked_optional("maintenance_amount", leg.maintenance_amount)
        if self.tiers is not None and (rate is not None or amount is not None):
            raise InputError(
                "hedge_leg", "With a tier table the hedge leg's rate comes from the table."
            )
        fee = self.fee_rate if self.fee_in_maintenance else _ZERO
        if rate is not None and rate + fee >= 1:
            raise InputError("maintenance_margin_rate", "The hedge leg's rate must be below 1.")
        object.__setattr__(
            self,
            "hedge_leg",
            HedgeLeg(
                quantity=checked("quantity", leg.quantity),
                entry_price=checked("entry_price", leg.entry_price),
                maintenance_margin_rate=rate,
                maintenance_amount=amount,
            ),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class LiquidationMaths:
    """Intermediate values for a "show the maths" display; price = numerator / denominator.

    ``formula`` names the closed form used (symbols as in the module docstring).
    ``collateral`` = ``margin`` + ``extra_margin_effective`` - ``funding_paid`` (isolated) or
    ``wallet_balance`` - ``other_maintenance_margin`` + ``other_unrealized_pnl`` -
    ``funding_paid`` (cross). ``maintenance_margin_at_entry`` is the fixed MM of the entry basis.
    ``tiers_tried`` lists the tier numbers the walk solved in, in order.
    """

    formula: str
    collateral: Decimal
    margin: Decimal
    extra_margin_effective: Decimal
    funding_paid: Decimal
    wallet_balance: Decimal | None
    other_maintenance_margin: Decimal
    other_unrealized_pnl: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    maintenance_margin_at_entry: Decimal | None
    bankruptcy_formula: str
    bankruptcy_numerator: Decimal
    bankruptcy_denominator: Decimal
    tiers_tried: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class LiquidationResult:
    """Liquidation and bankruptcy price of a position, with what they were computed from.

    A price is ``None`` only together with a reason (``no_liquidation_reason`` /
    ``no_bankruptcy_reason``) and a message: the UI shows "--". ``liquidation_price`` is
    rounded to ``tick_size`` against the trader when a tick is given; ``*_exact`` are unrounded.
    ``maintenance_margin`` is the total MM of the symbol's legs at the liquidation price
    (entry basis: the fixed MM), with the main leg's ``maintenance_margin_rate``,
    ``maintenance_amount`` and ``tier``; ``close_fee_in_maintenance`` is the fee reserved at the
    bankruptcy price on top of it (0 unless switched on). ``liquidation_distance`` = |reference - LP| /
    reference, the reference being the mark price if given, else the entry price.
    """

    liquidation_price: Decimal | None
    liquidation_price_exact: Decimal | None
    no_liquidation_reason: NoPriceReason | None
    no_liquidation_message: str
    bankruptcy_price: Decimal | None
    bankruptcy_price_exact: Decimal | None
    no_bankruptcy_reason: NoPriceReason | None
    no_bankruptcy_message: str
    initial_margin: Decimal | None
    maintenance_margin: Decimal
    maintenance_margin_rate: Decimal
    maintenance_amount: Decimal
    fee_rate_in_maintenance: Decimal
    close_fee_in_maintenance: Decimal
    tier: Tier | None
    liquidation_distance: Decimal | None
    distance_reference: Decimal
    margin_unit: MarginUnit
    warnings: tuple[CalcWarning, ...]
    maths: LiquidationMaths


# --------------------------------------------------------------------------------------------
# Solver internals. A "leg" is (sign, quantity, entry, fixed rate, fixed amount).

type _Leg = tuple[int, Decimal, Decimal, Decimal | None, Decimal | None]


def _leg_notional(position: LiquidationInput, quantity: Decimal, price: Decimal) -> Decimal:
    if position.contract is ContractType.LINEAR:
        return quantity * position.contract_size * price
    return quantity * position.contract_size / price


def _legs(position: LiquidationInput) -> list[_Leg]:
    s = position.side.sign
    rate = position.maintenance_margin_rate
    amount = position.maintenance_amount if position.tiers is None else None
    legs: list[_Leg] = [(s, position.quantity, position.entry_price, rate, amount)]
    leg = position.hedge_leg
    if leg is not None:
        leg_rate = leg.maintenance_margin_rate if leg.maintenance_margin_rate is not None else rate
        leg_amount = leg.maintenance_amount if leg.maintenance_amount is not None else amount
        if position.tiers is not None:
            leg_rate = leg_amount = None
        legs.append((-s, leg.quantity, leg.entry_price, leg_rate, leg_amount))
    return legs


def _rates(
    position: LiquidationInput, legs: list[_Leg], indices: list[int]
) -> list[tuple[Decimal, Decimal]]:
    table = position.tiers
    result = []
    for (_, _, _, rate, amount), index in zip(legs, indices, strict=True):
        if table is None:
            assert rate is not None and amount is not None
            result.append((rate, amount))
        else:
            tier = table.tiers[index]
            result.append((tier.maintenance_margin_rate, tier.maintenance_amount))
    return result


def _closed_form(
    position: LiquidationInput,
    legs: list[_Leg],
    rates: list[tuple[Decimal, Decimal]],
    collateral: Decimal,
    fee: Decimal,
    fixed_mm: Decimal | None,
) -> tuple[Decimal, Decimal]:
    """(numerator, denominator) of the price for fixed tier rates; see the module docstring."""
    cs = position.contract_size
    linear = position.contract is ContractType.LINEAR
    if fixed_mm is not None:  # entry basis: MM is a constant
        signed_qty = sum((s * q for s, q, _, _, _ in legs), _ZERO) * cs
        if linear:
            signed_value = sum((s * q * e for s, q, e, _, _ in legs), _ZERO) * cs
            return collateral - fixed_mm - signed_value, -signed_qty
        signed_coin = sum((s * q / e for s, q, e, _, _ in legs), _ZERO) * cs
        return signed_qty, collateral - fixed_mm + signed_coin
    deductions = sum((d for _, d in rates), _ZERO)
    if linear:
        signed_value = sum((s * q * e for s, q, e, _, _ in legs), _ZERO) * cs
        weight = sum(
            (q * (m + fee - s) for (s, q, _, _, _), (m, _) in zip(legs, rates, strict=True)),
            _ZERO,
        )
        return collateral + deductions - signed_value, weight * cs
    signed_coin = sum((s * q / e for s, q, e, _, _ in legs), _ZERO) * cs
    weight = sum(
        (q * (s + m + fee) for (s, q, _, _, _), (m, _) in zip(legs, rates, strict=True)), _ZERO
    )
    return weight * cs, collateral + deductions + signed_coin


def _excess(
    position: LiquidationInput,
    legs: list[_Leg],
    rates: list[tuple[Decimal, Decimal]],
    collateral: Decimal,
    fee: Decimal,
    fixed_mm: Decimal | None,
    price: Decimal,
) -> Decimal:
    """Margin balance minus maintenance margin at ``price`` (> 0: not liquidated)."""
    cs = position.contract_size
    linear = position.contract is ContractType.LINEAR
    balance = collateral
    mm = _ZERO
    for (s, q, e, _, _), (m, d) in zip(legs, rates, strict=True):
        if linear:
            balance += s * q * cs * (price - e)
        else:
            balance += s * q * cs * (_ONE / e - _ONE / price)
        mm += _leg_notional(position, q, price) * (m + fee) - d
    return balance - (fixed_mm if fixed_mm is not None else mm)


def _indices_at(
    position: LiquidationInput, legs: list[_Leg], price: Decimal, going_down: bool
) -> list[int]:
    """Tier index of each leg for the band entered when moving from ``price`` in a direction."""
    table = position.tiers
    if table is None:
        return [0 for _ in legs]
    linear = position.contract is ContractType.LINEAR
    notional_falls = going_down == linear
    result = []
    for _, q, _, _, _ in legs:
        n = _leg_notional(position, q, price)
        result.append(table.tier_index_below(n) if notional_falls else table.tier_index_above(n))
    return result


def _indices_by_convention(
    position: LiquidationInput, legs: list[_Leg], price: Decimal | None
) -> list[int]:
    """Tier index of each leg at ``price`` (``None``: its entry price) by the table's boundary
    convention; notionals above the largest tier are clamped to the last tier."""
    table = position.tiers
    if table is None:
        return [0 for _ in legs]
    largest = table.largest_notional
    result = []
    for _, q, e, _, _ in legs:
        n = _leg_notional(position, q, e if price is None else price)
        if largest is not None and n > largest:
            result.append(len(table.tiers) - 1)
        else:
            result.append(table.tier_for_notional(n).number - 1)
    return result


def _next_break(
    position: LiquidationInput, legs: list[_Leg], indices: list[int], going_down: bool
) -> tuple[Decimal, list[int]] | None:
    """Nearest price in the direction of travel where a leg changes tier, with those legs.

    ``None`` when no leg changes tier any more in that direction.
    """
    table = position.tiers
    if table is None:
        return None
    linear = position.contract is ContractType.LINEAR
    notional_falls = going_down == linear
    last = len(table.tiers) - 1
    best: Decimal | None = None
    hitting: list[int] = []
    cs = position.contract_size
    for leg_number, ((_, q, _, _, _), index) in enumerate(zip(legs, indices, strict=True)):
        tier = table.tiers[index]
        if notional_falls:
            if index == 0:
                continue
            bound = tier.floor
        else:
            if index == last or tier.cap is None:
                continue
            bound = tier.cap
        price = bound / (q * cs) if linear else q * cs / bound
        if best is None or (price > best if going_down else price < best):
            best, hitting = price, [leg_number]
        elif price == best:
            hitting.append(leg_number)
    return None if best is None else (best, hitting)


def _reason_for(linear: bool, numerator: Decimal, denominator: Decimal) -> NoPriceReason:
    if denominator == 0 if linear else numerator == 0:
        return NoPriceReason.NO_PRICE_EXPOSURE
    # linear: price <= 0 happens for a net long; inverse: the net short loses in coin.
    slope_up = (denominator < 0) if linear else (numerator > 0)
    return NoPriceReason.AT_OR_BELOW_ZERO if slope_up else NoPriceReason.UNREACHABLE_ABOVE


def _formula(position: LiquidationInput, fixed: bool, bankrupt: bool) -> str:
    linear = position.contract is ContractType.LINEAR
    if bankrupt:
        if linear:
            return "BP = (C - s·Q·CS·E) / (Q·CS·(f - s))"
        return "BP = Q·CS·(s + f) / (C + s·Q·CS/E)"
    if fixed:
        if linear:
            return "LP = (C - MM_entry - s·Q·CS·E) / (-s·Q·CS)"
        return "LP = s·Q·CS / (C - MM_entry + s·Q·CS/E)"
    if linear:
        return "LP = (C + d - s·Q·CS·E) / (Q·CS·(m + f - s))"
    return "LP = Q·CS·(s + m + f) / (C + d + s·Q·CS/E)"


def with_leverage(position: LiquidationInput, leverage: Decimal | None) -> LiquidationInput:
    """``position`` at another ``leverage``: equal to ``dataclasses.replace(position,
    leverage=leverage)``, raising the same errors, in about half the time.

    Every other field was checked and normalised when ``position`` was made, and checking it
    again returns it unchanged, so only the checks that read the leverage run again, in
    ``__post_init__``'s order: its bounds, the margin source (leverage or position margin)
    and the tier table's leverage cap. The liquidation page solves one position at 19
    leverages per request. Units, rounding and source: as :class:`LiquidationInput`.

    >>> from dataclasses import replace
    >>> position = LiquidationInput(side=Side.LONG, entry_price=Decimal(20000),
    ...     quantity=Decimal(1), leverage=Decimal(50), maintenance_margin_rate=Decimal("0.005"))
    >>> with_leverage(position, Decimal(10)) == replace(position, leverage=Decimal(10))
    True
    >>> with_leverage(position, Decimal(0))
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: leverage: Leverage must be at least 1 and at most 1,000.
    """
    if not isinstance(position, LiquidationInput):
        raise InputError(CROSS_FIELD, "Give the position as a LiquidationInput.")
    copy = object.__new__(LiquidationInput)
    put = object.__setattr__
    for name in _FIELD_NAMES:
        put(copy, name, getattr(position, name))
    put(copy, "leverage", checked_optional("leverage", leverage))
    copy._check_margin_source()
    copy._check_maintenance_source()
    if copy.hedge_leg is not None:
        copy._check_hedge_leg()
    return copy


_FIELD_NAMES = tuple(field.name for field in fields(LiquidationInput))


def liquidation_price(position: LiquidationInput) -> LiquidationResult:
    """Liquidation price (margin balance = maintenance margin) and bankruptcy price (= 0).

    Formula: see the module docstring (formulas.md §0), one closed form per tier band.
    Units: prices in quote per coin; margins in quote (linear) or coin (inverse).
    Rounding: exact to 34 significant digits; with ``tick_size`` the displayed prices are
    rounded against the trader (up for a long, down for a short).
    Source: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93 and
    https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
    (retrieved 2026-11-21 via formulas.md §3.1, §3.3).

    Bybit's classic example (entry basis): 1 BTC long at 20,000, 50x, MMR 0.5% -> 19,700;
    bankruptcy at E x (1 - 1/L) = 19,600.

    >>> result = liquidation_price(LiquidationInput(
    ...     side=Side.LONG, entry_price=Decimal(20000), quantity=Decimal(1),
    ...     leverage=Decimal(50), maintenance_margin_rate=Decimal("0.005"),
    ...     mm_basis=MarginBasis.ENTRY))
    >>> result.liquidation_price, result.bankruptcy_price, result.maintenance_margin
    (Decimal('19700.000'), Decimal('19600'), Decimal('100.000'))

    Binance's FAQ (cross, ETHUSDT leg, mark basis) -> 1,153.26:

    >>> result = liquidation_price(LiquidationInput(
    ...     side=Side.LONG, entry_price=Decimal("1456.84"), quantity=Decimal("3683.979"),
    ...     margin_mode=MarginMode.CROSS, wallet_balance=Decimal("1535443.01"),
    ...     other_maintenance_margin=Decimal("71200.81144"),
    ...     other_unrealized_pnl=Decimal("-56354.57"),
    ...     maintenance_margin_rate=Decimal("0.10"), maintenance_amount=Decimal(135365)))
    >>> round(result.liquidation_price, 2)
    Decimal('1153.26')
    """
    if not isinstance(position, LiquidationInput):
        raise InputError(CROSS_FIELD, "Give the position as a LiquidationInput.")
    with localcontext(CALC_CONTEXT):
        return _solve(position)


def _solve(position: LiquidationInput) -> LiquidationResult:
    linear = position.contract is ContractType.LINEAR
    s = position.side.sign
    warnings: list[CalcWarning] = []
    legs = _legs(position)
    fee = position.fee_rate if position.fee_in_maintenance else _ZERO
    entry_notional = _leg_notional(position, position.quantity, position.entry_price)

    # Collateral.
    initial = entry_notional / position.leverage if position.leverage is not None else None
    extra_effective = position.extra_margin
    if position.fee_on_extra_margin and position.extra_margin:
        divisor = _ONE - s * position.fee_rate if linear else _ONE + s * position.fee_rate
        extra_effective = position.extra_margin / divisor
    if position.margin_mode is MarginMode.ISOLATED:
        margin = position.position_margin if position.position_margin is not None else initial
        assert margin is not None  # guaranteed by LiquidationInput validation
        collateral = margin + extra_effective - position.funding_paid
    else:
        assert position.wallet_balance is not None
        margin = position.wallet_balance
        collateral = (
            position.wallet_balance
            - position.other_maintenance_margin
            + position.other_unrealized_pnl
            - position.funding_paid
        )
        if position.other_maintenance_margin or position.other_unrealized_pnl:
            warnings.append(
                CalcWarning(
                    code="other_positions_held_fixed",
                    message="Other cross positions are valued at their current mark prices; "
                    "if those move, this liquidation price moves too.",
                )
            )

    reference = position.mark_price if position.mark_price is not None else position.entry_price

    # Entry basis: MM is fixed at the entry notional (tier chosen by entry notional).
    fixed_mm: Decimal | None = None
    # Tiers by the table's own boundary convention at the entry notional of each leg.
    entry_indices = _indices_by_convention(position, legs, None)
    if position.mm_basis is MarginBasis.ENTRY:
        entry_rates = _rates(position, legs, entry_indices)
        fixed_mm = sum(
            (
                _leg_notional(position, q, e) * (m + fee) - d
                for (_, q, e, _, _), (m, d) in zip(legs, entry_rates, strict=True)
            ),
            _ZERO,
        )

    # Bankruptcy price: MM = 0.
    bankrupt_fee = position.fee_rate if position.fee_in_bankruptcy else _ZERO
    zero_rates = [(_ZERO, _ZERO) for _ in legs]
    b_num, b_den = _closed_form(position, legs, zero_rates, collateral, bankrupt_fee, None)
    bankruptcy_exact: Decimal | None = None
    bankruptcy_reason: NoPriceReason | None = None
    if b_den != 0 and b_num / b_den > 0:
        bankruptcy_exact = b_num / b_den
    else:
        bankruptcy_reason = _reason_for(linear, b_num, b_den)

    # Bybit legacy inverse cross: the fee to close at BP is reserved inside MM; reserving a
    # constant in MM is the same as solving with that much less collateral.
    close_fee = _ZERO
    if position.fee_at_bankruptcy_in_maintenance and bankruptcy_exact is not None:
        close_fee = position.fee_rate * sum(
            (_leg_notional(position, q, bankruptcy_exact) for _, q, _, _, _ in legs), _ZERO
        )
    lp_collateral = collateral - close_fee

    # Liquidation price: walk tier bands from the reference price in the adverse direction.
    start = reference
    if position.mm_basis is MarginBasis.ENTRY or position.mark_price is None:
        indices = entry_indices
    else:
        indices = _indices_by_convention(position, legs, reference)
    rates = _rates(position, legs, indices)
    numerator, denominator = _closed_form(position, legs, rates, lp_collateral, fee, fixed_mm)
    # Adverse direction: the margin excess rises with the price (net long) -> the price falls.
    slope_up = (denominator < 0) if linear else (numerator > 0)
    going_down = slope_up
    excess_now = _excess(position, legs, rates, lp_collateral, fee, fixed_mm, start)
    tried = [indices[0] + 1]
    solved_indices = indices
    exact: Decimal | None = None
    reason: NoPriceReason | None = None
    if (denominator == 0) if linear else (numerator == 0):
        reason = NoPriceReason.NO_PRICE_EXPOSURE
    elif excess_now <= 0:
        candidate = numerator / denominator if denominator != 0 else _ZERO
        # The price where equity meets MM lies on the favourable side of the mark; with tiers
        # valued at that price (mark basis), re-solve in the tier found there until it agrees.
        if position.tiers is not None and fixed_mm is None:
            for _ in range(len(position.tiers.tiers)):
                if candidate <= 0:
                    break
                at_candidate = _indices_by_convention(position, legs, candidate)
                if at_candidate == indices:
                    break
                indices = at_candidate
                rates = _rates(position, legs, indices)
                numerator, denominator = _closed_form(
                    position, legs, rates, lp_collateral, fee, fixed_mm
                )
                candidate = numerator / denominator if denominator != 0 else _ZERO
                tried.append(indices[0] + 1)
            solved_indices = indices
        if candidate > 0:
            exact = candidate
        else:
            reason = _reason_for(linear, numerator, denominator)
        warnings.append(
            CalcWarning(
                code="already_below_maintenance",
                message="At the current price the margin balance is already at or below the "
                "maintenance margin: the position would be liquidated now. Lower the leverage or "
                "add margin.",
            )
        )
    else:
        price = start
        if position.mm_basis is MarginBasis.MARK and position.tiers is not None:
            indices = _indices_at(position, legs, price, going_down)
        solved_for = solved_indices
        for _ in range(2 * (len(position.tiers.tiers) if position.tiers else 1) + 2):
            if indices != solved_for:
                rates = _rates(position, legs, indices)
                numerator, denominator = _closed_form(
                    position, legs, rates, lp_collateral, fee, fixed_mm
                )
                solved_for = indices
            if tried[-1] != indices[0] + 1:
                tried.append(indices[0] + 1)
            step = _next_break(position, legs, indices, going_down) if fixed_mm is None else None
            bound = None if step is None else step[0]
            solution = numerator / denominator if denominator != 0 else None
            if solution is not None and solution > 0:
                inside = (
                    (bound is None or solution >= bound) and solution <= price
                    if going_down
                    else (bound is None or solution <= bound) and solution >= price
                )
                if inside:
                    exact, solved_indices = solution, indices
                    break
            if bound is None:
                reason = (
                    NoPriceReason.AT_OR_BELOW_ZERO
                    if going_down
                    else NoPriceReason.UNREACHABLE_ABOVE
                )
                break
            assert step is not None and position.tiers is not None
            # Cross into the next band. If the margin no longer covers maintenance at the very
            # start of it (a whole-position table jumping to a higher rate), the edge is the
            # liquidation price; with deduction tables MM is continuous and this never fires.
            rising = going_down != linear  # direction of the notional
            crossed = [
                index + (1 if rising else -1) if leg in step[1] else index
                for leg, index in enumerate(indices)
            ]
            crossed_rates = _rates(position, legs, crossed)
            if _excess(position, legs, crossed_rates, lp_collateral, fee, None, bound) <= 0:
                exact, solved_indices = bound, crossed
                break
            price = bound
            indices = crossed
        else:  # pragma: no cover - the walk visits each band once
            raise AssertionError("tier walk did not terminate")

    # Tier, MM and warnings at the result.
    at = exact if exact is not None else reference
    tier: Tier | None = None
    if position.tiers is not None:
        if position.mm_basis is MarginBasis.ENTRY:
            final_indices = entry_indices
        else:
            final_indices = (
                solved_indices if exact is not None else _indices_by_convention(position, legs, at)
            )
            largest = position.tiers.largest_notional
            if largest is not None and any(
                _leg_notional(position, q, at) > largest for _, q, _, _, _ in legs
            ):
                warnings.append(
                    CalcWarning(
                        code="beyond_largest_tier",
                        message="At this price the position is larger than the largest tier of "
                        f"{position.tiers.label}; the last tier's rate was used.",
                    )
                )
        tier = position.tiers.tiers[final_indices[0]]
        final_rates = _rates(position, legs, final_indices)
        if tier.number != entry_indices[0] + 1 and exact is not None:
            warnings.append(
                CalcWarning(
                    code="tier_changes_before_liquidation",
                    message=f"At the liquidation price the position falls in tier {tier.number} "
                    f"(it is in tier {entry_indices[0] + 1} at entry), so that tier's rate and "
                    "deduction were used.",
                )
            )
        if tier.number > 1:
            warnings.append(
                CalcWarning(
                    code="partial_liquidation_possible",
                    message="Positions above the first tier may be liquidated in steps: the "
                    "exchange first tries to reduce them to a lower tier.",
                )
            )
    else:
        final_rates = _rates(position, legs, [0 for _ in legs])
    if fixed_mm is not None:
        mm_total = fixed_mm
    else:
        mm_total = sum(
            (
                _leg_notional(position, q, at) * (m + fee) - d
                for (_, q, _, _, _), (m, d) in zip(legs, final_rates, strict=True)
            ),
            _ZERO,
        )
    if position.mm_basis is MarginBasis.ENTRY:
        warnings.append(
            CalcWarning(
                code="entry_basis",
                message="Maintenance margin is valued at the entry price (Bybit's classic "
                "page, MEXC's blog and BitMEX's examples do this); exchanges that value it at "
                "the liquidation price show a price about MMR x (entry - liquidation) "
                "different.",
            )
        )
    if initial is not None and exact is not None:
        entry_rate, entry_amount = _rates(position, legs, entry_indices)[0]
        if initial <= entry_notional * (entry_rate + fee) - entry_amount:
            warnings.append(
                CalcWarning(
                    code="leverage_too_high_for_maintenance",
                    message="At this leverage the initial margin does not exceed the maintenance "
                    "margin: the position would be liquidated as soon as it opened.",
                )
            )

    rounded = exact
    rounded_bankruptcy = bankruptcy_exact
    if position.tick_size is not None:
        mode = against_trader(Side.LONG if going_down else Side.SHORT)
        if exact is not None:
            rounded = to_tick(exact, position.tick_size, rounding=mode)
        if bankruptcy_exact is not None:
            rounded_bankruptcy = to_tick(bankruptcy_exact, position.tick_size, rounding=mode)
    distance = abs(reference - exact) / reference if exact is not None else None

    return LiquidationResult(
        liquidation_price=rounded,
        liquidation_price_exact=exact,
        no_liquidation_reason=reason if exact is None else None,
        no_liquidation_message=""
        if exact is not None
        else _REASON_TEXT[reason or NoPriceReason.NO_PRICE_EXPOSURE].format(what="liquidation"),
        bankruptcy_price=rounded_bankruptcy,
        bankruptcy_price_exact=bankruptcy_exact,
        no_bankruptcy_reason=bankruptcy_reason,
        no_bankruptcy_message=""
        if bankruptcy_reason is None
        else _REASON_TEXT[bankruptcy_reason].format(what="bankruptcy"),
        initial_margin=initial if initial is not None else position.position_margin,
        maintenance_margin=mm_total,
        maintenance_margin_rate=final_rates[0][0],
        maintenance_amount=final_rates[0][1],
        fee_rate_in_maintenance=fee,
        close_fee_in_maintenance=close_fee,
        tier=tier,
        liquidation_distance=distance,
        distance_reference=reference,
        margin_unit=MarginUnit.QUOTE if linear else MarginUnit.BASE,
        warnings=tuple(warnings),
        maths=LiquidationMaths(
            formula=_formula(position, fixed_mm is not None, bankrupt=False),
            collateral=collateral,
            margin=margin,
            extra_margin_effective=extra_effective,
            funding_paid=position.funding_paid,
            wallet_balance=position.wallet_balance,
            other_maintenance_margin=position.other_maintenance_margin,
            other_unrealized_pnl=position.other_unrealized_pnl,
            numerator=numerator,
            denominator=denominator,
            maintenance_margin_at_entry=fixed_mm,
            bankruptcy_formula=_formula(position, False, bankrupt=True),
            bankruptcy_numerator=b_num,
            bankruptcy_denominator=b_den,
            tiers_tried=tuple(tried),
        ),
    )
