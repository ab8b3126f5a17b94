"""Enumerations shared by every calculator module.

They are ``StrEnum`` so that form choices, query strings and JSON values map one-to-one onto
them (``Side("long")``).
"""

from __future__ import annotations

from enum import StrEnum

from riskcalc.calc.text import N_, Text

__all__ = ["ContractType", "MarginBasis", "MarginMode", "Side", "TierMethod"]


class Side(StrEnum):
    """Direction of a position. ``sign`` is +1 for long and -1 for short.

    >>> Side("short").sign
    -1
    """

    LONG = "long"
    SHORT = "short"

    @property
    def sign(self) -> int:
        return 1 if self is Side.LONG else -1


class ContractType(StrEnum):
    """Linear contracts settle PnL in the quote currency (BTCUSDT); inverse ones in the coin,
    with quantity counted in contracts of a fixed quote value (BTCUSD, 1 or 100 USD each)."""

    LINEAR = "linear"
    INVERSE = "inverse"

    @property
    def plural(self) -> Text:
        """The kind in a sentence, in the plural ("linear contracts"), translatable.

        >>> str(ContractType.INVERSE.plural)
        'inverse contracts'
        """
        return _CONTRACTS_PLURAL[self]


_CONTRACTS_PLURAL = {
    ContractType.LINEAR: Text(N_("linear contracts")),
    ContractType.INVERSE: Text(N_("inverse contracts")),
}


class MarginMode(StrEnum):
    """Isolated: only the position's own margin backs it. Cross: the account's equity does."""

    ISOLATED = "isolated"
    CROSS = "cross"

    @property
    def margin(self) -> Text:
        """The mode in a sentence ("isolated margin"), translatable.

        >>> str(MarginMode.CROSS.margin)
        'cross margin'
        """
        return _MARGIN_NAMES[self]


_MARGIN_NAMES = {
    MarginMode.ISOLATED: Text(N_("isolated margin")),
    MarginMode.CROSS: Text(N_("cross margin")),
}


class MarginBasis(StrEnum):
    """Where maintenance margin is valued when solving for the liquidation price.

    ``mark``: at the liquidation price itself (Binance, Bybit UTA, dYdX, Hyperliquid).
    ``entry``: a fixed amount worth MMR x entry value (Bybit classic, MEXC blog, BitMEX linear).
    """

    MARK = "mark"
    ENTRY = "entry"


class TierMethod(StrEnum):
    """How a tier's rate applies to a position.

    ``deduction``: MM = notional x MMR(tier) - deduction(tier), equal to charging each slice of
    notional at its own rate (Binance ``cum``, Bybit ``mmDeduction``, Bitget since 2025-11-10,
    Hyperliquid).
    ``whole_position``: the tier's MMR applies to the whole notional, no deduction (OKX, MEXC,
    Bitget before 2025-11-10).
    """

    DEDUCTION = "deduction"
    WHOLE_POSITION = "whole_position"
