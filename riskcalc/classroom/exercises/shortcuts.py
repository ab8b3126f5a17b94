"""What lesson modules build exercises with: display formatting (the maths stays exact),
calculator-core shortcuts and shared parameter ranges.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import pgettext

from riskcalc.calc.liquidation import LiquidationInput, LiquidationResult, liquidation_price
from riskcalc.calc.types import MarginBasis, MarginMode, Side
from riskcalc.classroom.answers import Unit, format_value
from riskcalc.classroom.exercises.core import (
    HUNDRED,
    CalculatorLink,
    steps,
)

# --- formatting helpers (display only; the maths stays exact) ---------------------------------


def num(value: Decimal) -> str:
    """A parameter as typed in a prompt: thousands commas, no trailing zeros."""
    return format_value(value, Unit.NUMBER)


def usdt(value: Decimal, places: int = 2) -> str:
    return format_value(value, Unit.USDT, places)


def btc(value: Decimal, places: int = 4) -> str:
    return format_value(value, Unit.BTC, places)


def pct(fraction: Decimal, places: int | None = None) -> str:
    """A fraction shown as percent: 0.005 -> '0.5%'."""
    return format_value(fraction * HUNDRED, Unit.PERCENT, places).replace(" %", "%")


def x(leverage: Decimal) -> str:
    return f"{num(leverage)}×"


def side_word(side: Side) -> str:
    """The position as a noun in a sentence: "a long", "the short's return"."""
    if side is Side.LONG:
        return pgettext("a position", "long")
    return pgettext("a position", "short")


def other(side: Side) -> Side:
    return Side.SHORT if side is Side.LONG else Side.LONG


def q(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- calculator-core shortcuts -----------------------------------------------------------------


def isolated(
    side: Side,
    entry: Decimal,
    quantity: Decimal,
    leverage: Decimal,
    mmr: Decimal,
    basis: MarginBasis = MarginBasis.ENTRY,
) -> LiquidationResult:
    return liquidation_price(
        LiquidationInput(
            side=side,
            entry_price=entry,
            quantity=quantity,
            leverage=leverage,
            maintenance_margin_rate=mmr,
            mm_basis=basis,
        )
    )


def cross(
    side: Side, entry: Decimal, quantity: Decimal, wallet: Decimal, mmr: Decimal
) -> LiquidationResult:
    return liquidation_price(
        LiquidationInput(
            side=side,
            entry_price=entry,
            quantity=quantity,
            margin_mode=MarginMode.CROSS,
            wallet_balance=wallet,
            maintenance_margin_rate=mmr,
            mm_basis=MarginBasis.MARK,
        )
    )


def lp(result: LiquidationResult) -> Decimal:
    assert result.liquidation_price_exact is not None, result.no_liquidation_message
    return result.liquidation_price_exact


def bp(result: LiquidationResult) -> Decimal:
    assert result.bankruptcy_price_exact is not None, result.no_bankruptcy_message
    return result.bankruptcy_price_exact


def liq_link(
    side: Side, entry: Decimal, quantity: Decimal, leverage: Decimal, mmr: Decimal, label: str
) -> CalculatorLink:
    return CalculatorLink(
        calculator="liquidation",
        params={
            "side": str(side),
            "entry_price": num_plain(entry),
            "quantity": num_plain(quantity),
            "leverage": num_plain(leverage),
            "maintenance_margin_rate": num_plain(mmr),
            "mm_basis": "entry",
        },
        label=label,
    )


def num_plain(value: Decimal) -> str:
    """A query-string number: no exponent, no trailing zeros."""
    text = f"{value.normalize():f}"
    return text


# --- shared parameter ranges ------------------------------------------------------------------

ENTRY_PRICES = steps("18000", "72000", "50")
"""BTC entry prices the templates draw from: 18,000 to 72,000 USDT in steps of 50."""
PRICE_TOLERANCE = Decimal("0.01")
"""How far from the exact price (in USDT) an answer may be and still count as correct."""
