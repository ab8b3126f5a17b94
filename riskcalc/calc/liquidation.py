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
table: deduction | whole_position), fee in maintenance (OKX, Bitget, Gate), fee on added margin
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

The solver (``_solve``) runs in named steps: the collateral (``_funds``), the bankruptcy price
(``_bankruptcy``), the equation and its tier walk (``solve_liquidation`` in
:mod:`riskcalc.calc.liquidation_equation`, with the closed form), the tier and maintenance
margin at the result (``_tier_at_result``), rounding to the tick (``_to_tick``) and the maths
record (``_maths``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal, localcontext
from enum import StrEnum

from riskcalc.calc.errors import CROSS_FIELD, InputError, MissingInput
from riskcalc.calc.limits import checked, checked_choice, checked_optional
from riskcalc.calc.liquidation_equation import (
    NO_PRICE_TEXT,
    Equation,
    Leg,
    NoPriceReason,
    Solution,
    closed_form,
    formula_text,
    indices_by_convention,
    leg_notional,
    leg_rates,
    legs_of,
    reason_for,
    solve_liquidation,
)
from riskcalc.calc.margin import check_leverage
from riskcalc.calc.rounding import CALC_CONTEXT, against_trader, to_tick
from riskcalc.calc.text import N_, CalcWarning
from riskcalc.calc.tiers import Tier, TierTable
from riskcalc.calc.types import ContractType, MarginBasis, MarginMode, Side

__all__ = [
    "CalcWarning",
    "HedgeLeg",
    "LiquidationInput",
    "LiquidationMaths",
    "LiquidationResult",
    "MarginUnit",
    "NO_PRICE_TEXT",
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


_TIERS_OR_RATE = N_("Give either a tier table or a maintenance margin rate and amount, not both.")
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
    exchange counts it: ``fee_in_maintenance`` adds it to the MMR (OKX, Bitget, Gate);
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
        for name in _FLAGS:
            if not isinstance(getattr(self, name), bool):
                raise InputError(name, N_("Choose yes or no."))
        if self.tick_size is not None:
            lowest = min(self.entry_price, self.mark_price or self.entry_price)
            if self.tick_size > lowest:
                # Rounding against a short would floor its prices to 0 (rounding.to_tick).
                raise InputError(
                    "tick_size",
                    N_(
                        "The tick size must not exceed the price ({price}): prices are "
                        "rounded to whole ticks."
                    ),
                    price=lowest,
                )
        self._check_margin_source()
        self._check_maintenance_source()
        if self.hedge_leg is not None:
            self._check_hedge_leg()

    def _check_margin_source(self) -> None:
        if self.margin_mode is MarginMode.CROSS:
            if self.wallet_balance is None:
                raise MissingInput(
                    "wallet_balance",
                    N_(
                        "Cross margin needs the wallet balance: in cross mode the whole balance "
                        "backs the position."
                    ),
                )
            if self.position_margin is not None or self.extra_margin:
                field = "position_margin" if self.position_margin is not None else "extra_margin"
                raise InputError(
                    field,
                    N_(
                        "Position margin and added margin apply to isolated positions; in cross "
                        "mode add the amount to the wallet balance instead."
                    ),
                )
            return
        if self.wallet_balance is not None:
            raise InputError(
                "wallet_balance",
                N_(
                    "An isolated position is backed only by its own margin: give the leverage or "
                    "the position margin instead of a wallet balance (or switch to cross)."
                ),
            )
        other = self.other_maintenance_margin
        if other or self.other_unrealized_pnl:
            field = "other_maintenance_margin" if other else "other_unrealized_pnl"
            raise InputError(field, N_("Other positions do not affect an isolated position."))
        if self.leverage is None and self.position_margin is None:
            raise MissingInput("leverage", N_("Give the leverage (or the position margin)."))
        if self.leverage is not None and self.position_margin is not None:
            raise InputError(
                CROSS_FIELD, N_("Give either the leverage or the position margin, not both.")
            )

    def _check_maintenance_source(self) -> None:
        fee = self.fee_rate if self.fee_in_maintenance else _ZERO
        if self.tiers is not None:
            if not isinstance(self.tiers, TierTable):
                raise InputError("tiers", "Give a tier table loaded with tier_table().")
            if self.maintenance_margin_rate is not None or self.maintenance_amount:
                raise InputError(CROSS_FIELD, _TIERS_OR_RATE)
            if self.tiers.contract is not self.contract:
                raise InputError(
                    "tiers",
                    N_("The {table} tiers are for {contracts}, not {other}."),
                    table=self.tiers.name,
                    contracts=self.tiers.contract.plural,
                    other=self.contract.plural,
                )
            entry_notional = leg_notional(self, self.quantity, self.entry_price)
            self.tiers.tier_for_notional(entry_notional)  # raises above the largest tier
            if self.leverage is not None:
                check_leverage(tiers=self.tiers, notional=entry_notional, leverage=self.leverage)
            # Rates never decrease along a validated table, so the last tier has the highest.
            if self.tiers.tiers[-1].maintenance_margin_rate + fee >= 1:
                raise InputError("fee_rate", N_("Maintenance rate plus fee must stay below 100%."))
            return
        if self.maintenance_margin_rate is None:
            raise MissingInput(
                "maintenance_margin_rate",
                N_(
                    "Give the maintenance margin rate (or choose an exchange and symbol to use its "
                    "tiers)."
                ),
            )
        if self.maintenance_margin_rate + fee >= 1:
            raise InputError(
                "maintenance_margin_rate",
                N_(
                    "A maintenance margin rate of 100% or more would liquidate the position at "
                    "once; enter the rate as a fraction (0.005 for 0.5%)."
                ),
            )

    def _check_hedge_leg(self) -> None:
        leg = self.hedge_leg
        if not isinstance(leg, HedgeLeg):
            raise InputError("hedge_leg", "The hedge leg must be a HedgeLeg.")
        if self.margin_mode is not MarginMode.CROSS:
            raise InputError(
                "hedge_leg",
                N_(
                    "Hedge-mode legs share a liquidation price only in cross margin; in isolated "
                    "mode each leg has its own liquidation price."
                ),
            )
        rate = checked_optional("maintenance_margin_rate", leg.maintenance_margin_rate)
        amount = checked_optional("maintenance_amount", leg.maintenance_amount)
        if self.tiers is not None and (rate is not None or amount is not None):
            raise InputError(
                "hedge_leg", N_("With a tier table the hedge leg's rate comes from the table.")
            )
        fee = self.fee_rate if self.fee_in_maintenance else _ZERO
        if rate is not None and rate + fee >= 1:
            raise InputError("maintenance_margin_rate", N_("The hedge leg's rate must be below 1."))
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
_FLAGS = tuple(field.name for field in fields(LiquidationInput) if field.type == "bool")


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
    """The solver in named steps: collateral, bankruptcy price, the liquidation equation and
    its tier walk, the tier and maintenance margin at the result, rounding, the maths record."""
    linear = position.contract is ContractType.LINEAR
    warnings: list[CalcWarning] = []
    legs = legs_of(position)
    fee = position.fee_rate if position.fee_in_maintenance else _ZERO
    entry_notional = leg_notional(position, position.quantity, position.entry_price)
    funds = _funds(position, entry_notional, warnings)
    reference = position.mark_price if position.mark_price is not None else position.entry_price
    # Tiers by the table's own boundary convention at the entry notional of each leg.
    entry_indices = indices_by_convention(position, legs, None)
    fixed_mm = _entry_basis_maintenance(position, legs, entry_indices, fee)
    bankrupt = _bankruptcy(position, legs, funds.collateral)
    close_fee = _close_fee(position, legs, bankrupt.exact)
    equation = Equation(
        position=position,
        legs=legs,
        collateral=funds.collateral - close_fee,
        fee=fee,
        fixed_mm=fixed_mm,
    )
    solution = solve_liquidation(equation, reference, entry_indices)
    if solution.below_maintenance:
        warnings.append(
            CalcWarning.of(
                "already_below_maintenance",
                N_(
                    "At the current price the margin balance is already at or below the "
                    "maintenance margin: the position would be liquidated now. Lower the "
                    "leverage or add margin."
                ),
            )
        )
    exact = solution.exact
    at = exact if exact is not None else reference
    tier, final_rates = _tier_at_result(position, legs, solution, entry_indices, at, warnings)
    mm_total = fixed_mm if fixed_mm is not None else _maintenance_at(equation, final_rates, at)
    _basis_warnings(position, legs, entry_indices, funds, entry_notional, fee, exact, warnings)
    mode = against_trader(Side.LONG if solution.going_down else Side.SHORT)
    return LiquidationResult(
        liquidation_price=_to_tick(position, exact, mode),
        liquidation_price_exact=exact,
        no_liquidation_reason=solution.reason if exact is None else None,
        no_liquidation_message=""
        if exact is not None
        else NO_PRICE_TEXT[solution.reason or NoPriceReason.NO_PRICE_EXPOSURE, "liquidation"],
        bankruptcy_price=_to_tick(position, bankrupt.exact, mode),
        bankruptcy_price_exact=bankrupt.exact,
        no_bankruptcy_reason=bankrupt.reason,
        no_bankruptcy_message=""
        if bankrupt.reason is None
        else NO_PRICE_TEXT[bankrupt.reason, "bankruptcy"],
        initial_margin=funds.initial if funds.initial is not None else position.position_margin,
        maintenance_margin=mm_total,
        maintenance_margin_rate=final_rates[0][0],
        maintenance_amount=final_rates[0][1],
        fee_rate_in_maintenance=fee,
        close_fee_in_maintenance=close_fee,
        tier=tier,
        liquidation_distance=abs(reference - exact) / reference if exact is not None else None,
        distance_reference=reference,
        margin_unit=MarginUnit.QUOTE if linear else MarginUnit.BASE,
        warnings=tuple(warnings),
        maths=_maths(position, funds, solution, fixed_mm, bankrupt),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Funds:
    """What backs the position: ``initial`` margin (entry notional / leverage; ``None`` when a
    position margin is given), the ``margin`` or wallet balance, added margin after Bybit's fee
    (``extra_effective``) and the ``collateral`` C of the equation."""

    initial: Decimal | None
    margin: Decimal
    extra_effective: Decimal
    collateral: Decimal


def _funds(
    position: LiquidationInput, entry_notional: Decimal, warnings: list[CalcWarning]
) -> _Funds:
    """Collateral C: isolated ``margin + added margin - funding paid``; cross ``wallet
    balance - other positions' MM + their UPNL - funding paid`` (other marks held fixed, with a
    warning). Bybit UTA isolated counts added margin as ``added / (1 - s.fee)`` (linear) or
    ``/ (1 + s.fee)`` (inverse)."""
    s = position.side.sign
    initial = entry_notional / position.leverage if position.leverage is not None else None
    extra_effective = position.extra_margin
    if position.fee_on_extra_margin and position.extra_margin:
        linear = position.contract is ContractType.LINEAR
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
                CalcWarning.of(
                    "other_positions_held_fixed",
                    N_(
                        "Other cross positions are valued at their current mark prices; "
                        "if those move, this liquidation price moves too."
                    ),
                )
            )
    return _Funds(
        initial=initial, margin=margin, extra_effective=extra_effective, collateral=collateral
    )


def _entry_basis_maintenance(
    position: LiquidationInput, legs: list[Leg], entry_indices: list[int], fee: Decimal
) -> Decimal | None:
    """Entry basis: MM fixed at the entry notional, ``sum(notional_E x (m + f) - d)`` over the
    legs with the tiers of their entry notionals; ``None`` on the mark basis (MM moves)."""
    if position.mm_basis is not MarginBasis.ENTRY:
        return None
    entry_rates = leg_rates(position, legs, entry_indices)
    return sum(
        (
            leg_notional(position, q, e) * (m + fee) - d
            for (_, q, e, _, _), (m, d) in zip(legs, entry_rates, strict=True)
        ),
        _ZERO,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Bankruptcy:
    """The bankruptcy price's closed form (MM = 0) and the price, or why there is none."""

    numerator: Decimal
    denominator: Decimal
    exact: Decimal | None
    reason: NoPriceReason | None


def _bankruptcy(position: LiquidationInput, legs: list[Leg], collateral: Decimal) -> _Bankruptcy:
    """Bankruptcy price: the equation with m = d = 0, the fee kept only where the exchange
    reserves it in the bankruptcy price."""
    linear = position.contract is ContractType.LINEAR
    bankrupt_fee = position.fee_rate if position.fee_in_bankruptcy else _ZERO
    zero_rates = [(_ZERO, _ZERO) for _ in legs]
    numerator, denominator = closed_form(position, legs, zero_rates, collateral, bankrupt_fee, None)
    if denominator != 0 and numerator / denominator > 0:
        return _Bankruptcy(
            numerator=numerator,
            denominator=denominator,
            exact=numerator / denominator,
            reason=None,
        )
    return _Bankruptcy(
        numerator=numerator,
        denominator=denominator,
        exact=None,
        reason=reason_for(linear, numerator, denominator),
    )


def _close_fee(
    position: LiquidationInput, legs: list[Leg], bankruptcy_exact: Decimal | None
) -> Decimal:
    """Bybit legacy inverse cross: the fee to close at the bankruptcy price, reserved inside
    MM; reserving a constant in MM is the same as solving with that much less collateral."""
    if not position.fee_at_bankruptcy_in_maintenance or bankruptcy_exact is None:
        return _ZERO
    return position.fee_rate * sum(
        (leg_notional(position, q, bankruptcy_exact) for _, q, _, _, _ in legs), _ZERO
    )


def _tier_at_result(
    position: LiquidationInput,
    legs: list[Leg],
    solution: Solution,
    entry_indices: list[int],
    at: Decimal,
    warnings: list[CalcWarning],
) -> tuple[Tier | None, list[tuple[Decimal, Decimal]]]:
    """The main leg's tier and every leg's (rate, deduction) at the result ``at`` (the
    liquidation price, else the reference price), with the warnings they call for: beyond the
    largest tier, a tier change before liquidation, partial liquidation above tier 1."""
    if position.tiers is None:
        return None, leg_rates(position, legs, [0 for _ in legs])
    if position.mm_basis is MarginBasis.ENTRY:
        final_indices = entry_indices
    else:
        final_indices = (
            solution.indices
            if solution.exact is not None
            else indices_by_convention(position, legs, at)
        )
        largest = position.tiers.largest_notional
        if largest is not None and any(
            leg_notional(position, q, at) > largest for _, q, _, _, _ in legs
        ):
            warnings.append(
                CalcWarning.of(
                    "beyond_largest_tier",
                    N_(
                        "At this price the position is larger than the largest tier of "
                        "{table}; the last tier's rate was used."
                    ),
                    table=position.tiers.label,
                )
            )
    tier = position.tiers.tiers[final_indices[0]]
    if tier.number != entry_indices[0] + 1 and solution.exact is not None:
        warnings.append(
            CalcWarning.of(
                "tier_changes_before_liquidation",
                N_(
                    "At the liquidation price the position falls in tier {tier} (it is in "
                    "tier {entry_tier} at entry), so that tier's rate and deduction were used."
                ),
                tier=tier.number,
                entry_tier=entry_indices[0] + 1,
            )
        )
    if tier.number > 1:
        warnings.append(
            CalcWarning.of(
                "partial_liquidation_possible",
                N_(
                    "Positions above the first tier may be liquidated in steps: the "
                    "exchange first tries to reduce them to a lower tier."
                ),
            )
        )
    return tier, leg_rates(position, legs, final_indices)


def _maintenance_at(
    equation: Equation, rates: list[tuple[Decimal, Decimal]], at: Decimal
) -> Decimal:
    """Total MM of the legs at price ``at``: ``sum(notional_at x (m + f) - d)``."""
    return sum(
        (
            leg_notional(equation.position, q, at) * (m + equation.fee) - d
            for (_, q, _, _, _), (m, d) in zip(equation.legs, rates, strict=True)
        ),
        _ZERO,
    )


def _basis_warnings(
    position: LiquidationInput,
    legs: list[Leg],
    entry_indices: list[int],
    funds: _Funds,
    entry_notional: Decimal,
    fee: Decimal,
    exact: Decimal | None,
    warnings: list[CalcWarning],
) -> None:
    """Warn about the entry basis, and about an initial margin that does not exceed the
    maintenance margin at entry (liquidated as soon as opened)."""
    if position.mm_basis is MarginBasis.ENTRY:
        warnings.append(
            CalcWarning.of(
                "entry_basis",
                N_(
                    "Maintenance margin is valued at the entry price (Bybit's classic page, "
                    "MEXC's blog and BitMEX's examples do this); exchanges that value it at "
                    "the liquidation price show a price about MMR × (entry − liquidation) "
                    "different."
                ),
            )
        )
    if funds.initial is not None and exact is not None:
        entry_rate, entry_amount = leg_rates(position, legs, entry_indices)[0]
        if funds.initial <= entry_notional * (entry_rate + fee) - entry_amount:
            warnings.append(
                CalcWarning.of(
                    "leverage_too_high_for_maintenance",
                    N_(
                        "At this leverage the initial margin does not exceed the maintenance "
                        "margin: the position would be liquidated as soon as it opened."
                    ),
                )
            )


def _to_tick(position: LiquidationInput, price: Decimal | None, mode: str) -> Decimal | None:
    """``price`` rounded to the tick against the trader (``mode``), when a tick is given."""
    if position.tick_size is None or price is None:
        return price
    return to_tick(price, position.tick_size, rounding=mode)


def _maths(
    position: LiquidationInput,
    funds: _Funds,
    solution: Solution,
    fixed_mm: Decimal | None,
    bankrupt: _Bankruptcy,
) -> LiquidationMaths:
    """The record a "show the maths" display reads (see :class:`LiquidationMaths`)."""
    return LiquidationMaths(
        formula=formula_text(position, fixed_mm is not None, bankrupt=False),
        collateral=funds.collateral,
        margin=funds.margin,
        extra_margin_effective=funds.extra_effective,
        funding_paid=position.funding_paid,
        wallet_balance=position.wallet_balance,
        other_maintenance_margin=position.other_maintenance_margin,
        other_unrealized_pnl=position.other_unrealized_pnl,
        numerator=solution.numerator,
        denominator=solution.denominator,
        maintenance_margin_at_entry=fixed_mm,
        bankruptcy_formula=formula_text(position, False, bankrupt=True),
        bankruptcy_numerator=bankrupt.numerator,
        bankruptcy_denominator=bankrupt.denominator,
        tiers_tried=solution.tried,
    )
