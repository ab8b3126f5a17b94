"""Unrealised PnL, return on margin (ROE), target prices and average entry.

Linear contracts settle PnL in the quote currency, inverse contracts in the coin:

    linear   UPNL = s x Q x CS x (P - E)
    inverse  UPNL = s x Q x CS x (1/E - 1/P)

with s = +1 long, -1 short (formulas.md §1). Fees are charged on each fill's value (rate x
value, in the settle currency): :func:`trading_fee`, :func:`net_pnl`. Results are exact
(34-digit context), unrounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from riskcalc.calc.errors import InputError
from riskcalc.calc.limits import checked, checked_choice
from riskcalc.calc.rounding import CALC_CONTEXT, tidy
from riskcalc.calc.text import N_
from riskcalc.calc.types import ContractType, Side

__all__ = [
    "Fill",
    "NetPnl",
    "average_entry_price",
    "net_pnl",
    "pnl_ratio",
    "roe",
    "roe_curve",
    "target_price_for_roe",
    "trading_fee",
    "unrealized_pnl",
    "unrealized_pnl_curve",
]

_ONE = Decimal(1)


def _upnl(
    contract: ContractType, s: int, q: Decimal, cs: Decimal, entry: Decimal, price: Decimal
) -> Decimal:
    if contract is ContractType.LINEAR:
        return s * q * cs * (price - entry)
    return s * q * cs * (_ONE / entry - _ONE / price)


def unrealized_pnl(
    *,
    side: Side,
    contract: ContractType,
    quantity: Decimal,
    entry_price: Decimal,
    mark_price: Decimal,
    contract_size: Decimal = _ONE,
) -> Decimal:
    """Unrealised PnL at ``mark_price``.

    Formula: linear s x Q x CS x (M - E); inverse s x Q x CS x (1/E - 1/M).
    Units: quote currency (linear) or coin (inverse). Exact, unrounded.
    Source: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
    (retrieved 2026-11-21 via formulas.md §3.1): 109.488 BTC long from 32,481.98 at mark
    31,967.27 -> -56,354.57.

    >>> unrealized_pnl(side=Side.LONG, contract=ContractType.LINEAR, quantity=Decimal("109.488"),
    ...                entry_price=Decimal("32481.98"), mark_price=Decimal("31967.27"))
    Decimal('-56354.56848')
    """
    side = checked_choice("side", Side, side)
    contract = checked_choice("contract", ContractType, contract)
    q = checked("quantity", quantity)
    e = checked("entry_price", entry_price)
    m = checked("mark_price", mark_price)
    cs = checked("contract_size", contract_size)
    with localcontext(CALC_CONTEXT):
        return tidy(_upnl(contract, side.sign, q, cs, e, m))


def pnl_ratio(
    *, side: Side, contract: ContractType, entry_price: Decimal, mark_price: Decimal
) -> Decimal:
    """PnL as a fraction of the entry position value (no leverage): Binance's ADL "PnL%".

    Formula: UPNL / entry value = linear s x (M - E) / E; inverse s x (1 - E/M).
    Units: a fraction. Exact, unrounded.
    Source: https://www.binance.com/en/support/faq/detail/360033525471 (retrieved 2026-11-21 via
    formulas.md §4): PnL% = UPNL / |notional|.

    >>> pnl_ratio(side=Side.SHORT, contract=ContractType.LINEAR, entry_price=Decimal(100),
    ...           mark_price=Decimal(95))
    Decimal('0.05')
    """
    side = checked_choice("side", Side, side)
    contract = checked_choice("contract", ContractType, contract)
    e = checked("entry_price", entry_price)
    m = checked("mark_price", mark_price)
    with localcontext(CALC_CONTEXT):
        if contract is ContractType.LINEAR:
            return tidy(side.sign * (m - e) / e)
        return tidy(side.sign * (_ONE - e / m))


def roe(
    *,
    side: Side,
    contract: ContractType,
    entry_price: Decimal,
    mark_price: Decimal,
    leverage: Decimal,
) -> Decimal:
    """Return on the initial margin (ROE): UPNL / IM, with IM = entry value / L.

    Formula: ROE = L x PnL ratio = linear L x s x (M - E) / E; inverse L x s x (1 - E/M).
    Quantity cancels. Units: a fraction (1 = +100%). Exact, unrounded.
    Source: https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
    (retrieved 2026-11-21 via formulas.md §3.3): IM = Q x E / L.

    >>> roe(side=Side.LONG, contract=ContractType.LINEAR, entry_price=Decimal(20000),
    ...     mark_price=Decimal(20200), leverage=Decimal(50))
    Decimal('0.5')
    """
    lev = checked("leverage", leverage)
    ratio = pnl_ratio(side=side, contract=contract, entry_price=entry_price, mark_price=mark_price)
    with localcontext(CALC_CONTEXT):
        return tidy(ratio * lev)


def unrealized_pnl_curve(
    *,
    side: Side,
    contract: ContractType,
    quantity: Decimal,
    entry_price: Decimal,
    mark_prices: Sequence[Decimal],
    contract_size: Decimal = _ONE,
) -> tuple[Decimal, ...]:
    """:func:`unrealized_pnl` at each of ``mark_prices`` (a chart's curve), digit for digit.

    Formula, units, rounding and source as :func:`unrealized_pnl`; the inputs that do not
    change along the curve are checked once instead of once per price.

    >>> unrealized_pnl_curve(side=Side.SHORT, contract=ContractType.LINEAR,
    ...     quantity=Decimal(2), entry_price=Decimal(100),
    ...     mark_prices=[Decimal(90), Decimal("110.5")])
    (Decimal('20'), Decimal('-21'))
    """
    side = checked_choice("side", Side, side)
    contract = checked_choice("contract", ContractType, contract)
    q = checked("quantity", quantity)
    e = checked("entry_price", entry_price)
    cs = checked("contract_size", contract_size)
    marks = [checked("mark_price", m) for m in mark_prices]
    s = side.sign
    with localcontext(CALC_CONTEXT):
        return tuple(tidy(_upnl(contract, s, q, cs, e, m)) for m in marks)


def roe_curve(
    *,
    side: Side,
    contract: ContractType,
    entry_price: Decimal,
    mark_prices: Sequence[Decimal],
    leverage: Decimal,
) -> tuple[Decimal, ...]:
    """:func:`roe` at each of ``mark_prices`` (a chart's curve), digit for digit.

    Formula, units, rounding and source as :func:`roe` (ROE = L x PnL ratio); the inputs that
    do not change along the curve are checked once instead of once per price.

    >>> roe_curve(side=Side.LONG, contract=ContractType.LINEAR, entry_price=Decimal(20000),
    ...     mark_prices=[Decimal(19800), Decimal(20200)], leverage=Decimal(50))
    (Decimal('-0.5'), Decimal('0.5'))
    """
    lev = checked("leverage", leverage)
    side = checked_choice("side", Side, side)
    contract = checked_choice("contract", ContractType, contract)
    e = checked("entry_price", entry_price)
    marks = [checked("mark_price", m) for m in mark_prices]
    s = side.sign
    with localcontext(CALC_CONTEXT):
        if contract is ContractType.LINEAR:
            ratios = [tidy(s * (m - e) / e) for m in marks]
        else:
            ratios = [tidy(s * (_ONE - e / m)) for m in marks]
        return tuple(tidy(ratio * lev) for ratio in ratios)


def target_price_for_roe(
    *,
    side: Side,
    contract: ContractType,
    entry_price: Decimal,
    leverage: Decimal,
    roe: Decimal,
) -> Decimal:
    """Mark price at which the position shows return ``roe`` on its initial margin.

    Formula: linear P = E x (1 + s x ROE / L); inverse P = E / (1 - s x ROE / L).
    Units: quote per coin. Exact, unrounded. Raises :class:`InputError` (field ``roe``) when no
    positive price gives that return (a long cannot lose more than L x 100% even at 0; an
    inverse short cannot gain L x 100% or more).
    Source: inverse of :func:`roe`; formulas.md §1 (retrieved 2026-11-21).

    >>> target_price_for_roe(side=Side.LONG, contract=ContractType.LINEAR,
    ...                      entry_price=Decimal(20000), leverage=Decimal(50), roe=Decimal("0.5"))
    Decimal('20200')
    >>> target_price_for_roe(side=Side.SHORT, contract=ContractType.INVERSE,
    ...                      entry_price=Decimal(50000), leverage=Decimal(2), roe=Decimal("0.5"))
    Decimal('40000')
    """
    side = checked_choice("side", Side, side)
    contract = checked_choice("contract", ContractType, contract)
    e = checked("entry_price", entry_price)
    lev = checked("leverage", leverage)
    target = checked("roe", roe, limit="target_roe")
    with localcontext(CALC_CONTEXT):
        move = side.sign * target / lev
        if contract is ContractType.LINEAR:
            factor = _ONE + move
            if factor <= 0:
                raise InputError(
                    "roe",
                    N_(
                        # xgettext:no-python-format ("% of" is prose, not a "% o" format)
                        "A long at {leverage}× loses at most {loss}% of its margin (price 0); "
                        "this return is out of reach."
                    ),
                    leverage=lev,
                    loss=lev * 100,
                )
            return tidy(e * factor)
        factor = _ONE - move
        if factor <= 0:
            raise InputError(
                "roe",
                N_(
                    # xgettext:no-python-format ("% of" is prose, not a "% o" format)
                    "On an inverse contract a short at {leverage}× can gain less than {gain}% "
                    "of its margin, even if the price falls to 0."
                ),
                leverage=lev,
                gain=lev * 100,
            )
        return tidy(e / factor)


def trading_fee(
    *,
    contract: ContractType,
    quantity: Decimal,
    price: Decimal,
    fee_rate: Decimal,
    contract_size: Decimal = _ONE,
    field: str = "fee_rate",
) -> Decimal:
    """Fee for filling ``quantity`` at ``price``: the fill's value times the fee rate.

    Formula: linear Q x CS x P x f (quote currency); inverse Q x CS / P x f (coin), the
    value of an inverse contract being CS quote units converted at P. ``field`` names the rate
    in errors (``fee_rate_entry``, ``fee_rate_exit``). Units: the settle currency. Exact.
    Source: formulas.md §5 (retrieved 2026-11-21): entry and exit fees per unit f_in x E and
    f_out x S; §2.3: inverse value Q x CS / P in coin.

    >>> trading_fee(contract=ContractType.LINEAR, quantity=Decimal(1), price=Decimal(20000),
    ...             fee_rate=Decimal("0.00055"))
    Decimal('11')
    >>> trading_fee(contract=ContractType.INVERSE, quantity=Decimal(1000), price=Decimal(50000),
    ...             fee_rate=Decimal("0.0005"))
    Decimal('0.00001')
    """
    contract = checked_choice("contract", ContractType, contract)
    q = checked("quantity", quantity)
    p = checked("price", price)
    rate = checked(field, fee_rate)
    cs = checked("contract_size", contract_size)
    with localcontext(CALC_CONTEXT):
        value = q * cs * p if contract is ContractType.LINEAR else q * cs / p
        return tidy(value * rate)


@dataclass(frozen=True, slots=True, kw_only=True)
class NetPnl:
    """PnL of a round trip and its fees, in the settle currency: ``net_pnl = pnl - fees``."""

    pnl: Decimal
    entry_fee: Decimal
    exit_fee: Decimal
    fees: Decimal
    net_pnl: Decimal


def net_pnl(
    *,
    side: Side,
    contract: ContractType,
    quantity: Decimal,
    entry_price: Decimal,
    exit_price: Decimal,
    contract_size: Decimal = _ONE,
    fee_rate_entry: Decimal = Decimal(0),
    fee_rate_exit: Decimal = Decimal(0),
) -> NetPnl:
    """PnL of opening at ``entry_price`` and closing at ``exit_price``, after both fees.

    Formula: pnl as :func:`unrealized_pnl` at M = exit price; entry fee = value at entry x
    f_in, exit fee = value at exit x f_out (:func:`trading_fee`); net = pnl - entry fee -
    exit fee. Units: quote currency (linear) or coin (inverse). Exact, unrounded.
    Source: formulas.md §5 (retrieved 2026-11-21): the loss at the stop is
    |E - S| + f_in x E + f_out x S per unit; §1 and §2.3 for the inverse values.

    >>> r = net_pnl(side=Side.LONG, contract=ContractType.LINEAR, quantity=Decimal(1),
    ...             entry_price=Decimal(20000), exit_price=Decimal(20200),
    ...             fee_rate_entry=Decimal("0.0005"), fee_rate_exit=Decimal("0.0005"))
    >>> r.pnl, r.entry_fee, r.exit_fee, r.net_pnl
    (Decimal('200'), Decimal('10'), Decimal('10.1'), Decimal('179.9'))
    >>> net_pnl(side=Side.SHORT, contract=ContractType.INVERSE, quantity=Decimal(1000),
    ...         entry_price=Decimal(50000), exit_price=Decimal(40000),
    ...         fee_rate_exit=Decimal("0.0005")).net_pnl
    Decimal('0.0049875')
    """
    exit_price = checked("exit_price", exit_price)  # errors name the exit, not a mark price
    pnl = unrealized_pnl(
        side=side,
        contract=contract,
        quantity=quantity,
        entry_price=entry_price,
        mark_price=exit_price,
        contract_size=contract_size,
    )
    entry_fee = trading_fee(
        contract=contract,
        quantity=quantity,
        contract_size=contract_size,
        price=entry_price,
        fee_rate=fee_rate_entry,
        field="fee_rate_entry",
    )
    exit_fee = trading_fee(
        contract=contract,
        quantity=quantity,
        contract_size=contract_size,
        price=exit_price,
        fee_rate=fee_rate_exit,
        field="fee_rate_exit",
    )
    with localcontext(CALC_CONTEXT):
        fees = tidy(entry_fee + exit_fee)
        return NetPnl(
            pnl=pnl, entry_fee=entry_fee, exit_fee=exit_fee, fees=fees, net_pnl=tidy(pnl - fees)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Fill:
    """One execution: ``quantity`` (base units or contracts) at ``price``."""

    quantity: Decimal
    price: Decimal


def average_entry_price(*, contract: ContractType, fills: Sequence[Fill]) -> Decimal:
    """Average entry price of several fills on the same side.

    Formula: linear sum(Q x P) / sum(Q) (quantity-weighted arithmetic mean); inverse
    sum(Q) / sum(Q / P) (contract-weighted harmonic mean, so the coin value adds up).
    Units: quote per coin. Exact, unrounded.
    Source: formulas.md §2.3 (retrieved 2026-11-21): inverse value is Q x CS / P, in coin.

    >>> fills = [Fill(quantity=Decimal(1000), price=Decimal(40000)),
    ...          Fill(quantity=Decimal(1000), price=Decimal(60000))]
    >>> average_entry_price(contract=ContractType.LINEAR, fills=fills)
    Decimal('50000')
    >>> average_entry_price(contract=ContractType.INVERSE, fills=fills)
    Decimal('48000')
    """
    contract = checked_choice("contract", ContractType, contract)
    if not fills:
        raise InputError("fills", N_("Give at least one fill."))
    checked_fills = []
    for fill in fills:
        if not isinstance(fill, Fill):
            raise InputError("fills", N_("Each fill needs a quantity and a price."))
        checked_fills.append((checked("quantity", fill.quantity), checked("price", fill.price)))
    with localcontext(CALC_CONTEXT):
        total = sum((q for q, _ in checked_fills), Decimal(0))
        if contract is ContractType.LINEAR:
            return tidy(sum((q * p for q, p in checked_fills), Decimal(0)) / total)
        return tidy(total / sum((q / p for q, p in checked_fills), Decimal(0)))
