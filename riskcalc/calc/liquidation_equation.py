"""The liquidation equation and its tier walk, for :mod:`riskcalc.calc.liquidation`.

A *leg* is one side of a symbol's position, ``(sign, quantity, entry, fixed rate, fixed
amount)``: the position itself, and in Binance hedge mode its opposite leg. With the legs in
given tiers the equation margin balance = maintenance margin is linear in the price and solved
in closed form (:func:`closed_form`, formulas in :mod:`riskcalc.calc.liquidation`'s docstring);
:func:`solve_liquidation` finds the tiers the liquidation price falls in by walking the tier
bands from the current price in the adverse direction, each band at most once.

Units and rounding as in :func:`riskcalc.calc.liquidation.liquidation_price`: prices in quote
per coin, margins in the settle currency, exact to the calculation context's 34 digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from riskcalc.calc.text import N_
from riskcalc.calc.types import ContractType, MarginBasis

if TYPE_CHECKING:
    from riskcalc.calc.liquidation import LiquidationInput

__all__ = [
    "NO_PRICE_TEXT",
    "Equation",
    "Leg",
    "NoPriceReason",
    "Solution",
    "closed_form",
    "excess",
    "formula_text",
    "indices_at",
    "indices_by_convention",
    "leg_notional",
    "leg_rates",
    "legs_of",
    "next_break",
    "reason_for",
    "solve_liquidation",
]

_ZERO = Decimal(0)
_ONE = Decimal(1)


class NoPriceReason(StrEnum):
    """Why a liquidation or bankruptcy price does not exist (the UI shows "--")."""

    AT_OR_BELOW_ZERO = "at_or_below_zero"
    """The price would be 0 or negative: the collateral covers a fall to zero (long)."""
    UNREACHABLE_ABOVE = "unreachable_above"
    """No price is high enough: e.g. a 1x inverse short, which is a synthetic USD hedge."""
    NO_PRICE_EXPOSURE = "no_price_exposure"
    """The legs offset each other, so the margin balance does not move with the price."""


NO_PRICE_TEXT = {
    (NoPriceReason.AT_OR_BELOW_ZERO, "liquidation"): N_(
        "The collateral covers the position even if the price falls to zero, so there is no "
        "liquidation price (shown as --)."
    ),
    (NoPriceReason.AT_OR_BELOW_ZERO, "bankruptcy"): N_(
        "The collateral covers the position even if the price falls to zero, so there is no "
        "bankruptcy price (shown as --)."
    ),
    (NoPriceReason.UNREACHABLE_ABOVE, "liquidation"): N_(
        "No price rise can use up this collateral (for example a 1× short on an inverse "
        "contract), so there is no liquidation price (shown as --)."
    ),
    (NoPriceReason.UNREACHABLE_ABOVE, "bankruptcy"): N_(
        "No price rise can use up this collateral (for example a 1× short on an inverse "
        "contract), so there is no bankruptcy price (shown as --)."
    ),
    (NoPriceReason.NO_PRICE_EXPOSURE, "liquidation"): N_(
        "The long and short legs offset each other, so the margin balance does not change "
        "with the price and there is no liquidation price (shown as --)."
    ),
    (NoPriceReason.NO_PRICE_EXPOSURE, "bankruptcy"): N_(
        "The long and short legs offset each other, so the margin balance does not change "
        "with the price and there is no bankruptcy price (shown as --)."
    ),
}
"""Why there is no liquidation (or bankruptcy) price, by reason: the result's
``no_liquidation_message`` and ``no_bankruptcy_message``, and their marked templates."""


type Leg = tuple[int, Decimal, Decimal, Decimal | None, Decimal | None]


def leg_notional(position: LiquidationInput, quantity: Decimal, price: Decimal) -> Decimal:
    if position.contract is ContractType.LINEAR:
        return quantity * position.contract_size * price
    return quantity * position.contract_size / price


def legs_of(position: LiquidationInput) -> list[Leg]:
    s = position.side.sign
    rate = position.maintenance_margin_rate
    amount = position.maintenance_amount if position.tiers is None else None
    legs: list[Leg] = [(s, position.quantity, position.entry_price, rate, amount)]
    leg = position.hedge_leg
    if leg is not None:
        leg_rate = leg.maintenance_margin_rate if leg.maintenance_margin_rate is not None else rate
        leg_amount = leg.maintenance_amount if leg.maintenance_amount is not None else amount
        if position.tiers is not None:
            leg_rate = leg_amount = None
        legs.append((-s, leg.quantity, leg.entry_price, leg_rate, leg_amount))
    return legs


def leg_rates(
    position: LiquidationInput, legs: list[Leg], indices: list[int]
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


def closed_form(
    position: LiquidationInput,
    legs: list[Leg],
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


def excess(
    position: LiquidationInput,
    legs: list[Leg],
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
        mm += leg_notional(position, q, price) * (m + fee) - d
    return balance - (fixed_mm if fixed_mm is not None else mm)


def indices_at(
    position: LiquidationInput, legs: list[Leg], price: Decimal, going_down: bool
) -> list[int]:
    """Tier index of each leg for the band entered when moving from ``price`` in a direction."""
    table = position.tiers
    if table is None:
        return [0 for _ in legs]
    linear = position.contract is ContractType.LINEAR
    notional_falls = going_down == linear
    result = []
    for _, q, _, _, _ in legs:
        n = leg_notional(position, q, price)
        result.append(table.tier_index_below(n) if notional_falls else table.tier_index_above(n))
    return result


def indices_by_convention(
    position: LiquidationInput, legs: list[Leg], price: Decimal | None
) -> list[int]:
    """Tier index of each leg at ``price`` (``None``: its entry price) by the table's boundary
    convention; notionals above the largest tier are clamped to the last tier."""
    table = position.tiers
    if table is None:
        return [0 for _ in legs]
    largest = table.largest_notional
    result = []
    for _, q, e, _, _ in legs:
        n = leg_notional(position, q, e if price is None else price)
        if largest is not None and n > largest:
            result.append(len(table.tiers) - 1)
        else:
            result.append(table.tier_for_notional(n).number - 1)
    return result


def next_break(
    position: LiquidationInput, legs: list[Leg], indices: list[int], going_down: bool
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


def reason_for(linear: bool, numerator: Decimal, denominator: Decimal) -> NoPriceReason:
    if denominator == 0 if linear else numerator == 0:
        return NoPriceReason.NO_PRICE_EXPOSURE
    # linear: price <= 0 happens for a net long; inverse: the net short loses in coin.
    slope_up = (denominator < 0) if linear else (numerator > 0)
    return NoPriceReason.AT_OR_BELOW_ZERO if slope_up else NoPriceReason.UNREACHABLE_ABOVE


def formula_text(position: LiquidationInput, fixed: bool, bankrupt: bool) -> str:
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Equation:
    """The liquidation equation of one position (margin balance = maintenance margin) with
    its collateral, the fee counted in MM and, on the entry basis, the fixed MM; the tiers of
    the legs (``indices``) pick the rates it is solved with."""

    position: LiquidationInput
    legs: list[Leg]
    collateral: Decimal
    fee: Decimal
    fixed_mm: Decimal | None

    def rates(self, indices: list[int]) -> list[tuple[Decimal, Decimal]]:
        return leg_rates(self.position, self.legs, indices)

    def closed_form(self, indices: list[int]) -> tuple[Decimal, Decimal]:
        """(numerator, denominator) of the price with the legs in tiers ``indices``."""
        rates = self.rates(indices)
        return closed_form(
            self.position, self.legs, rates, self.collateral, self.fee, self.fixed_mm
        )

    def excess(self, indices: list[int], price: Decimal) -> Decimal:
        """Margin balance minus MM at ``price`` with the legs in tiers ``indices``."""
        rates = self.rates(indices)
        return excess(
            self.position, self.legs, rates, self.collateral, self.fee, self.fixed_mm, price
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Solution:
    """The liquidation price (``exact``; ``None`` with a ``reason``), the tiers it was solved
    in, the closed form last used, the tiers tried in order, the adverse direction, and whether
    the margin balance was already at or below maintenance at the reference price."""

    exact: Decimal | None
    reason: NoPriceReason | None
    indices: list[int]
    numerator: Decimal
    denominator: Decimal
    tried: tuple[int, ...]
    going_down: bool
    below_maintenance: bool = False


def solve_liquidation(
    equation: Equation,
    reference: Decimal,
    entry_indices: list[int],
) -> Solution:
    """Solve in the tiers at the reference price (mark, else entry), then: no price exposure;
    already at or below maintenance (:func:`_resolve_below_maintenance`); or walk the tier
    bands in the adverse direction (:func:`_walk_bands`). The adverse direction is down when
    the margin excess rises with the price (net long)."""
    position = equation.position
    linear = position.contract is ContractType.LINEAR
    if position.mm_basis is MarginBasis.ENTRY or position.mark_price is None:
        indices = entry_indices
    else:
        indices = indices_by_convention(position, equation.legs, reference)
    numerator, denominator = equation.closed_form(indices)
    going_down = (denominator < 0) if linear else (numerator > 0)
    if (denominator == 0) if linear else (numerator == 0):
        return Solution(
            exact=None,
            reason=NoPriceReason.NO_PRICE_EXPOSURE,
            indices=indices,
            numerator=numerator,
            denominator=denominator,
            tried=(indices[0] + 1,),
            going_down=going_down,
        )
    if equation.excess(indices, reference) <= 0:
        return _resolve_below_maintenance(equation, indices, going_down)
    return _walk_bands(equation, indices, reference, going_down)


def _resolve_below_maintenance(
    equation: Equation, indices: list[int], going_down: bool
) -> Solution:
    """Already liquidatable: the price where equity meets MM lies on the favourable side of
    the mark. With tiers valued at that price (mark basis), re-solve in the tier found there
    until it agrees (at most once per tier)."""
    position, legs = equation.position, equation.legs
    numerator, denominator = equation.closed_form(indices)
    candidate = numerator / denominator if denominator != 0 else _ZERO
    tried = [indices[0] + 1]
    if position.tiers is not None and equation.fixed_mm is None:
        for _ in range(len(position.tiers.tiers)):
            if candidate <= 0:
                break
            at_candidate = indices_by_convention(position, legs, candidate)
            if at_candidate == indices:
                break
            indices = at_candidate
            numerator, denominator = equation.closed_form(indices)
            candidate = numerator / denominator if denominator != 0 else _ZERO
            tried.append(indices[0] + 1)
    linear = position.contract is ContractType.LINEAR
    return Solution(
        exact=candidate if candidate > 0 else None,
        reason=None if candidate > 0 else reason_for(linear, numerator, denominator),
        indices=indices,
        numerator=numerator,
        denominator=denominator,
        tried=tuple(tried),
        going_down=going_down,
        below_maintenance=True,
    )


def _walk_bands(
    equation: Equation, start_indices: list[int], start: Decimal, going_down: bool
) -> Solution:
    """Walk from ``start`` in the adverse direction one tier band at a time: within a band
    the equation is linear and solved in closed form; the first band whose solution lies
    inside it is the answer. At a band edge where a whole-position table jumps to a higher
    rate, the edge itself is the price if the margin no longer covers the new rate (with
    deduction tables MM is continuous and this never fires). Each band is visited once."""
    position, legs = equation.position, equation.legs
    linear = position.contract is ContractType.LINEAR
    numerator, denominator = equation.closed_form(start_indices)
    tried = [start_indices[0] + 1]
    price, indices, solved_for = start, start_indices, start_indices
    if position.mm_basis is MarginBasis.MARK and position.tiers is not None:
        indices = indices_at(position, legs, price, going_down)

    def solution(exact: Decimal | None, at: list[int], reason: NoPriceReason | None) -> Solution:
        return Solution(
            exact=exact,
            reason=reason,
            indices=at,
            numerator=numerator,
            denominator=denominator,
            tried=tuple(tried),
            going_down=going_down,
        )

    for _ in range(2 * (len(position.tiers.tiers) if position.tiers else 1) + 2):
        if indices != solved_for:
            numerator, denominator = equation.closed_form(indices)
            solved_for = indices
        if tried[-1] != indices[0] + 1:
            tried.append(indices[0] + 1)
        step = (
            next_break(position, legs, indices, going_down) if equation.fixed_mm is None else None
        )
        bound = None if step is None else step[0]
        price_here = numerator / denominator if denominator != 0 else None
        if price_here is not None and price_here > 0:
            inside = (
                (bound is None or price_here >= bound) and price_here <= price
                if going_down
                else (bound is None or price_here <= bound) and price_here >= price
            )
            if inside:
                return solution(price_here, indices, None)
        if bound is None:
            reason = (
                NoPriceReason.AT_OR_BELOW_ZERO if going_down else NoPriceReason.UNREACHABLE_ABOVE
            )
            return solution(None, start_indices, reason)
        assert step is not None and position.tiers is not None
        rising = going_down != linear  # direction of the notional
        crossed = [
            index + (1 if rising else -1) if leg in step[1] else index
            for leg, index in enumerate(indices)
        ]
        if equation.excess(crossed, bound) <= 0:
            return solution(bound, crossed, None)
        price = bound
        indices = crossed
    raise AssertionError("tier walk did not terminate")  # pragma: no cover - one visit a band
