"""Notional, initial and maintenance margin, margin ratio and leverage caps.

Units: for linear contracts (BTCUSDT) notional and margin are in the quote currency; for
inverse contracts (BTCUSD, quantity in contracts of ``contract_size`` USD) they are in the coin.
Rates are fractions (``0.005`` = 0.5%). Nothing here rounds: results are exact Decimals in a
34-digit context; round for display with :mod:`riskcalc.calc.rounding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, localcontext
from enum import StrEnum

from riskcalc.calc.errors import CROSS_FIELD, InputError
from riskcalc.calc.limits import checked, checked_choice, checked_optional
from riskcalc.calc.rounding import CALC_CONTEXT, to_step
from riskcalc.calc.text import N_
from riskcalc.calc.tiers import Tier, TierTable
from riskcalc.calc.types import ContractType

__all__ = [
    "MaintenanceMargin",
    "MaxOpen",
    "MaxOpenLimit",
    "check_leverage",
    "initial_margin",
    "maintenance_margin",
    "margin_ratio",
    "max_leverage",
    "max_open_quantity",
    "notional",
    "quantity_for_value",
]

_ONE = Decimal(1)


def _notional(contract: ContractType, quantity: Decimal, price: Decimal, size: Decimal) -> Decimal:
    if contract is ContractType.LINEAR:
        return quantity * price * size
    return quantity * size / price


def notional(
    *,
    contract: ContractType,
    quantity: Decimal,
    price: Decimal,
    contract_size: Decimal = _ONE,
) -> Decimal:
    """Position value at ``price``.

    Formula: linear N = Q x P x CS (quote currency); inverse N = Q x CS / P (coin).
    Units: Q in base units (linear, CS = 1) or contracts; P in quote per coin. Exact, unrounded.
    Source: https://www.binance.com/es-MX/support/faq/how-to-calculate-liquidation-price-of-coin-m-futures-contracts-ceccfcfb4e3a45e3b48b0b1bb1a8ae46
    (retrieved 2026-11-21 via formulas.md §3.2): 100 contracts x 100 USD / 25,000 = 0.4 BTC.

    >>> notional(contract=ContractType.INVERSE, quantity=Decimal(100), price=Decimal(25000),
    ...          contract_size=Decimal(100))
    Decimal('0.4')
    >>> notional(contract=ContractType.LINEAR, quantity=Decimal("109.488"),
    ...          price=Decimal("31967.27"))
    Decimal('3500032.45776')
    """
    contract = checked_choice("contract", ContractType, contract)
    q = checked("quantity", quantity)
    p = checked("price", price)
    cs = checked("contract_size", contract_size)
    with localcontext(CALC_CONTEXT):
        return _notional(contract, q, p, cs)


def quantity_for_value(
    *,
    contract: ContractType,
    position_value: Decimal,
    price: Decimal,
    contract_size: Decimal = _ONE,
) -> Decimal:
    """The quantity whose position value at ``price`` is ``position_value``: :func:`notional`
    turned round, for a size given as a value (or as margin x leverage) instead of a quantity.

    Formula: linear Q = N / (P x CS); inverse Q = N x P / CS.
    Units: N in the margin currency (USDT for BTCUSDT; the coin for an inverse contract);
    Q in coins (linear, CS = 1) or contracts. Rounding: none beyond the 34-digit context
    (``CALC_CONTEXT``); Q is not rounded to an exchange's lot step, so give the quantity
    itself to match an order exactly.
    Source: the inverse of the notional formula (same source as :func:`notional`).

    >>> quantity_for_value(contract=ContractType.LINEAR, position_value=Decimal(6000),
    ...                    price=Decimal(60000))
    Decimal('0.1')
    >>> quantity_for_value(contract=ContractType.INVERSE, position_value=Decimal("0.4"),
    ...                    price=Decimal(25000), contract_size=Decimal(100))
    Decimal('100.0')
    """
    contract = checked_choice("contract", ContractType, contract)
    n = checked("position_value", position_value)
    p = checked("price", price)
    cs = checked("contract_size", contract_size)
    with localcontext(CALC_CONTEXT):
        if contract is ContractType.LINEAR:
            return checked("position_value", n / (p * cs), limit="quantity")
        return checked("position_value", n * p / cs, limit="quantity")


def initial_margin(
    *,
    contract: ContractType,
    quantity: Decimal,
    price: Decimal,
    leverage: Decimal,
    contract_size: Decimal = _ONE,
) -> Decimal:
    """Initial margin IM = N / L, the notional at ``price`` divided by the leverage.

    Units: quote currency (linear) or coin (inverse). Exact, unrounded.
    Source: https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
    (retrieved 2026-11-21 via formulas.md §3.3): 1 BTC at 20,000 and 50x gives IM 400.

    >>> initial_margin(contract=ContractType.LINEAR, quantity=Decimal(1), price=Decimal(20000),
    ...                leverage=Decimal(50))
    Decimal('400')
    """
    contract = checked_choice("contract", ContractType, contract)
    q = checked("quantity", quantity)
    p = checked("price", price)
    lev = checked("leverage", leverage)
    cs = checked("contract_size", contract_size)
    with localcontext(CALC_CONTEXT):
        return _notional(contract, q, p, cs) / lev


@dataclass(frozen=True, slots=True, kw_only=True)
class MaintenanceMargin:
    """Maintenance margin and the figures it came from (for a step-by-step display).

    ``maintenance_margin = notional x (maintenance_margin_rate + fee_rate) - maintenance_amount``.
    ``tier`` is the tier used when a table was given, else ``None``.
    """

    notional: Decimal
    maintenance_margin_rate: Decimal
    maintenance_amount: Decimal
    fee_rate: Decimal
    maintenance_margin: Decimal
    tier: Tier | None


def _checked_tiers(tiers: object, contract: ContractType) -> TierTable:
    if not isinstance(tiers, TierTable):
        raise InputError("tiers", "Give a tier table loaded with tier_table(exchange, symbol).")
    if tiers.contract is not contract:
        raise InputError(
            "tiers",
            N_("The {table} tiers are for {contracts}, not {other}."),
            table=tiers.name,
            contracts=tiers.contract.plural,
            other=contract.plural,
        )
    return tiers


def maintenance_margin(
    *,
    contract: ContractType,
    quantity: Decimal,
    price: Decimal,
    contract_size: Decimal = _ONE,
    maintenance_margin_rate: Decimal | None = None,
    maintenance_amount: Decimal = Decimal(0),
    tiers: TierTable | None = None,
    fee_rate: Decimal = Decimal(0),
) -> MaintenanceMargin:
    """Maintenance margin of one position valued at ``price`` (usually the mark price).

    Formula: MM = N x (MMR + f) - d, with N the notional at ``price``, MMR and d (Binance
    ``cum``, Bybit ``mmDeduction``) either given or taken from the tier containing N, and f a
    taker-fee rate for exchanges that count the closing fee in MM (OKX, Bitget, Gate; 0 otherwise).
    With a ``whole_position`` table d is 0 (the tier's rate applies to the whole notional).
    Units: quote currency (linear) or coin (inverse). Exact, unrounded.
    Source: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    (retrieved 2026-11-21 via formulas.md §3.1): 109.488 BTC at mark 31,967.27, MMR 2.5%,
    cum 16,300 gives MM 71,200.81144.

    >>> maintenance_margin(contract=ContractType.LINEAR, quantity=Decimal("109.488"),
    ...     price=Decimal("31967.27"), maintenance_margin_rate=Decimal("0.025"),
    ...     maintenance_amount=Decimal(16300)).maintenance_margin
    Decimal('71200.81144400')
    >>> maintenance_margin(contract=ContractType.LINEAR, quantity=Decimal(3),
    ...     price=Decimal(110000), maintenance_margin_rate=Decimal("0.005"),
    ...     fee_rate=Decimal("0.0006")).maintenance_margin  # Bitget, before 2025-11-10
    Decimal('1848.0000')
    """
    contract = checked_choice("contract", ContractType, contract)
    q = checked("quantity", quantity)
    p = checked("price", price)
    cs = checked("contract_size", contract_size)
    rate = checked_optional("maintenance_margin_rate", maintenance_margin_rate)
    amount = checked("maintenance_amount", maintenance_amount)
    fee = checked("fee_rate", fee_rate)
    with localcontext(CALC_CONTEXT):
        n = _notional(contract, q, p, cs)
        tier: Tier | None = None
        if tiers is not None:
            if rate is not None or amount:
                raise InputError(
                    CROSS_FIELD,
                    N_(
                        "Give either a tier table or a maintenance margin rate and amount, not both."
                    ),
                )
            table = _checked_tiers(tiers, contract)
            tier = table.tier_for_notional(n)
            rate, amount = tier.maintenance_margin_rate, tier.maintenance_amount
        elif rate is None:
            raise InputError(
                "maintenance_margin_rate",
                N_("Give the maintenance margin rate (or choose an exchange and symbol)."),
            )
        if rate + fee >= 1:
            raise InputError("fee_rate", N_("Maintenance rate plus fee rate must stay below 100%."))
        return MaintenanceMargin(
            notional=n,
            maintenance_margin_rate=rate,
            maintenance_amount=amount,
            fee_rate=fee,
            maintenance_margin=n * (rate + fee) - amount,
            tier=tier,
        )


def margin_ratio(*, maintenance_margin: Decimal, margin_balance: Decimal) -> Decimal:
    """Risk ratio MM / margin balance; liquidation at 1 (100%) or above.

    This is Binance's "Margin Ratio" and Bybit UTA's "MM rate" direction; OKX and Bitget print
    the inverse (equity over MM). Margin balance = collateral + unrealised PnL at mark.
    Units: a fraction. Exact, unrounded.
    Source: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    (retrieved 2026-11-21 via formulas.md §2.5).

    >>> margin_ratio(maintenance_margin=Decimal(100), margin_balance=Decimal(400))
    Decimal('0.25')
    """
    if not isinstance(maintenance_margin, Decimal) or not maintenance_margin.is_finite():
        raise InputError("maintenance_margin", N_("Maintenance margin must be a finite decimal."))
    if not isinstance(margin_balance, Decimal) or not margin_balance.is_finite():
        raise InputError("margin_balance", N_("Margin balance must be a finite decimal."))
    if maintenance_margin < 0:
        raise InputError("maintenance_margin", N_("Maintenance margin cannot be negative."))
    if margin_balance <= 0:
        raise InputError(
            "margin_balance",
            N_("The margin balance is zero or negative: the position is already past bankruptcy."),
        )
    with localcontext(CALC_CONTEXT):
        return maintenance_margin / margin_balance


def max_leverage(*, tiers: TierTable, notional: Decimal) -> Decimal:
    """Highest leverage the exchange allows for a position of this notional (its tier's cap).

    Source: https://www.binance.com/en/support/faq/360033162192 (retrieved 2026-11-21 via
    jurisdictions.md §1.0): BTCUSDT allows 125x only up to 50,000 USDT notional.

    >>> from riskcalc.calc.profiles import tier_table
    >>> max_leverage(tiers=tier_table("binance_usdm", "BTCUSDT"), notional=Decimal(60000))
    Decimal('100')
    """
    if not isinstance(tiers, TierTable):
        raise InputError("tiers", "Give a tier table loaded with tier_table(exchange, symbol).")
    if not isinstance(notional, Decimal) or not notional.is_finite():
        raise InputError("quantity", N_("Notional must be a finite decimal."))
    return tiers.tier_for_notional(notional).max_leverage


def check_leverage(*, tiers: TierTable, notional: Decimal, leverage: Decimal) -> None:
    """Raise :class:`InputError` (field ``leverage``) if the tier of ``notional`` caps below it.

    Rule: IM >= N / maxLev_k, i.e. leverage <= maxLev_k of the tier containing N.
    Source: https://www.binance.com/en/support/faq/360033162192 (retrieved 2026-11-21 via
    jurisdictions.md §1.0) and formulas.md §2.6.

    >>> from riskcalc.calc.profiles import tier_table
    >>> check_leverage(tiers=tier_table("binance_usdm", "BTCUSDT"), notional=Decimal(60000),
    ...                leverage=Decimal(125))
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: leverage: Binance USDS-M BTCUSDT allows at most 100× for a position of this size (60,000 USDT is in tier 2: 50,000 to 600,000 USDT). Lower the leverage or the position size.
    """
    tier = tiers.tier_for_notional(notional)
    if leverage > tier.max_leverage:
        params = {
            "table": tiers.label,
            "cap": tier.max_leverage,
            "notional": notional.normalize(),
            "unit": tiers.notional_unit,
            "tier": tier.number,
            "floor": tier.floor,
        }
        if tier.cap is None:
            raise InputError(
                "leverage",
                N_(
                    "{table} allows at most {cap}× for a position of this size ({notional} "
                    "{unit} is in tier {tier}: {floor}+ {unit}). Lower the leverage or the "
                    "position size."
                ),
                **params,
            )
        raise InputError(
            "leverage",
            N_(
                "{table} allows at most {cap}× for a position of this size ({notional} {unit} "
                "is in tier {tier}: {floor} to {top} {unit}). Lower the leverage or the "
                "position size."
            ),
            top=tier.cap,
            **params,
        )


class MaxOpenLimit(StrEnum):
    """What bounds :func:`max_open_quantity`: the balance x leverage, or the tier's size cap."""

    BALANCE = "balance"
    TIER = "tier"


