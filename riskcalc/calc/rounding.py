"""Every quantisation in the calculator goes through here, with the rounding mode named.

Prices are rounded to the exchange's tick and quantities to its lot step only at real
boundaries (what the exchange displays or accepts), never in the middle of a calculation.
Liquidation and bankruptcy prices are rounded *against the trader*: a long's liquidation price
up and a short's down, so the displayed figure is never more comfortable than the real one.
This also reproduces the figures Bybit displays for its inverse examples (formulas.md §0.6).

Intermediate maths runs in :data:`CALC_CONTEXT` (34 significant digits, float mixing trapped).
"""

from __future__ import annotations

from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    Context,
    Decimal,
    DivisionByZero,
    FloatOperation,
    InvalidOperation,
    Overflow,
)

from riskcalc.calc.errors import InputError
from riskcalc.calc.text import N_
from riskcalc.calc.types import Side

__all__ = [
    "CALC_CONTEXT",
    "against_trader",
    "to_step",
    "tidy",
    "to_tick",
]

CALC_CONTEXT = Context(
    prec=34,
    traps=[InvalidOperation, DivisionByZero, Overflow, FloatOperation],
)
"""Decimal context for calculator maths: 34 digits (IEEE decimal128), floats refused.

Use as ``with localcontext(CALC_CONTEXT): ...`` (``localcontext`` works on a copy)."""


def _quantise(value: Decimal, step: Decimal, *, rounding: str, field: str) -> Decimal:
    if step <= 0 or not step.is_finite():
        raise InputError(field, N_("The step must be a positive number."))
    return (value / step).to_integral_value(rounding=rounding) * step


def to_tick(price: Decimal, tick: Decimal, *, rounding: str) -> Decimal:
    """Round ``price`` to a multiple of ``tick`` using the named ``decimal`` rounding mode.

    Formula: round(price / tick) x tick. Units: quote currency per base unit.
    Source: https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-
    (retrieved 2026-11-21 via formulas.md §3.4: prices shown on a 0.5 tick).

    A positive price never comes out as 0 or less: rounding down to a tick larger than the
    price would show a short's liquidation (or any price) at 0, so that raises
    :class:`InputError` on ``tick_size`` instead of returning a price that cannot trade.
    (The exact price is still in the result's ``*_exact`` fields of the callers.)

    >>> from decimal import ROUND_CEILING, ROUND_FLOOR
    >>> to_tick(Decimal("19698.4925"), Decimal("0.5"), rounding=ROUND_CEILING)
    Decimal('19698.5')
    >>> to_tick(Decimal("0.75"), Decimal("1"), rounding=ROUND_FLOOR)
    Traceback (most recent call last):
    ...
    riskcalc.calc.errors.InputError: tick_size: A tick of 1 rounds the price 0.75 down to 0: the tick size must be smaller than the price.
    """
    rounded = _quantise(price, tick, rounding=rounding, field="tick_size")
    if rounded <= 0 < price:
        raise InputError(
            "tick_size",
            N_(
                "A tick of {tick} rounds the price {price} down to 0: the tick size must be "
                "smaller than the price."
            ),
            tick=tick,
            price=price,
        )
    return rounded


def to_step(quantity: Decimal, step: Decimal, *, rounding: str) -> Decimal:
    """Round ``quantity`` to a multiple of the lot ``step`` using the named rounding mode.

    Formula: round(qty / step) x step. Position sizes use ``ROUND_DOWN`` so the risk taken
    never exceeds the risk budget. Units: base currency or contracts.
    Source: Schwab, "Planning a Position Size", http://www.schwab.com/public/schwab/active_trader/trading_insights/research_analyze/planning_position_size_help_achieve_trade_objectives.html
    (retrieved 2026-11-21 via formulas.md §5).

    >>> from decimal import ROUND_DOWN
    >>> to_step(Decimal("785.6"), Decimal("1"), rounding=ROUND_DOWN)
    Decimal('785')
    """
    return _quantise(quantity, step, rounding=rounding, field="quantity_step")


def against_trader(side: Side) -> str:
    """Rounding mode for a liquidation or bankruptcy price: up for longs, down for shorts.

    Rule: the long is liquidated when the price falls to the level, so rounding it up
    (``ROUND_CEILING``) shows the liquidation slightly earlier than exact; the mirror for shorts.
    Source: formulas.md §0.6, Bybit inverse examples displayed with a 0.5 tick,
    https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-
    (retrieved 2026-11-21 via formulas.md §0).

    >>> against_trader(Side.LONG), against_trader(Side.SHORT)
    ('ROUND_CEILING', 'ROUND_FLOOR')
    """
    return ROUND_CEILING if side is Side.LONG else ROUND_FLOOR


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without changing the value or switching to exponent notation.

    Division in a 34-digit context leaves zeros (``48000.000…``); this is not rounding.
    Source: Python ``decimal`` docs, ``Decimal.normalize`` and ``quantize``,
    https://docs.python.org/3.12/library/decimal.html (retrieved 2026-11-21).

    >>> tidy(Decimal("48000.000000")), tidy(Decimal("0.50")), tidy(Decimal("-1E+1"))
    (Decimal('48000'), Decimal('0.5'), Decimal('-10'))
    """
    if value == value.to_integral_value():
        return value.quantize(_UNIT)
    return value.normalize()


_UNIT = Decimal(1)
