"""Auto-deleveraging (ADL) exposure: ranking score, queue position and a plain reading.

When a liquidated position cannot be closed at or better than its bankruptcy price and the
insurance fund cannot cover the gap, exchanges close *opposing* profitable positions against it.
Who goes first is decided by a ranking score built from profit and leverage: PnL% x effective
leverage at BitMEX, MEXC and OKX, mark/entry x effective leverage at Hyperliquid, and at
Binance "LeveragePnL", the PnL as a share of the wallet balance times the margin ratio
(maintenance margin / margin balance). This module computes that score under each documented
method, places it within a population of other positions (by count and by quantity), and
explains the result in plain language.

All money maths is :class:`~decimal.Decimal` in a local context of 50 significant digits.
Nothing is quantised here: scores and fractions are exact up to that precision, and rounding
is left to display. Settle currency is the quote currency (USDT) for linear contracts and the
coin (BTC) for inverse ones.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from enum import StrEnum

from riskcalc.calc.errors import CROSS_FIELD, InputError
from riskcalc.calc.limits import checked, checked_choice, checked_optional
from riskcalc.calc.text import N_
from riskcalc.calc.types import ContractType, Side

__all__ = [
    "AdlExposure",
    "AdlMethod",
    "AdlPeer",
    "AdlPosition",
    "AdlRank",
    "AdlRanking",
    "adl_exposure",
    "adl_ranking",
    "adl_score",
]

_PRECISION = 50
_ZERO = Decimal(0)
_ONE = Decimal(1)
_FIVE = Decimal(5)
_HUNDRED = Decimal(100)

BITMEX_ADL_URL = "https://bitmex.com/app/autoDeleveraging"
BITMEX_ADL_EXAMPLES_URL = "https://www.bitmex.com/app/autoDeleveragingExamples"
MEXC_ADL_URL = "https://mexc.com/support/articles/360042504091"
BINANCE_ADL_URL = "https://www.binance.com/zh-CN/support/announcement/360033525471"
BINANCE_ADL_FORMULATION_URL = (
    "https://dev.binance.vision/t/how-to-caculating-leverage-pnl-quantile/17801"
)
OKX_ADL_URL = "https://www.okx.com/help/iv-introduction-to-auto-deleveraging-adl"
HYPERLIQUID_ADL_URL = "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging"

HYPERLIQUID_SHORT_ASSUMPTION = N_(
    "Hyperliquid documents its sorting index only in the long form (mark / entry) x "
    "(notional / account value). For shorts this calculator assumes the profit-oriented "
    "mirror (entry / mark) x (notional / account value), so that a short gains rank as price "
    "falls, exactly as a long does as price rises. This orientation is an assumption."
)
BINANCE_ISOLATED_ASSUMPTION = N_(
    "Binance's formulation uses the wallet balance; for an isolated position this calculator "
    "takes the position's own margin as its wallet balance."
)
BINANCE_INVERSE_ASSUMPTION = N_(
    "Binance's formulation floors the wallet balance at 1 without naming a unit; for a "
    "coin-margined contract this calculator applies it in the coin (1 BTC), an assumption."
)
OKX_PNL_ASSUMPTION = N_(
    "OKX states its ranking only in words (leverage-PnL% = PnL% x effective leverage; older "
    "pages divide by effective leverage for a loss). This calculator uses PnL% = unrealised "
    "PnL / entry value, as BitMEX defines it; OKX does not state the base in the text retrieved."
)


class AdlMethod(StrEnum):
    """Which exchange's ADL ranking rule to apply.

    ``mexc`` publishes the same text and formula as ``bitmex`` and is computed identically.
    """

    BITMEX = "bitmex"
    MEXC = "mexc"
    BINANCE = "binance"
    OKX = "okx"
    HYPERLIQUID = "hyperliquid"

    @property
    def exchange(self) -> str:
        """The exchange that publishes the rule, as a reader writes its name.

        >>> AdlMethod.BITMEX.exchange
        'BitMEX'
        """
        return _RULE_EXCHANGES[self]


_RULE_EXCHANGES: dict[AdlMethod, str] = {
    AdlMethod.BITMEX: "BitMEX",
    AdlMethod.MEXC: "MEXC",
    AdlMethod.BINANCE: "Binance",
    AdlMethod.OKX: "OKX",
    AdlMethod.HYPERLIQUID: "Hyperliquid",
}


_CLOSE_PRICE_RULE: dict[AdlMethod, str] = {
    AdlMethod.BITMEX: N_(
        "BitMEX closes deleveraged positions at the bankruptcy price of the liquidated order "
        "on the other side."
    ),
    AdlMethod.MEXC: N_(
        "MEXC closes deleveraged positions at the bankruptcy price of the liquidated position "
        "on the other side."
    ),
    AdlMethod.BINANCE: N_(
        "Binance closes deleveraged positions at the bankruptcy price of the liquidated order "
        "on the other side, and charges the deleveraged trader no fee."
    ),
    AdlMethod.OKX: N_(
        "OKX normally closes deleveraged positions at the mark price; only when the insurance "
        "fund is nearly exhausted does it use the bankruptcy price of the liquidated position."
    ),
    AdlMethod.HYPERLIQUID: N_(
        "Hyperliquid closes deleveraged positions at the previous mark (oracle) price."
    ),
}

_SOURCES: dict[AdlMethod, str] = {
    AdlMethod.BITMEX: BITMEX_ADL_URL,
    AdlMethod.MEXC: MEXC_ADL_URL,
    AdlMethod.BINANCE: BINANCE_ADL_URL,
    AdlMethod.OKX: OKX_ADL_URL,
    AdlMethod.HYPERLIQUID: HYPERLIQUID_ADL_URL,
}

_LIGHTS_MEANING: dict[int, str] = {
    5: "first in line if ADL happens",
    4: "high in the queue: among the next to be deleveraged after the top fifth",
    3: "in the middle of the queue",
    2: "low in the queue: most other positions would be deleveraged before yours",
    1: "last in line: ADL reaches you only after the rest of the queue",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class AdlPosition:
    """One open position, as ADL sees it.

    ``quantity`` is in coin (linear, multiplied by ``contract_size`` if the exchange counts
    contracts) or in contracts of ``contract_size`` quote units each (inverse). Give exactly one
    of ``leverage`` (isolated margin = entry value / leverage), ``margin`` (the position's
    isolated margin) or ``wallet_balance`` (cross: the account's wallet balance, this being the
    only open position). Margin and wallet balance are in the settle currency.
    ``maintenance_margin_rate`` and ``maintenance_amount`` (the tier's deduction, Binance's
    "cum") give the position's maintenance margin, ``notional at mark x rate - amount``; only
    Binance's rule uses it, and Binance's needs it.
    """

    side: Side
    quantity: Decimal
    entry_price: Decimal
    mark_price: Decimal
    contract: ContractType = ContractType.LINEAR
    contract_size: Decimal = _ONE
    leverage: Decimal | None = None
    margin: Decimal | None = None
    wallet_balance: Decimal | None = None
    maintenance_margin_rate: Decimal | None = None
    maintenance_amount: Decimal = _ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class AdlPeer:
    """Another position on the same side of the market: its ranking score and its size."""

    score: Decimal
    quantity: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class AdlRank:
    """Where a position stands in the ADL queue under one weighting.

    ``queue_fraction``: share of the sample (by count or by quantity) ranked at or ahead of the
    position, the position included; in (0, 1]. ``percentile``: share ranked behind it,
    ``1 - queue_fraction``; in [0, 1). ``bucket``: BitMEX's published "percentile",
    ``ceil(5 x queue_fraction) / 5`` (0.2 = top fifth). ``lights``: the 1-5 indicator,
    ``6 - 5 x bucket`` (5 = first in line).
    """

    weighting: str
    queue_fraction: Decimal
    percentile: Decimal
    bucket: Decimal
    lights: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AdlRanking:
    """Queue position by count (each position counts once; Binance's "rank / total users") and
    by quantity (each position weighs its size; reproduces BitMEX's published example)."""

    by_count: AdlRank
    by_quantity: AdlRank


@dataclass(frozen=True, slots=True, kw_only=True)
class AdlExposure:
    """ADL exposure of one position under one exchange's method.

    Money fields are in the settle currency; ``notional`` is valued at mark, ``entry_value`` at
    entry. ``bankruptcy_price`` is this position's own bankruptcy price (equity zero); it is
    ``None`` only when the position has none, and ``bankruptcy_note`` then says why.
    ``ranking`` is ``None`` only when no population was supplied, and ``reading`` says so.
    ``lights`` and ``primary_weighting`` repeat the headline rank (quantity-weighted for
    BitMEX/MEXC/OKX/Hyperliquid, count-weighted for Binance). ``pnl_ratio`` is the PnL% the
    method ranks by: UPNL / entry value, or Binance's ``max(0, UPNL) / max(1, wallet
    balance)``. ``maintenance_margin`` and ``margin_ratio`` (maintenance margin / equity) are
    set for Binance only, whose score is ``pnl_ratio x margin_ratio``.
    """

    method: AdlMethod
    collateral: Decimal
    notional: Decimal
    entry_value: Decimal
    unrealized_pnl: Decimal
    equity: Decimal
    pnl_ratio: Decimal
    effective_leverage: Decimal
    maintenance_margin: Decimal | None
    margin_ratio: Decimal | None
    score: Decimal
    bankruptcy_price: Decimal | None
    bankruptcy_note: str
    close_price_rule: str
    ranking: AdlRanking | None
    primary_weighting: str
    lights: int | None
    reading: str
    assumptions: tuple[str, ...]
    source: str


def adl_score(
    *,
    method: AdlMethod,
    side: Side,
    pnl_ratio: Decimal,
    effective_leverage: Decimal | None = None,
    margin_ratio: Decimal | None = None,
) -> Decimal:
    """ADL ranking score from PnL% and leverage; higher is deleveraged first.

    Formulas (the sources' symbols):

    - BitMEX, MEXC, OKX: ``Ranking = PNL% x EL`` if ``PNL% >= 0``, else ``PNL% / EL``.
    - Binance: ``LeveragePnL = Pnl Percent x Margin Ratio`` with ``Pnl Percent =
      max(0, Unrealized Profit) / max(1, Wallet Balance)`` and ``Margin Ratio = Maintenance
      Margin / (Wallet Balance + Unrealized Profit)`` (0 when that sum is not positive). Give
      ``pnl_ratio`` as that Pnl Percent and ``margin_ratio``; a loss scores 0, the bottom of the
      queue, never below it.
    - Hyperliquid: ``(mark_price / entry_price) x (notional_position / account_value)``. With
      ``EL = notional / account value`` and ``PNL% = (M - E)/E`` for a long this is
      ``(1 + PNL%) x EL``; for a short, by assumption (see ``HYPERLIQUID_SHORT_ASSUMPTION``),
      ``(E / M) x EL = EL / (1 - PNL%)``.

    ``effective_leverage`` is needed by every method but Binance, ``margin_ratio`` by Binance
    only. Units: ``pnl_ratio``, ``margin_ratio`` and the score are fractions (0.05 = 5%),
    ``effective_leverage`` is a multiple (x). No rounding: exact to 50 significant digits.

    Source: https://bitmex.com/app/autoDeleveraging (retrieved 2026-11-21);
    Binance FAQ "What Is Auto-Deleveraging (ADL) and How Does It Work",
    https://www.binance.com/zh-CN/support/announcement/360033525471 (dated 2019-09-09,
    retrieved 2026-12-06): "The precise rank is known as "LeveragePnL", which is defined as
    unrealized PnL/collateral multiplied by the margin ratio. The exact formulation is at the
    end."; the formulation at its end as quoted in
    https://dev.binance.vision/t/how-to-caculating-leverage-pnl-quantile/17801 (retrieved
    2026-12-06); https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging
    (retrieved 2026-11-21)

    >>> adl_score(method=AdlMethod.BITMEX, side=Side.LONG,
    ...           pnl_ratio=Decimal("0.05"), effective_leverage=Decimal("4"))
    Decimal('0.20')
    >>> adl_score(method=AdlMethod.BITMEX, side=Side.LONG,
    ...           pnl_ratio=Decimal("-0.05"), effective_leverage=Decimal("4"))
    Decimal('-0.0125')
    >>> adl_score(method=AdlMethod.BINANCE, side=Side.LONG,
    ...           pnl_ratio=Decimal("0.25"), margin_ratio=Decimal("0.032"))
    Decimal('0.00800')
    """
    method = checked_choice("method", AdlMethod, method)
    side = checked_choice("side", Side, side)
    _require_decimal("pnl_ratio", pnl_ratio)
    if not pnl_ratio.is_finite():
        raise InputError("pnl_ratio", N_("The PnL ratio must be a finite number."))
    if method is AdlMethod.BINANCE:
        if margin_ratio is None:
            raise InputError("margin_ratio", N_("Binance's ranking needs the margin ratio."))
        if not _require_decimal("margin_ratio", margin_ratio).is_finite() or margin_ratio < 0:
            raise InputError(
                "margin_ratio", N_("The margin ratio must be a fraction of 0 or more.")
            )
        if pnl_ratio <= _ZERO:
            return _ZERO  # a loss ranks at the bottom, never below it
        with decimal.localcontext(prec=_PRECISION):
            return pnl_ratio * margin_ratio
    if effective_leverage is None:
        raise InputError(
            "effective_leverage", N_("The {rule} ranking needs the leverage."), rule=method.value
        )
    if not _require_decimal("effective_leverage", effective_leverage).is_finite() or (
        effective_leverage <= _ZERO
    ):
        raise InputError(
            "effective_leverage", N_("Effective leverage must be a positive number of times.")
        )
    with decimal.localcontext(prec=_PRECISION):
        if method is AdlMethod.HYPERLIQUID:
            return _hyperliquid_index(side, pnl_ratio, effective_leverage)
        if pnl_ratio >= _ZERO:
            return pnl_ratio * effective_leverage
        return pnl_ratio / effective_leverage


def _hyperliquid_index(side: Side, pnl_ratio: Decimal, effective_leverage: Decimal) -> Decimal:
    """Hyperliquid's sorting index ``(1 + PNL%) x EL`` (long) or ``EL / (1 - PNL%)`` (short)."""
    if side is Side.LONG:
        if pnl_ratio <= -_ONE:
            raise InputError(
                "pnl_ratio",
                # xgettext:no-python-format ("100% of" is prose, not a "% o" format)
                N_("A long cannot lose more than 100% of its entry value."),
            )
        return (_ONE + pnl_ratio) * effective_leverage
    if pnl_ratio >= _ONE:
        raise InputError(
            "pnl_ratio",
            # xgettext:no-python-format ("100% or" is prose, not a "% o" format)
            N_("A short cannot gain 100% or more of its entry value."),
        )
    return effective_leverage / (_ONE - pnl_ratio)


def adl_ranking(*, score: Decimal, quantity: Decimal, population: Sequence[AdlPeer]) -> AdlRanking:
    """Where a position with ``score`` and ``quantity`` stands in the ADL queue of ``population``.

    The population is the *other* positions on the same side; the position itself is added to
    it. Sort by score, highest first. With ``k`` the number of positions at or ahead of yours
    (yours included) out of ``n``, and ``q_cum`` their total quantity out of ``q_total``:

    - by count: ``queue_fraction = k / n`` (Binance: "quantile = rank / total users");
    - by quantity: ``queue_fraction = q_cum / q_total`` (BitMEX's published example is
      reproduced only this way: ``percentile = ceil(5 x q_cum / q_total) x 20%``);
    - ``bucket = ceil(5 x queue_fraction) / 5``, ``lights = 6 - 5 x bucket``,
      ``percentile = 1 - queue_fraction``.

    Ties are resolved against you: peers with the same score are counted *behind* you, so you
    are shown at the front of your tie (the cautious reading). Units: quantities in any one
    consistent unit; fractions in [0, 1]. Rounding: the bucket rounds the queue fraction *up* to
    the next 20% step, as BitMEX does; nothing else is rounded.

    Source: https://www.bitmex.com/app/autoDeleveragingExamples (retrieved 2026-11-21)

    BitMEX's example: six longs, quantities 10/10/20/30/20/10 with PnL rankings 3/6/1/4/5/2.
    Account 6 (quantity 10, ranking 2) is published at the 80% percentile:

    >>> peers = [AdlPeer(score=Decimal(s), quantity=Decimal(q))
    ...          for s, q in [(3, 10), (6, 10), (1, 20), (4, 30), (5, 20)]]
    >>> r = adl_ranking(score=Decimal(2), quantity=Decimal(10), population=peers)
    >>> r.by_quantity.bucket, r.by_quantity.lights
    (Decimal('0.8'), 2)
    >>> r.by_count.bucket
    Decimal('1')
    """
    if not population:
        raise InputError(
            "population", N_("Add at least one other position to compare your score against.")
        )
    _require_positive("quantity", quantity, "Quantity must be greater than zero.")
    if not _require_decimal("score", score).is_finite():
        raise InputError("score", N_("The ranking score must be a finite number."))
    for peer in population:
        if not isinstance(peer, AdlPeer):
            raise InputError("population", "Give each position in the sample as an AdlPeer.")
        checked("population", peer.score, limit="score")
        checked("population", peer.quantity, limit="quantity")
    with decimal.localcontext(prec=_PRECISION):
        ahead = [peer for peer in population if peer.score > score]
        count_fraction = Decimal(len(ahead) + 1) / Decimal(len(population) + 1)
        total_quantity = sum((peer.quantity for peer in population), quantity)
        cumulative_quantity = sum((peer.quantity for peer in ahead), quantity)
        quantity_fraction = cumulative_quantity / total_quantity
        return AdlRanking(
            by_count=_rank("count", count_fraction),
            by_quantity=_rank("quantity", quantity_fraction),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Valuation:
    """A position valued at entry and at mark (settle currency; see :func:`adl_exposure`)."""

    size: Decimal
    entry_value: Decimal
    notional: Decimal
    unrealized_pnl: Decimal
    collateral: Decimal
    equity: Decimal


def adl_exposure(
    position: AdlPosition, *, method: AdlMethod, population: Sequence[AdlPeer] = ()
) -> AdlExposure:
    """ADL exposure of ``position`` under ``method``: PnL, effective leverage, score and rank.

    Formulas (s = +1 long, -1 short; Q quantity, CS contract size, E entry, M mark, C
    collateral in the settle currency, m maintenance margin rate, d its deduction):

    - Linear: value at price P is ``Q x CS x P``; ``UPNL = s x Q x CS x (M - E)``.
    - Inverse: value at P is ``Q x CS / P`` (coin); ``UPNL = s x Q x CS x (1/E - 1/M)``.
    - Collateral C: ``margin``; or ``entry value / leverage``; or ``wallet_balance``.
    - Equity ``= C + UPNL``. It equals BitMEX's ``Mark Value - Bankrupt Value``, because the
      bankruptcy price is where equity reaches zero.
    - Effective leverage ``EL = |value at M| / equity`` (BitMEX/MEXC
      ``abs(Mark Value) / (Mark Value - Bankrupt Value)``; OKX ``1 / margin ratio``;
      Hyperliquid ``notional_position / account_value``).
    - PnL%: BitMEX/MEXC/OKX ``UPNL / |entry value|``; Hyperliquid uses mark/entry directly
      (see :func:`adl_score`); Binance ``max(0, UPNL) / max(1, C)`` (C is the FAQ's wallet
      balance).
    - Binance only: maintenance margin ``MM = |value at M| x m - d`` and margin ratio
      ``MM / equity``; the score is PnL% x margin ratio.
    - Bankruptcy price: where equity is zero (formulas at ``_bankruptcy_price``).

    Units: prices in quote per coin; money in the settle currency; ratios as fractions.
    Rounding: none (50 significant digits); round for display only. Sources, all retrieved
    2026-11-21 but Binance's (2026-12-06): https://bitmex.com/app/autoDeleveraging;
    https://mexc.com/support/articles/360042504091;
    https://www.binance.com/zh-CN/support/announcement/360033525471 (dated 2019-09-09) with
    its formulation as quoted in
    https://dev.binance.vision/t/how-to-caculating-leverage-pnl-quantile/17801;
    https://www.okx.com/help/iv-introduction-to-auto-deleveraging-adl;
    https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging

    A Binance long, 10 BTC from 9,750 to mark 10,000, wallet 10,000 USDT, tier rate 0.4%:
    PnL% 2,500 / 10,000, margin ratio 400 / 12,500:

    >>> x = adl_exposure(AdlPosition(side=Side.LONG, quantity=Decimal(10),
    ...     entry_price=Decimal(9750), mark_price=Decimal(10000),
    ...     wallet_balance=Decimal(10000), maintenance_margin_rate=Decimal("0.004")),
    ...     method=AdlMethod.BINANCE)
    >>> x.unrealized_pnl, x.pnl_ratio, x.margin_ratio, x.score
    (Decimal('2500'), Decimal('0.25'), Decimal('0.032'), Decimal('0.00800'))
    >>> x.bankruptcy_price
    Decimal('8750')
    """
    if not isinstance(position, AdlPosition):
        raise InputError(CROSS_FIELD, "Give the position as an AdlPosition.")
    method = checked_choice("method", AdlMethod, method)
    position = _validated(position, method)
    with decimal.localcontext(prec=_PRECISION):
        value = _valuation(position)
        effective_leverage = value.notional / value.equity
        pnl_ratio, maintenance_margin, margin_ratio = _ranking_factors(method, position, value)
        score = adl_score(
            method=method,
            side=position.side,
            pnl_ratio=pnl_ratio,
            effective_leverage=effective_leverage,
            margin_ratio=margin_ratio,
        )
        bankruptcy_price, bankruptcy_note = _bankruptcy_price(
            position, value.collateral, value.size
        )
        ranking = None
        if population:
            ranking = adl_ranking(score=score, quantity=position.quantity, population=population)
    primary_weighting = "count" if method is AdlMethod.BINANCE else "quantity"
    primary = _headline(ranking, primary_weighting)
    return AdlExposure(
        method=method,
        collateral=value.collateral,
        notional=value.notional,
        entry_value=value.entry_value,
        unrealized_pnl=value.unrealized_pnl,
        equity=value.equity,
        pnl_ratio=pnl_ratio,
        effective_leverage=effective_leverage,
        maintenance_margin=maintenance_margin,
        margin_ratio=margin_ratio,
        score=score,
        bankruptcy_price=bankruptcy_price,
        bankruptcy_note=bankruptcy_note,
        close_price_rule=_CLOSE_PRICE_RULE[method],
        ranking=ranking,
        primary_weighting=primary_weighting,
        lights=None if primary is None else primary.lights,
        reading=_reading(
            method,
            value.unrealized_pnl < _ZERO,
            pnl_ratio,
            effective_leverage,
            margin_ratio,
            score,
            ranking,
            primary,
        ),  # fmt: skip
        assumptions=_assumptions(method, position, value.unrealized_pnl, ranking),
        source=_SOURCES[method],
    )


def _ranking_factors(
    method: AdlMethod, position: AdlPosition, value: _Valuation
) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """(PnL%, maintenance margin, margin ratio) as ``method`` defines them: Binance's
    ``max(0, UPNL) / max(1, wallet)`` with MM and MM / equity; otherwise UPNL / entry value."""
    if method is not AdlMethod.BINANCE:
        return value.unrealized_pnl / value.entry_value, None, None
    maintenance_margin = _binance_maintenance_margin(position, value)
    pnl_ratio = max(value.unrealized_pnl, _ZERO) / max(_ONE, value.collateral)
    return pnl_ratio, maintenance_margin, maintenance_margin / value.equity


def _headline(ranking: AdlRanking | None, weighting: str) -> AdlRank | None:
    """The rank the headline (lights) shows: by count or by quantity."""
    if ranking is None:
        return None
    return ranking.by_count if weighting == "count" else ranking.by_quantity


def _valuation(position: AdlPosition) -> _Valuation:
    """Entry value, notional at mark, unrealised PnL, collateral and equity (see
    :func:`adl_exposure` for the formulas); raises when the equity is gone."""
    s = Decimal(position.side.sign)
    size = position.quantity * position.contract_size
    entry, mark = position.entry_price, position.mark_price
    if position.contract is ContractType.LINEAR:
        entry_value = size * entry
        notional = size * mark
        upnl = s * size * (mark - entry)
    else:
        entry_value = size / entry
        notional = size / mark
        upnl = s * size * (_ONE / entry - _ONE / mark)
    collateral = _collateral(position, entry_value)
    equity = collateral + upnl
    if equity <= _ZERO:
        raise InputError(
            "mark_price",
            N_(
                "At this mark price the position has lost all its collateral (equity is zero "
                "or negative), so it would already have been liquidated. Choose a mark price "
                "on the safe side of the bankruptcy price."
            ),
        )
    return _Valuation(
        size=size,
        entry_value=entry_value,
        notional=notional,
        unrealized_pnl=upnl,
        collateral=collateral,
        equity=equity,
    )


def _binance_maintenance_margin(position: AdlPosition, value: _Valuation) -> Decimal:
    """``notional at mark x rate - deduction``, which must not be negative."""
    rate = position.maintenance_margin_rate
    assert rate is not None  # _validate_position requires it for Binance
    maintenance = value.notional * rate - position.maintenance_amount
    if maintenance < _ZERO:
        raise InputError(
            "maintenance_amount",
            N_(
                "The deduction is larger than the maintenance margin at this size: give the rate "
                "and deduction of the tier your position is in."
            ),
        )
    return maintenance


_WEIGHTING_UNSTATED = {
    AdlMethod.OKX: N_(
        "OKX does not say whether its queue display weighs positions by count or by size; "
        "the headline uses quantity weighting, as BitMEX does."
    ),
    AdlMethod.HYPERLIQUID: N_(
        "Hyperliquid does not say whether its queue display weighs positions by count or by "
        "size; the headline uses quantity weighting, as BitMEX does."
    ),
}


def _assumptions(
    method: AdlMethod, position: AdlPosition, upnl: Decimal, ranking: AdlRanking | None
) -> tuple[str, ...]:
    """What the method's published text leaves open and this calculator had to assume."""
    assumptions: list[str] = []
    if method is AdlMethod.HYPERLIQUID:
        if position.side is Side.SHORT:
            assumptions.append(HYPERLIQUID_SHORT_ASSUMPTION)
        if upnl < _ZERO:
            assumptions.append(
                N_(
                    "Hyperliquid describes ranking positions in profit; this losing position "
                    "gets an index for comparison only."
                )
            )
    if method is AdlMethod.OKX:
        assumptions.append(OKX_PNL_ASSUMPTION)
    if method is AdlMethod.BINANCE:
        if position.wallet_balance is None:
            assumptions.append(BINANCE_ISOLATED_ASSUMPTION)
        if position.contract is ContractType.INVERSE:
            assumptions.append(BINANCE_INVERSE_ASSUMPTION)
    if position.wallet_balance is not None:
        assumptions.append(
            N_(
                "Cross margin: the wallet balance and the maintenance margin are taken as this "
                "position's alone, as if it were the account's only open position (other "
                "positions' PnL and margin are not included)."
            )
        )
    if ranking is not None and method in (AdlMethod.OKX, AdlMethod.HYPERLIQUID):
        assumptions.append(_WEIGHTING_UNSTATED[method])
    return tuple(assumptions)


def _rank(weighting: str, queue_fraction: Decimal) -> AdlRank:
    fifths = (queue_fraction * _FIVE).to_integral_value(rounding=ROUND_CEILING)
    fifths = min(max(fifths, _ONE), _FIVE)
    return AdlRank(
        weighting=weighting,
        queue_fraction=queue_fraction,
        percentile=_ONE - queue_fraction,
        bucket=fifths / _FIVE,
        lights=6 - int(fifths),
    )


def _require_decimal(field: str, value: object) -> Decimal:
    if not isinstance(value, Decimal):
        if isinstance(value, float):
            raise InputError(field, N_("Enter a decimal number, not a float."))
        raise InputError(
            field, N_("Enter a decimal number, not {kind}."), kind=type(value).__name__
        )
    return value


def _require_positive(field: str, value: object, message: str) -> None:
    """``message``: a sentence marked with ``N_``."""
    number = _require_decimal(field, value)
    if not number.is_finite() or number <= _ZERO:
        raise InputError(field, message)


def _validated(position: AdlPosition, method: AdlMethod) -> AdlPosition:
    """``position`` with its choices as enum members, once every field checks out."""
    position = replace(
        position,
        side=checked_choice("side", Side, position.side),
        contract=checked_choice("contract", ContractType, position.contract),
    )
    _validate_position(position, method)
    return position


def _validate_position(position: AdlPosition, method: AdlMethod) -> None:
    for name in ("quantity", "entry_price", "mark_price", "contract_size"):
        checked(name, _require_decimal(name, getattr(position, name)))
    if method is AdlMethod.HYPERLIQUID and position.contract is ContractType.INVERSE:
        raise InputError(
            "contract",
            N_("Hyperliquid lists only linear (USDC-margined) perpetuals; choose linear."),
        )
    given = [
        name
        for name in ("leverage", "margin", "wallet_balance")
        if getattr(position, name) is not None
    ]
    if len(given) != 1:
        raise InputError(
            CROSS_FIELD,
            N_(
                "Give exactly one of leverage, margin or wallet balance to describe the collateral."
            ),
        )
    checked_optional("leverage", position.leverage)
    checked_optional("margin", position.margin)
    # The position's only collateral, so it must be positive (unlike a cross wallet's).
    checked_optional("wallet_balance", position.wallet_balance, limit="adl_wallet_balance")
    checked_optional("maintenance_margin_rate", position.maintenance_margin_rate)
    checked("maintenance_amount", position.maintenance_amount)
    if method is AdlMethod.BINANCE and position.maintenance_margin_rate is None:
        raise InputError(
            "maintenance_margin_rate",
            N_(
                "Binance ranks by the margin ratio (maintenance margin / margin balance): give the "
                "maintenance margin rate of your position's tier (0.004 for 0.4%)."
            ),
        )


def _collateral(position: AdlPosition, entry_value: Decimal) -> Decimal:
    if position.leverage is not None:
        return entry_value / position.leverage
    if position.margin is not None:
        return position.margin
    if position.wallet_balance is None:  # unreachable: _validate_position requires one
        raise InputError(CROSS_FIELD, N_("Give leverage, margin or wallet balance."))
    return position.wallet_balance


def _bankruptcy_price(
    position: AdlPosition, collateral: Decimal, size: Decimal
) -> tuple[Decimal | None, str]:
    """Equity = 0, the closed forms with m = d = 0: linear ``BP = E - s x C / (Q x CS)``
    (isolated at leverage L: ``E x (1 - s/L)``); inverse ``BP = Q x CS / (Q x CS / E + s x C)``
    (long at L: ``E x L/(L+1)``; short ``E x L/(L-1)``). A long with ``BP <= 0`` or an
    inverse short with ``C >= Q x CS / E`` has none; the note then says why."""
    s = Decimal(position.side.sign)
    entry = position.entry_price
    if position.contract is ContractType.LINEAR:
        price = entry - s * collateral / size
        if price <= _ZERO:
            return None, N_(
                "None: the collateral covers the whole position value, so the price would "
                "have to fall to zero or below before this long lost all its margin."
            )
        return price, N_("Price at which the position's equity reaches zero.")
    denominator = size / entry + s * collateral
    if denominator <= _ZERO:
        return None, N_(
            "None: an inverse short backed by at least its own coin value (1× or less) "
            "cannot lose all its margin at any price."
        )
    return size / denominator, N_("Price at which the position's equity reaches zero.")


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * _HUNDRED).to_integral_value(rounding=ROUND_DOWN)}%"


def _reading(
    method: AdlMethod,
    at_loss: bool,
    pnl_ratio: Decimal,
    effective_leverage: Decimal,
    margin_ratio: Decimal | None,
    score: Decimal,
    ranking: AdlRanking | None,
    primary: AdlRank | None,
) -> str:
    """The result in plain language: score and its basis, a loss, the queue, what ADL does."""
    if margin_ratio is None:
        el = effective_leverage.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        basis = f"PnL {pnl_ratio * _HUNDRED:.2f}% at {el.normalize():f}× effective leverage"
    else:
        basis = (
            f"PnL {pnl_ratio * _HUNDRED:.2f}% of the wallet balance at a margin ratio of "
            f"{margin_ratio * _HUNDRED:.2f}%"
        )
    # The score to 4 places and leverage with ×, as the page's figures show them.
    parts = [f"Under {method.exchange}'s rules your ranking score is {score:,.4f} ({basis})."]
    if at_loss:
        parts.append(
            "The position is at a loss, so it sits low in the queue"
            + (" (Binance scores it 0, the bottom)" if margin_ratio is not None else "")
            + ": the most profitable, most leveraged positions are deleveraged first."
        )
    if ranking is None or primary is None:
        parts.append(
            "Add a sample of other positions on your side to see where you stand in the queue."
        )
    else:
        parts.append(
            f"Your position ranks above {_percent(ranking.by_quantity.percentile)} of the "
            f"sample by quantity and above {_percent(ranking.by_count.percentile)} by count. "
            f"{primary.lights} of 5 lights ({primary.weighting}-weighted): "
            f"{_LIGHTS_MEANING[primary.lights]}."
        )
    parts.append(
        "ADL only happens when a liquidation on the other side cannot be filled at its "
        "bankruptcy price and the insurance fund cannot cover the loss. "
        + _CLOSE_PRICE_RULE[method]
        + " You keep the profit up to that price but lose the position and any further move; "
        "open orders are cancelled and you may re-enter."
    )
    return " ".join(parts)