@dataclass(frozen=True, slots=True, kw_only=True)
class MaxOpen:
    """Largest position openable: quantity (rounded down to ``quantity_step`` if given)."""

    quantity: Decimal
    notional: Decimal
    limited_by: MaxOpenLimit
    tier: Tier | None


def max_open_quantity(
    *,
    contract: ContractType,
    balance: Decimal,
    leverage: Decimal,
    price: Decimal,
    contract_size: Decimal = _ONE,
    tiers: TierTable | None = None,
    fee_rate: Decimal = Decimal(0),
    quantity_step: Decimal | None = None,
) -> MaxOpen:
    """Maximum position size for a balance at a leverage, respecting the tiers' leverage caps.

    Formula: N_balance = balance / (1/L + f) (f reserves the opening fee, 0 to ignore it).
    With tiers, leverage L is allowed only up to the cap of the last tier whose max leverage
    is >= L, so N = min(N_balance, that cap). Quantity: linear Q = N / (P x CS); inverse
    Q = N x P / CS. Units: balance and N in quote (linear) or coin (inverse). Rounding: the
    quantity is rounded DOWN to ``quantity_step`` (never exceed the balance) when given.
    Source: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    (retrieved 2026-11-21 via formulas.md §3.1, §5): IM = notional / leverage.

    >>> from riskcalc.calc.profiles import tier_table
    >>> result = max_open_quantity(contract=ContractType.LINEAR, balance=Decimal(1000),
    ...     leverage=Decimal(125), price=Decimal(100000), tiers=tier_table("binance_usdm", "BTCUSDT"))
    >>> result.quantity, result.notional, result.limited_by.value
    (Decimal('0.5'), Decimal('50000'), 'tier')
    """
    contract = checked_choice("contract", ContractType, contract)
    bal = checked("balance", balance)
    lev = checked("leverage", leverage)
    p = checked("price", price)
    cs = checked("contract_size", contract_size)
    fee = checked("fee_rate", fee_rate)
    with localcontext(CALC_CONTEXT):
        n = bal / (_ONE / lev + fee)
        limited_by = MaxOpenLimit.BALANCE
        tier: Tier | None = None
        if tiers is not None:
            table = _checked_tiers(tiers, contract)
            allowed = [t for t in table.tiers if t.max_leverage >= lev]
            if not allowed:
                first = table.tiers[0]
                raise InputError(
                    "leverage",
                    N_("{table} allows at most {cap}×, even for the smallest position."),
                    table=table.name,
                    cap=first.max_leverage,
                )
            tier = allowed[-1]
            if tier.cap is not None and tier.cap < n:
                n, limited_by = tier.cap, MaxOpenLimit.TIER
            else:
                tier = table.tier_for_notional(n)
        q = n / (p * cs) if contract is ContractType.LINEAR else n * p / cs
        if quantity_step is not None:
            q = to_step(q, checked("quantity", quantity_step), rounding=ROUND_DOWN)
            n = _notional(contract, q, p, cs) if q > 0 else Decimal(0)
        return MaxOpen(quantity=q, notional=n, limited_by=limited_by, tier=tier)
