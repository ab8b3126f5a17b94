"""Fixed-fractional position sizing: the largest position whose loss at the stop, fees and
slippage included, stays within the risk budget.

The risk budget is ``R = account_balance x risk_fraction`` (or a given ``risk_amount``). The
loss per unit if the stop fills is the price distance plus the fees and the expected adverse
slippage, so the quantity is ``R / loss per unit``, rounded *down* to the lot step (never up:
rounding up would risk more than asked). The result is then capped by what the balance can
fund at the chosen leverage, and checked against the liquidation price of the resulting
isolated position, computed by the generic solver in :mod:`riskcalc.calc.liquidation`. Given
an exchange's tier table, that solver also picks the tier: the one the notional falls in *at
the liquidation price*, exactly as the liquidation calculator does, so both report the same
price for the same position.

Settle currency: quote (USDT) for linear contracts, the coin (BTC) for inverse ones; the
balance and the risk amount are in that currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_FLOOR, Decimal, localcontext

from riskcalc.calc.errors import CROSS_FIELD, InputError, MissingInput
from riskcalc.calc.limits import checked, checked_choice, checked_optional
from riskcalc.calc.liquidation import (
    NO_PRICE_TEXT,
    CalcWarning,
    LiquidationInput,
    LiquidationResult,
    NoPriceReason,
    liquidation_price,
)
from riskcalc.calc.rounding import CALC_CONTEXT, to_step
from riskcalc.calc.text import N_
from riskcalc.calc.tiers import Tier, TierTable
from riskcalc.calc.types import ContractType, MarginBasis, Side

__all__ = ["PositionSizeInput", "PositionSizeResult", "position_size"]

_ZERO = Decimal(0)
_ONE = Decimal(1)

SCHWAB_URL = (
    "http://www.schwab.com/public/schwab/active_trader/trading_insights/research_analyze/"
    "planning_position_size_help_achieve_trade_objectives.html"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionSizeInput:
    """A planned trade. Validated on construction (raises :class:`InputError`).

    Give exactly one of ``risk_fraction`` (0.01 = 1% of the balance) or ``risk_amount`` (in the
    settle currency). ``slippage`` is the expected adverse price movement per unit over entry
    and exit together (quote currency). ``leverage`` defaults to 1x (fully funded).
    ``lot_step`` is the exchange's quantity step (coin for linear, contracts for inverse); the
    quantity is rounded down to it. ``quantity`` is in coin for linear contracts (in contracts of
    ``contract_size`` coin when that is not 1) and in contracts of ``contract_size`` quote units
    for inverse ones. ``maintenance_margin_rate`` and ``maintenance_amount`` (the tier's
    deduction) feed the liquidation check; without a rate it uses 0 and warns. ``tiers`` (an
    exchange's tier table, instead of the rate and deduction) lets the liquidation solver take
    them from the tier the position is in at the liquidation price.
    ``exit_fee_on_entry_price`` charges the exit fee on the entry price instead of the stop
    price, as percentage-form calculators do (``N = R / (d + f_in + f_out)``).
    """

    side: Side
    account_balance: Decimal
    entry_price: Decimal
    stop_price: Decimal
    risk_fraction: Decimal | None = None
    risk_amount: Decimal | None = None
    fee_rate_entry: Decimal = _ZERO
    fee_rate_exit: Decimal = _ZERO
    exit_fee_on_entry_price: bool = False
    slippage: Decimal = _ZERO
    leverage: Decimal = _ONE
    lot_step: Decimal | None = None
    contract: ContractType = ContractType.LINEAR
    contract_size: Decimal = _ONE
    maintenance_margin_rate: Decimal | None = None
    maintenance_amount: Decimal = _ZERO
    tiers: TierTable | None = None
    mm_basis: MarginBasis = MarginBasis.MARK

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "side", checked_choice("side", Side, self.side))
        put(self, "contract", checked_choice("contract", ContractType, self.contract))
        put(self, "mm_basis", checked_choice("mm_basis", MarginBasis, self.mm_basis))
        for name in (
            "account_balance",
            "entry_price",
            "stop_price",
            "leverage",
            "contract_size",
            "maintenance_amount",
            "fee_rate_entry",
            "fee_rate_exit",
            "slippage",
        ):
            put(self, name, checked(name, getattr(self, name)))
        put(
            self,
            "maintenance_margin_rate",
            checked_optional("maintenance_margin_rate", self.maintenance_margin_rate),
        )
        put(self, "lot_step", checked_optional("lot_step", self.lot_step))
        if self.tiers is not None:
            if not isinstance(self.tiers, TierTable):
                raise InputError("tiers", "Give a tier table loaded with tier_table().")
            if self.maintenance_margin_rate is not None or self.maintenance_amount:
                raise InputError(
                    CROSS_FIELD,
                    N_(
                        "Give either a tier table or a maintenance margin rate and amount, not both."
                    ),
                )
        stop = self.stop_price
        if self.side is Side.LONG and stop >= self.entry_price:
            raise InputError("stop_price", N_("Stop must be below entry for a long."))
        if self.side is Side.SHORT and stop <= self.entry_price:
            raise InputError("stop_price", N_("Stop must be above entry for a short."))
        if not isinstance(self.exit_fee_on_entry_price, bool):
            raise InputError("exit_fee_on_entry_price", N_("Choose yes or no."))
        if self.side is Side.LONG and self.slippage >= stop:
            raise InputError(
                "slippage", N_("Slippage must be smaller than the stop price for a long.")
            )
        self._check_risk()

    def _check_risk(self) -> None:
        if self.risk_fraction is None and self.risk_amount is None:
            raise MissingInput(
                "risk_fraction", N_("Give the risk as a fraction of the balance (or an amount).")
            )
        if self.risk_fraction is not None and self.risk_amount is not None:
            raise InputError(
                CROSS_FIELD, N_("Give either the risk as a fraction of the balance or an amount.")
            )
        if self.risk_fraction is not None:
            # LIMITS: more than 0 and at most 1 (the whole balance).
            object.__setattr__(self, "risk_fraction", checked("risk_fraction", self.risk_fraction))
        if self.risk_amount is not None:
            amount = checked("risk_amount", self.risk_amount)
            if amount > self.account_balance:
                raise InputError(
                    "risk_amount", N_("You cannot risk more than the whole account balance.")
                )
            object.__setattr__(self, "risk_amount", amount)


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionSizeResult:
    """The sized position.

    ``quantity`` is what to order (lot-rounded, capped); ``quantity_for_risk`` the unrounded
    risk-based quantity and ``quantity_cap`` the most the balance can fund at the leverage.
    ``loss_per_unit`` is the loss per unit of quantity if the stop fills (settle currency);
    ``loss_at_stop = quantity x loss_per_unit <= risk_amount``. ``notional`` and
    ``initial_margin`` are valued at entry (quote for linear, coin for inverse).
    ``liquidation_price`` is the isolated position's (mark basis unless chosen otherwise); it is
    ``None`` only when the position has none, and ``liquidation_note`` then says why.
    ``maintenance_margin_rate`` and ``maintenance_amount`` are the ones the liquidation price
    was solved with, and ``liquidation_tier`` their tier when a tier table was given (the tier
    at the liquidation price). ``warnings`` are ``(code, message)`` pairs:
    ``capped_by_leverage``, ``no_maintenance_rate``, ``stop_beyond_liquidation``,
    ``no_liquidation_price``, ``tier_changes_before_liquidation``.
    """

    quantity: Decimal
    quantity_for_risk: Decimal
    quantity_cap: Decimal
    notional: Decimal
    risk_amount: Decimal
    loss_per_unit: Decimal
    loss_at_stop: Decimal
    fees_at_stop: Decimal
    initial_margin: Decimal
    stop_distance_fraction: Decimal
    liquidation_price: Decimal | None
    liquidation_note: str
    maintenance_margin_rate: Decimal
    maintenance_amount: Decimal
    liquidation_tier: Tier | None
    warnings: tuple[CalcWarning, ...]


def position_size(trade: PositionSizeInput) -> PositionSizeResult:
    """Fixed-fractional position size, fees and slippage included, capped by leverage.

    Formulas (s = +1 long, -1 short; E entry, S stop, f_in/f_out fee rates, sl slippage, CS
    contract size, L leverage, B balance):

    - Risk ``R = B x r`` (or the given amount).
    - Linear, loss per unit (quote): ``l = CS x (|E - S| + f_in x E + f_out x S + sl)``.
    - Inverse, loss per contract (coin), exit filling at ``S' = S - s x sl``:
      ``l = CS x (|1/S' - 1/E| + f_in/E + f_out/S)``; entry and exit fees in coin are
      ``f x Q x CS / price``.
    - ``Q_risk = R / l`` (the loss at the stop then equals R exactly).
    - Cap by leverage: linear ``Q_cap = B x L / (E x CS)``; inverse ``Q_cap = B x L x E / CS``
      (notional ``<= B x L``). ``Q = min(Q_risk, Q_cap)``, then rounded down to ``lot_step``.
    - ``notional = Q x CS x E`` (linear) or ``Q x CS / E`` (inverse); ``IM = notional / L``.
    - With ``exit_fee_on_entry_price`` the exit fee uses E in place of S.

    Units: prices in quote per coin; money in the settle currency. Rounding: the quantity is
    rounded *down* (to the lot step with ``ROUND_DOWN``; without one, the division itself
    rounds down at 34 digits), so ``loss_at_stop <= R`` always, and within one lot's loss of
    it unless the leverage cap binds. The liquidation price is exact (no tick).

    Source: http://www.schwab.com/public/schwab/active_trader/trading_insights/research_analyze/planning_position_size_help_achieve_trade_objectives.html
    (retrieved 2026-11-21); https://capops.io/en/blog/position-sizing-risk-management
    (retrieved 2026-11-21)

    Schwab's 1% rule: 78,500 account, entry 30, stop 29, whole shares -> 785:

    >>> result = position_size(PositionSizeInput(side=Side.LONG,
    ...     account_balance=Decimal(78500), risk_fraction=Decimal("0.01"),
    ...     entry_price=Decimal(30), stop_price=Decimal(29), lot_step=Decimal(1)))
    >>> result.risk_amount, result.quantity, result.loss_at_stop
    (Decimal('785.00'), Decimal('785'), Decimal('785'))

    Inverse BTCUSD (1 USD contracts), risk 0.01 BTC from 50,000 to 45,000 -> 4,500 contracts:

    >>> position_size(PositionSizeInput(side=Side.LONG, account_balance=Decimal(1),
    ...     risk_amount=Decimal("0.01"), entry_price=Decimal(50000), stop_price=Decimal(45000),
    ...     contract=ContractType.INVERSE, leverage=Decimal(5), lot_step=Decimal(1))).quantity
    Decimal('4500')
    """
    if not isinstance(trade, PositionSizeInput):
        raise InputError(CROSS_FIELD, "Give the trade as a PositionSizeInput.")
    with localcontext(CALC_CONTEXT):
        return _size(trade)


def _size(trade: PositionSizeInput) -> PositionSizeResult:
    s = Decimal(trade.side.sign)
    entry, stop, cs = trade.entry_price, trade.stop_price, trade.contract_size
    exit_fee_price = entry if trade.exit_fee_on_entry_price else stop
    linear = trade.contract is ContractType.LINEAR
    if trade.risk_fraction is not None:
        risk = trade.account_balance * trade.risk_fraction
        risk_field = "risk_fraction"
    elif trade.risk_amount is not None:
        risk = trade.risk_amount
        risk_field = "risk_amount"
    else:  # unreachable: checked on construction
        raise InputError(CROSS_FIELD, N_("Give the risk as a fraction or an amount."))
    cap_factors: tuple[Decimal, ...]
    if linear:
        fees = cs * (trade.fee_rate_entry * entry + trade.fee_rate_exit * exit_fee_price)
        loss_per_unit = cs * (abs(entry - stop) + trade.slippage) + fees
        cap_factors, cap_denominator = (trade.account_balance, trade.leverage), entry * cs
    else:
        fill = stop - s * trade.slippage
        fees = cs * (trade.fee_rate_entry / entry + trade.fee_rate_exit / exit_fee_price)
        loss_per_unit = cs * abs(_ONE / fill - _ONE / entry) + fees
        cap_factors, cap_denominator = (trade.account_balance, trade.leverage, entry), cs
    with localcontext() as down:
        # Round the two divisions down, so that neither the loss at the stop nor the notional
        # can exceed its bound by a last-digit rounding.
        # The cap's numerator too: balance x leverage x entry can need more than 34 digits.
        down.rounding = ROUND_FLOOR
        quantity_for_risk = risk / loss_per_unit
        cap_numerator = _ONE
        for factor in cap_factors:
            cap_numerator *= factor
        cap = cap_numerator / cap_denominator
    warnings: list[CalcWarning] = []
    quantity = min(quantity_for_risk, cap)
    if cap < quantity_for_risk:
        warnings.append(
            CalcWarning.of(
                "capped_by_leverage",
                N_(
                    "Capped by leverage: at {leverage}× your balance funds at most "
                    "{cap} units, less than the {quantity} your risk budget allows. The "
                    "loss at the stop is therefore below your risk budget."
                ),
                leverage=trade.leverage,
                cap=_significant(cap),
                quantity=_significant(quantity_for_risk),
            )
        )
    if trade.lot_step is not None:
        quantity = to_step(quantity, trade.lot_step, rounding=ROUND_DOWN)
    if quantity <= _ZERO:
        if cap < quantity_for_risk:
            raise InputError(
                "leverage",
                N_(
                    "At this leverage the balance cannot fund even one lot; raise the leverage or "
                    "the balance."
                ),
            )
        raise InputError(
            risk_field,
            N_(
                "The risk budget ({risk}) is less than the loss on one lot at your stop "
                "({loss}); raise the risk or move the stop closer."
            ),
            risk=risk,
            loss=loss_per_unit * (trade.lot_step or _ONE),
        )
    notional = quantity * cs * entry if linear else quantity * cs / entry
    check = _liquidation(trade, quantity)
    warnings.extend(check.warnings)
    return PositionSizeResult(
        quantity=quantity,
        quantity_for_risk=quantity_for_risk,
        quantity_cap=cap,
        notional=notional,
        risk_amount=risk,
        loss_per_unit=loss_per_unit,
        loss_at_stop=quantity * loss_per_unit,
        fees_at_stop=quantity * fees,
        initial_margin=notional / trade.leverage,
        stop_distance_fraction=abs(entry - stop) / entry,
        liquidation_price=check.price,
        liquidation_note=check.note,
        maintenance_margin_rate=check.solved.maintenance_margin_rate,
        maintenance_amount=check.solved.maintenance_amount,
        liquidation_tier=check.solved.tier,
        warnings=tuple(warnings),
    )


@dataclass(frozen=True, slots=True)
class _LiquidationCheck:
    """The sized position's liquidation price (``None`` when it has none), the note on how it
    was found, the solver's result and the warnings for the learner."""

    price: Decimal | None
    note: str
    solved: LiquidationResult
    warnings: list[CalcWarning]


def _liquidation(trade: PositionSizeInput, quantity: Decimal) -> _LiquidationCheck:
    """Solve the isolated position's liquidation price with the liquidation calculator's own
    solver: with a tier table it walks the tiers and solves in the one at the liquidation
    price; without one it uses the given rate (0, with a warning, when none is given)."""
    warnings: list[CalcWarning] = []
    rate = trade.maintenance_margin_rate
    if rate is None and trade.tiers is None:
        rate = _ZERO
        warnings.append(
            CalcWarning.of(
                "no_maintenance_rate",
                N_(
                    "No maintenance margin rate given, so the liquidation price is computed "
                    "with 0% (it is then the bankruptcy price). The real liquidation price is "
                    "closer to your entry."
                ),
            )
        )
    solved = liquidation_price(
        LiquidationInput(
            side=trade.side,
            entry_price=trade.entry_price,
            quantity=quantity,
            contract=trade.contract,
            contract_size=trade.contract_size,
            leverage=trade.leverage,
            maintenance_margin_rate=rate,
            maintenance_amount=trade.maintenance_amount,
            tiers=trade.tiers,
            mm_basis=trade.mm_basis,
        )
    )
    price = solved.liquidation_price_exact
    if price is None:
        note = solved.no_liquidation_message
        template = NO_PRICE_TEXT[
            solved.no_liquidation_reason or NoPriceReason.NO_PRICE_EXPOSURE, "liquidation"
        ]
        warnings.append(CalcWarning.of("no_liquidation_price", template))
        return _LiquidationCheck(None, note, solved, warnings)
    warnings.extend(w for w in solved.warnings if w.code == "tier_changes_before_liquidation")
    tier = "" if solved.tier is None else f" (tier {solved.tier.number} at the liquidation price)"
    note = (
        f"Isolated at {trade.leverage.normalize():f}x with a maintenance margin rate of "
        f"{(solved.maintenance_margin_rate * 100).normalize():f}%{tier}."
    )
    beyond = price >= trade.stop_price if trade.side is Side.LONG else price <= trade.stop_price
    if beyond:
        warnings.append(
            CalcWarning.of(
                "stop_beyond_liquidation",
                N_(
                    "Your stop would never fill: liquidation comes first, at {price}. "
                    "Lower the leverage or move the stop closer to the entry."
                ),
                price=_significant(price),
            )
        )
    return _LiquidationCheck(price, note, solved, warnings)


def _significant(value: Decimal) -> Decimal:
    """A figure for a message: ``value`` rounded to 8 significant digits (half even)."""
    with localcontext() as ctx:
        ctx.prec = 8
        return +value


def _plain(value: Decimal) -> str:
    """A figure for a message: 8 significant digits, no exponent."""
    return f"{_significant(value):,f}"
